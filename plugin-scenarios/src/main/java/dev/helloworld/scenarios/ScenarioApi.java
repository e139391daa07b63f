package dev.helloworld.scenarios;

import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.ManagementRoute;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The scenarios on the management port: {@code GET /scenarios} lists every scenario and the state
 * of its incident, {@code POST /scenarios/NAME?k=v...} starts one (or changes the running one's
 * parameters), {@code DELETE /scenarios/NAME} stops it. Bad input is a 400 with the reason.
 */
final class ScenarioApi implements ManagementRoute {

    static final String PATH = "/scenarios";

    private final Incidents incidents;
    private final boolean topologyOn;

    ScenarioApi(Incidents incidents, boolean topologyOn) {
        this.incidents = incidents;
        this.topologyOn = topologyOn;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public Response handle(Request request) {
        String rest = request.path().substring(PATH.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return request.method().equals("GET") ? Response.json(200, list())
                    : error(405, "use GET " + PATH + ", POST or DELETE " + PATH + "/NAME");
        }
        String name = rest.substring(1);
        return switch (request.method()) {
            case "POST" -> start(name, request.query());
            case "DELETE" -> stop(name);
            case "GET" -> Scenario.byId(name).map(s -> Response.json(200, one(s)))
                    .orElseGet(() -> unknown(name));
            default -> error(405, "use POST " + PATH + "/NAME to start or change, DELETE to stop");
        };
    }

    private Response start(String name, Map<String, String> query) {
        Parsed<ScenarioRequest> parsed = ScenarioRequest.of(name, query);
        if (parsed instanceof Parsed.Invalid<ScenarioRequest> invalid) {
            return error(400, "expected " + invalid.expected());
        }
        ScenarioRequest request = ((Parsed.Value<ScenarioRequest>) parsed).value();
        Optional<String> unavailable = Target.unavailable(request, topologyOn);
        if (unavailable.isPresent()) {
            return error(400, unavailable.get());
        }
        Incidents.State state = incidents.start(request);
        return Response.json(200, json(state.scenario(), Optional.of(state)));
    }

    private Response stop(String name) {
        Optional<Scenario> scenario = Scenario.byId(name);
        if (scenario.isEmpty()) {
            return unknown(name);
        }
        incidents.stop(scenario.get(), "stopped on the management port");
        return Response.json(200, json(scenario.get(), Optional.empty()));
    }

    private String list() {
        return "{\"scenarios\":[" + List.of(Scenario.values()).stream().map(this::one)
                .collect(Collectors.joining(",")) + "]}";
    }

    private String one(Scenario scenario) {
        return json(scenario, incidents.states().stream().filter(s -> s.scenario() == scenario).findFirst());
    }

    private static String json(Scenario scenario, Optional<Incidents.State> state) {
        StringBuilder json = new StringBuilder("{\"name\":").append(Json.quote(scenario.id()));
        if (state.isEmpty()) {
            return json.append(",\"state\":\"off\"}").toString();
        }
        Incidents.State s = state.get();
        json.append(",\"state\":").append(Json.quote(s.phase().name().toLowerCase(java.util.Locale.ROOT)))
                .append(",\"parameters\":").append(Json.quote(s.parameters()))
                .append(",\"startsAt\":").append(Json.quote(s.startsAt().toString()));
        s.endsAt().map(Instant::toString).ifPresent(end -> json.append(",\"endsAt\":").append(Json.quote(end)));
        // A repeating one's next planned start: while it runs, the one after this run.
        s.nextStartsAt().map(Instant::toString).ifPresent(next -> json.append(",\"nextStartsAt\":").append(Json.quote(next)));
        return json.append('}').toString();
    }

    private static Response unknown(String name) {
        return error(404, "no scenario '" + name + "': expected one of " + Scenario.ids());
    }

    private static Response error(int status, String reason) {
        return Response.json(status, "{\"error\":" + Json.quote(reason) + "}");
    }
}
