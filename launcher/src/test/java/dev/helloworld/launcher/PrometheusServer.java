package dev.helloworld.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus (Debian's package, 2.42) in a child process: its own configuration and data
 * directory, listening on a free port of 127.0.0.1, scraping one target every second. Installed
 * with apt-get when missing, as CI runs as root on a fresh machine.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration START_PATIENCE = Duration.ofSeconds(60);

    private final BackendProcess process;
    private final URI base;

    private PrometheusServer(BackendProcess process, URI base) {
        this.process = process;
        this.base = base;
    }

    /**
     * Starts Prometheus scraping {@code target} ({@code host:port}, path /metrics) every second.
     *
     * @param exemplars  whether exemplar storage is on (it then scrapes OpenMetrics)
     * @param relabel    metric_relabel_configs entries, YAML, indented for the scrape job; empty for none
     */
    static PrometheusServer start(Path work, String target, boolean exemplars, String relabel)
            throws IOException, InterruptedException {
        ensureInstalled();
        Path dir = Files.createTempDirectory(work, "prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: helloworld
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['%s']
                %s""".formatted(target, relabel.isEmpty() ? "" : "    metric_relabel_configs:\n" + relabel));
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port));
        if (exemplars) {
            command.add("--enable-feature=exemplar-storage");
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        return new PrometheusServer(BackendProcess.start("prometheus", new ProcessBuilder(command),
                dir.resolve("prometheus.log"), base.resolve("/-/ready"), START_PATIENCE), base);
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        for (List<String> step : List.of(List.of("apt-get", "update"), List.of("apt-get", "install", "-y", "prometheus"))) {
            ProcessBuilder apt = new ProcessBuilder(step).redirectErrorStream(true);
            apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = apt.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", step) + " failed:\n" + out);
            }
        }
    }

    URI baseUri() {
        return base;
    }

    @Override
    public void close() {
        process.close();
    }
}
