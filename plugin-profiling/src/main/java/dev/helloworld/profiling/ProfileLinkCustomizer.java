package dev.helloworld.profiling;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.Map;

/**
 * This plugin's part of the OTLP plugin's SDK, when both profiling and traces are on: the
 * {@link ProfileLinkingSpanProcessor} in the tracer provider, and the
 * {@link ProfileLinkingContextStorage} around OpenTelemetry's context storage.
 *
 * <p>The OTLP plugin knows nothing of Pyroscope. It builds its SDK with OpenTelemetry's
 * autoconfiguration, which finds this provider with ServiceLoader, and passes every helloworld
 * setting as a property named {@code helloworld.<key>}: that is the whole contract.
 */
public final class ProfileLinkCustomizer implements AutoConfigurationCustomizerProvider {

    static final String PROFILING = "helloworld.enable.profiling";
    static final String TRACES = "helloworld.enable.traces";

    @Override
    public void customize(AutoConfigurationCustomizer autoConfiguration) {
        // The configuration is read first thing in the SDK's build, before any of its parts
        // exists; nothing in the process has used Context yet (the first user is the console
        // log line that the OTLP plugin writes once its SDK is built), so the wrapper still
        // takes. ProfilingService checks that it did.
        autoConfiguration.addPropertiesCustomizer(config -> {
            if (linked(config)) {
                ProfileLinkingContextStorage.install();
            }
            return Map.of();
        });
        autoConfiguration.addTracerProviderCustomizer((builder, config) -> linked(config)
                ? builder.addSpanProcessor(new ProfileLinkingSpanProcessor())
                : builder);
    }

    static boolean linked(ConfigProperties config) {
        return config.getBoolean(PROFILING, false) && config.getBoolean(TRACES, false);
    }
}
