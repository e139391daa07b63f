package dev.helloworld.profiling;

/**
 * The profiler that spans link to, while one runs.
 *
 * <p>Process-wide on purpose: the span processor is created by the OTLP plugin's SDK (through
 * {@link ProfileLinkCustomizer}, found by ServiceLoader) before this plugin starts, and the
 * profiler it must reach is itself one per process (a native singleton). Until the profiling
 * service sets it, the processor does nothing.
 */
final class ActiveProfiler {

    private static volatile TracingContext current;

    private ActiveProfiler() {}

    static TracingContext get() {
        return current;
    }

    static void use(TracingContext context) {
        current = context;
    }

    static void clear() {
        current = null;
    }
}
