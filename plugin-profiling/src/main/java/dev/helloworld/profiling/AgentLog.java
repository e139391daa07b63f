package dev.helloworld.profiling;

import dev.helloworld.core.config.Secrets;
import dev.helloworld.core.logging.RateLimit;
import io.pyroscope.javaagent.api.Logger;
import java.time.Duration;

/**
 * The agent's log, in the service's own log with its {@code [profiling]} prefix.
 *
 * <p>The agent reports an unreachable endpoint as an error on every retry; for this service that
 * is a warning (profiles are best effort, the service keeps serving), and at most one a minute.
 * Its informational chatter ("Profiling started") is debug here, since the host already logs
 * "service started". The token is masked in anything the agent prints: its configuration dump
 * includes the HTTP headers.
 */
final class AgentLog implements Logger {

    static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    private final System.Logger log;
    private final String token;
    private final RateLimit warnings;
    private volatile String lastError = "";

    AgentLog(System.Logger log, String token, RateLimit warnings) {
        this.log = log;
        this.token = token;
        this.warnings = warnings;
    }

    AgentLog(System.Logger log, String token) {
        this(log, token, new RateLimit(WARNING_INTERVAL));
    }

    @Override
    public void log(Logger.Level level, String format, Object... args) {
        String message = mask(args.length == 0 ? format : String.format(format, args));
        switch (level) {
            case ERROR, WARN -> warn(message);
            case INFO -> log.log(System.Logger.Level.DEBUG, message);
            default -> log.log(System.Logger.Level.TRACE, message);
        }
    }

    /** The agent's most recent error or warning, for a start failure that it only logged. */
    String lastError() {
        return lastError;
    }

    private void warn(String message) {
        lastError = message;
        int suppressed = warnings.tryAcquire("agent");
        if (suppressed >= 0) {
            log.log(System.Logger.Level.WARNING, suppressed == 0 ? message
                    : message + " (" + suppressed + " more since the last warning, not shown)");
        } else {
            log.log(System.Logger.Level.DEBUG, message);
        }
    }

    private String mask(String message) {
        return token.isEmpty() ? message : message.replace(token, Secrets.mask(token));
    }
}
