package dev.helloworld.core.config;

/**
 * The outcome of parsing one raw value: either the value, or what would have been accepted.
 * Parsing never throws, so that every bad value of a run can be reported together.
 */
public sealed interface Parsed<T> {

    /** A value that parsed. */
    record Value<T>(T value) implements Parsed<T> {}

    /** A value that did not parse; {@code expected} completes "expected ...". */
    record Invalid<T>(String expected) implements Parsed<T> {}

    static <T> Parsed<T> value(T value) {
        return new Value<>(value);
    }

    static <T> Parsed<T> invalid(String expected) {
        return new Invalid<>(expected);
    }
}
