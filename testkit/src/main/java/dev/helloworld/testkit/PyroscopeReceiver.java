package dev.helloworld.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Pyroscope server inside the test JVM: it answers {@code POST .../ingest} (under any path
 * prefix) on an ephemeral port of 127.0.0.1 and records each upload with its query, headers and
 * multipart parts, decoded far enough for assertions: the JFR part as stack samples, the labels
 * part as its string table. JDK only, so that no test needs Pyroscope's own classes to read it.
 *
 * <p>Tests wait with {@link #awaitUpload} / {@link #awaitUploads}, which wake up on each upload and,
 * on timeout, fail with an {@link AssertionError} listing what did arrive. Thread-safe.
 */
public final class PyroscopeReceiver implements AutoCloseable {

    /**
     * One part of a multipart upload.
     *
     * @param name    the form field name ({@code jfr}, {@code labels})
     * @param body    the bytes as sent
     * @param gzipped whether {@code body} is gzip data (the agent compresses both parts by default)
     */
    public record Part(String name, String filename, String contentType, byte[] body, boolean gzipped) {

        /** The body, gunzipped when it was sent gzipped. */
        public byte[] content() {
            if (!gzipped) {
                return body;
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("part '" + name + "' starts like gzip but does not inflate", e);
            }
        }
    }

    /**
     * One JFR event with a stack trace: a CPU sample ({@code jdk.ExecutionSample}), an allocation
     * or a lock event, as async-profiler writes them.
     *
     * @param frames   the stack, innermost first, each as {@code package.Class.method}
     * @param spanId   the {@code spanId} field that Pyroscope's fork of async-profiler adds (0: none)
     * @param spanName the {@code spanName} field: a key of {@link Upload#labelStrings()} (0: none)
     * @param contextId the {@code contextId} field: the sample's labels, a key of {@link Upload#labelContexts()} (0: none)
     * @param monitorClass the class of the monitor a lock event ({@code jdk.JavaMonitorEnter}) waited
     *                     for, such as {@code java.lang.Object}; empty for other events
     */
    public record Sample(String eventType, List<String> frames, long spanId, long spanName, long contextId,
            String monitorClass) {

        /** A sample of no labels and no monitor. */
        public Sample(String eventType, List<String> frames, long spanId, long spanName) {
            this(eventType, frames, spanId, spanName, 0, "");
        }

        /** The span id as OpenTelemetry writes it: 16 lower-case hex digits. */
        public String spanIdHex() {
            return HexFormat.of().toHexDigits(spanId);
        }
    }

    /**
     * One accepted upload.
     *
     * @param path    the request path, such as {@code /ingest} or {@code /pyroscope/ingest}
     * @param query   the decoded query parameters (the last value of each)
     * @param headers the request headers, names in lower case, repeated values joined by ","
     */
    public record Upload(Instant receivedAt, String path, Map<String, String> query,
            Map<String, String> headers, List<Part> parts) {

        public String query(String name) {
            return query.get(name);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public Optional<Part> part(String name) {
            return parts.stream().filter(p -> p.name().equals(name)).findFirst();
        }

        /** The profile's JFR bytes, gunzipped; empty when there is no {@code jfr} part. */
        public byte[] jfr() {
            return part("jfr").map(Part::content).orElse(new byte[0]);
        }

        /** Every event with a stack trace in the JFR part, parsed with {@link RecordingFile}. */
        public List<Sample> samples() {
            byte[] jfr = jfr();
            if (jfr.length == 0) {
                return List.of();
            }
            try {
                Path file = Files.createTempFile("pyroscope-upload", ".jfr");
                try {
                    Files.write(file, jfr);
                    List<Sample> samples = new ArrayList<>();
                    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                        if (event.getStackTrace() != null) {
                            samples.add(sample(event));
                        }
                    }
                    return samples;
                } finally {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the jfr part of " + path + " is not a readable JFR recording", e);
            }
        }

        /** The string table of the {@code labels} part (a {@code LabelsSnapshot} protobuf): id to text. */
        public Map<Long, String> labelStrings() {
            return part("labels").map(p -> LabelsSnapshot.strings(p.content())).orElse(Map.of());
        }

        /**
         * The label sets of the {@code labels} part ({@code map<int64, Context> contexts = 1}),
         * by context id, each label's name and value resolved through the string table.
         */
        public Map<Long, Map<String, String>> labelContexts() {
            return part("labels").map(p -> LabelsSnapshot.contexts(p.content())).orElse(Map.of());
        }

        private static Sample sample(RecordedEvent event) {
            List<String> frames = event.getStackTrace().getFrames().stream()
                    .map(RecordedFrame::getMethod)
                    .map(m -> m.getType().getName() + "." + m.getName())
                    .toList();
            return new Sample(event.getEventType().getName(), frames,
                    event.hasField("spanId") ? event.getLong("spanId") : 0,
                    event.hasField("spanName") ? event.getLong("spanName") : 0,
                    event.hasField("contextId") ? event.getLong("contextId") : 0,
                    event.hasField("monitorClass") && event.getClass("monitorClass") != null
                            ? event.getClass("monitorClass").getName() : "");
        }

        @Override
        public String toString() {
            return "POST " + path + " name=" + query.get("name") + " parts="
                    + parts.stream().map(p -> p.name() + ":" + p.body().length + "B").toList();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Upload> uploads = new ArrayList<>();
    private int status = 200;
    private String ingestPath = null;
    private Duration delay = Duration.ZERO;

    private PyroscopeReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a receiver on a free port of 127.0.0.1. */
    public static PyroscopeReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "pyroscope-receiver");
                t.setDaemon(true);
                return t;
            });
            PyroscopeReceiver receiver = new PyroscopeReceiver(server, executor);
            server.createContext("/", receiver::handle);
            server.setExecutor(executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /** Where the agent should send to, such as {@code http://127.0.0.1:41234}; uploads go to /ingest. */
    public URI baseUri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** Answers every later upload with {@code status} instead of 200 (still recording it). */
    public synchronized void respondWith(int status) {
        this.status = status;
    }

    /**
     * From now on, takes uploads only at {@code prefix + "/ingest"} (such as /pyroscope/ingest),
     * as a Pyroscope served under a path prefix does, and answers 404 elsewhere.
     */
    public synchronized void servedUnder(String prefix) {
        this.ingestPath = prefix + "/ingest";
    }

    /** From now on, answers each upload only after {@code delay}: a slow or stuck server. */
    public synchronized void answerAfter(Duration delay) {
        this.delay = delay;
    }

    /** Every upload so far, in arrival order. */
    public synchronized List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    /** Waits for an upload that satisfies {@code matching} and returns the first one. */
    public Upload awaitUpload(Predicate<Upload> matching, Duration timeout) {
        return awaitUploads(all -> all.stream().anyMatch(matching), timeout,
                "an upload matching the condition").stream().filter(matching).findFirst().orElseThrow();
    }

    /** Waits until the uploads so far satisfy {@code done}; returns them. */
    public List<Upload> awaitUploads(Predicate<List<Upload>> done, Duration timeout) {
        return awaitUploads(done, timeout, "uploads matching the condition");
    }

    private synchronized List<Upload> awaitUploads(Predicate<List<Upload>> done, Duration timeout, String expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Upload> now = List.copyOf(uploads);
            if (done.test(now)) {
                return now;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + expected + " within " + timeout.toMillis()
                        + " ms, but received " + now.size() + " uploads: " + now);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + expected, e);
            }
        }
    }

    /** Stops listening. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String only;
            Duration wait;
            synchronized (this) {
                only = ingestPath;
                wait = delay;
            }
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/ingest")
                    || only != null && !path.equals(only)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            Upload upload = new Upload(Instant.now(), path, query(exchange.getRequestURI().getRawQuery()),
                    Map.copyOf(headers), Multipart.parts(headers.getOrDefault("content-type", ""), body));
            int answer;
            synchronized (this) {
                uploads.add(upload);
                answer = status;
                notifyAll();
            }
            exchange.sendResponseHeaders(answer, -1);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    /** Just enough of RFC 7578 multipart/form-data to split what OkHttp's MultipartBody writes. */
    private static final class Multipart {

        static List<Part> parts(String contentType, byte[] body) {
            String boundary = null;
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.startsWith("boundary=")) {
                    boundary = p.substring("boundary=".length()).replace("\"", "");
                }
            }
            if (boundary == null) {
                return List.of();
            }
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            List<Part> parts = new ArrayList<>();
            int at = indexOf(body, delimiter, 0);
            while (at >= 0) {
                int start = at + delimiter.length;
                if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                    break;
                }
                start += 2; // CRLF after the delimiter
                int next = indexOf(body, delimiter, start);
                if (next < 0) {
                    break;
                }
                parts.add(part(body, start, next - 2)); // the CRLF before the next delimiter is not content
                at = next;
            }
            return parts;
        }

        private static Part part(byte[] body, int from, int to) {
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), from);
            String head = new String(body, from, headersEnd - from, StandardCharsets.UTF_8);
            String name = "";
            String filename = "";
            String type = "";
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    name = param(line, "name");
                    filename = param(line, "filename");
                } else if (lower.startsWith("content-type:")) {
                    type = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, to);
            boolean gzipped = content.length > 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b;
            return new Part(name, filename, type, content, gzipped);
        }

        private static String param(String header, String name) {
            for (String piece : header.split(";")) {
                String p = piece.trim();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1).replace("\"", "");
                }
            }
            return "";
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /**
     * Reads the string table of Pyroscope's {@code LabelsSnapshot} ({@code map<int64, string>
     * strings = 2}) straight from the protobuf wire format, so that the testkit needs no
     * generated classes.
     */
    private static final class LabelsSnapshot {

        static Map<Long, String> strings(byte[] message) {
            Map<Long, String> strings = new TreeMap<>();
            Wire wire = new Wire(message, 0, message.length);
            while (wire.more()) {
                long tag = wire.varint();
                if (tag == ((2 << 3) | 2)) {
                    Wire entry = wire.nested();
                    long key = 0;
                    String value = "";
                    while (entry.more()) {
                        long entryTag = entry.varint();
                        if (entryTag == ((1 << 3))) {
                            key = entry.varint();
                        } else if (entryTag == ((2 << 3) | 2)) {
                            value = entry.text();
                        } else {
                            entry.skip(entryTag);
                        }
                    }
                    strings.put(key, value);
                } else {
                    wire.skip(tag);
                }
            }
            return strings;
        }

        static Map<Long, Map<String, String>> contexts(byte[] message) {
            Map<Long, String> strings = strings(message);
            Map<Long, Map<String, String>> contexts = new TreeMap<>();
            Wire wire = new Wire(message, 0, message.length);
            while (wire.more()) {
                long tag = wire.varint();
                if (tag == ((1 << 3) | 2)) {
                    Wire entry = wire.nested();
                    long id = 0;
                    Map<String, String> labels = new TreeMap<>();
                    while (entry.more()) {
                        long entryTag = entry.varint();
                        if (entryTag == (1 << 3)) {
                            id = entry.varint();
                        } else if (entryTag == ((2 << 3) | 2)) {
                            labels = labels(entry.nested(), strings);
                        } else {
                            entry.skip(entryTag);
                        }
                    }
                    contexts.put(id, labels);
                } else {
                    wire.skip(tag);
                }
            }
            return contexts;
        }

        /** A {@code Context}: {@code map<int64, int64> labels = 1}, name and value as string ids. */
        private static Map<String, String> labels(Wire context, Map<Long, String> strings) {
            Map<String, String> labels = new TreeMap<>();
            while (context.more()) {
                long tag = context.varint();
                if (tag == ((1 << 3) | 2)) {
                    Wire entry = context.nested();
                    long name = 0;
                    long value = 0;
                    while (entry.more()) {
                        long entryTag = entry.varint();
                        if (entryTag == (1 << 3)) {
                            name = entry.varint();
                        } else if (entryTag == (2 << 3)) {
                            value = entry.varint();
                        } else {
                            entry.skip(entryTag);
                        }
                    }
                    labels.put(strings.getOrDefault(name, "#" + name), strings.getOrDefault(value, "#" + value));
                } else {
                    context.skip(tag);
                }
            }
            return labels;
        }

        private static final class Wire {
            private final byte[] data;
            private int pos;
            private final int end;

            Wire(byte[] data, int pos, int end) {
                this.data = data;
                this.pos = pos;
                this.end = end;
            }

            boolean more() {
                return pos < end;
            }

            long varint() {
                long value = 0;
                for (int shift = 0; shift < 64; shift += 7) {
                    byte b = data[pos++];
                    value |= (long) (b & 0x7f) << shift;
                    if ((b & 0x80) == 0) {
                        return value;
                    }
                }
                throw new IllegalArgumentException("malformed varint in the labels part");
            }

            Wire nested() {
                int length = (int) varint();
                Wire nested = new Wire(data, pos, pos + length);
                pos += length;
                return nested;
            }

            String text() {
                int length = (int) varint();
                String s = new String(data, pos, length, StandardCharsets.UTF_8);
                pos += length;
                return s;
            }

            void skip(long tag) {
                switch ((int) (tag & 7)) {
                    case 0 -> varint();
                    case 1 -> pos += 8;
                    case 2 -> {
                        // Not 'pos += varint()': Java reads pos before varint() moves it past the length.
                        int length = (int) varint();
                        pos += length;
                    }
                    case 5 -> pos += 4;
                    default -> throw new IllegalArgumentException("unexpected wire type in the labels part: " + (tag & 7));
                }
            }
        }
    }

    @Override
    public String toString() {
        return "PyroscopeReceiver " + baseUri() + " " + uploads().stream().map(Upload::toString)
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
