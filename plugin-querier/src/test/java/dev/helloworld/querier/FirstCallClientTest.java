package dev.helloworld.querier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** The querier's client is built by its first call, once, and not at the service's start. */
class FirstCallClientTest {

    @Test
    void buildsItsClientAtTheFirstCallOnlyAndOnce() {
        AtomicInteger built = new AtomicInteger();
        FirstCallClient client = new FirstCallClient(() -> {
            built.incrementAndGet();
            return new OkHttpClient();
        }, okHttp -> okHttp);
        assertEquals(0, built.get(), "built before any call");
        assertTrue(client.client().isEmpty(), "nothing for stop to close before a call");

        Request request = new Request.Builder().url("http://127.0.0.1:1/helloworld").build();
        client.newCall(request);
        client.newCall(request);

        assertEquals(1, built.get(), "built by the first call, and only by it");
        assertTrue(client.client().isPresent(), "the client built, for stop to close");
    }
}
