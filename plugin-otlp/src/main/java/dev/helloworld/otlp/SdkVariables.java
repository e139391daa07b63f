package dev.helloworld.otlp;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Origin;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Standard variables that the OpenTelemetry SDK reads itself, read here first with the SDK's own
 * syntax, so that a bad value is a usage error naming the variable (exit 2, before anything
 * starts) rather than the SDK's "Unexpected configuration error" at start, which named its
 * internal property ({@code otel.resource.attributes}) or nothing at all ("Expected number,
 * found: "). A value given is handed to the SDK as read, so that each one's option works too.
 * The per-signal variants ({@code OTEL_EXPORTER_OTLP_TRACES_TIMEOUT}, ...) are left to the SDK.
 */
public final class SdkVariables {

    private static final String DURATION = "a whole number of milliseconds, or one with a unit: 500ms, 5s, 1m, 1h, 1d";

    public static final ConfigKey<Optional<String>> METRIC_EXPORT_INTERVAL = key("metric.export.interval",
            "OTEL_METRIC_EXPORT_INTERVAL", "<duration>", "a positive " + DURATION.substring(2),
            raw -> sdkMillis(raw).filter(ms -> ms > 0).isPresent(),
            "Time between two metric exports (the SDK's default 60s; 5s on the console).");

    public static final ConfigKey<Optional<String>> OTLP_TIMEOUT = key("otlp.timeout", "OTEL_EXPORTER_OTLP_TIMEOUT",
            "<duration>", DURATION, raw -> sdkMillis(raw).isPresent(),
            "How long one OTLP export may take (the SDK's default 10s).");

    public static final ConfigKey<Optional<String>> OTLP_COMPRESSION = key("otlp.compression",
            "OTEL_EXPORTER_OTLP_COMPRESSION", "<gzip|none>", "gzip or none",
            raw -> List.of("gzip", "none").contains(raw.trim()),
            "Compression of OTLP exports: gzip or none (the SDK's default).");

    public static final ConfigKey<Optional<String>> RESOURCE_ATTRIBUTES = key("resource.attributes",
            "OTEL_RESOURCE_ATTRIBUTES", "<key=value,...>", "key=value pairs separated by commas, "
                    + "each with a key and a value (percent-encode a comma or '=' in a value)",
            SdkVariables::keyValueList,
            "Attributes added to the resource of traces, metrics and logs.");

    public static final List<ConfigKey<?>> ALL = List.of(METRIC_EXPORT_INTERVAL, OTLP_TIMEOUT, OTLP_COMPRESSION,
            RESOURCE_ATTRIBUTES);

    private SdkVariables() {}

    /** The SDK's properties for the variables given (by variable or option), as given. */
    public static Map<String, String> properties(Config config) {
        Map<String, String> p = new LinkedHashMap<>();
        for (ConfigKey<?> key : ALL) {
            @SuppressWarnings("unchecked")
            ConfigKey<Optional<String>> k = (ConfigKey<Optional<String>>) key;
            if (config.has(k) && config.origin(k).kind() != Origin.Kind.DEFAULT) {
                config.get(k).ifPresent(v -> p.put(sdkProperty(k), v.trim()));
            }
        }
        return p;
    }

    /** {@code OTEL_EXPORTER_OTLP_TIMEOUT} as the SDK's property: {@code otel.exporter.otlp.timeout}. */
    private static String sdkProperty(ConfigKey<?> key) {
        return key.fallbacks().get(0).name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * The SDK's duration syntax ({@code DefaultConfigProperties.getDuration}): digits, then an
     * optional unit; a bare number is milliseconds.
     */
    static Optional<Long> sdkMillis(String raw) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,15})(ms|s|m|h|d)?").matcher(raw.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return Optional.of(switch (unit) {
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> n;
        });
    }

    /** As the SDK reads a map: every comma-separated entry has a key and a value, around an '='. */
    private static boolean keyValueList(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(e -> !e.isEmpty()).allMatch(entry -> {
            int equals = entry.indexOf('=');
            return equals > 0 && !entry.substring(0, equals).isBlank() && !entry.substring(equals + 1).isBlank();
        });
    }

    private static ConfigKey<Optional<String>> key(String name, String env, String label, String expected,
            Predicate<String> valid, String description) {
        ValueType<Optional<String>> type = new ValueType<>() {
            @Override
            public Parsed<Optional<String>> parse(String raw) {
                return valid.test(raw) ? Parsed.value(Optional.of(raw)) : Parsed.invalid(expected);
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public String format(Optional<String> value) {
                return value.orElse("");
            }
        };
        // The SDK's variable, as a fallback rather than the key's own variable: no other key may
        // claim it as its own (core reads service.version out of OTEL_RESOURCE_ATTRIBUTES too).
        return ConfigKey.builder(name, type).fallback(env, type).defaultValue(Optional.empty())
                .description(description).build();
    }
}
