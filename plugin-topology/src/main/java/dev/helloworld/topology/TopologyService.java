package dev.helloworld.topology;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ServiceIdentity;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import dev.helloworld.otlp.api.ServiceTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * With {@code --topology}: the {@link Shop}'s logical services, each named
 * {@code <service name>-<role>} ({@code helloworld-orders}) so that two deployments of helloworld
 * stay apart in one APM and a role's name says whose it is, with the version, environment and
 * token of the process's identity; and steady traffic into the frontend. Without the option it is
 * disabled and the seed's single service is all there is.
 */
public final class TopologyService implements Service {

    /** How long the request in flight may finish at stop, so that its spans end and are exported. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final List<LogicalService> services = new ArrayList<>();
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private Traffic traffic;
    private System.Logger log;

    @Override
    public String name() {
        return "topology";
    }

    /** Starts after the telemetry pipeline, whose SDKs it uses, and stops before it flushes them. */
    @Override
    public int priority() {
        return Priority.CLIENT;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return TopologyKeys.ALL;
    }

    @Override
    public Optional<String> disabledReason(Config config) {
        return config.get(TopologyKeys.TOPOLOGY) ? Optional.empty() : Optional.of("--topology off");
    }

    @Override
    public void start(ServiceContext context) throws Exception {
        log = context.logger();
        String baseName = ServiceIdentity.of(context.config()).name().value();
        Optional<ServiceTelemetry> telemetry = context.lookup(ServiceTelemetry.class);
        Map<String, URI> uris = new LinkedHashMap<>();
        MessageQueue queue = new MessageQueue();
        WorkHooks hooks = WorkHooks.of(context);
        try {
            for (String role : Shop.roles()) {
                LogicalService service = LogicalService.bind(role, serviceName(baseName, role),
                        openTelemetry(telemetry, baseName, role), hooks);
                services.add(service);
                uris.put(role, service.uri());
            }
            for (String role : Shop.consumers()) {
                QueueConsumer consumer = new QueueConsumer(role, serviceName(baseName, role), queue,
                        openTelemetry(telemetry, baseName, role), LogicalService.SCOPE, hooks);
                consumers.add(consumer);
                consumer.start();
            }
            services.forEach(service -> service.start(uris, queue));
        } catch (Exception e) {
            // The host stops only services that started: release what is bound.
            services.forEach(LogicalService::stop);
            for (QueueConsumer consumer : consumers) {
                consumer.stop(Duration.ZERO);
            }
            throw e;
        }
        traffic = new Traffic(uris.get(Shop.ENTRY), context.config().get(TopologyKeys.RATE));
        traffic.start();
        List<String> roles = new ArrayList<>(uris.keySet());
        roles.addAll(Shop.consumers());
        log.log(Level.INFO, "running {0} logical services named {1}-<role> ({2}){3}; {4} requests a second into {5}",
                roles.size(), baseName, String.join(", ", roles),
                telemetry.isPresent() ? "" : " without telemetry (no OTLP plugin)",
                context.config().get(TopologyKeys.RATE), uris.get(Shop.ENTRY));
    }

    @Override
    public void stop() throws InterruptedException {
        try {
            traffic.stop(STOP_GRACE);
            log.log(Level.INFO, traffic.summary());
        } finally {
            services.forEach(LogicalService::stop);
            // After the servers: every message sent gets its consumer span before the SDKs flush.
            for (QueueConsumer consumer : consumers) {
                consumer.stop(STOP_GRACE);
            }
        }
    }

    private static OpenTelemetry openTelemetry(Optional<ServiceTelemetry> telemetry, String baseName, String role) {
        return telemetry.map(t -> t.forService(serviceName(baseName, role))).orElse(OpenTelemetry.noop());
    }

    static String serviceName(String baseName, String role) {
        return baseName + "-" + role;
    }
}
