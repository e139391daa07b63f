package dev.helloworld.core.config;

/**
 * One bad configuration value, with everything needed to fix it.
 *
 * @param source   the flag or variable that carried it, such as {@code --http-port}
 * @param value    the raw value as given
 * @param expected what would have been accepted
 */
public record ConfigError(String source, String value, String expected) {

    /** One line: {@code invalid value 'x' for --http-port: expected a port from 1 to 65535}. */
    public String message() {
        return "invalid value '" + value + "' for " + source + ": expected " + expected;
    }
}
