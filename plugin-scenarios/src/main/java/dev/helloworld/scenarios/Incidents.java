package dev.helloworld.scenarios;

import dev.helloworld.core.spi.RequestHook;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The incidents switched on, scheduled or running, at most one per scenario: a second start of a
 * scenario replaces the first (ending it, if it runs) rather than stacking on it. As the
 * {@link RequestHook}, it applies every running incident's effect to each request.
 */
final class Incidents implements RequestHook {

    /** Where one incident is in its life. */
    enum Phase {
        /** Switched on, waiting for its {@code after}. */
        SCHEDULED,
        /** Affecting requests. */
        RUNNING
    }

    /** One incident and its timers. */
    private static final class Incident {
        final ScenarioRequest request;
        final Effect effect;
        Phase phase = Phase.SCHEDULED;
        Instant startsAt;
        Instant endsAt;
        final List<ScheduledFuture<?>> timers = new ArrayList<>();

        Incident(ScenarioRequest request, OpenTelemetry openTelemetry) {
            this.request = request;
            this.effect = request.scenario().effect(request.parameters(), openTelemetry);
        }
    }

    /** What the management port shows of one incident. */
    record State(Scenario scenario, Phase phase, String parameters, Instant startsAt, Optional<Instant> endsAt) {}

    private final Truth truth;
    private final OpenTelemetry openTelemetry;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "scenarios");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Scenario, Incident> incidents = new EnumMap<>(Scenario.class);
    /** The running incidents' effects and where each lands, read by every request without a lock. */
    private volatile List<Aimed> running = List.of();
    private volatile Set<Scenario> runningScenarios = Set.of();

    Incidents(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.truth = new Truth(openTelemetry, () -> runningScenarios);
    }

    /** One running incident's effect and its {@link Target}. */
    private record Aimed(String target, Effect effect) {}

    /** The process's own server's requests: the incidents aimed at {@link Target#SERVICE}. */
    @Override
    public Optional<RequestFailure> beforeRequest(String method, String path) {
        return apply(Target.SERVICE, method, path);
    }

    /** A logical service's request or dependency call: the incidents aimed at it, its node as the path. */
    @Override
    public Optional<RequestFailure> beforeWork(String target) {
        return apply(target, "GET", target);
    }

    private Optional<RequestFailure> apply(String target, String method, String path) {
        for (Aimed aimed : running) {
            if (!aimed.target().equals(target)) {
                continue;
            }
            Optional<RequestFailure> failure = aimed.effect().onRequest(method, path);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    /** Switches {@code request} on: at once or after its {@code after}, for its {@code for}. */
    synchronized State start(ScenarioRequest request) {
        Incident previous = incidents.remove(request.scenario());
        if (previous != null) {
            end(previous, "replaced by a new start");
        }
        Incident incident = new Incident(request, openTelemetry);
        Instant now = Instant.now();
        incident.startsAt = now.plus(request.after());
        incidents.put(request.scenario(), incident);
        if (request.after().isZero()) {
            begin(incident);
        } else {
            incident.timers.add(timer.schedule(() -> begin(incident), request.after().toNanos(), TimeUnit.NANOSECONDS));
        }
        if (!request.lasting().isZero()) {
            incident.endsAt = incident.startsAt.plus(request.lasting());
        }
        return state(incident);
    }

    /** Ends the scenario's incident; empty when none was switched on. */
    synchronized Optional<State> stop(Scenario scenario, String why) {
        Incident incident = incidents.remove(scenario);
        if (incident == null) {
            return Optional.empty();
        }
        end(incident, why);
        return Optional.of(state(incident));
    }

    /** Every scenario, switched on or not, in catalog order. */
    synchronized List<State> states() {
        return incidents.values().stream().map(Incidents::state).toList();
    }

    /** Ends every incident and the timer: the service is stopping. */
    synchronized void stopAll() {
        for (Scenario scenario : List.copyOf(incidents.keySet())) {
            stop(scenario, "the service stopped");
        }
        timer.shutdownNow();
    }

    private synchronized void begin(Incident incident) {
        if (incidents.get(incident.request.scenario()) != incident) {
            return; // replaced or stopped while its timer fired
        }
        incident.phase = Phase.RUNNING;
        incident.startsAt = Instant.now();
        // Recorded first, so that nothing is injected before the recorded start (and, in end(),
        // withdrawn first, so that nothing is injected after the recorded end but what was in flight).
        truth.started(incident.request);
        incident.effect.started();
        publishRunning();
        Duration lasting = incident.request.lasting();
        if (!lasting.isZero()) {
            // Counted from the recorded start, so that the recorded window is never shorter than 'for'.
            incident.endsAt = Instant.now().plus(lasting);
            incident.timers.add(timer.schedule(() -> stop(incident, "its window ended"), lasting.toNanos(),
                    TimeUnit.NANOSECONDS));
        }
    }

    private synchronized void stop(Incident incident, String why) {
        if (incidents.get(incident.request.scenario()) == incident) {
            incidents.remove(incident.request.scenario());
            end(incident, why);
        }
    }

    private void end(Incident incident, String why) {
        incident.timers.forEach(t -> t.cancel(false));
        if (incident.phase == Phase.RUNNING) {
            incident.endsAt = Instant.now();
            incident.effect.ended();
            publishRunning();
            truth.ended(incident.request, why);
        }
    }

    private void publishRunning() {
        List<Incident> now = incidents.values().stream().filter(i -> i.phase == Phase.RUNNING).toList();
        running = now.stream().map(i -> new Aimed(i.request.parameters().get(Target.TARGET), i.effect)).toList();
        runningScenarios = now.stream().map(i -> i.request.scenario()).collect(Collectors.toUnmodifiableSet());
    }

    private static State state(Incident incident) {
        return new State(incident.request.scenario(), incident.phase, incident.request.parameters().format(),
                incident.startsAt, Optional.ofNullable(incident.endsAt));
    }
}
