package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ExportFailureFilterTest {

    private final AtomicLong now = new AtomicLong();
    private final ExportFailureFilter filter = new ExportFailureFilter(Duration.ofMinutes(1), now::get);

    private static LogRecord failure(String signal) {
        return new LogRecord(Level.SEVERE, "Failed to export 3 " + signal + ". The request could not be executed.");
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void letsOneFailurePerSignalThroughPerMinute() {
        assertTrue(filter.isLoggable(failure("spans")), "the first span failure");
        advance(Duration.ofSeconds(10));
        assertFalse(filter.isLoggable(failure("spans")), "a second span failure 10 s later");
        assertTrue(filter.isLoggable(failure("logs")), "the first log failure, while spans are held back");
        advance(Duration.ofSeconds(49));
        assertFalse(filter.isLoggable(failure("spans")), "a third span failure 59 s after the first");
    }

    @Test
    void theNextLineAfterAMinuteSaysHowManyWereHeldBack() {
        filter.isLoggable(failure("metrics"));
        filter.isLoggable(failure("metrics"));
        filter.isLoggable(failure("metrics"));
        advance(Duration.ofMinutes(1));
        LogRecord next = failure("metrics");

        assertTrue(filter.isLoggable(next));
        assertEquals(Level.WARNING, next.getLevel(), "the SDK's SEVERE, lowered");
        assertEquals("Failed to export 3 metrics. The request could not be executed. "
                + "(2 more such failures since the last report)", next.getMessage());
    }

    @Test
    void aHostThatDoesNotResolveIsNamedAsCheckNamesIt() {
        LogRecord record = new LogRecord(Level.SEVERE,
                "Failed to export spans. The request could not be executed. Full error message: collector");
        record.setThrown(new java.io.IOException("wrapped", new java.net.UnknownHostException("collector")));
        assertTrue(filter.isLoggable(record));
        assertTrue(record.getMessage().endsWith(" Unknown host collector: check the host name in --endpoint."),
                record.getMessage());
    }

    @Test
    void readsTheSignalAlsoFromTheOlderMessageWithoutACount() {
        assertTrue(filter.isLoggable(new LogRecord(Level.WARNING, "Failed to export spans. Server is UNAVAILABLE.")));
        assertFalse(filter.isLoggable(failure("spans")), "the same signal as the older message");
    }

    @Test
    void holdsBackTheBatchProcessorsQueueFullAndExporterExceptionWarningsEachOnItsOwn() {
        LogRecord queueFull = new LogRecord(Level.WARNING,
                "BatchSpanProcessor dropped 40 span(s) since the last export because the queue is full (maxQueueSize=2048)");
        queueFull.setLoggerName("io.opentelemetry.sdk.trace.export.BatchSpanProcessor");
        LogRecord threw = new LogRecord(Level.WARNING, "Exporter threw an Exception");
        threw.setLoggerName("io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor$Worker");

        assertTrue(filter.isLoggable(queueFull), "the first queue-full warning");
        assertTrue(filter.isLoggable(threw), "the first exporter exception, a kind of its own");
        assertTrue(filter.isLoggable(failure("spans")), "an export failure, counted apart from drops");
        advance(Duration.ofSeconds(30));
        LogRecord queueFullAgain = new LogRecord(Level.WARNING,
                "BatchSpanProcessor dropped 7 span(s) since the last export because the queue is full (maxQueueSize=2048)");
        queueFullAgain.setLoggerName(queueFull.getLoggerName());
        assertFalse(filter.isLoggable(queueFullAgain), "a second queue-full warning, with another count");
        LogRecord threwAgain = new LogRecord(Level.WARNING, "Exporter threw an Exception");
        threwAgain.setLoggerName(threw.getLoggerName());
        assertFalse(filter.isLoggable(threwAgain), "a second exporter exception");
    }

    @Test
    void holdsBackTheMetricReadersTimeoutsWhileTheExporterRetries() {
        LogRecord timedOut = new LogRecord(Level.WARNING, "Exporter timed out");
        timedOut.setLoggerName("io.opentelemetry.sdk.metrics.export.PeriodicMetricReader");
        LogRecord again = new LogRecord(Level.WARNING, "Exporter timed out");
        again.setLoggerName(timedOut.getLoggerName());

        LogRecord failed = new LogRecord(Level.WARNING, "Exporter failed");
        failed.setLoggerName(timedOut.getLoggerName());
        LogRecord fine = new LogRecord(Level.FINE, "Exporter timed out");
        fine.setLoggerName(timedOut.getLoggerName());

        assertTrue(filter.isLoggable(timedOut), "the first timeout");
        assertFalse(filter.isLoggable(failed), "the reader's echo of a failure the exporter has reported: one line per failure");
        advance(Duration.ofSeconds(1));
        assertFalse(filter.isLoggable(again), "the next interval's timeout");
        assertTrue(filter.isLoggable(fine), "below WARNING: left to the logger's level");
        assertEquals(Level.FINE, fine.getLevel(), "and not raised");
    }

    @Test
    void aRefusalThatNoRetryFixesNamesItsLikelyCause() {
        LogRecord http = new LogRecord(Level.WARNING,
                "Failed to export spans. Server responded with HTTP status code 401. Error message: Unauthorized");
        LogRecord grpc = new LogRecord(Level.WARNING,
                "Failed to export logs. Server responded with gRPC status code 12. Error message: unknown service");
        LogRecord busy = new LogRecord(Level.WARNING,
                "Failed to export metrics. Server responded with HTTP status code 503. Error message: busy");

        assertTrue(filter.isLoggable(http) && filter.isLoggable(grpc) && filter.isLoggable(busy));
        assertEquals("Failed to export spans. Server responded with HTTP status code 401. Error message: Unauthorized"
                + " Not sent again; check the token or headers (--token, OTEL_EXPORTER_OTLP_HEADERS).", http.getMessage());
        assertTrue(grpc.getMessage().endsWith(" Not sent again; check the path or port: is this the OTLP/gRPC port"
                + " (--exporter, --endpoint)."), grpc.getMessage());
        assertTrue(busy.getMessage().endsWith("Error message: busy"), "a retryable status is kept and re-sent: "
                + busy.getMessage());
    }

    @Test
    void reportsTheNextFailureAtOnceAfterForgetting() {
        filter.isLoggable(failure("spans"));
        filter.forget();

        assertTrue(filter.isLoggable(failure("spans")));
    }

    @Test
    void dropsTheSdksOwnThrottlingNoticeAndPassesEverythingElse() {
        assertFalse(filter.isLoggable(new LogRecord(Level.SEVERE,
                "Too many log messages detected. Will only log once per minute from now on.")));
        assertTrue(filter.isLoggable(new LogRecord(Level.INFO, "Calling shutdown() multiple times.")));
        assertTrue(filter.isLoggable(new LogRecord(Level.INFO, null)));
    }
}
