package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher verify --prometheus}: the run's metrics, resource and exemplars read back from a
 * real Prometheus that scrapes the run's own endpoint (OTEL_EXPORTER_PROMETHEUS_PORT alone, metrics
 * over OTLP too; or OTEL_METRICS_EXPORTER=prometheus).
 */
class PrometheusReadBackIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String TOKEN = "prom-token-7731";

    @TempDir
    Path work;

    private LauncherProcess verify(OtlpReceiver collector, PrometheusServer prometheus, int scrapePort, String deadline)
            throws Exception {
        return LauncherProcess.start(LauncherProcess.dist(),
                Map.of("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(scrapePort),
                        "OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1", "TOKEN", TOKEN),
                "verify", "--duration", "4s", "--manifest", work.resolve("manifest.json").toString(),
                "--prometheus", prometheus.baseUri().toString(), "--deadline", deadline,
                "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(), "--enable-traces",
                "--enable-metrics", "--service-name", "verify-prometheus", "--http-port", "0", "--query-rate", "5",
                "--work-scale", "0");
    }

    private static String line(LauncherProcess launcher, String signal) {
        return launcher.stdout().stream().filter(l -> l.startsWith(signal + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + signal + " line:\n" + launcher.output()));
    }

    @Test
    void finalValuesIdentityAndExemplarsAllFoundExitZero() throws Exception {
        int scrapePort = PrometheusServer.freePort();
        try (OtlpReceiver collector = OtlpReceiver.start();
                PrometheusServer prometheus = PrometheusServer.start(work, "127.0.0.1:" + scrapePort, true, "");
                LauncherProcess launcher = verify(collector, prometheus, scrapePort, "60s")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "metrics").matches("metrics\\s+OK\\s+\\d+ ms\\s+\\S+\\s+(\\d+)/\\1 final values as sent.*"),
                    launcher.output());
            assertTrue(line(launcher, "identity").matches("identity\\s+OK\\s+.*service 'verify-prometheus', version "
                    + "'[^']+', environment 'dev', token pr\\*+, as sent"), launcher.output());
            assertTrue(line(launcher, "exemplars").matches("exemplars\\s+OK\\s+.*\\d+ exemplars, each leading to a trace of the run"),
                    launcher.output());
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains(TOKEN)), "the token leaked:\n" + launcher.output());
        }
    }

    /**
     * OTEL_METRICS_EXPORTER=prometheus with verify: the service's own endpoint (the OTLP plugin's,
     * the one owner) keeps serving the values of the run's end until the read-back is done, so
     * the final scrape is not lost though requests are made until the run stops.
     */
    @Test
    void withMetricsToPrometheusTheServicesEndpointServesTheFinalValuesUntilTheReadBack() throws Exception {
        int scrapePort = PrometheusServer.freePort();
        try (OtlpReceiver collector = OtlpReceiver.start();
                PrometheusServer prometheus = PrometheusServer.start(work, "127.0.0.1:" + scrapePort, true, "");
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(
                        "OTEL_METRICS_EXPORTER", "prometheus", "OTEL_TRACES_EXPORTER", "otlp",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.httpEndpoint().toString(),
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                        "OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(scrapePort),
                        "OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1", "TOKEN", TOKEN),
                        "verify", "--duration", "4s", "--manifest", work.resolve("manifest.json").toString(),
                        "--prometheus", prometheus.baseUri().toString(), "--deadline", "60s",
                        "--service-name", "verify-prometheus", "--http-port", "0", "--query-rate", "5",
                        "--work-scale", "0")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(launcher.stderr().stream().anyMatch(l -> l.contains("serving metrics to Prometheus at http://127.0.0.1:"
                    + scrapePort + "/metrics until the read-back is done")), launcher.output());
            assertTrue(line(launcher, "metrics").matches("metrics\\s+OK\\s+\\d+ ms\\s+\\S+\\s+(\\d+)/\\1 final values as sent.*"),
                    launcher.output());
            assertTrue(line(launcher, "identity").matches("identity\\s+OK\\s+.*"), launcher.output());
            assertTrue(line(launcher, "exemplars").matches("exemplars\\s+OK\\s+.*"), launcher.output());
            assertTrue(collector.metricsRequests().isEmpty(), "metrics only to Prometheus");
        }
    }

    @Test
    void aRunIdOnlyOnTargetInfoIsJoinedByJobAndInstanceAsPrometheusOtlpIngestionStoresIt() throws Exception {
        int scrapePort = PrometheusServer.freePort();
        // The shape of Prometheus's OTLP ingestion: resource attributes on target_info only.
        String relabel = """
                      - source_labels: [__name__, helloworld_run_id]
                        regex: target_info;(.+)
                        target_label: __tmp_run_id
                      - regex: helloworld_run_id
                        action: labeldrop
                      - source_labels: [__tmp_run_id]
                        regex: (.+)
                        target_label: helloworld_run_id
                      - regex: __tmp_run_id
                        action: labeldrop
                """;
        try (OtlpReceiver collector = OtlpReceiver.start();
                PrometheusServer prometheus = PrometheusServer.start(work, "127.0.0.1:" + scrapePort, true, relabel);
                LauncherProcess launcher = verify(collector, prometheus, scrapePort, "60s")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "metrics").matches("metrics\\s+OK\\s+.*final values as sent.*"), launcher.output());
            assertTrue(line(launcher, "identity").matches("identity\\s+OK\\s+.*"), launcher.output());
            assertTrue(line(launcher, "exemplars").matches("exemplars\\s+OK\\s+.*"), launcher.output());
        }
    }

    @Test
    void exemplarStorageOffFailsTheExemplarLineAndSaysHowToTurnItOn() throws Exception {
        int scrapePort = PrometheusServer.freePort();
        try (OtlpReceiver collector = OtlpReceiver.start();
                PrometheusServer prometheus = PrometheusServer.start(work, "127.0.0.1:" + scrapePort, false, "");
                LauncherProcess launcher = verify(collector, prometheus, scrapePort, "10s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "metrics").matches("metrics\\s+OK\\s+.*"), launcher.output());
            assertTrue(line(launcher, "exemplars").matches("exemplars\\s+FAILED\\s+.*no exemplar on the run's series within "
                    + "\\d+\\.\\d s: start Prometheus with --enable-feature=exemplar-storage.*"), launcher.output());
        }
    }

    @Test
    void aTokenRewrittenOnTheWayIsNamedMaskedAsTheMismatch() throws Exception {
        int scrapePort = PrometheusServer.freePort();
        String relabel = """
                      - source_labels: [__name__]
                        regex: target_info
                        target_label: bk_data_token
                        replacement: other-token-0000
                """;
        try (OtlpReceiver collector = OtlpReceiver.start();
                PrometheusServer prometheus = PrometheusServer.start(work, "127.0.0.1:" + scrapePort, true, relabel);
                LauncherProcess launcher = verify(collector, prometheus, scrapePort, "60s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "identity").matches("identity\\s+FAILED\\s+.*stored with token 'ot\\*+' where the run "
                    + "sent 'pr\\*+': find what rewrites the resource.*"), launcher.output());
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains("other-token-0000") || l.contains(TOKEN)),
                    "a token printed whole:\n" + launcher.output());
        }
    }

    @Test
    void aPrometheusThatNeverShowsTheRunFailsWithTheTimeWaited() throws Exception {
        int scrapePort = PrometheusServer.freePort();
        // Scrapes a port where nothing listens: the run's series never arrive.
        try (OtlpReceiver collector = OtlpReceiver.start();
                PrometheusServer prometheus = PrometheusServer.start(work, "127.0.0.1:" + PrometheusServer.freePort(), true, "");
                LauncherProcess launcher = verify(collector, prometheus, scrapePort, "3s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "metrics").matches("metrics\\s+FAILED\\s+\\d+ ms\\s+\\S+\\s+no series with "
                    + "helloworld_run_id=\"[0-9a-f]{16}\" within 3\\.\\d s: have Prometheus scrape the service.*"),
                    launcher.output());
        }
    }
}
