package dev.helloworld.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.ExportCheck;
import dev.helloworld.core.spi.SignalCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ExportChecksTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static ExportCheck check(String name, int priority, Duration takes, List<SignalCheck> lines) {
        return new ExportCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public List<SignalCheck> check(Config config, Duration timeout) throws Exception {
                Thread.sleep(takes.toMillis());
                return lines;
            }
        };
    }

    private static Config config() throws Exception {
        return Config.of(Keys.ALL, Map.of());
    }

    @Test
    void runsTheChecksSideBySideAndKeepsTheirOrder() throws Exception {
        SignalCheck traces = SignalCheck.passed("traces", "http://collector", Duration.ofMillis(5));
        SignalCheck profiles = SignalCheck.skipped("profiles", "profiling off");
        List<ExportCheck> checks = List.of(check("otlp", 100, Duration.ofMillis(900), List.of(traces)),
                check("profiling", 200, Duration.ofMillis(900), List.of(profiles)));

        long started = System.nanoTime();
        List<SignalCheck> lines = ExportChecks.run(checks, config(), TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(List.of(traces, profiles), lines);
        assertTrue(took.compareTo(Duration.ofMillis(1800)) < 0, "two checks of 0.9 s each took " + took.toMillis()
                + " ms: not side by side");
    }

    @Test
    void aCheckThatThrowsOrHangsIsOneFailedLineUnderItsNameAndTheOthersStillCount() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ExportCheck hangs = new ExportCheck() {
            @Override
            public String name() {
                return "stuck";
            }

            @Override
            public List<SignalCheck> check(Config config, Duration timeout) throws Exception {
                never.await();
                return List.of();
            }
        };
        ExportCheck throwsUp = new ExportCheck() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public List<SignalCheck> check(Config config, Duration timeout) {
                throw new IllegalStateException("no exporter configured");
            }
        };
        SignalCheck fine = SignalCheck.passed("logs", "http://collector", Duration.ofMillis(3));

        long started = System.nanoTime();
        List<SignalCheck> lines = ExportChecks.run(List.of(check("otlp", 100, Duration.ZERO, List.of(fine)), throwsUp, hangs),
                config(), TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(fine, lines.get(0));
        assertEquals(List.of("broken", "stuck"), lines.subList(1, 3).stream().map(SignalCheck::signal).toList());
        assertEquals("the broken check failed: no exporter configured", lines.get(1).cause());
        assertEquals("the stuck check did not finish within 2s", lines.get(2).cause());
        assertTrue(lines.subList(1, 3).stream().allMatch(l -> l.status() == SignalCheck.Status.FAILED), lines.toString());
        assertTrue(took.compareTo(TIMEOUT.plus(ExportChecks.GRACE).plusMillis(500)) < 0,
                "a hanging check held the others for " + took.toMillis() + " ms");
    }
}
