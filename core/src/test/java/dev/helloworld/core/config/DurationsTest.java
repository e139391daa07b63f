package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({
        "500ms, 500",
        "3s, 3000",
        "1m, 60000",
        "1h, 3600000",
        "' 2s ', 2000",
        "0s, 0",
        "999999999h, 3599999996400000",
    })
    void parsesEveryUnit(String text, long millis) {
        assertEquals(Optional.of(Duration.ofMillis(millis)), Durations.parse(text),
                () -> "parsing '" + text + "'");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"10", "5 s", "s", "", "1.5s", "-1s", "+1s", "1S", "1d", "1000000000ms", "1sec", "1h30m", "\uFF15s"})
    void refusesAnythingButDigitsAndOneUnit(String text) {
        assertEquals(Optional.empty(), Durations.parse(text), () -> "parsing '" + text + "'");
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "PT0.5S, 500ms",
        "PT1.5S, 1500ms",
        "PT3S, 3s",
        "PT90S, 90s",
        "PT2M, 2m",
        "PT1H, 1h",
        "PT25H, 25h",
        "PT0S, 0s",
    })
    void formatsInTheLargestExactUnit(Duration duration, String text) {
        assertEquals(text, Durations.format(duration));
    }

    @ParameterizedTest(name = "{0} survives format then parse")
    @ValueSource(strings = {"PT0.001S", "PT0.999S", "PT1S", "PT59S", "PT61S", "PT1M", "PT59M", "PT61M", "PT1H", "PT100H", "PT1H0.5S"})
    void formatThenParseGivesTheSameDuration(String iso) {
        Duration duration = Duration.parse(iso);
        String text = Durations.format(duration);
        Optional<Duration> back = Durations.parse(text);
        assertTrue(back.isPresent(), () -> duration + " was written '" + text + "', which does not parse");
        assertEquals(duration, back.get(), () -> duration + " was written '" + text + "'");
    }
}
