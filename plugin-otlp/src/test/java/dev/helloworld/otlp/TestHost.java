package dev.helloworld.otlp;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.otlp.api.ServiceTelemetry;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.Map;

/**
 * A real {@link ServiceHost} running {@link OtlpService} and a probe service that starts after it
 * and looks up what it published, as the other plugins do.
 */
public final class TestHost implements AutoCloseable {

    private final ServiceHost host;
    private final Probe probe;

    private TestHost(ServiceHost host, Probe probe) {
        this.host = host;
        this.probe = probe;
    }

    /** Starts a host with {@code flags} (key name to raw value) over the defaults. */
    public static TestHost start(Map<String, String> flags) throws Exception {
        return start(flags, Map.of(), Map.of());
    }

    /**
     * The same, with these environment variables and system properties, as the launcher passes the
     * JVM's to core; a test that needs autoconfigure to see the properties sets them on the JVM too.
     */
    public static TestHost start(Map<String, String> flags, Map<String, String> env, Map<String, String> properties)
            throws Exception {
        Probe probe = new Probe();
        List<Plugin> plugins = List.of(new Plugin(new OtlpService(), "test", "test"), new Plugin(probe, "test", "test"));
        ServiceHost host = new ServiceHost(plugins, Config.resolve(Plugins.configKeys(plugins), flags, env, properties));
        host.start();
        return new TestHost(host, probe);
    }

    /**
     * plugin-otlp's configuration, {@code flags} (key name to raw value) over the defaults, as a
     * host gives it; for tests that build the SDK without starting a host.
     */
    public static Config config(Map<String, String> flags) throws ConfigException {
        return config(flags, Map.of());
    }

    /** As {@link #config(Map)}, with the environment variables {@code env}. */
    public static Config config(Map<String, String> flags, Map<String, String> env) throws ConfigException {
        return Config.resolve(Plugins.configKeys(List.of(new Plugin(new OtlpService(), "test", "test"))), flags, env);
    }

    /** What plugin-otlp published for later services. */
    public OpenTelemetry otel() {
        return probe.otel;
    }

    /** What plugin-otlp published for logical services. */
    public ServiceTelemetry serviceTelemetry() {
        return probe.serviceTelemetry;
    }

    public void stop() {
        host.stop();
    }

    @Override
    public void close() {
        host.stop();
    }

    private static final class Probe implements Service {
        private volatile OpenTelemetry otel;
        private volatile ServiceTelemetry serviceTelemetry;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public void start(ServiceContext context) {
            otel = context.lookup(OpenTelemetry.class).orElseThrow(
                    () -> new AssertionError("plugin-otlp published no OpenTelemetry"));
            serviceTelemetry = context.lookup(ServiceTelemetry.class).orElseThrow(
                    () -> new AssertionError("plugin-otlp published no ServiceTelemetry"));
        }

        @Override
        public void stop() {
            // nothing held
        }
    }
}
