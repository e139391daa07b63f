package dev.helloworld.otlp.sdk;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.runtimetelemetry.RuntimeTelemetry;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The JVM's runtime metrics of the semantic conventions (jvm.memory.used, jvm.gc.duration,
 * jvm.thread.count, jvm.cpu.recent_utilization, jvm.class.count, ...), which Java APM views expect
 * and the OpenTelemetry Java agent emits by default, from OpenTelemetry's runtime-telemetry
 * library.
 *
 * <p>Its stable set, read from the JVM's management beans when the metric reader collects:
 * nothing runs between two exports. The JFR-based collectors were not chosen: they stream a JFR
 * recording all the time (a thread and its buffers, for metrics read once a minute), need the
 * jdk.jfr module that the runtime image leaves out, and are reachable only through the library's
 * internal API. BENCHMARKS.md, figure 9 ("JVM metrics: JMX-based, by the figures"), has the costs
 * measured.
 *
 * <p>Registered on a thread of its own while the services after the OTLP plugin start: it loads
 * and initialises the JVM's management beans, 0.1 s of the start's main thread on 2 cores, which
 * the HTTP server waited for (BENCHMARKS.md, figure 1, "quiet machine"). The first collection is
 * a metric interval later, so no value is missed; only a garbage collection that ends before the
 * registration does is not in {@code jvm.gc.duration}, as one before the SDK was built never was.
 */
public final class JvmMetrics implements AutoCloseable {

    private final CompletableFuture<RuntimeTelemetry> registered;

    private JvmMetrics(CompletableFuture<RuntimeTelemetry> registered) {
        this.registered = registered;
    }

    /** Starts the registration; a failure is logged on {@code log}, as the SDK's own failures are. */
    public static JvmMetrics register(OpenTelemetry openTelemetry, System.Logger log) {
        CompletableFuture<RuntimeTelemetry> registered = new CompletableFuture<>();
        Thread registration = new Thread(() -> {
            try {
                registered.complete(RuntimeTelemetry.create(openTelemetry));
            } catch (RuntimeException | LinkageError e) {
                log.log(Level.WARNING, "running without the JVM's runtime metrics: {0}", e.toString());
                registered.completeExceptionally(e);
            }
        }, "otlp-jvm-metrics");
        // Never holds the JVM up: its callbacks run on the metric reader's thread once registered.
        registration.setDaemon(true);
        registration.start();
        return new JvmMetrics(registered);
    }

    /**
     * Unregisters the callbacks (after waiting for a registration still under way); the last
     * collection at the SDK's shutdown no longer reads them.
     */
    @Override
    public void close() {
        try {
            registered.join().close();
        } catch (CompletionException e) {
            // Never registered, and said so when it failed: nothing to unregister.
        }
    }
}
