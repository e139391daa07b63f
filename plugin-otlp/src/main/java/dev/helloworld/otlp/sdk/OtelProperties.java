package dev.helloworld.otlp.sdk;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ExporterType;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Origin;
import dev.helloworld.core.config.ServiceIdentity;
import dev.helloworld.otlp.Destination;
import dev.helloworld.otlp.OtlpKeys;
import dev.helloworld.otlp.SdkVariables;
import dev.helloworld.otlp.SignalExporters;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Translates helloworld's configuration into autoconfigure properties.
 *
 * <p>The rule: a setting given explicitly to helloworld (its flag, or its own variable such as
 * {@code OTLP_ENDPOINT}) wins over the standard OTEL_* variables, including the per-signal ones;
 * a helloworld default only fills what OTEL_* leaves open. Every OTEL_* variable that helloworld
 * has no setting for (compression, timeout, OTEL_BSP_*, sampler, ...) keeps its standard meaning.
 *
 * <p>It also passes every non-secret helloworld key as {@code helloworld.<key>}: the contract
 * through which other plugins' {@code AutoConfigurationCustomizerProvider}s read our configuration.
 */
public final class OtelProperties {

    public static final List<String> SIGNALS = List.of("traces", "metrics", "logs");
    static final String TOKEN_HEADER = ServiceIdentity.TOKEN_HEADER;
    static final String PREFIX = "helloworld.";
    /** How often metrics are printed on the console unless OTEL_METRIC_EXPORT_INTERVAL says otherwise. */
    static final Duration CONSOLE_METRIC_INTERVAL = Duration.ofSeconds(5);

    private final Config config;
    private final SignalExporters exporters;

    public OtelProperties(Config config) {
        this.config = config;
        this.exporters = SignalExporters.of(config);
    }

    /**
     * Defaults that OTEL_* variables and {@code -Dotel.*} system properties may still override.
     *
     * <p>Batch queues of 8192 items and batches of 1024: a request makes 4 spans and 2 or 3 log
     * records, so the SDK's 2048 hold a quarter of a second at 2 000 req/s, and any pause of the
     * exporter thread (a busy 2-core machine, a garbage collection, the first second's cold code)
     * dropped spans: 9 804 in 20 s with 2048, 302 in the first second with 4096, none with 8192 or
     * more (bench/delivery). Larger batches need fewer export round trips. Not larger queues: past
     * the exporter's pace a queue stays full, every item in it is live data that each young
     * collection copies, and at full load 16384 cost a third of the throughput (BENCHMARKS.md).
     *
     * <p>On the console, metrics every {@link #CONSOLE_METRIC_INTERVAL} rather than the SDK's 60 s:
     * someone watching the quick start should see metrics before they give up waiting.
     *
     * <p>The export data's memory mode is chosen per signal in {@link TelemetrySdk}.
     */
    public Map<String, String> defaults() {
        Map<String, String> p = new LinkedHashMap<>(Map.of("otel.metrics.exemplar.filter", "trace_based",
                "otel.bsp.max.queue.size", "8192",
                "otel.bsp.max.export.batch.size", "1024",
                "otel.blrp.max.queue.size", "8192",
                "otel.blrp.max.export.batch.size", "1024"));
        if (exporters.to("metrics", Destination.CONSOLE) || config.get(Keys.EXPORTER) == ExporterType.CONSOLE) {
            p.put("otel.metric.export.interval", Long.toString(CONSOLE_METRIC_INTERVAL.toMillis()));
        }
        return p;
    }

    /** What helloworld decides, given what autoconfigure read from OTEL_* and system properties. */
    public Map<String, String> overrides(ConfigProperties otel) {
        Map<String, String> p = new LinkedHashMap<>(contract());
        p.putAll(SdkVariables.properties(config));
        // As OTEL_SDK_DISABLED reads in our syntax (yes, 1, on): the SDK itself takes only "true".
        p.put("otel.sdk.disabled", Boolean.toString(exporters.sdkDisabled()));
        for (String signal : SIGNALS) {
            p.put("otel." + signal + ".exporter", exporters.sdkNames(signal));
        }
        if (config.origin(OtlpKeys.PROPAGATORS).kind() != Origin.Kind.DEFAULT) {
            p.put("otel.propagators", OtlpKeys.PROPAGATORS.type().format(config.get(OtlpKeys.PROPAGATORS)));
        }
        // Core refused any other value given for it, here or in OTEL_* and -Dotel.*: ours is the one.
        p.put("otel.service.name", ServiceIdentity.of(config).name().value());
        // Whenever --exporter is an OTLP one (the default), so that a signal's OTEL_*_EXPORTER=otlp finds them.
        ExporterType exporter = config.get(Keys.EXPORTER);
        if (exporter == ExporterType.GRPC || exporter == ExporterType.HTTP) {
            p.putAll(otlp(otel, exporter));
        }
        return p;
    }

    /**
     * The limit of new traces per second to sample at, if helloworld's sampler is the one to use:
     * traces are on and the limit is not 0, and either OTEL_TRACES_SAMPLER names no sampler or the
     * limit was given explicitly (helloworld's own settings win over OTEL_*).
     */
    OptionalInt traceRateLimit(ConfigProperties otel) {
        int limit = config.has(OtlpKeys.TRACE_RATE_LIMIT) ? config.get(OtlpKeys.TRACE_RATE_LIMIT) : 0;
        boolean otelChose = otel.getString("otel.traces.sampler") != null;
        if (!config.get(Keys.ENABLE_TRACES) || limit == 0 || otelChose && !explicit(OtlpKeys.TRACE_RATE_LIMIT)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(limit);
    }

    /** {@code helloworld.<key>} for every key that may be printed; the token never leaves. */
    Map<String, String> contract() {
        Map<String, String> p = new LinkedHashMap<>();
        for (ConfigKey<?> key : config.keys()) {
            if (!key.secret()) {
                p.put(PREFIX + key.name(), format(key));
            }
        }
        return p;
    }

    private Map<String, String> otlp(ConfigProperties otel, ExporterType exporter) {
        Map<String, String> p = new LinkedHashMap<>();
        String protocol = exporter == ExporterType.HTTP ? "http/protobuf" : "grpc";
        p.put("otel.exporter.otlp.protocol", protocol);
        URI given = config.get(Keys.ENDPOINT);
        URI endpoint = UrlCredentials.without(given);
        p.put("otel.exporter.otlp.endpoint", endpoint.toString());
        p.put("otel.exporter.otlp.headers",
                withToken(UrlCredentials.withBasicAuth(otel.getMap("otel.exporter.otlp.headers"), given)));
        for (String signal : SIGNALS) {
            String prefix = "otel.exporter.otlp." + signal + ".";
            if (explicit(Keys.EXPORTER)) {
                p.put(prefix + "protocol", protocol);
            }
            if (explicit(Keys.ENDPOINT)) {
                p.put(prefix + "endpoint", signalEndpoint(endpoint, exporter, signal));
            }
            Map<String, String> signalHeaders = otel.getMap(prefix + "headers");
            if (!signalHeaders.isEmpty()) {
                // Per-signal headers replace the general ones in autoconfigure: the token goes in here too.
                p.put(prefix + "headers", withToken(UrlCredentials.withBasicAuth(signalHeaders, given)));
            }
        }
        if (config.has(OtlpKeys.CERTIFICATE) && explicit(OtlpKeys.CERTIFICATE)) {
            String pem = config.get(OtlpKeys.CERTIFICATE).map(Path::toString).orElseThrow();
            p.put("otel.exporter.otlp.certificate", pem);
            SIGNALS.forEach(signal -> p.put("otel.exporter.otlp." + signal + ".certificate", pem));
        }
        return p;
    }

    /** As autoconfigure derives it from a general endpoint, so that both spellings mean the same. */
    public static String signalEndpoint(URI endpoint, ExporterType exporter, String signal) {
        String base = UrlCredentials.without(endpoint).toString();
        if (exporter != ExporterType.HTTP) {
            return base;
        }
        return (base.endsWith("/") ? base : base + "/") + "v1/" + signal;
    }

    /**
     * The headers in OTEL_EXPORTER_OTLP_HEADERS syntax (values URL-encoded), with the resolved
     * token in place of any x-bk-token they had: core read the token from these headers too and
     * refused a different one, so this only ever replaces a spelling of the same value.
     */
    private String withToken(Map<String, String> headers) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.keySet().removeIf(k -> k.equalsIgnoreCase(TOKEN_HEADER));
        merged.put(TOKEN_HEADER, URLEncoder.encode(ServiceIdentity.of(config).token().value(), StandardCharsets.UTF_8));
        return merged.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }


    /** Where each signal goes. */
    public SignalExporters exporters() {
        return exporters;
    }

    /** Given on the command line or in the key's own variable, not a default or an OTEL_* fallback. */
    private boolean explicit(ConfigKey<?> key) {
        return OtlpKeys.explicit(config, key);
    }

    private <T> String format(ConfigKey<T> key) {
        return key.type().format(config.get(key));
    }
}
