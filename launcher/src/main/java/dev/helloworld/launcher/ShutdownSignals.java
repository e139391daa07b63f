package dev.helloworld.launcher;

import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT run an orderly stop. With a plain shutdown hook the JVM would report a
 * signal death (exit 143); handling the signals lets {@code launcher run} return and exit 0 after
 * everything has flushed. A shutdown hook stays as the safety net for other ways out (SIGHUP,
 * {@code System.exit}); the stop it runs is idempotent. A second signal exits at once.
 */
final class ShutdownSignals {

    private ShutdownSignals() {}

    static void install(Runnable stop) {
        Runnable once = new Runnable() {
            private boolean started;

            @Override
            public synchronized void run() {
                if (started) {
                    // A second signal means "now": the user does not want to wait for the flush.
                    Runtime.getRuntime().halt(1);
                }
                started = true;
                // Off the signal-dispatch thread, so that a second signal is still delivered.
                new Thread(stop, "shutdown").start();
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> once.run());
            } catch (IllegalArgumentException e) {
                // The JVM already uses this signal (for example with -Xrs): the hook below covers it.
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown-hook"));
    }
}
