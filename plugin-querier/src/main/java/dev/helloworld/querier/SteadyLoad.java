package dev.helloworld.querier;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Steady reference traffic: a pacer thread releases one call every {@code 1/rate} seconds to a
 * pool of {@code concurrency} callers. A call due while all of them are busy is skipped and
 * counted rather than queued, so that a slow target never faces a growing backlog, only the
 * configured concurrency. Reports the achieved rate and the outcomes every report interval and
 * on stop.
 */
final class SteadyLoad implements CallLoop {

    private final HelloWorldCaller caller;
    private final double rate;
    private final int concurrency;
    private final Duration reportEvery;
    private final Outcomes outcomes;
    private final System.Logger log;
    private final Semaphore free;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(CallLoop.threads("pacer"));
    private final ExecutorService callers;
    private final Object reportLock = new Object();
    // Guarded by reportLock: the pacer reports periodically, the stopping thread at the end.
    private Outcomes.Snapshot total = Outcomes.Snapshot.EMPTY;
    private long startNanos;
    private long lastReportNanos;
    private boolean reported;
    private volatile boolean forced;

    SteadyLoad(HelloWorldCaller caller, double rate, int concurrency, Duration reportEvery, Outcomes outcomes,
            System.Logger log) {
        this.caller = caller;
        this.rate = rate;
        this.concurrency = concurrency;
        this.reportEvery = reportEvery;
        this.outcomes = outcomes;
        this.log = log;
        this.free = new Semaphore(concurrency);
        this.callers = Executors.newFixedThreadPool(concurrency, CallLoop.threads("call"));
    }

    @Override
    public void start() {
        synchronized (reportLock) {
            startNanos = System.nanoTime();
            lastReportNanos = startNanos;
        }
        long period = Math.max(1, Math.round(1e9 / rate));
        pacer.scheduleAtFixedRate(this::release, period, period, TimeUnit.NANOSECONDS);
        long report = reportEvery.toNanos();
        pacer.scheduleAtFixedRate(this::report, report, report, TimeUnit.NANOSECONDS);
    }

    private void release() {
        if (!free.tryAcquire()) {
            outcomes.skipped();
            return;
        }
        try {
            callers.execute(() -> {
                try {
                    caller.call();
                } finally {
                    free.release();
                }
            });
        } catch (RejectedExecutionException stopping) {
            free.release();
        }
    }

    /** Logs the last period's outcomes. */
    private void report() {
        synchronized (reportLock) {
            long now = System.nanoTime();
            Outcomes.Snapshot period = outcomes.drain();
            total = total.plus(period);
            log.log(Level.INFO, "last " + period.describe(Duration.ofNanos(now - lastReportNanos), rate));
            lastReportNanos = now;
        }
    }

    @Override
    public void shutdown() {
        pacer.shutdown();
        callers.shutdown();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean done = pacer.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)
                && callers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        // After shutdownNow, the calls it cancelled count in the total once they have ended.
        if (done || forced) {
            reportTotal();
        }
        return done;
    }

    @Override
    public void shutdownNow() {
        forced = true;
        pacer.shutdownNow();
        callers.shutdownNow();
    }

    private void reportTotal() {
        synchronized (reportLock) {
            if (reported) {
                return;
            }
            reported = true;
            total = total.plus(outcomes.drain());
            Duration ran = Duration.ofNanos(System.nanoTime() - startNanos);
            log.log(Level.INFO, "in total " + total.describe(ran, rate) + ", up to " + concurrency + " in flight");
        }
    }
}
