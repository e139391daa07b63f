package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.spi.IncidentLog;
import dev.helloworld.core.spi.KnownAnswerRun;
import dev.helloworld.otlp.TestHost;
import io.opentelemetry.api.metrics.LongCounter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one Prometheus endpoint of the process, scraped over real HTTP on 127.0.0.1: it ends with
 * the SDK in a plain run, and during a known-answer run serves the final values until the run's
 * read-back is done.
 */
class ScrapeEndpointTest {

    private static final Pattern COUNT = Pattern.compile("(?m)^test_requests_total(?:\\{[^}]*})? (\\d+(?:\\.\\d+)?)");

    /** A recording as plugin-verify's keeps what it is given to close. */
    private static final class Recording implements KnownAnswerRun.Recording {
        final List<AutoCloseable> served = new ArrayList<>();

        @Override
        public String runId() {
            return "0123456789abcdef";
        }

        @Override
        public String writeManifest(Path file, Config config, List<IncidentLog.Incident> incidents) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void closeAfterReadBack(AutoCloseable thing) {
            served.add(thing);
        }

        @Override
        public void close() {
            for (AutoCloseable thing : served) {
                try {
                    thing.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void duringARunServesTheValuesOfShutdownUntilTheReadBackIsDone() throws Exception {
        int port = freePort();
        Recording run = new Recording();
        TelemetrySdk telemetry = TelemetrySdk.build(config(port, Map.of("metrics.exporter", "prometheus")), run);
        LongCounter requests = telemetry.sdk().getMeter("test").counterBuilder("test_requests").build();
        requests.add(5);
        assertEquals(5, scrapedCount(port));

        requests.add(2);
        assertTrue(telemetry.sdk().shutdown().join(10, TimeUnit.SECONDS).isSuccess());
        requests.add(100);

        assertEquals(7, scrapedCount(port), "the values at shutdown, after it");
        assertEquals(1, run.served.size(), "handed to the run to close");
        run.close();
        assertThrows(ConnectException.class, () -> scrapedCount(port), "closed with the run");
    }

    @Test
    void outsideARunEndsWithTheSdk() throws Exception {
        int port = freePort();
        TelemetrySdk telemetry = TelemetrySdk.build(config(port, Map.of("metrics.exporter", "prometheus")));
        telemetry.sdk().getMeter("test").counterBuilder("test_requests").build().add(3);
        assertEquals(3, scrapedCount(port));
        assertFalse(telemetry.scrape().orElseThrow().heldForReadBack());

        assertTrue(telemetry.sdk().shutdown().join(10, TimeUnit.SECONDS).isSuccess());

        assertThrows(ConnectException.class, () -> scrapedCount(port));
    }

    @Test
    void thePortAloneAsksForTheEndpointOnlyDuringARun() throws Exception {
        int port = freePort();
        Config config = config(port, Map.of("otlp.exporter", "none"));

        TelemetrySdk plain = TelemetrySdk.build(config);
        assertTrue(plain.scrape().isEmpty(), "no endpoint: metrics do not go to prometheus");
        plain.sdk().shutdown().join(10, TimeUnit.SECONDS);

        Recording run = new Recording();
        TelemetrySdk recorded = TelemetrySdk.build(config, run);
        try {
            assertEquals("http://127.0.0.1:" + port + "/metrics", recorded.scrape().orElseThrow().url());
            assertTrue(recorded.scrape().orElseThrow().heldForReadBack());
        } finally {
            recorded.sdk().shutdown().join(10, TimeUnit.SECONDS);
            run.close();
        }
    }

    private static Config config(int port, Map<String, String> more) throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("enable.metrics", "true", "prometheus.host", "127.0.0.1",
                "prometheus.port", Integer.toString(port), "otlp.endpoint", "http://127.0.0.1:9"));
        flags.putAll(more);
        return TestHost.config(flags);
    }

    /** The sum of test_requests_total in one scrape. */
    private static double scrapedCount(int port) throws IOException {
        // HttpURLConnection: java.net.http is not in this module's graph.
        HttpURLConnection scrape = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL()
                .openConnection();
        scrape.setConnectTimeout(5_000);
        scrape.setReadTimeout(10_000);
        assertEquals(200, scrape.getResponseCode());
        String body;
        try (var in = scrape.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            scrape.disconnect();
        }
        Matcher m = COUNT.matcher(body);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            // The exporter cannot say which port it took, so it is given one that was free just now.
            return free.getLocalPort();
        }
    }
}
