package dev.helloworld.otlp.sdk;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.runtimetelemetry.RuntimeTelemetry;

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
 */
public final class JvmMetrics implements AutoCloseable {

    private final RuntimeTelemetry telemetry;

    private JvmMetrics(RuntimeTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    public static JvmMetrics register(OpenTelemetry openTelemetry) {
        return new JvmMetrics(RuntimeTelemetry.create(openTelemetry));
    }

    /** Unregisters the callbacks; the last collection at the SDK's shutdown no longer reads them. */
    @Override
    public void close() {
        telemetry.close();
    }
}
