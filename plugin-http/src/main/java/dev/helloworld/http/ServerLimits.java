package dev.helloworld.http;

import io.undertow.UndertowOptions;
import java.time.Duration;
import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * The server's limits, stated rather than inherited: Undertow's defaults accept 1 MiB of headers
 * and a million connections. These are generous for a service whose only real endpoint is a GET
 * without a body, and small enough that a misbehaving client cannot exhaust the process.
 */
final class ServerLimits {

    /** All request headers together; a larger request is refused and its connection closed. */
    static final int MAX_HEADER_SIZE = 16 * 1024;
    /** Number of request headers. */
    static final int MAX_HEADERS = 100;
    /** Request body; /helloworld reads none. */
    static final long MAX_ENTITY_SIZE = 64 * 1024;
    /** Open connections; past this the server stops accepting until it is back under {@link #CONNECTIONS_RESUME}. */
    static final int MAX_CONNECTIONS = 1024;
    static final int CONNECTIONS_RESUME = 1000;
    /** Connections waiting in the kernel to be accepted. */
    static final int BACKLOG = 1024;
    /** A connection that neither reads nor writes for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A kept-alive connection that sends no new request for this long is closed. */
    static final Duration NO_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** A request whose headers take longer than this to arrive (slowloris) is dropped. */
    static final Duration REQUEST_PARSE_TIMEOUT = Duration.ofSeconds(10);
    /** After the drain deadline, how long worker threads get to finish before they are interrupted. */
    static final Duration WORKER_SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);
    /** Threads for the non-blocking I/O; they never run request work. */
    static final int IO_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /**
     * Threads that run requests. The work is CPU-bound, so many more would only share the same
     * cores; fewer would queue short requests behind long ones.
     */
    static final int WORKER_THREADS = Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
    /** Prefix of every thread the server starts: {@code http I/O-1}, {@code http task-1}, {@code http Accept}. */
    static final String THREAD_NAME = "http";

    private ServerLimits() {}

    static OptionMap workerOptions() {
        return OptionMap.builder()
                .set(Options.WORKER_NAME, THREAD_NAME)
                .set(Options.WORKER_IO_THREADS, IO_THREADS)
                .set(Options.WORKER_TASK_CORE_THREADS, WORKER_THREADS)
                .set(Options.WORKER_TASK_MAX_THREADS, WORKER_THREADS)
                .set(Options.TCP_NODELAY, true)
                .getMap();
    }

    static OptionMap socketOptions() {
        return OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, BACKLOG)
                .set(Options.CONNECTION_HIGH_WATER, MAX_CONNECTIONS)
                .set(Options.CONNECTION_LOW_WATER, CONNECTIONS_RESUME)
                .getMap();
    }

    static OptionMap httpOptions() {
        return OptionMap.builder()
                .set(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_SIZE)
                .set(UndertowOptions.MAX_HEADERS, MAX_HEADERS)
                .set(UndertowOptions.MAX_ENTITY_SIZE, MAX_ENTITY_SIZE)
                .set(UndertowOptions.IDLE_TIMEOUT, millis(IDLE_TIMEOUT))
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(NO_REQUEST_TIMEOUT))
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(REQUEST_PARSE_TIMEOUT))
                // Undertow's builder sets this too: lets a pipelined request wait for the previous response.
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .getMap();
    }

    private static int millis(Duration d) {
        return Math.toIntExact(d.toMillis());
    }
}
