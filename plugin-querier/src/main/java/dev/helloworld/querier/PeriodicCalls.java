package dev.helloworld.querier;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One call per interval, one at a time, as the original does: the first after one interval, the
 * next an interval after the previous one ended.
 */
final class PeriodicCalls implements CallLoop {

    private final HelloWorldCaller caller;
    private final Duration interval;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(CallLoop.threads("periodic"));

    PeriodicCalls(HelloWorldCaller caller, Duration interval) {
        this.caller = caller;
        this.interval = interval;
    }

    @Override
    public void start() {
        long nanos = interval.toNanos();
        scheduler.scheduleWithFixedDelay(caller::call, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        // Cancels the next run: a periodic task does not outlive shutdown().
        scheduler.shutdown();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdownNow() {
        scheduler.shutdownNow();
    }
}
