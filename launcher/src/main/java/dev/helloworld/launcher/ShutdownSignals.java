package dev.helloworld.launcher;

import dev.helloworld.core.config.Durations;
import dev.helloworld.core.host.ServiceHost;
import java.lang.System.Logger.Level;
import java.time.Duration;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT run an orderly stop. With a plain shutdown hook the JVM would report a
 * signal death (exit 143); handling the signals lets {@code launcher run} return and exit 0 after
 * everything has flushed. A shutdown hook stays as the safety net for other ways out (SIGHUP,
 * {@code System.exit}); the stop it runs is idempotent. A second signal exits at once.
 *
 * <p>Both say so on the console: with a collector that is down the flush takes the whole shutdown
 * timeout, and without a word the user cannot tell a flush from a hang, nor that a second Ctrl+C
 * ends the wait.
 */
final class ShutdownSignals {

    private static final System.Logger LOG = System.getLogger(ServiceHost.LOGGER_PREFIX + "launcher");

    private ShutdownSignals() {}

    /**
     * @param stop            the orderly stop, run once
     * @param shutdownTimeout how long that stop may take, for the line that announces it
     */
    static void install(Runnable stop, Duration shutdownTimeout) {
        Runnable stopping = () -> {
            LOG.log(Level.INFO, "stopping: the services stop and buffered telemetry is flushed, which may take up to "
                    + Durations.format(shutdownTimeout) + " (--shutdown-timeout); Ctrl+C again quits without waiting");
            stop.run();
        };
        SignalAction once = new SignalAction(stopping);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), once::received);
            } catch (IllegalArgumentException e) {
                // The JVM already uses this signal (for example with -Xrs): the hook below covers it.
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown-hook"));
    }

    private static final class SignalAction {
        private final Runnable stopping;
        private boolean started;

        SignalAction(Runnable stopping) {
            this.stopping = stopping;
        }

        synchronized void received(Signal signal) {
            if (started) {
                // A second signal means "now": the user does not want to wait for the flush.
                LOG.log(Level.WARNING, "second SIG" + signal.getName()
                        + ": quitting now without waiting for the flush; what is still buffered is lost (exit 1)");
                Runtime.getRuntime().halt(1);
            }
            started = true;
            // Off the signal-dispatch thread, so that a second signal is still delivered.
            new Thread(stopping, "shutdown").start();
        }
    }
}
