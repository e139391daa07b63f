package dev.helloworld.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.OpenTelemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An incident lands where its {@code target} says: the process's own server by default, or one
 * node of the topology, and nowhere else. The topology's graph is plugin-topology's, absent here,
 * so requests aimed at it are built past the parser (launcher's TopologyTargetsIT parses them).
 */
class TargetedIncidentsTest {

    private final Incidents incidents = new Incidents(OpenTelemetry.noop());

    @AfterEach
    void stop() {
        incidents.stopAll();
    }

    @Test
    void anIncidentAimedAtADependencyFailsEveryCallToItAndNothingElse() {
        incidents.start(aimed(Scenario.ERROR_BURST, "postgresql/orders", Map.of(ErrorBurst.RATE.name(), 1.0)));
        int calls = 200;
        int failed = 0;
        int elsewhere = 0;
        for (int i = 0; i < calls; i++) {
            Optional<RequestFailure> failure = incidents.beforeWork("postgresql/orders");
            failed += failure.isPresent() ? 1 : 0;
            elsewhere += incidents.beforeWork("payments").isPresent() ? 1 : 0;
            elsewhere += incidents.beforeRequest("GET", "/helloworld").isPresent() ? 1 : 0;
        }
        assertEquals(calls, failed, "every call to postgresql/orders fails at rate=1");
        assertEquals(0, elsewhere, "no call to payments and no request to /helloworld fails");
    }

    @Test
    void theDefaultTargetIsTheProcesssOwnServerAndIsNotWrittenBack() {
        ScenarioRequest request = ((Parsed.Value<ScenarioRequest>) ScenarioRequest.parse("error-burst:rate=1")).value();
        assertEquals(Target.SERVICE, request.parameters().get(Target.TARGET));
        assertEquals("rate=1,route=*,after=none,for=none", request.parameters().format());
        incidents.start(request);
        assertTrue(incidents.beforeRequest("GET", "/helloworld").isPresent());
        assertEquals(Optional.empty(), incidents.beforeWork("payments"));
    }

    @Test
    void aTargetIsWrittenBackWhenItIsNotTheDefault() {
        assertEquals("delay=300ms,share=1,distribution=fixed,target=payments,after=none,for=none",
                aimed(Scenario.LATENCY, "payments", Map.of(Latency.DELAY.name(), java.time.Duration.ofMillis(300)))
                        .parameters().format());
    }

    @Test
    void anUnknownTargetIsRefusedWithTheListOfTargets() {
        Parsed<ScenarioRequest> parsed = ScenarioRequest.parse("latency:target=nowhere");
        assertTrue(parsed instanceof Parsed.Invalid<ScenarioRequest> invalid
                && invalid.expected().startsWith("latency target to be one of service"), String.valueOf(parsed));
    }

    @Test
    void aTopologyTargetWithTheTopologyOffSaysToAddIt() {
        ScenarioRequest request = aimed(Scenario.LATENCY, "payments", Map.of());
        assertEquals(Optional.of("latency target payments is a node of the topology, which is off: add --topology, "
                + "or aim it at target=service"), Target.unavailable(request, false));
        assertEquals(Optional.empty(), Target.unavailable(request, true));
    }

    private static ScenarioRequest aimed(Scenario scenario, String target, Map<String, Object> own) {
        Map<String, Object> values = new LinkedHashMap<>(Parameters.defaults(scenario.params()).values());
        values.putAll(own);
        values.put(Target.TARGET.name(), target);
        return new ScenarioRequest(scenario, new Parameters(scenario.params(), values));
    }
}
