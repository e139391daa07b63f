package dev.helloworld.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Zipkin server (io.zipkin:zipkin-server's exec jar, in-memory storage) in a child process,
 * on a free port of 127.0.0.1, for the read-back tests to meet a real trace store.
 */
final class ZipkinServer implements AutoCloseable {

    /** It took 12 s on an idle 2-core machine; a loaded one takes longer. */
    private static final Duration START_PATIENCE = Duration.ofSeconds(120);

    private final BackendProcess process;
    private final URI base;

    private ZipkinServer(BackendProcess process, URI base) {
        this.process = process;
        this.base = base;
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
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString());
        builder.environment().put("QUERY_PORT", Integer.toString(port));
        builder.environment().put("STORAGE_TYPE", "mem");
        URI base = URI.create("http://127.0.0.1:" + port);
        return new ZipkinServer(BackendProcess.start("zipkin", builder, log, base.resolve("/health"), START_PATIENCE), base);
    }

    URI baseUri() {
        return base;
    }

    @Override
    public void close() {
        process.close();
    }
}
