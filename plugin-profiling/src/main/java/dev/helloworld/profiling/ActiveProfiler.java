package dev.helloworld.profiling;

/**
 * The profiler that spans link to, while one runs.
 *
 * <p>Process-wide on purpose: the span processor and the context storage wrapper are created by
 * the OTLP plugin's SDK (through {@link ProfileLinkCustomizer}, found by ServiceLoader) before this
 * plugin starts, the context storage is itself one per process, and so is the profiler they must
 * reach (a native singleton). Until the profiling service sets it, both do nothing but read this
 * field: the HTTP server answers while async-profiler still loads, and nothing of the profiler's
 * library may be called before it has (the requests of that moment are not profiled).
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
