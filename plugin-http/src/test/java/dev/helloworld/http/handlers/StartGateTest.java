package dev.helloworld.http.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests that arrive while an earlier service still starts wait for it, then are served whole. */
class StartGateTest {

    /** Long enough never to be hit on a loaded machine, short enough that a hang fails the run. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private Undertow server;

    @AfterEach
    void stop() {
        clients.shutdownNow();
        if (server != null) {
            server.stop();
        }
    }

    /** A status and a body. */
    private record Answer(int status, String body) {}

    @Test
    void holdsEveryRequestUntilTheEarlierStartsAreOverThenServesThemAll() throws Exception {
        CompletableFuture<Void> earlierStarts = new CompletableFuture<>();
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        HttpHandler gate = StartGate.around(earlierStarts, exchange -> {
            served.incrementAndGet();
            exchange.getResponseSender().send("hello");
        });
        URI uri = start(exchange -> {
            arrived.incrementAndGet();
            gate.handleRequest(exchange);
        });
        List<CompletableFuture<Answer>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(getAsync(uri));
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (arrived.get() < 5 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(5, arrived.get(), "requests that reached the gate");
        assertEquals(0, served.get(), "requests served before the earlier starts were over");
        assertTrue(responses.stream().noneMatch(CompletableFuture::isDone), "a held request was answered");

        earlierStarts.complete(null);
        for (CompletableFuture<Answer> response : responses) {
            Answer answer = response.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(new Answer(200, "hello"), answer);
        }
        assertEquals(5, served.get(), "all 5 held requests served once");
        // Once open, a request goes straight through.
        assertEquals(new Answer(200, "hello"), getAsync(uri).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(6, served.get());
    }

    @Test
    void aFailedEarlierStartStillLetsTheHeldRequestsThroughToBeAnsweredByWhatFollows() throws Exception {
        CompletableFuture<Void> earlierStarts = new CompletableFuture<>();
        AtomicInteger arrived = new AtomicInteger();
        HttpHandler gate = StartGate.around(earlierStarts, exchange -> exchange.setStatusCode(503));
        URI uri = start(exchange -> {
            arrived.incrementAndGet();
            gate.handleRequest(exchange);
        });
        CompletableFuture<Answer> response = getAsync(uri);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (arrived.get() < 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        earlierStarts.completeExceptionally(new IllegalStateException("the profiler did not start"));
        assertEquals(503, response.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).status());
    }

    @Test
    void isNotThereAtAllWhenNothingStartsAnyMore() {
        HttpHandler next = exchange -> {};
        assertSame(next, StartGate.around(CompletableFuture.completedFuture(null), next));
    }

    private CompletableFuture<Answer> getAsync(URI uri) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                connection.setConnectTimeout((int) PATIENCE.toMillis());
                connection.setReadTimeout((int) PATIENCE.toMillis());
                int status = connection.getResponseCode();
                String body = status == 200 ? new String(connection.getInputStream().readAllBytes()) : "";
                connection.disconnect();
                return new Answer(status, body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, clients);
    }

    private URI start(HttpHandler handler) {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return URI.create("http://127.0.0.1:" + bound.getPort() + "/helloworld");
    }
}
