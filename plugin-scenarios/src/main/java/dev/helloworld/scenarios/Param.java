package dev.helloworld.scenarios;

import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.time.Duration;

/**
 * One parameter of a scenario, as given in {@code NAME:k=v} or {@code ?k=v}: parsed with core's
 * value types, so that its errors read as every other option's.
 *
 * @param defaultValue the value when not given; every parameter has one, so every scenario is bounded
 */
record Param<T>(String name, ValueType<T> type, T defaultValue, String description) {

    /** A positive duration of at most {@code max}: the ceiling that keeps an incident survivable. */
    static ValueType<Duration> durationUpTo(Duration max) {
        ValueType<Duration> any = ValueType.duration();
        String expected = "a positive duration up to " + Durations.format(max) + ", such as 200ms or 2s";
        return new ValueType<>() {
            @Override
            public Parsed<Duration> parse(String raw) {
                return any.parse(raw) instanceof Parsed.Value<Duration> v && v.value().compareTo(max) <= 0
                        ? v : Parsed.invalid(expected);
            }

            @Override
            public String label() {
                return "<duration>";
            }

            @Override
            public String format(Duration value) {
                return Durations.format(value);
            }
        };
    }

    /** The share of requests an incident touches: 0 to 1. */
    static Param<Double> share(String name, double defaultValue, String description) {
        return new Param<>(name, ValueType.decimal("<share>", 0, 1), defaultValue, description);
    }

    String format(Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return type.format(typed);
    }
}
