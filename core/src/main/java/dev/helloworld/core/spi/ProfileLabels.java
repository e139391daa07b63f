package dev.helloworld.core.spi;

/**
 * Labels on the profiler's samples, for the logical services a plugin runs inside this process:
 * one process has one profiler, so each logical service's work is told apart by a label that
 * Pyroscope queries by. The profiling plugin publishes one through {@link ServiceContext#publish}
 * (it starts before the servers and clients that look it up); without profiling there is none.
 */
public interface ProfileLabels {

    /** The label's name: the one Pyroscope's UI selects a service by, so a logical service appears as one. */
    String SERVICE_NAME = "service_name";

    /**
     * From now until the returned scope closes, this thread's samples (CPU, allocations, locks)
     * carry {@code service_name=<serviceName>}. Cheap: one label set per service, made once.
     */
    Labelled label(String serviceName);

    /** The label on one thread; closing it removes the label. */
    interface Labelled extends AutoCloseable {
        @Override
        void close();
    }
}
