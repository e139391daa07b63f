package bench.onespan;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.common.internal.ScopeConfiguratorBuilder;
import io.opentelemetry.sdk.trace.internal.SdkTracerProviderUtil;
import io.opentelemetry.sdk.trace.internal.TracerConfig;

/**
 * Bench only, never shipped: the service with the OpenTelemetry Java agent's shape of a trace, one
 * server span a request, for bench/agent-compare's project-1span case (issue 34). The SDK's tracer
 * configurator disables the handler's tracer ("dev.helloworld.http"): handle/hello_world, its two
 * children, their events and the error demo's exception are not recorded, while the server span
 * ("dev.helloworld.http.undertow"), the log records (now inside the server span), the metrics and
 * the console lines are as they are. Found by autoconfigure's ServiceLoader: the jar only has to be
 * on the module path beside the dist's lib/.
 */
public final class OneSpanPerRequest implements AutoConfigurationCustomizerProvider {
    @Override
    public void customize(AutoConfigurationCustomizer autoConfiguration) {
        autoConfiguration.addTracerProviderCustomizer((tracers, config) -> {
            SdkTracerProviderUtil.setTracerConfigurator(tracers, TracerConfig.configuratorBuilder()
                    .addCondition(ScopeConfiguratorBuilder.nameEquals("dev.helloworld.http"), TracerConfig.disabled())
                    .build());
            return tracers;
        });
    }
}
