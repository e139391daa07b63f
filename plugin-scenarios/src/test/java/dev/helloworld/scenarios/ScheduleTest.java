package dev.helloworld.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.core.config.Parsed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {

    private static final Path FILE = Path.of("plan.txt");

    @Test
    void readsOneIncidentALineSkippingCommentsAndBlankLines() {
        Schedule schedule = value(Schedule.parse(FILE, """
                # the morning's incidents
                error-burst rate=0.5 after=10s for=20s every=60s   # every minute

                \tlatency   delay=100ms after=5s for=1m\r
                cpu-hotspot
                """));

        assertEquals(List.of("error-burst rate=0.5,route=*,after=10s,for=20s,every=1m",
                "latency delay=100ms,share=1,distribution=fixed,after=5s,for=1m",
                "cpu-hotspot burn=50ms,share=1,after=none,for=none"),
                schedule.incidents().stream().map(r -> r.scenario().id() + " " + r.parameters().format()).toList());
        assertEquals(FILE, schedule.file().orElseThrow());
    }

    @Test
    void aFileOfCommentsSchedulesNothing() {
        assertEquals(List.of(), value(Schedule.parse(FILE, "# nothing today\n\n")).incidents());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nope rate=1 | on line 2 a scenario, one of error-burst, latency, cpu-hotspot, memory-growth, gc-pressure, lock-contention, downstream, log-flood, cardinality-burst ('nope' is none)",
        "latency delay | on line 2 NAME k=v ..., where 'delay' is no k=v",
        "latency delay=20s | on line 2 latency delay to be a positive duration up to 10s, such as 200ms or 2s ('20s' is not)",
        "latency delay=1s delay=2s | on line 2 each parameter once ('delay' is given twice)",
        "latency:delay=1s | on line 2 a scenario, one of error-burst, latency, cpu-hotspot, memory-growth, gc-pressure, lock-contention, downstream, log-flood, cardinality-burst ('latency:delay=1s' is none)",
        "error-burst for=30s every=30s | on line 2 error-burst every to be longer than its for, which it needs ('every=30s,for=30s' is not)",
        "error-burst rate=0.1 | on line 2 each scenario once ('error-burst' is on line 1 too)",
    })
    void refusesABadLineNamingItsNumberTheValueAndWhatIsAllowed(String secondLine, String expected) {
        assertEquals(Parsed.invalid(expected), Schedule.parse(FILE, "error-burst for=10s\n" + secondLine + "\n"));
    }

    @Test
    void aMissingFileIsNoSchedule(@TempDir Path dir) throws IOException {
        assertEquals(Parsed.invalid("the path of a readable schedule file"), Schedule.read(dir.resolve("absent").toString()));
        assertEquals(Parsed.invalid("the path of a readable schedule file"), Schedule.read(dir.toString()));
        Path plan = Files.writeString(dir.resolve("plan"), "latency for=1s every=2s\n");
        assertEquals(1, value(Schedule.read(plan.toString())).incidents().size());
    }

    private static Schedule value(Parsed<Schedule> parsed) {
        if (parsed instanceof Parsed.Value<Schedule> v) {
            return v.value();
        }
        throw new AssertionError("expected a schedule, got " + parsed);
    }
}
