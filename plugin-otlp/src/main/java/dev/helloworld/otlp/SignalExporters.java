package dev.helloworld.otlp;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ExporterType;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Origin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where each signal goes, resolved once from helloworld's options and the standard variables, and
 * read by everything that builds, describes, checks or summarises the export. Per signal:
 * <ol>
 *   <li>{@code OTEL_SDK_DISABLED=true}: off, whatever else is set;</li>
 *   <li>on or off: {@code --[no-]enable-<signal>} or {@code ENABLE_<SIGNAL>}, else an
 *       {@code OTEL_<SIGNAL>_EXPORTER} that names an exporter (on), else {@code --debug};</li>
 *   <li>where to: {@code --<signal>-exporter}; else an explicit {@code --exporter} or
 *       {@code OTLP_EXPORTER_TYPE}, for every signal (helloworld's own settings win over OTEL_*);
 *       else {@code OTEL_<SIGNAL>_EXPORTER}; else {@code --exporter}'s default, OTLP by
 *       {@code OTEL_EXPORTER_OTLP_PROTOCOL} or gRPC.</li>
 * </ol>
 *
 * @param sdkDisabled  {@code OTEL_SDK_DISABLED=true}
 * @param protocol     the OTLP protocol of the signals that go over OTLP: GRPC or HTTP
 * @param destinations per signal that is on, where it goes ({@link Destination#NONE}: kept in
 *                     process); a signal that is off is absent
 * @param sources      per signal that is on, the setting that chose where it goes: its own
 *                     ({@code OTEL_TRACES_EXPORTER}, {@code --traces-exporter}) or {@code --exporter}
 */
public record SignalExporters(boolean sdkDisabled, ExporterType protocol, Map<String, List<Destination>> destinations,
        Map<String, String> sources) {

    public static final List<String> SIGNALS = List.of("traces", "metrics", "logs");

    public static SignalExporters of(Config config) {
        boolean disabled = config.get(OtlpKeys.SDK_DISABLED);
        ExporterType exporter = config.get(Keys.EXPORTER);
        boolean exporterGiven = OtlpKeys.explicit(config, Keys.EXPORTER);
        Map<String, List<Destination>> destinations = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (String signal : SIGNALS) {
            if (disabled || !config.get(switchOf(signal))) {
                continue;
            }
            ConfigKey<List<Destination>> own = variableOf(signal);
            Origin.Kind kind = config.origin(own).kind();
            if (kind == Origin.Kind.FLAG || kind == Origin.Kind.ENV && !exporterGiven) {
                destinations.put(signal, config.get(own));
                sources.put(signal, config.origin(own).where());
            } else {
                destinations.put(signal, List.of(of(exporter)));
                sources.put(signal, Keys.EXPORTER.flag());
            }
        }
        ExporterType protocol = exporter == ExporterType.HTTP ? ExporterType.HTTP : ExporterType.GRPC;
        return new SignalExporters(disabled, protocol, Map.copyOf(destinations), Map.copyOf(sources));
    }

    /** Whether the signal is recorded: on, and the SDK not disabled. */
    public boolean on(String signal) {
        return destinations.containsKey(signal);
    }

    /** Whether the signal goes to {@code destination}. */
    public boolean to(String signal, Destination destination) {
        return destinations.getOrDefault(signal, List.of()).contains(destination);
    }

    /** Whether any signal goes to {@code destination}. */
    public boolean anyTo(Destination destination) {
        return SIGNALS.stream().anyMatch(signal -> to(signal, destination));
    }

    /** Whether the signal leaves the process through an exporter that autoconfigure builds (OTLP or console). */
    public boolean exported(String signal) {
        return to(signal, Destination.OTLP) || to(signal, Destination.CONSOLE);
    }

    /**
     * The signal's exporters as autoconfigure's {@code otel.<signal>.exporter} names them. Prometheus
     * is not among them: its reader is registered by {@code TelemetrySdk}, which also works on the
     * module path, where autoconfigure cannot find it.
     */
    public String sdkNames(String signal) {
        String names = destinations.getOrDefault(signal, List.of()).stream()
                .filter(d -> d == Destination.OTLP || d == Destination.CONSOLE)
                .map(d -> d == Destination.OTLP ? "otlp" : "console")
                .collect(Collectors.joining(","));
        return names.isEmpty() ? "none" : names;
    }

    /** The signals that go to {@code destination}, in the usual order. */
    public List<String> signalsTo(Destination destination) {
        return SIGNALS.stream().filter(signal -> to(signal, destination)).toList();
    }

    /** The signals that are off, in the usual order. */
    public List<String> off() {
        return SIGNALS.stream().filter(signal -> !on(signal)).toList();
    }

    /** How the protocol is named after "OTLP/": grpc or http. */
    public String protocolName() {
        return protocol.name().toLowerCase(Locale.ROOT);
    }

    private static Destination of(ExporterType exporter) {
        return switch (exporter) {
            case GRPC, HTTP -> Destination.OTLP;
            case CONSOLE -> Destination.CONSOLE;
            case NONE -> Destination.NONE;
        };
    }

    public static ConfigKey<Boolean> switchOf(String signal) {
        return switch (signal) {
            case "traces" -> Keys.ENABLE_TRACES;
            case "metrics" -> Keys.ENABLE_METRICS;
            default -> Keys.ENABLE_LOGS;
        };
    }

    private static ConfigKey<List<Destination>> variableOf(String signal) {
        return switch (signal) {
            case "traces" -> OtlpKeys.TRACES_EXPORTER;
            case "metrics" -> OtlpKeys.METRICS_EXPORTER;
            default -> OtlpKeys.LOGS_EXPORTER;
        };
    }
}
