package dev.helloworld.core.host;

import dev.helloworld.core.spi.Service;
import java.util.concurrent.CompletableFuture;

/**
 * The start of a service that {@linkplain Service#startsAlongsideLaterOnes() starts alongside later
 * ones}, on a thread of its own: what it threw, if anything, and when it is over.
 */
final class AlongsideStart {

    /** What the host does when the start is over, on the start's own thread. */
    interface Ending {
        void ended(Service service, Throwable failure);
    }

    private final Service service;
    private final CompletableFuture<Void> over = new CompletableFuture<>();
    private volatile Throwable failure;

    private AlongsideStart(Service service) {
        this.service = service;
    }

    /** Starts {@code service} with {@code context} on a new thread named {@code start-<name>}. */
    static AlongsideStart begin(Service service, HostContext context, Ending ending) {
        AlongsideStart start = new AlongsideStart(service);
        Thread thread = new Thread(() -> {
            try {
                service.start(context);
            } catch (Exception | Error e) {
                start.failure = e;
            } finally {
                try {
                    ending.ended(service, start.failure);
                } finally {
                    start.over.complete(null);
                }
            }
        }, "start-" + service.name());
        // A start that hangs must not keep the JVM alive after the host has given up on it.
        thread.setDaemon(true);
        thread.start();
        return start;
    }

    Service service() {
        return service;
    }

    /** Waits until the start is over; what it threw, or null. */
    Throwable await() {
        over.join();
        return failure;
    }
}
