package dev.helloworld.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A minimal loopback HTTP client for tests (java.net.http is not in the module graph). */
final class Http {

    record Response(int status, String body) {
        @Override
        public String toString() {
            return status + " '" + body + "'";
        }
    }

    private Http() {}

    static Response get(URI uri) throws IOException {
        return send("GET", uri, Map.of());
    }

    /** The value of response header {@code name} to a {@code method} request, or null. */
    static String responseHeader(String method, URI uri, String name) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(30000);
            connection.getResponseCode();
            return connection.getHeaderField(name);
        } finally {
            connection.disconnect();
        }
    }

    static Response send(String method, URI uri, Map<String, String> headers) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(30000);
            headers.forEach(connection::setRequestProperty);
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, body);
        } finally {
            connection.disconnect();
        }
    }
}
