package dev.helloworld.otlp;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Origin;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The configuration keys that only this plugin reads. */
public final class OtlpKeys {

    public static final ConfigKey<Optional<Path>> CERTIFICATE = ConfigKey.builder("otlp.certificate", readableFile())
            .flag("--otlp-certificate")
            .env("OTLP_CERTIFICATE")
            // Read by the SDK itself; here so that a file that is not PEM is a usage error naming it.
            .fallback("OTEL_EXPORTER_OTLP_CERTIFICATE", readableFile())
            .defaultValue(Optional.empty())
            .description("PEM file of the CA that signed an https:// collector's certificate "
                    + "(OTEL_EXPORTER_OTLP_CERTIFICATE works too).")
            .build();

    /**
     * 2 500: a quarter more than the 2 000 requests a second that the service delivers every span
     * and log record of on 2 cores (bench/delivery), so that a steady load up to there is traced
     * whole and only an overload is cut.
     */
    public static final ConfigKey<Integer> TRACE_RATE_LIMIT = ConfigKey.builder("trace.rate.limit",
                    ValueType.integer("<traces/s>", 0, 1_000_000))
            .env("TRACE_RATE_LIMIT")
            .defaultValue(2500)
            .description("Most new traces recorded per second, whole; requests over it are served and counted "
                    + "in metrics, but their spans and log records are not recorded. 0: every trace. "
                    + "OTEL_TRACES_SAMPLER, when set, replaces it unless this is given too.")
            .build();

    /** The propagator names autoconfigure knows, with the extension propagators on the path. */
    static final List<String> PROPAGATOR_NAMES = List.of("tracecontext", "baggage", "b3", "b3multi", "jaeger", "ottrace");
    static final List<String> DEFAULT_PROPAGATORS = List.of("tracecontext", "baggage");

    /**
     * OTEL_PROPAGATORS as the specification defines it, checked here so that a name the SDK has
     * no propagator for is a usage error, not a failure to start. {@code b3}, {@code b3multi},
     * {@code jaeger} and {@code ottrace} come from opentelemetry-extension-trace-propagators.
     */
    public static final ConfigKey<List<String>> PROPAGATORS = ConfigKey.builder("propagators", propagatorList())
            .env("OTEL_PROPAGATORS")
            .defaultValue(DEFAULT_PROPAGATORS)
            .description("Context propagation formats read from requests and sent with calls, comma-separated: "
                    + String.join(", ", PROPAGATOR_NAMES) + "; or none.")
            .build();

    /**
     * The standard per-signal exporter variables, and an option for each. An explicit
     * {@code --exporter} (or OTLP_EXPORTER_TYPE) wins over the variables, as helloworld's own
     * settings win over OTEL_* everywhere, but not over the options; see {@link SignalExporters}.
     */
    public static final ConfigKey<List<Destination>> TRACES_EXPORTER = exporterVariable("traces", false);
    public static final ConfigKey<List<Destination>> METRICS_EXPORTER = exporterVariable("metrics", true);
    public static final ConfigKey<List<Destination>> LOGS_EXPORTER = exporterVariable("logs", false);

    /** The specification's switch for the whole SDK: with it, nothing is recorded or exported. */
    public static final ConfigKey<Boolean> SDK_DISABLED = ConfigKey.builder("sdk.disabled", ValueType.bool())
            .env("OTEL_SDK_DISABLED")
            .defaultValue(false)
            .description("true: the OpenTelemetry SDK is off; no trace, metric or log record is recorded or exported.")
            .build();

    /**
     * Off by default, as the OpenTelemetry specification exports log records whatever the sampling
     * of their trace; on, the records of a trace that is not recorded go with it (the
     * specification's trace-based logger config), so that every exported record's trace exists.
     */
    public static final ConfigKey<Boolean> LOGS_TRACE_BASED = ConfigKey.builder("logs.trace.based", ValueType.bool())
            .env("LOGS_TRACE_BASED")
            .defaultValue(false)
            .description("Drop the log records written inside a trace that is not recorded (sampled out, over "
                    + "--trace-rate-limit). Off: every record is exported, those of such traces without trace ids.")
            .build();

    /**
     * The Java agent's switch for its java.util.logging bridge, with its name and default: the log
     * records carry {@code thread.name} and {@code thread.id}, which the semantic conventions call
     * experimental, only when asked for (issue 34: what is experimental follows the agent's opt-in).
     */
    public static final ConfigKey<Boolean> JUL_EXPERIMENTAL_LOG_ATTRIBUTES = ConfigKey.builder(
                    "java.util.logging.experimental.log.attributes", ValueType.bool())
            .env("OTEL_INSTRUMENTATION_JAVA_UTIL_LOGGING_EXPERIMENTAL_LOG_ATTRIBUTES")
            .property("otel.instrumentation.java-util-logging.experimental-log-attributes", ValueType.bool(), Optional::of)
            .defaultValue(false)
            .description("Also put thread.name and thread.id, which the semantic conventions call experimental, on "
                    + "every log record, as the OpenTelemetry Java agent's java.util.logging bridge does with the same setting.")
            .build();

    /** Where the Prometheus endpoint listens, with OTEL_METRICS_EXPORTER=prometheus; the SDK's names and defaults. */
    public static final ConfigKey<String> PROMETHEUS_HOST = ConfigKey.builder("prometheus.host", ValueType.host())
            .env("OTEL_EXPORTER_PROMETHEUS_HOST")
            .defaultValue("0.0.0.0")
            .description("Address the Prometheus endpoint (/metrics) listens on, with OTEL_METRICS_EXPORTER=prometheus.")
            .build();
    public static final ConfigKey<Integer> PROMETHEUS_PORT = ConfigKey.builder("prometheus.port", ValueType.port(false))
            .env("OTEL_EXPORTER_PROMETHEUS_PORT")
            .defaultValue(9464)
            .description("Port of the Prometheus endpoint (/metrics), with OTEL_METRICS_EXPORTER=prometheus.")
            .build();

    static final ConfigKey<Boolean> JVM_METRICS = ConfigKey.builder("jvm.metrics", ValueType.bool())
            .env("JVM_METRICS")
            .defaultValue(true)
            .description("With metrics on, also export the JVM's runtime metrics (jvm.memory.*, jvm.gc.duration, "
                    + "jvm.thread.count, jvm.cpu.*, jvm.class.*), as the OpenTelemetry Java agent does.")
            .build();


    /**
     * {@code auto}: an eighth of the maximum heap, at most 32 MiB; 8 MiB with the runtime image's
     * -Xmx64m. It seldom fills: the backlog guard stops recording new traces once the spans or
     * log records waiting, buffered ones included, pass half a batch queue (BENCHMARKS.md measures
     * its heap at the bound).
     */
    public static final ConfigKey<Optional<Long>> RETRY_BUFFER = ConfigKey.builder("retry.buffer",
                    ByteSize.orAuto(1L << 30))
            .flag("--retry-buffer")
            .env("RETRY_BUFFER")
            .defaultValue(Optional.empty())
            .description("Heap kept for spans and log records that the collector could not take (away, refusing "
                    + "with 429/502/503/504, too slow), re-sent oldest first once it answers; past it the oldest "
                    + "batches are discarded and counted. auto: an eighth of the max heap, at most 32MiB. 0: none.")
            .build();

    public static final List<ConfigKey<?>> ALL = List.of(CERTIFICATE, TRACE_RATE_LIMIT, RETRY_BUFFER, PROPAGATORS, JVM_METRICS,
            TRACES_EXPORTER, METRICS_EXPORTER, LOGS_EXPORTER, SDK_DISABLED,
            LOGS_TRACE_BASED, JUL_EXPERIMENTAL_LOG_ATTRIBUTES, PROMETHEUS_HOST, PROMETHEUS_PORT);

    /** The bytes {@link #RETRY_BUFFER} stands for, with {@code auto} resolved against the max heap. */
    public static long retryBufferBytes(Optional<Long> configured) {
        return configured.orElseGet(() -> Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 8));
    }

    /** Given on the command line or in the key's own variable, not a default or an OTEL_* fallback. */
    public static boolean explicit(Config config, ConfigKey<?> key) {
        Origin origin = config.origin(key);
        return origin.kind() == Origin.Kind.FLAG
                || origin.kind() == Origin.Kind.ENV && key.env().map(origin.where()::equals).orElse(false);
    }

    private OtlpKeys() {}

    private static ValueType<List<String>> propagatorList() {
        String expected = "a comma-separated list of " + String.join(", ", PROPAGATOR_NAMES) + ", or none alone";
        return new ValueType<>() {
            @Override
            public Parsed<List<String>> parse(String raw) {
                List<String> names = Arrays.stream(raw.split(",")).map(n -> n.trim().toLowerCase(Locale.ROOT))
                        .filter(n -> !n.isEmpty()).distinct().toList();
                if (names.isEmpty()) {
                    return Parsed.value(DEFAULT_PROPAGATORS); // the specification: empty means the default
                }
                if (names.equals(List.of("none")) || PROPAGATOR_NAMES.containsAll(names)) {
                    return Parsed.value(names);
                }
                return Parsed.invalid(expected);
            }

            @Override
            public String label() {
                return "<names>";
            }

            @Override
            public String format(List<String> value) {
                return String.join(",", value);
            }
        };
    }

    private static ConfigKey<List<Destination>> exporterVariable(String signal, boolean prometheus) {
        String variable = "OTEL_" + signal.toUpperCase(Locale.ROOT) + "_EXPORTER";
        return ConfigKey.builder(signal + ".exporter", destinations(prometheus))
                .env(variable)
                .defaultValue(List.of())
                .description("Where " + signal + " go: otlp (by --exporter's protocol), console (or logging)"
                        + (prometheus ? ", prometheus (served at OTEL_EXPORTER_PROMETHEUS_HOST:PORT/metrics)" : "")
                        + ", comma-separated; none: kept in process. Naming one turns " + signal + " on. The variable "
                        + "yields to an explicit --exporter, the option does not.")
                .build();
    }

    /** An OTEL_*_EXPORTER list: the names the SDK's specification gives, those this project supports. */
    private static ValueType<List<Destination>> destinations(boolean prometheus) {
        String expected = "otlp, console, logging" + (prometheus ? ", prometheus" : "") + " (comma-separated), or none alone";
        return new ValueType<>() {
            @Override
            public Parsed<List<Destination>> parse(String raw) {
                List<String> names = Arrays.stream(raw.split(",")).map(n -> n.trim().toLowerCase(Locale.ROOT))
                        .filter(n -> !n.isEmpty()).distinct().toList();
                if (names.equals(List.of("none"))) {
                    return Parsed.value(List.of(Destination.NONE));
                }
                List<Destination> to = new java.util.ArrayList<>();
                for (String name : names) {
                    Optional<Destination> d = switch (name) {
                        case "otlp" -> Optional.of(Destination.OTLP);
                        case "console", "logging" -> Optional.of(Destination.CONSOLE);
                        case "prometheus" -> prometheus ? Optional.of(Destination.PROMETHEUS) : Optional.empty();
                        default -> Optional.empty();
                    };
                    if (d.isEmpty()) {
                        return Parsed.invalid(expected);
                    }
                    if (!to.contains(d.get())) {
                        to.add(d.get());
                    }
                }
                return to.isEmpty() ? Parsed.invalid(expected) : Parsed.value(List.copyOf(to));
            }

            @Override
            public String label() {
                return "<exporters>";
            }

            @Override
            public String format(List<Destination> value) {
                return value.stream().map(d -> d.name().toLowerCase(Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(","));
            }
        };
    }

    /**
     * Whether the file holds a PEM certificate, as the SDK's TLS setup will want: read at most
     * 1 MiB, since a CA bundle is a few hundred KiB and /dev/zero-like files must not hang the start.
     */
    private static boolean isPem(Path path) {
        try (java.io.InputStream in = Files.newInputStream(path)) {
            String text = new String(in.readNBytes(1 << 20), java.nio.charset.StandardCharsets.US_ASCII);
            return text.contains("-----BEGIN CERTIFICATE-----");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static ValueType<Optional<Path>> readableFile() {
        return new ValueType<>() {
            @Override
            public Parsed<Optional<Path>> parse(String raw) {
                try {
                    Path path = Path.of(raw.trim());
                    if (!raw.isBlank() && Files.isRegularFile(path) && Files.isReadable(path)) {
                        return isPem(path) ? Parsed.value(Optional.of(path))
                                : Parsed.invalid("a PEM file of CA certificates (-----BEGIN CERTIFICATE-----); "
                                        + "this file is not PEM");
                    }
                } catch (InvalidPathException e) {
                    // reported below, with what is allowed
                }
                return Parsed.invalid("the path of a readable PEM file");
            }

            @Override
            public String label() {
                return "<file>";
            }

            @Override
            public String format(Optional<Path> value) {
                return value.map(Path::toString).orElse("");
            }
        };
    }
}
