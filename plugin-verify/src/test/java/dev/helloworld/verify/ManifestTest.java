package dev.helloworld.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.IncidentLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static Manifest sample() {
        Manifest.Trace failed = new Manifest.Trace("4bf92f3577b34da6a3ce929d0e0e4736", List.of(
                new Manifest.Span("00f067aa0ba902b7", "", "GET /helloworld", "SERVER", true, "00f067aa0ba902b7"),
                new Manifest.Span("53995c3f42cd8ad8", "00f067aa0ba902b7", "say \"hello\"\n\t\\", "INTERNAL", false, "")), 2);
        Manifest.Trace fine = new Manifest.Trace("5b8aa5a2d2c872e8321cf37308d69df2", List.of(
                new Manifest.Span("051581bf3cb55c13", "", "GET /helloworld", "CLIENT", false, "")), 0);
        return new Manifest("0123456789abcdef", new Identity("hello 世界", "1.0", "prod", "to**"),
                Instant.parse("2026-12-07T14:00:00.123456789Z"), Instant.parse("2026-12-07T14:01:00Z"),
                List.of(failed, fine), 3, List.of(
                        Manifest.MetricPoint.sum("requests_total", Map.of("country", "Japan"), 7L,
                                List.of("4bf92f3577b34da6a3ce929d0e0e4736")),
                        Manifest.MetricPoint.sum("jvm.cpu.time", Map.of(), 1.25, List.of()),
                        Manifest.MetricPoint.histogram("http.server.request.duration",
                                Map.of("http.route", "/helloworld", "http.response.status_code", "500"), 4, 0.5, List.of())),
                new Manifest.Profiles("hello 世界", Instant.parse("2026-12-07T14:00:00.123456789Z"),
                        Instant.parse("2026-12-07T14:01:00Z"), List.of(Manifest.Profiles.CPU), List.of("00f067aa0ba902b7")),
                List.of(Manifest.Incident.of(new IncidentLog.Incident("error-burst", "rate=0.5,route=/helloworld,after=10s,for=20s,every=1m",
                        "/helloworld", Instant.parse("2026-12-07T14:00:10.123456789Z"), Instant.parse("2026-12-07T14:00:30Z"),
                        "its window ended"))));
    }

    @SuppressWarnings("unchecked")
    @Test
    void readsBackWhatItWroteIncludingEscapesAndNumbersOfBothKinds() {
        Manifest written = sample();

        Manifest read = Manifest.fromJson((Map<String, Object>) Json.parse(Json.write(written.toJson())));

        assertEquals(written, read);
    }

    @Test
    void countsFailedTracesSpansAndLogRecordsInTheSummary() {
        assertEquals("run id 0123456789abcdef: 2 traces (3 spans, 1 failed), 5 log records, 3 metric points, span ids linked to profiles: 1, incidents injected: 1",
                sample().summary());
    }

    /** The line an alert is held against: what, on what, and when to the millisecond in UTC, as text and as numbers. */
    @SuppressWarnings("unchecked")
    @Test
    void writesEachIncidentWithItsParametersTargetAndUtcTimesToTheMillisecond() {
        Map<String, Object> json = (Map<String, Object>) Json.parse(Json.write(sample().toJson()));

        assertEquals(List.of(Map.of("scenario", "error-burst", "parameters", "rate=0.5,route=/helloworld,after=10s,for=20s,every=1m",
                "target", "/helloworld", "start", "2026-12-07T14:00:10.123Z", "end", "2026-12-07T14:00:30.000Z",
                "start_unix_ms", Instant.parse("2026-12-07T14:00:10.123Z").toEpochMilli(),
                "end_unix_ms", Instant.parse("2026-12-07T14:00:30Z").toEpochMilli(), "ended", "its window ended")),
                json.get("incidents"));
    }

    @SuppressWarnings("unchecked")
    @Test
    void aRunWithoutProfilingReadsBackAsOffAndSaysNothingOfProfiles() {
        Manifest sample = sample();
        Manifest off = new Manifest(sample.runId(), sample.identity(), sample.started(), sample.ended(), sample.traces(),
                sample.logsWithoutTrace(), sample.metrics(), Manifest.Profiles.off("hello 世界", sample.started(), sample.ended()),
                List.of());

        Manifest read = Manifest.fromJson((Map<String, Object>) Json.parse(Json.write(off.toJson())));

        assertEquals(off, read);
        assertEquals(false, read.profiles().enabled());
        assertEquals("run id 0123456789abcdef: 2 traces (3 spans, 1 failed), 5 log records, 3 metric points", read.summary());
    }
}
