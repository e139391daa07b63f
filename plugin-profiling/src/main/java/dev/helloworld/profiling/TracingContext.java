package dev.helloworld.profiling;

/**
 * Tells the profiler which span the current thread works for, so that its samples carry the
 * span's id and name (the {@code spanId}/{@code spanName} fields of Pyroscope's JFR samples).
 */
interface TracingContext {

    /** From now on, samples of this thread belong to {@code spanId}; 0 and 0 for none. */
    void set(long spanId, long spanNameId);

    /** The id under which {@code spanName} goes into every profile's string table. */
    long register(String spanName);
}
