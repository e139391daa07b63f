package dev.helloworld.launcher;

import dev.helloworld.core.config.Durations;
import dev.helloworld.core.host.ServiceHost;
import java.lang.System.Logger.Level;
import java.time.Duration;
import sun.misc.Signal;

/**
 * Makes SIGTERM, SIGINT and SIGHUP run an orderly stop. With a plain shutdown hook the JVM would
 * report a signal death (exit 143); handling the signals lets {@code launcher run} return and exit 0
 * after everything has flushed. A shutdown hook stays as the safety net for other ways out
 * ({@code System.exit}, a signal the JVM keeps for itself under {@code -Xrs}); the stop it runs is
 * idempotent.
 *
 * <p>The handlers are installed first thing in {@code main}, before the plugins are found, so that
 * a signal during the first second of a start is not the JVM's silent exit 143: until {@code run}
 * hands over its stop ({@link #stopWith}) a signal is held, and {@code run} then stops at once,
 * before any service has started. Every other command ({@link #exitOnSignal}) exits as the JVM
 * would, with 128 + the signal's number, and says so.
 *
 * <p>A second signal quits without waiting for the flush, but only after {@link #SAME_REQUEST}:
 * coreutils' {@code timeout} and a signal to a process group deliver the same stop twice within
 * milliseconds, and that must not cost the buffered telemetry. Both say so on the console: with a
 * collector that is down the flush takes the whole shutdown timeout, and without a word the user
 * cannot tell a flush from a hang, nor that a second Ctrl+C ends the wait.
 */
final class ShutdownSignals {

    /**
     * Signals this close after the first are the same stop request delivered twice. Half a second:
     * duplicates from {@code timeout} and process groups arrive 0.5-10 ms apart, and a person
     * who means "quit now" has first read the stopping line, which takes longer.
     */
    static final Duration SAME_REQUEST = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(ServiceHost.LOGGER_PREFIX + "launcher");
    private static final String[] STOP_SIGNALS = {"TERM", "INT", "HUP"};

    /** What a signal does once the command is known; null while it is not. */
    private Runnable stop;
    private boolean exitOnSignal;
    /** The first stop signal and when it came (System.nanoTime), if one has. */
    private Signal first;
    private long firstAt;
    private boolean stopping;

    private ShutdownSignals() {}

    /** Takes over SIGTERM, SIGINT and SIGHUP, except those the JVM keeps or that are ignored (nohup, a background job). */
    static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String name : STOP_SIGNALS) {
            try {
                Signal.handle(new Signal(name), signals::received);
            } catch (IllegalArgumentException e) {
                // The JVM already uses this signal (for example with -Xrs): the hook of stopWith covers it.
            }
        }
        return signals;
    }

    /**
     * {@code run}: a stop signal runs {@code stop} (once, off the signal thread), announced with how
     * long it may take. A signal that came before this runs it now, here, so that the host is
     * stopped before it starts any service.
     *
     * @return whether it ran the stop now, for a signal that came before
     */
    boolean stopWith(Runnable stop, Duration shutdownTimeout) {
        Runnable announced = () -> {
            LOG.log(Level.INFO, "stopping: the services stop and buffered telemetry is flushed, which may take up to "
                    + Durations.format(shutdownTimeout) + " (--shutdown-timeout); Ctrl+C again quits without waiting");
            stop.run();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown-hook"));
        synchronized (this) {
            this.stop = announced;
            if (first == null) {
                return false;
            }
            stopping = true;
        }
        // Outside the lock, so that a deliberate second signal can still quit.
        announced.run();
        return true;
    }

    /** Every command but {@code run}: nothing to flush, so a stop signal ends the process at once. */
    synchronized void exitOnSignal() {
        exitOnSignal = true;
        if (first != null) {
            exit(first);
        }
    }

    private synchronized void received(Signal signal) {
        long now = System.nanoTime();
        if (first == null) {
            first = signal;
            firstAt = now;
            if (stop != null) {
                stopping = true;
                // Off the signal-dispatch thread, so that a second signal is still delivered.
                new Thread(stop, "shutdown").start();
            } else if (exitOnSignal) {
                exit(signal);
            }
            // Otherwise held until the command says what a signal means to it.
            return;
        }
        if (now - firstAt < SAME_REQUEST.toNanos()) {
            // Not logged: timeout(1) sends its SIGTERM this way every time, and it changes nothing.
            return;
        }
        if (stopping) {
            // A deliberate second signal means "now": the user does not want to wait for the flush.
            LOG.log(Level.WARNING, "second SIG" + signal.getName()
                    + ": quitting now without waiting for the flush; what is still buffered is lost (exit 1)");
            Runtime.getRuntime().halt(1);
        }
        if (exitOnSignal) {
            exit(signal);
        }
    }

    /** Ends a command that has nothing to flush as the JVM would on this signal, saying so. */
    private static void exit(Signal signal) {
        System.err.println("launcher: stopped by SIG" + signal.getName() + " (exit " + (128 + signal.getNumber()) + ")");
        // Not on the signal-dispatch thread: System.exit waits for shutdown hooks, which may wait for it.
        new Thread(() -> System.exit(128 + signal.getNumber()), "exit-on-signal").start();
    }
}
