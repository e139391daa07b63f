package dev.helloworld.core.spi;

/**
 * Labels on the profiler's samples, for the logical services a plugin runs inside this process:
 * one process has one profiler, so each logical service's work is told apart by a label that
 * Pyroscope queries by. The profiling plugin publishes one through {@link ServiceContext#publish}
 * (it starts before the servers and clients that look it up); without profiling there is none.
 */
public interface ProfileLabels {

    /**
     * The label's name. Not {@code service_name}: Pyroscope gives that one to every sample of the
     * upload (the application's name), and a sample's own label never overrides a label the
     * upload has (its distributor's {@code addSampleLabelsToLabelsBuilder}), so it would be dropped.
     */
    String LOGICAL_SERVICE = "logical_service";

    /**
     * From now until the returned scope closes, this thread's samples (CPU, allocations, locks)
     * carry {@code logical_service=<serviceName>}. Cheap: one label set per service, made once.
     */
    Labelled label(String serviceName);

    /** The label on one thread; closing it removes the label. */
    interface Labelled extends AutoCloseable {
        @Override
        void close();
    }
}
