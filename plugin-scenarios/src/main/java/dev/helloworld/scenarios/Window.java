package dev.helloworld.scenarios;

import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.time.Duration;
import java.util.Optional;

/**
 * When an incident runs, parameters every scenario takes: it starts {@code after}, lasts {@code for},
 * and starts again {@code every} so long after each planned start.
 */
final class Window {

    /** The longest wait and the longest incident: a forgotten scenario ends on its own within a day. */
    static final Duration LONGEST = Duration.ofHours(24);

    static final Param<Duration> AFTER = new Param<>("after", orNone(), Duration.ZERO,
            "Starts this long after it is switched on (at start: after the service started); none: at once.");

    static final Param<Duration> FOR = new Param<>("for", orNone(), Duration.ZERO,
            "Ends this long after it started; none: when stopped on the management port or at service stop.");

    /**
     * Counted from the planned start of each run, not from its recorded one, so that a timetable
     * of many repeats does not drift by the scheduler's lateness.
     */
    static final Param<Duration> EVERY = new Param<>("every", orNone(), Duration.ZERO,
            "Starts again this long after each start, for 'for' each time; longer than 'for', which it needs; none: once.");

    private Window() {}

    /** Completes "expected ...", or empty when {@code every} fits {@code lasting}: a repeat must end before the next. */
    static Optional<String> checkRepeat(Scenario scenario, Duration lasting, Duration every) {
        if (every.isZero() || !lasting.isZero() && every.compareTo(lasting) > 0) {
            return Optional.empty();
        }
        return Optional.of(scenario.id() + " every to be longer than its for, which it needs ('every="
                + Durations.format(every) + ",for=" + (lasting.isZero() ? "none" : Durations.format(lasting)) + "' is not)");
    }

    /** A duration up to {@link #LONGEST}, or {@code none} (zero). */
    private static ValueType<Duration> orNone() {
        ValueType<Duration> duration = Param.durationUpTo(LONGEST);
        return new ValueType<>() {
            @Override
            public Parsed<Duration> parse(String raw) {
                if (raw.trim().equals("none")) {
                    return Parsed.value(Duration.ZERO);
                }
                return duration.parse(raw) instanceof Parsed.Value<Duration> v
                        ? v : Parsed.invalid("none, or a positive duration up to " + Durations.format(LONGEST) + ", such as 30s");
            }

            @Override
            public String label() {
                return "<duration|none>";
            }

            @Override
            public String format(Duration value) {
                return value.isZero() ? "none" : Durations.format(value);
            }
        };
    }
}
