package dev.helloworld.topology;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady requests into the frontend, as users would send them: uninstrumented, so that the
 * frontend's server span is each trace's root. One at a time with a fixed delay between them, so
 * that the rate is at most the configured one and a slow shop never faces a backlog.
 */
final class Traffic {

    private final URI entry;
    private final Duration every;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "topology-traffic");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder answered = new LongAdder();
    private final LongAdder failed = new LongAdder();

    Traffic(URI entry, double perSecond) {
        this.entry = entry;
        this.every = Duration.ofNanos(Math.round(1e9 / perSecond));
    }

    void start() {
        thread.scheduleWithFixedDelay(this::request, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** No request starts after this; the one in flight, if any, gets {@code grace} to end. */
    void stop(Duration grace) throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            thread.shutdownNow();
        }
    }

    /** {@code N requests: N answered 200, N failed}, for the stop line. */
    String summary() {
        return (answered.sum() + failed.sum()) + " requests into the frontend: " + answered.sum() + " answered 200, "
                + failed.sum() + " failed";
    }

    private void request() {
        try {
            HttpURLConnection connection = (HttpURLConnection) entry.toURL().openConnection();
            connection.setConnectTimeout((int) HttpCall.TIMEOUT.toMillis());
            // Long enough for the whole chain, each hop of which may take HttpCall.TIMEOUT.
            connection.setReadTimeout((int) HttpCall.TIMEOUT.multipliedBy(3).toMillis());
            int status = connection.getResponseCode();
            try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                if (body != null) {
                    body.readAllBytes();
                }
            }
            (status == 200 ? answered : failed).increment();
        } catch (IOException | RuntimeException e) {
            failed.increment();
        }
    }
}
