package dev.helloworld.core.host;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The records of every {@code helloworld.*} logger while open, as {@code LEVEL [service] message}.
 * Holds the parent logger strongly: java.util.logging only keeps loggers weakly.
 */
final class CapturedLogs extends Handler implements AutoCloseable {

    private final Logger parent = Logger.getLogger("helloworld");
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> lines = new ArrayList<>();

    CapturedLogs() {
        parent.addHandler(this);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String service = record.getLoggerName().substring(ServiceHost.LOGGER_PREFIX.length());
        lines.add(record.getLevel().getName() + " [" + service + "] " + formatter.formatMessage(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        parent.removeHandler(this);
    }
}
