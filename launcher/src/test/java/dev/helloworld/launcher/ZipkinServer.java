package dev.helloworld.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Zipkin server (io.zipkin:zipkin-server's exec jar, in-memory storage) in a child process,
 * on a free port of 127.0.0.1, for the read-back tests to meet a real trace store.
 */
final class ZipkinServer implements AutoCloseable {

    /** It took 12 s on an idle 2-core machine; a loaded one takes longer. */
    private static final Duration START_PATIENCE = Duration.ofSeconds(120);

    private final Process process;
    private final URI base;
    private final Path log;

    private ZipkinServer(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /** The exec jar the build copied for the tests (see the launcher pom's test-backends). */
    static Path jar() {
        return Path.of(System.getProperty("helloworld.zipkinJar", "target/test-backends/zipkin-server.jar"));
    }

    static ZipkinServer start(Path work) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path log = work.resolve("zipkin.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUERY_PORT", Integer.toString(port));
        builder.environment().put("STORAGE_TYPE", "mem");
        ZipkinServer server = new ZipkinServer(builder.start(), URI.create("http://127.0.0.1:" + port), log);
        server.awaitHealthy();
        return server;
    }

    URI baseUri() {
        return base;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("zipkin exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("zipkin not healthy after " + START_PATIENCE + ":\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
