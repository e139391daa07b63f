package dev.helloworld.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every request routed to it in {@code requests_total}, with the status it was answered
 * with: the ones {@code next} serves and the ones a plugin's hook failed before the route's
 * handler ran (which therefore never picked a country). Counted when the response is committed,
 * before the client can read it, or when the exchange completes without one; once either way.
 */
final class RequestsTotalHandler implements HttpHandler {

    /** The country the route's handler served the request for; the original counts by it. */
    private static final AttachmentKey<String> COUNTRY = AttachmentKey.create(String.class);

    private final DemoMetrics metrics;
    private final HttpHandler next;

    RequestsTotalHandler(DemoMetrics metrics, HttpHandler next) {
        this.metrics = metrics;
        this.next = next;
    }

    /** Called by the route's handler: count this request under {@code country}. */
    static void countAs(HttpServerExchange exchange, String country) {
        exchange.putAttachment(COUNTRY, country);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        AtomicBoolean counted = new AtomicBoolean();
        Runnable count = () -> {
            if (counted.compareAndSet(false, true)) {
                metrics.countRequest(Optional.ofNullable(exchange.getAttachment(COUNTRY)), exchange.getStatusCode());
            }
        };
        exchange.addResponseCommitListener(committing -> count.run());
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            try {
                count.run();
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }
}
