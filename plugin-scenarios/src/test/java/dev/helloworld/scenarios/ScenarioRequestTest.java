package dev.helloworld.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.core.config.Parsed;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScenarioRequestTest {

    @Test
    void takesTheGivenParametersAndTheDefaultsOfTheRest() {
        ScenarioRequest request = value(ScenarioRequest.parse("latency:delay=300ms,for=30s"));
        assertEquals(Scenario.LATENCY, request.scenario());
        assertEquals(Duration.ofMillis(300), request.parameters().get(Latency.DELAY));
        assertEquals(1.0, request.parameters().get(Latency.SHARE));
        assertEquals(Duration.ZERO, request.after(), "after: none");
        assertEquals(Duration.ofSeconds(30), request.lasting());
        assertEquals("delay=300ms,share=1,distribution=fixed,after=none,for=30s", request.parameters().format());
    }

    @Test
    void aNameAloneIsEveryDefault() {
        assertEquals("rate=0.5,route=*,after=none,for=none", value(ScenarioRequest.parse(" error-burst ")).parameters().format());
    }

    @Test
    void aRepeatIsShownOnlyWhenItRepeats() {
        ScenarioRequest request = value(ScenarioRequest.parse("error-burst:for=20s,every=1m,route=/helloworld"));
        assertEquals(Duration.ofMinutes(1), request.every());
        assertEquals("rate=0.5,route=/helloworld,after=none,for=20s,every=1m", request.parameters().format());
        assertEquals("/helloworld", request.target());
        assertEquals("*", value(ScenarioRequest.parse("latency")).target(), "latency acts on every route");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nope | a scenario, one of error-burst, latency, cpu-hotspot, memory-growth, gc-pressure, lock-contention, downstream, log-flood, cardinality-burst ('nope' is none)",
        "latency:speed=2 | parameters of latency: delay, share, distribution, target, after, for, every ('speed' is none)",
        "latency:delay=11s | latency delay to be a positive duration up to 10s, such as 200ms or 2s ('11s' is not)",
        "cpu-hotspot:burn=2s | cpu-hotspot burn to be a positive duration up to 1s, such as 200ms or 2s ('2s' is not)",
        "error-burst:rate=1.5 | error-burst rate to be a number from 0 to 1 ('1.5' is not)",
        "error-burst:route=helloworld | error-burst route to be a path such as /helloworld, or * for every route ('helloworld' is not)",
        "error-burst:for=25h | error-burst for to be none, or a positive duration up to 24h, such as 30s ('25h' is not)",
        "latency:distribution=normal | latency distribution to be one of fixed, uniform ('normal' is not)",
        "latency:delay | NAME[:k=v,...], where 'delay' is no k=v",
        "gc-pressure:rate=513 | gc-pressure rate to be a whole number from 1 to 512 ('513' is not)",
        "gc-pressure:live=0.3 | gc-pressure live to be a number from 0 to 0.25 ('0.3' is not)",
        "lock-contention:hold=2s | lock-contention hold to be a positive duration up to 1s, such as 200ms or 2s ('2s' is not)",
        "lock-contention:share=-0.1 | lock-contention share to be a number from 0 to 1 ('-0.1' is not)",
        "downstream:mode=down | downstream mode to be one of unreachable, slow ('down' is not)",
        "downstream:timeout=11s | downstream timeout to be a positive duration up to 10s, such as 200ms or 2s ('11s' is not)",
        "log-flood:rate=5001 | log-flood rate to be a whole number from 1 to 5000 ('5001' is not)",
        "log-flood:rate=0 | log-flood rate to be a whole number from 1 to 5000 ('0' is not)",
        "cardinality-burst:values=10001 | cardinality-burst values to be a whole number from 1 to 10000 ('10001' is not)",
        "latency:every=1m | latency every to be longer than its for, which it needs ('every=1m,for=none' is not)",
        "latency:for=20s,every=20s | latency every to be longer than its for, which it needs ('every=20s,for=20s' is not)",
        "latency:for=1s,every=25h | latency every to be none, or a positive duration up to 24h, such as 30s ('25h' is not)",
    })
    void refusesWhatIsNotAScenarioOrAParameterSayingWhatIs(String text, String expected) {
        assertEquals(Parsed.invalid(expected), ScenarioRequest.parse(text));
    }

    private static ScenarioRequest value(Parsed<ScenarioRequest> parsed) {
        if (parsed instanceof Parsed.Value<ScenarioRequest> v) {
            return v.value();
        }
        throw new AssertionError("expected a scenario, got " + parsed);
    }
}
