package dev.helloworld.otlp.sdk;

import dev.helloworld.core.logging.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * The API's warnings about what a client sent, a malformed {@code baggage} header above all: one
 * per request, so any client could write as many lines to the log as it sent requests. Let
 * through at most once a minute per message, as the service's own warnings, saying how many like
 * it were held back.
 */
final class ClientInputWarnings implements Filter {

    /** The loggers of the W3C baggage propagator and its parser (one per class, not inherited). */
    static final List<String> LOGGERS = List.of("io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator",
            "io.opentelemetry.api.baggage.propagation.Parser");

    private final RateLimit limit;

    ClientInputWarnings(Duration window, LongSupplier nanoClock) {
        this.limit = new RateLimit(window, nanoClock);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = String.valueOf(record.getMessage());
        int held = limit.tryAcquire(message);
        if (held < 0) {
            return false;
        }
        record.setMessage(message + " (from a client's baggage header; at most one such line a minute"
                + (held > 0 ? ", " + held + " held back since the last" : "") + ")");
        return true;
    }

    void forget() {
        limit.reset();
    }
}
