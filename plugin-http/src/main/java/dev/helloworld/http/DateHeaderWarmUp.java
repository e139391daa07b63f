package dev.helloworld.http;

import io.undertow.util.DateUtils;
import java.util.Date;

/**
 * Formats one {@code Date} header, as Undertow does for every response, on a thread of its own
 * while the server starts, so that the first request does not. The first format initialises the
 * JDK's locale data (the CLDR provider, date and number symbols, time zone names): 130-150 ms on
 * the first request's path in the start-up timelines of a quiet machine (BENCHMARKS.md figure 1),
 * all of it process-wide and none of it telemetry. A request that comes sooner waits for the
 * same class initialisation, no longer than it would have anyway.
 */
final class DateHeaderWarmUp {

    private DateHeaderWarmUp() {}

    static void begin() {
        Thread thread = new Thread(() -> DateUtils.toDateString(new Date()), "http-date-warm-up");
        // Nothing to wait for at stop: it ends by itself within a fraction of a second.
        thread.setDaemon(true);
        thread.start();
    }
}
