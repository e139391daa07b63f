package dev.helloworld.http;

import dev.helloworld.core.spi.HttpServerAddress;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** An {@link HttpService} on 127.0.0.1 and a free port, started with the given telemetry and flags. */
final class TestServer implements AutoCloseable {

    final HttpService service = new HttpService();
    final TestContext context;
    final URI uri;
    private boolean stopped;

    TestServer(OpenTelemetry openTelemetry, Map<String, String> flags) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("http.address", "127.0.0.1", "http.port", "0",
                "error.rate", "0", "work.scale", "0"));
        all.putAll(flags);
        context = new TestContext(all);
        context.publish(OpenTelemetry.class, openTelemetry);
        service.start(context);
        uri = context.lookup(HttpServerAddress.class).orElseThrow().uri();
    }

    /** The management listener's base URI (the service publishes only the data listener's). */
    URI managementUri() {
        return URI.create("http://127.0.0.1:" + service.managementPort());
    }

    URI resolve(String path) {
        return uri.resolve(path);
    }

    void stop() throws Exception {
        if (!stopped) {
            stopped = true;
            service.stop();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the server failed: " + e.getMessage(), e);
        }
    }
}
