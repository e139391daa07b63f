package dev.helloworld.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The configuration keys that the original helloworld service has, shared by several plugins.
 * Plugins add their own through {@link dev.helloworld.core.spi.Service#configKeys()}.
 */
public final class Keys {

    public static final ConfigKey<Boolean> DEBUG = ConfigKey.builder("debug", ValueType.bool())
            .env("DEBUG")
            .defaultValue(false)
            .description("Turn every signal on unless it is set on its own, and print stack traces of failures.")
            .build();

    /**
     * The token, wherever a user of OpenTelemetry or of BlueKing gives it: our option and variable,
     * the {@code x-bk-token} header of the OTLP exporters (general or per signal, variable or
     * system property), and the {@code bk.data.token} resource attribute that BlueKing's
     * documentation asks for. One value for every export and every profile upload.
     */
    public static final ConfigKey<String> TOKEN = identity(ConfigKey.builder("token", token())
            .env("TOKEN")
            .property("otel.exporter.otlp.headers", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER))
            .fallback("OTEL_EXPORTER_OTLP_HEADERS", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER))
            .property("otel.exporter.otlp.traces.headers", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER))
            .fallback("OTEL_EXPORTER_OTLP_TRACES_HEADERS", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER))
            .property("otel.exporter.otlp.metrics.headers", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER))
            .fallback("OTEL_EXPORTER_OTLP_METRICS_HEADERS", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER))
            .property("otel.exporter.otlp.logs.headers", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER))
            .fallback("OTEL_EXPORTER_OTLP_LOGS_HEADERS", token(), KeyValueList.header(ServiceIdentity.TOKEN_HEADER)),
                    token(), ServiceIdentity.TOKEN_ATTRIBUTE)
            .secret()
            .defaultValue("todo")
            .description("Data token of the APM backend, sent with every export. Never printed whole.")
            .build();

    /**
     * Any name OTLP carries: what Pyroscope takes as an application name is narrower, and is
     * checked by the profiling plugin when it starts, so that a name with a space serves traces,
     * metrics and logs with profiling off.
     */
    public static final ConfigKey<String> SERVICE_NAME = identity(ConfigKey.builder("service.name", serviceName())
            .env("SERVICE_NAME")
            .property("otel.service.name", serviceName(), Optional::of)
            .fallback("OTEL_SERVICE_NAME", serviceName()),
                    serviceName(), ServiceIdentity.SERVICE_NAME_ATTRIBUTE)
            .defaultValue("helloworld")
            .description("service.name of all telemetry, and the application name of profiles.")
            .build();

    /**
     * One version and one environment for every signal: the resource of traces, metrics and logs
     * and the labels of profiles. A value must also fit Pyroscope's name syntax ({@code app{k=v}}).
     */
    public static final ConfigKey<String> SERVICE_VERSION = identity(ConfigKey.builder("service.version", labelValue())
            .env("SERVICE_VERSION"), labelValue(), ServiceIdentity.SERVICE_VERSION_ATTRIBUTE)
            .defaultValue(c -> buildVersion(), "the helloworld version")
            .description("service.version of all telemetry (resource attribute and profile label).")
            .build();

    public static final ConfigKey<String> DEPLOYMENT_ENVIRONMENT = identity(ConfigKey.builder("deployment.environment", labelValue())
            .env("DEPLOYMENT_ENVIRONMENT"), labelValue(), ServiceIdentity.ENVIRONMENT_ATTRIBUTE)
            .defaultValue("dev")
            .description("deployment.environment.name of all telemetry, and the service_environment label of profiles.")
            .build();

    public static final ConfigKey<ExporterType> EXPORTER = ConfigKey.builder("otlp.exporter", ValueType.choice(ExporterType.class))
            .flag("--exporter")
            .env("OTLP_EXPORTER_TYPE")
            .fallback("OTEL_EXPORTER_OTLP_PROTOCOL", otelProtocol())
            .defaultValue(ExporterType.GRPC)
            .description("How telemetry is exported: OTLP over grpc or http, console lines, or none.")
            .build();

    public static final ConfigKey<URI> ENDPOINT = ConfigKey.builder("otlp.endpoint", ValueType.httpUrl())
            .flag("--endpoint")
            .env("OTLP_ENDPOINT")
            .fallback("OTEL_EXPORTER_OTLP_ENDPOINT", ValueType.httpUrl())
            .defaultValue(c -> URI.create(c.get(EXPORTER) == ExporterType.HTTP
                            ? "http://localhost:4318" : "http://localhost:4317"),
                    "http://localhost:4317, or :4318 with --exporter http")
            .description("OTLP collector; with http, /v1/traces, /v1/metrics and /v1/logs are appended.")
            .build();

    public static final ConfigKey<Boolean> ENABLE_TRACES = signal("traces", "Export traces.");
    public static final ConfigKey<Boolean> ENABLE_METRICS = signal("metrics", "Export metrics.");
    public static final ConfigKey<Boolean> ENABLE_LOGS = signal("logs", "Export the 'otel' logger's records as OTLP logs.");
    public static final ConfigKey<Boolean> ENABLE_PROFILING = signal("profiling", "Profile the process and send profiles to the profiling endpoint.");

    public static final ConfigKey<Boolean> ENABLE_MEMORY_PROFILING = ConfigKey.builder("enable.memory.profiling", ValueType.bool())
            .env("ENABLE_MEMORY_PROFILING")
            .defaultValue(true)
            .description("Profile allocations too, when profiling is on.")
            .build();

    public static final ConfigKey<URI> PROFILING_ENDPOINT = ConfigKey.builder("profiling.endpoint", ValueType.httpUrl())
            .env("PROFILING_ENDPOINT")
            .defaultValue(URI.create("http://localhost:4040"))
            .description("Pyroscope server (a path prefix such as /pyroscope is kept).")
            .build();

    public static final ConfigKey<String> HTTP_ADDRESS = ConfigKey.builder("http.address", ValueType.host())
            .env("HTTP_ADDRESS")
            .defaultValue("0.0.0.0")
            .description("Address the HTTP server listens on.")
            .build();

    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.builder("http.port", ValueType.port(true))
            .env("HTTP_PORT")
            .defaultValue(8080)
            .description("Port the HTTP server listens on; 0 picks a free one, logged at start and followed by the querier.")
            .build();

    public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = ConfigKey.builder("shutdown.timeout", ValueType.duration())
            .env("SHUTDOWN_TIMEOUT")
            .defaultValue(Duration.ofSeconds(10))
            .description("How long stopping may take in all; a service still stopping then is abandoned.")
            .build();

    /** Every key above, in the order help and {@code launcher config} list them. */
    public static final List<ConfigKey<?>> ALL = List.of(DEBUG, TOKEN, SERVICE_NAME,
            SERVICE_VERSION, DEPLOYMENT_ENVIRONMENT, EXPORTER, ENDPOINT,
            ENABLE_TRACES, ENABLE_METRICS, ENABLE_LOGS, ENABLE_PROFILING, ENABLE_MEMORY_PROFILING,
            PROFILING_ENDPOINT, HTTP_ADDRESS, HTTP_PORT, SHUTDOWN_TIMEOUT);

    private Keys() {}

    private static ConfigKey<Boolean> signal(String signal, String description) {
        String upper = signal.toUpperCase(java.util.Locale.ROOT);
        ConfigKey.Builder<Boolean> key = ConfigKey.builder("enable." + signal, ValueType.bool())
                .env("ENABLE_" + upper);
        if (!signal.equals("profiling")) {
            // OTEL_TRACES_EXPORTER=otlp turns traces on, as it does for the SDK; which exporters it
            // names, and whether they exist, is the OTLP plugin's to read and check.
            key.fallback("OTEL_" + upper + "_EXPORTER", ValueType.bool(), Keys::namesAnExporter);
        }
        return key.defaultValue(c -> c.get(DEBUG), "same as --debug")
                .description(description)
                .build();
    }

    /** "true" when an OTEL_*_EXPORTER list names an exporter; nothing (the default applies) for none. */
    private static Optional<String> namesAnExporter(String names) {
        boolean any = java.util.Arrays.stream(names.split(",")).map(String::trim)
                .anyMatch(name -> !name.isEmpty() && !name.equalsIgnoreCase("none"));
        return any ? Optional.of("true") : Optional.empty();
    }

    /**
     * What every part of the service's identity is read from last, in this order, and how
     * conflicts are handled: the resource attribute in {@code -Dotel.resource.attributes}, then in
     * {@code OTEL_RESOURCE_ATTRIBUTES} (a system property before its variable, as autoconfigure
     * reads them); two places with different values are a usage error.
     */
    private static <T> ConfigKey.Builder<T> identity(ConfigKey.Builder<T> key, ValueType<T> type, String attribute) {
        return key.property("otel.resource.attributes", type, KeyValueList.resourceAttribute(attribute))
                .fallback("OTEL_RESOURCE_ATTRIBUTES", type, KeyValueList.resourceAttribute(attribute))
                .conflictsAreErrors();
    }

    private static ValueType<String> serviceName() {
        return ValueType.text("<name>");
    }

    /**
     * Text that an HTTP header can carry: the token travels in every export request, and an HTTP
     * client refuses a header with other characters in a message that quotes the whole value, so
     * a token with, say, an accented letter or a pasted control character would be printed at
     * every export. Refused here instead, masked like every secret in an error.
     */
    private static ValueType<String> token() {
        ValueType<String> text = ValueType.text("<token>");
        return new ValueType<>() {
            @Override
            public Parsed<String> parse(String raw) {
                Parsed<String> parsed = text.parse(raw);
                if (parsed instanceof Parsed.Value<String> v && !v.value().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                    return Parsed.invalid("printable ASCII characters only, as an HTTP header carries them");
                }
                return parsed;
            }

            @Override
            public String label() {
                return text.label();
            }
        };
    }

    /** A value that Pyroscope's name syntax ({@code app{k=v,k=v}}) can carry as a label. */
    private static ValueType<String> labelValue() {
        return new ValueType<>() {
            @Override
            public Parsed<String> parse(String raw) {
                String v = raw.trim();
                return !v.isEmpty() && v.chars().noneMatch(c -> "{},= ".indexOf(c) >= 0)
                        ? Parsed.value(v)
                        : Parsed.invalid("a non-empty value without spaces, braces, commas or '='");
            }

            @Override
            public String label() {
                return "<label>";
            }
        };
    }

    /** The version of this build: core's module version, or its jar's, all modules share it. */
    private static String buildVersion() {
        Module module = Keys.class.getModule();
        return (module.isNamed() ? module.getDescriptor().rawVersion() : Optional.<String>empty())
                .or(() -> Optional.ofNullable(Keys.class.getPackage().getImplementationVersion()))
                .orElse("unknown");
    }

    /** The OpenTelemetry spelling of the exporter: grpc or http/protobuf. */
    private static ValueType<ExporterType> otelProtocol() {
        return new ValueType<>() {
            @Override
            public Parsed<ExporterType> parse(String raw) {
                return switch (raw.trim()) {
                    case "grpc" -> Parsed.value(ExporterType.GRPC);
                    case "http/protobuf" -> Parsed.value(ExporterType.HTTP);
                    default -> Parsed.invalid("grpc or http/protobuf (http/json is not supported)");
                };
            }

            @Override
            public String label() {
                return "<protocol>";
            }
        };
    }
}
