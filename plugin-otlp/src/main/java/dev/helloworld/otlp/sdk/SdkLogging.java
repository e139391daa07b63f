package dev.helloworld.otlp.sdk;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What of the SDK's own java.util.logging output reaches the console: export failures at most
 * once a minute per signal, warnings about a client's malformed baggage at most once a minute
 * each, and no INFO chatter about resource schema URLs (the detectors and
 * the SDK use different semantic convention versions; that is harmless). Process-wide, like the
 * loggers themselves.
 */
public final class SdkLogging {

    private static final ExportFailureFilter FAILURES = new ExportFailureFilter(Duration.ofMinutes(1), System::nanoTime);

    // Strong references: java.util.logging holds loggers weakly, and a collected one loses its settings.
    private static final List<Logger> EXPORTERS = ExportFailureFilter.LOGGERS.stream().map(Logger::getLogger).toList();
    private static final Logger RESOURCE = Logger.getLogger("io.opentelemetry.sdk.resources.Resource");
    private static final ClientInputWarnings CLIENT_INPUT = new ClientInputWarnings(Duration.ofMinutes(1), System::nanoTime);
    private static final List<Logger> CLIENT_INPUT_LOGGERS = ClientInputWarnings.LOGGERS.stream().map(Logger::getLogger)
            .toList();

    private SdkLogging() {}

    /**
     * Idempotent. A new pipeline reports its first failure of each signal at once, even if an
     * earlier one in the same JVM reported one less than a minute ago.
     */
    public static void install() {
        FAILURES.forget();
        EXPORTERS.forEach(logger -> logger.setFilter(FAILURES));
        CLIENT_INPUT.forget();
        CLIENT_INPUT_LOGGERS.forEach(logger -> logger.setFilter(CLIENT_INPUT));
        if (RESOURCE.getLevel() == null) {
            RESOURCE.setLevel(Level.WARNING);
        }
    }
}
