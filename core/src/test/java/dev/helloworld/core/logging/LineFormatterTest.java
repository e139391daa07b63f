package dev.helloworld.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineFormatterTest {

    private static final String NL = System.lineSeparator();
    private static final Instant WHEN = Instant.parse("2024-05-01T12:00:00.750Z");

    @Test
    void writesTheOriginalsFormatWithTheServiceNameInBrackets() {
        String line = new LineFormatter(false, List.of()).format(record("helloworld.http", Level.INFO, "service started"));
        assertEquals(localTime(WHEN) + " INFO: [http] service started" + NL, line);
        assertTrue(line.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} INFO: \\[http] service started\\R"),
                () -> "not yyyy-MM-dd HH:mm:ss LEVEL: [http] message: " + line);
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "OFF, ERROR",
        "SEVERE, ERROR",
        "WARNING, WARNING",
        "INFO, INFO",
        "CONFIG, DEBUG",
        "FINE, DEBUG",
        "FINER, TRACE",
        "FINEST, TRACE",
        "ALL, TRACE",
    })
    void namesLevelsAsTheOriginalDoes(String level, String printed) {
        String line = new LineFormatter(false, List.of()).format(record("helloworld.otlp", Level.parse(level), "x"));
        assertEquals(localTime(WHEN) + " " + printed + ": [otlp] x" + NL, line);
    }

    @Test
    void systemLoggerLevelsPrintUnderTheirOwnNames() {
        // System.Logger levels reach java.util.logging as SEVERE, WARNING, INFO, FINE and FINER.
        assertEquals("ERROR", LineFormatter.levelName(Level.SEVERE));
        assertEquals("DEBUG", LineFormatter.levelName(Level.FINE));
        assertEquals("TRACE", LineFormatter.levelName(Level.FINER));
    }

    @ParameterizedTest(name = "logger ''{0}'' prints as [{1}]")
    @CsvSource({
        "helloworld.http, http",
        "helloworld.profiling, profiling",
        "otel, otel",
        "io.undertow.request, io.undertow.request",
        "helloworldish, helloworldish",
        "'', root",
    })
    void namesTheSourceByTheServiceOrTheFullLoggerName(String logger, String shown) {
        String line = new LineFormatter(false, List.of()).format(record(logger, Level.INFO, "m"));
        assertEquals(localTime(WHEN) + " INFO: [" + shown + "] m" + NL, line);
    }

    @Test
    void aRecordWithoutALoggerNameIsFromRoot() {
        String line = new LineFormatter(false, List.of()).format(record(null, Level.INFO, "m"));
        assertEquals(localTime(WHEN) + " INFO: [root] m" + NL, line);
    }

    @Test
    void putsTheTraceCorrelationInBracketsBeforeTheMessage() {
        LogCorrelation inSpan = () -> "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7";
        String line = new LineFormatter(false, List.of(inSpan)).format(record("helloworld.http", Level.INFO, "hello"));
        assertEquals(localTime(WHEN) + " INFO: [http] [trace_id=4bf92f3577b34da6a3ce929d0e0e4736 "
                + "span_id=00f067aa0ba902b7] hello" + NL, line);
    }

    @Test
    void leavesOutAnEmptyCorrelation() {
        LogCorrelation outsideSpan = () -> "";
        LogCorrelation other = () -> "tenant=a";
        String line = new LineFormatter(false, List.of(outsideSpan, other))
                .format(record("helloworld.http", Level.INFO, "hello"));
        assertEquals(localTime(WHEN) + " INFO: [http] [tenant=a] hello" + NL, line);
    }

    @Test
    void aBrokenCorrelationCostsTheIdsNotTheLine() {
        LogCorrelation throwing = () -> {
            throw new IllegalStateException("no context");
        };
        LogCorrelation nullReturning = () -> null;
        String line = new LineFormatter(false, List.of(throwing, nullReturning))
                .format(record("helloworld.http", Level.INFO, "still printed"));
        assertEquals(localTime(WHEN) + " INFO: [http] still printed" + NL, line);
    }

    @Test
    void fillsInTheMessagesParameters() {
        LogRecord record = record("helloworld.http", Level.INFO, "listening on {0}");
        record.setParameters(new Object[] {"http://127.0.0.1:8080"});
        assertEquals(localTime(WHEN) + " INFO: [http] listening on http://127.0.0.1:8080" + NL,
                new LineFormatter(false, List.of()).format(record));
    }

    @Test
    void appendsTheExceptionsMessageButNotItsStackTrace() {
        LogRecord record = record("helloworld.otlp", Level.WARNING, "export failed");
        record.setThrown(new IllegalStateException("connection refused"));
        assertEquals(localTime(WHEN) + " WARNING: [otlp] export failed: connection refused" + NL,
                new LineFormatter(false, List.of()).format(record));
    }

    @Test
    void doesNotRepeatAnExceptionMessageTheLineAlreadyEndsWith() {
        LogRecord record = record("helloworld.http", Level.SEVERE, "failed to start: port 8080 is in use");
        record.setThrown(new java.io.IOException("port 8080 is in use"));
        assertEquals(localTime(WHEN) + " ERROR: [http] failed to start: port 8080 is in use" + NL,
                new LineFormatter(false, List.of()).format(record));
    }

    @Test
    void anExceptionWithoutMessageAddsNothingToTheLine() {
        LogRecord record = record("helloworld.http", Level.SEVERE, "failed");
        record.setThrown(new IllegalStateException());
        assertEquals(localTime(WHEN) + " ERROR: [http] failed" + NL, new LineFormatter(false, List.of()).format(record));
    }

    @Test
    void printsTheStackTraceOnlyWhenAskedTo() {
        LogRecord record = record("helloworld.otlp", Level.WARNING, "export failed");
        IllegalStateException thrown = new IllegalStateException("connection refused",
                new java.net.ConnectException("Connection refused"));
        record.setThrown(thrown);

        String quiet = new LineFormatter(false, List.of()).format(record);
        assertEquals(1, quiet.lines().count(), () -> "without stack traces: " + quiet);

        String debug = new LineFormatter(true, List.of()).format(record);
        List<String> lines = debug.lines().toList();
        assertEquals(localTime(WHEN) + " WARNING: [otlp] export failed: connection refused", lines.get(0));
        assertEquals("java.lang.IllegalStateException: connection refused", lines.get(1));
        assertTrue(lines.get(2).startsWith("\tat dev.helloworld.core"), () -> "first frame: " + lines.get(2));
        assertTrue(lines.contains("Caused by: java.net.ConnectException: Connection refused"), () -> debug);
        assertTrue(debug.endsWith(NL) && !debug.endsWith(NL + NL), "ends with exactly one line separator");
    }

    @Test
    void thePublicConstructorWorksWithoutAnyCorrelationProvider() {
        String line = new LineFormatter(false).format(record("helloworld.http", Level.INFO, "service started"));
        assertEquals(localTime(WHEN) + " INFO: [http] service started" + NL, line);
    }

    private static LogRecord record(String logger, Level level, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        record.setInstant(WHEN);
        return record;
    }

    /** The same wall-clock time, written independently of the formatter under test. */
    private static String localTime(Instant instant) {
        return String.format("%1$tY-%1$tm-%1$td %1$tH:%1$tM:%1$tS", LocalDateTime.ofInstant(instant, ZoneId.systemDefault()));
    }
}
