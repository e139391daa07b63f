package dev.helloworld.core.config;

/**
 * One bad configuration value, with everything needed to fix it.
 *
 * @param source   the flag or variable that carried it, such as {@code --http-port}
 * @param value    the raw value as given (masked when secret)
 * @param expected what would have been accepted
 * @param message  the one line a user reads
 */
public record ConfigError(String source, String value, String expected, String message) {

    /** A value that does not parse: {@code invalid value 'x' for --http-port: expected a port from 1 to 65535}. */
    public ConfigError(String source, String value, String expected) {
        this(source, value, expected, "invalid value '" + value + "' for " + source + ": expected " + expected);
    }

    /**
     * Two places that give the same setting different values: {@code conflicting values for
     * service.name: 'a' from --service-name and 'b' from OTEL_SERVICE_NAME; ...}. Neither is
     * chosen silently, since either choice sends some signal somewhere the user did not mean.
     * Values are shown as given ({@link Secrets#mask masked} by the caller when secret).
     */
    public static ConfigError conflict(String setting, String firstSource, String first, String secondSource,
            String second) {
        return new ConfigError(secondSource, second, "'" + first + "' as " + firstSource + " gives it",
                "conflicting values for " + setting + ": '" + first + "' from " + firstSource + " and '" + second
                        + "' from " + secondSource + "; set it in one place, or to the same value in both");
    }
}
