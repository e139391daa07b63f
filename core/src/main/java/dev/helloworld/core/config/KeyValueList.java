package dev.helloworld.core.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code k=v,k=v} lists of {@code OTEL_RESOURCE_ATTRIBUTES} and {@code OTEL_EXPORTER_OTLP_HEADERS},
 * read as the OpenTelemetry SDK's autoconfigure reads them, so that a value picked out here is
 * the value the SDK would have used.
 */
final class KeyValueList {

    private KeyValueList() {}

    /**
     * The value of resource attribute {@code name}. Values are percent-encoded; autoconfigure
     * keeps a {@code +} as a plus sign in resource attributes, so it is kept here.
     */
    static Function<String, Optional<String>> resourceAttribute(String name) {
        return raw -> find(raw, name, false).map(v -> decode(v.replace("+", "%2B"), v));
    }

    /**
     * The value of header {@code name}, in any case (HTTP header names are case-insensitive).
     * Autoconfigure decodes header values with {@link URLDecoder}, {@code +} as a space included.
     */
    static Function<String, Optional<String>> header(String name) {
        return raw -> find(raw, name, true).map(v -> decode(v, v));
    }

    private static Optional<String> find(String raw, String name, boolean ignoreCase) {
        for (String pair : raw.split(",")) {
            int equals = pair.indexOf('=');
            String key = equals > 0 ? pair.substring(0, equals).trim() : "";
            if (ignoreCase ? key.equalsIgnoreCase(name) : key.equals(name)) {
                return Optional.of(pair.substring(equals + 1).trim());
            }
        }
        return Optional.empty();
    }

    private static String decode(String encoded, String written) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return written; // not percent-encoding after all: taken as written
        }
    }
}
