package dev.helloworld.verify;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * GETs (and the POSTs of a Connect API) against a backend's query API, answered as status and
 * body; a refused connection is a value too. HttpURLConnection rather than java.net.http: a few GETs do not justify another JDK
 * module (1 MiB) in the runtime image.
 */
final class QueryClient {

    /** The answer of one GET; status 0 when there was none, with the reason as the body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status == 200;
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    Answer get(URI uri) throws InterruptedException {
        return send(uri, null);
    }

    /**
     * A unary call of the Connect protocol with a JSON body: {@code POST} with
     * {@code Content-Type: application/json}, answered 200 with the response message as JSON
     * (connectrpc.com/docs/protocol, "Unary-Request"), as Pyroscope's query API takes it.
     */
    Answer postJson(URI uri, String json) throws InterruptedException {
        return send(uri, json);
    }

    private Answer send(URI uri, String json) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            connection.setRequestProperty("Accept", "application/json");
            if (json != null) {
                connection.setRequestMethod("POST");
                connection.setRequestProperty("Content-Type", "application/json");
                connection.setRequestProperty("Connect-Protocol-Version", "1");
                connection.setDoOutput(true);
                try (var out = connection.getOutputStream()) {
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return new Answer(status, body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** {@code base} with {@code path} appended, whether or not base ends with a slash. */
    static URI resolve(URI base, String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
    }
}
