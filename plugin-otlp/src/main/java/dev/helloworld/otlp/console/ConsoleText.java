package dev.helloworld.otlp.console;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** How the console exporters write attributes and numbers: short, and the same for every signal. */
final class ConsoleText {

    /** Values longer than this are cut: a console line is for reading, the collector gets them whole. */
    static final int MAX_VALUE = 200;

    /** Kept out of console lines: a stack trace would turn one line into fifty. */
    private static final Set<String> LEFT_OUT = Set.of("exception.stacktrace");

    private ConsoleText() {}

    /** {@code {key=value, ...}}, or empty for no attributes. */
    static String attributes(Attributes attributes) {
        if (attributes.isEmpty()) {
            return "";
        }
        return attributes.asMap().entrySet().stream()
                .filter(e -> !LEFT_OUT.contains(e.getKey().getKey()))
                .map(ConsoleText::attribute)
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String attribute(Map.Entry<AttributeKey<?>, Object> entry) {
        String value = String.valueOf(entry.getValue());
        if (value.length() > MAX_VALUE) {
            value = value.substring(0, MAX_VALUE) + "...";
        }
        return entry.getKey().getKey() + "=" + value;
    }

    /** A bucket bound or a value as people write it: {@code 1} rather than {@code 1.0}. */
    static String number(double value) {
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** Nanoseconds as milliseconds with one decimal, {@code 12.3 ms}. */
    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
