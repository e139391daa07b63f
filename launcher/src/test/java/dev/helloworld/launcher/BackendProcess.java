package dev.helloworld.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real backend (Zipkin, Prometheus) in a child process, its output in a log file, ready when a URL answers 200. */
final class BackendProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private BackendProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code builder} and polls {@code ready} until it answers 200, for at most {@code patience}. */
    static BackendProcess start(String name, ProcessBuilder builder, Path log, URI ready, Duration patience)
            throws IOException, InterruptedException {
        BackendProcess backend = new BackendProcess(name,
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!backend.process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + backend.process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return backend;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        backend.close();
        throw new IllegalStateException(name + " not ready after " + patience + ":\n" + Files.readString(log));
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

    @Override
    public String toString() {
        return name + " (log: " + log + ")";
    }
}
