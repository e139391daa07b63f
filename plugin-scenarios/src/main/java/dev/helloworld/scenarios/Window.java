package dev.helloworld.scenarios;

import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.time.Duration;

/** When an incident runs, parameters every scenario takes: it starts {@code after}, and lasts {@code for}. */
final class Window {

    /** The longest wait and the longest incident: a forgotten scenario ends on its own within a day. */
    static final Duration LONGEST = Duration.ofHours(24);

    static final Param<Duration> AFTER = new Param<>("after", orNone(), Duration.ZERO,
            "Starts this long after it is switched on (at start: after the service started); none: at once.");

    static final Param<Duration> FOR = new Param<>("for", orNone(), Duration.ZERO,
            "Ends this long after it started; none: when stopped on the management port or at service stop.");

    private Window() {}

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
