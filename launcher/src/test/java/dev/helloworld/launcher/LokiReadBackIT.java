package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.LokiFake;
import dev.helloworld.testkit.OtlpReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher verify --loki}: the run's log records read back from Loki's query API (the
 * testkit's {@link LokiFake}, which answers as Loki 3 stores OTLP logs), with the log-to-trace link.
 */
class LokiReadBackIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private LauncherProcess verify(OtlpReceiver collector, LokiFake loki, String deadline) throws Exception {
        return LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "verify", "--duration", "3s", "--manifest", work.resolve("manifest.json").toString(),
                "--loki", loki.baseUri().toString(), "--deadline", deadline,
                "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(), "--enable-traces",
                "--enable-logs", "--service-name", "verify-loki", "--http-port", "0", "--query-rate", "5",
                "--work-scale", "0");
    }

    private static String line(LauncherProcess launcher, String signal) {
        return launcher.stdout().stream().filter(l -> l.startsWith(signal + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + signal + " line:\n" + launcher.output()));
    }

    @Test
    void everyRecordFoundAndLinkedToItsTraceExitsZero() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); LokiFake loki = LokiFake.start(collector, LokiFake.Faults.none());
                LauncherProcess launcher = verify(collector, loki, "30s")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            int sent = collector.logRecords().size();
            assertTrue(line(launcher, "logs").matches("logs\\s+OK\\s+\\d+ ms\\s+\\S+\\s+" + sent + "/" + sent
                    + " log records under service 'verify-loki', each written in a trace linked to it, .*"), launcher.output());
        }
    }

    @Test
    void recordsWithoutTraceIdsFailTheLinkAndSayWhatDropsThem() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LokiFake loki = LokiFake.start(collector, new LokiFake.Faults(true, ""));
                LauncherProcess launcher = verify(collector, loki, "30s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            int sent = collector.logRecords().size();
            assertTrue(line(launcher, "logs").matches("logs\\s+FAILED\\s+.*" + sent + " of " + sent
                    + " log records have no trace id, though " + sent + " were written in a trace: the log-to-trace link "
                    + "is lost: keep trace_id and span_id on the way.*"), launcher.output());
        }
    }

    @Test
    void recordsUnderAnotherServiceAreNamedAsTheMismatch() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LokiFake loki = LokiFake.start(collector, new LokiFake.Faults(false, "unknown_service"));
                LauncherProcess launcher = verify(collector, loki, "4s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "logs").matches("logs\\s+FAILED\\s+.*stored under service \\[unknown_service\\], "
                    + "the run's service is 'verify-loki': find what renames the service.*"), launcher.output());
        }
    }

    @Test
    void aLokiThatNeverShowsTheRecordsFailsWithTheTimeWaited() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); OtlpReceiver elsewhere = OtlpReceiver.start();
                LokiFake loki = LokiFake.start(elsewhere, LokiFake.Faults.none());
                LauncherProcess launcher = verify(collector, loki, "3s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "logs").matches("logs\\s+FAILED\\s+\\d+ ms\\s+\\S+\\s+none of the run's \\d+ log records "
                    + "\\(helloworld_run_id=\"[0-9a-f]{16}\"\\) appeared within 3\\.\\d s: send logs to this Loki.*"),
                    launcher.output());
        }
    }
}
