package dev.helloworld.core.logging;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Sets up java.util.logging for a process: one line per record on standard output. */
public final class ConsoleLogging {

    /** The logger whose records the OTLP plugin exports as OTLP logs, as in the original. */
    public static final String OTEL_LOGGER = "otel";

    /**
     * java.util.logging holds loggers weakly: without these references the levels set below are
     * lost at the next garbage collection, before the libraries ask for their loggers.
     */
    private static final Set<Logger> QUIETENED = ConcurrentHashMap.newKeySet();

    private ConsoleLogging() {}

    /**
     * Replaces the root logger's handlers with one that writes {@link LineFormatter} lines to
     * {@code out}, and quietens libraries that log banners at INFO.
     */
    public static void install(PrintStream out, boolean debug) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new FlushingHandler(out, new LineFormatter(debug)));
        // XNIO and Undertow announce their versions at INFO; that is noise in a reference service.
        for (String library : List.of("org.xnio", "io.undertow", "org.jboss")) {
            Logger logger = Logger.getLogger(library);
            logger.setLevel(Level.WARNING);
            QUIETENED.add(logger);
        }
    }

    /**
     * Writes and flushes every record at once, so that lines are never lost to a kill. The line
     * is formatted before the lock is taken: the request threads all log through this handler,
     * and formatting under the lock (as StreamHandler does) made them queue behind each other.
     */
    private static final class FlushingHandler extends Handler {
        private final PrintStream out;

        FlushingHandler(PrintStream out, LineFormatter formatter) {
            this.out = out;
            setFormatter(formatter);
            setLevel(Level.ALL);
        }

        @Override
        public void publish(java.util.logging.LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line = getFormatter().format(record);
            synchronized (this) {
                out.print(line);
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            // Never close standard output; only flush it.
            out.flush();
        }
    }
}
