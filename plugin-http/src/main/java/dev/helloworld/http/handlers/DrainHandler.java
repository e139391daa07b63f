package dev.helloworld.http.handlers;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests in flight and drains them, as Undertow's {@code GracefulShutdownHandler}
 * does, but so that clients and load balancers leave: once {@link #drain()} is called, a new
 * request is answered 503 with {@code Connection: close} and {@code Retry-After}, a request in
 * flight gets {@code Connection: close} on its answer, and so every connection closes as its
 * request ends. A request still running at the deadline ({@link #cutOff()}) is cut off: whatever
 * it throws when it finds its connection closed is swallowed by {@link #quietAfterCutOff}, since
 * the one line the stopping server logs says how many there were.
 */
public final class DrainHandler implements HttpHandler {

    private final HttpHandler next;
    private final String retryAfterSeconds;
    private final AtomicLong inFlight = new AtomicLong();
    private final Object lock = new Object();
    private volatile boolean draining;
    private volatile boolean cutOff;

    private final ExchangeCompletionListener done = (exchange, nextListener) -> {
        try {
            if (inFlight.decrementAndGet() == 0 && draining) {
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        } finally {
            nextListener.proceed();
        }
    };

    public DrainHandler(HttpHandler next, Duration retryAfter) {
        this.next = next;
        this.retryAfterSeconds = String.valueOf(Math.max(1, retryAfter.toSeconds()));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // Counted before the flag is read: drain() sets the flag before it reads the count, so a
        // request is either refused here or waited for there.
        inFlight.incrementAndGet();
        if (draining) {
            inFlight.decrementAndGet();
            refuse(exchange);
            return;
        }
        exchange.addExchangeCompleteListener(done);
        exchange.addResponseCommitListener(e -> {
            if (draining) {
                e.setPersistent(false);
            }
        });
        next.handleRequest(exchange);
    }

    private void refuse(HttpServerExchange exchange) {
        exchange.setPersistent(false);
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, retryAfterSeconds);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send("stopping");
    }

    /** From now on new requests are refused and every answer closes its connection. */
    public void drain() {
        draining = true;
    }

    /**
     * Waits up to {@code timeout} for the requests in flight to end.
     *
     * @return 0 if they all ended in time, else how many were still running
     */
    public long awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return inFlight.get();
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return 0;
    }

    /** The deadline has passed: what the requests still running throw from now on is expected. */
    public void cutOff() {
        cutOff = true;
    }

    /**
     * {@code handler}, but once the requests still running are {@link #cutOff() cut off}, what it
     * throws (an answer to a closed connection, an interrupted wait) ends the request quietly
     * instead of as an ERROR with a stack trace per request. Wrap the handler that runs on a
     * worker thread: that is where Undertow would log it.
     */
    public HttpHandler quietAfterCutOff(HttpHandler handler) {
        return exchange -> {
            if (cutOff) {
                // Queued for a worker when its connection was closed: nobody waits for the answer,
                // and the work would only delay the stop.
                return;
            }
            try {
                handler.handleRequest(exchange);
            } catch (Exception e) {
                if (!cutOff) {
                    throw e;
                }
            }
        };
    }
}
