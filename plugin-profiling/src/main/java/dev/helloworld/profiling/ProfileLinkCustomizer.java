package dev.helloworld.profiling;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * This plugin's part of the OTLP plugin's tracer provider: the {@link ProfileLinkingSpanProcessor},
 * when both profiling and traces are on.
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
        autoConfiguration.addTracerProviderCustomizer((builder, config) -> linked(config)
                ? builder.addSpanProcessor(new ProfileLinkingSpanProcessor())
                : builder);
    }

    static boolean linked(ConfigProperties config) {
        return config.getBoolean(PROFILING, false) && config.getBoolean(TRACES, false);
    }
}
