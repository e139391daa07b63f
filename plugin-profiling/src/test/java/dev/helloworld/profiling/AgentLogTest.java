package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.core.logging.RateLimit;
import io.pyroscope.javaagent.api.Logger;
import java.time.Duration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AgentLogTest {

    /** Keeps "LEVEL message" lines. */
    private static final class Lines implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + (params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params)));
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }
    }

    @Test
    void agentErrorsAreRateLimitedWarningsWithTheTokenMasked() {
        Lines out = new Lines();
        AtomicLong now = new AtomicLong();
        AgentLog log = new AgentLog(out, "t0ken-xyz", new RateLimit(Duration.ofMinutes(1), now::get));

        log.log(Logger.Level.ERROR, "Error uploading snapshot: %s", "Failed to connect to /127.0.0.1:9");
        log.log(Logger.Level.ERROR, "Error uploading snapshot: %s", "again");
        log.log(Logger.Level.INFO, "Profiling started");
        log.log(Logger.Level.DEBUG, "Config: %s", "httpHeaders={X-BK-TOKEN=t0ken-xyz}");
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        log.log(Logger.Level.WARN, "Error uploading snapshot: %s", "still down");

        assertEquals(List.of(
                "WARNING Error uploading snapshot: Failed to connect to /127.0.0.1:9",
                "DEBUG Error uploading snapshot: again",
                "DEBUG Profiling started",
                "TRACE Config: httpHeaders={X-BK-TOKEN=t0****}",
                "WARNING Error uploading snapshot: still down (1 more since the last warning, not shown)"),
                out.lines);
        assertEquals("Error uploading snapshot: still down", log.lastError());
    }
}
