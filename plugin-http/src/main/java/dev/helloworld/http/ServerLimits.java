package dev.helloworld.http;

import io.undertow.UndertowOptions;
import java.time.Duration;
import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * A listener's limits, stated rather than inherited: Undertow's defaults accept 1 MiB of headers
 * and a million connections. {@link #DATA} is generous for a service whose only real endpoint is
 * a GET without a body, and small enough that a misbehaving client cannot exhaust the process;
 * {@link #MANAGEMENT} is the probes' own listener, small and with threads of its own, so that no
 * data traffic can make an orchestrator's probe wait.
 *
 * @param threadName     prefix of every thread the listener starts: {@code http I/O-1}, {@code http task-1}
 * @param ioThreads      threads for the non-blocking I/O; they never run request work
 * @param workerThreads  threads that run requests dispatched off the I/O threads
 * @param maxConnections open connections; past this the listener stops accepting until it is back
 *                       under {@code connectionsResume}
 * @param connectionsResume where accepting resumes
 * @param perClient      open connections one client address may hold; more are closed as soon
 *                       as they are accepted, so that no one client can take what others need
 * @param noRequestTimeout a connection that sends no (new) request for this long is closed
 */
record ServerLimits(String threadName, int ioThreads, int workerThreads, int maxConnections, int connectionsResume,
        int perClient, Duration noRequestTimeout) {

    /** All request headers together; a larger request is refused and its connection closed. */
    static final int MAX_HEADER_SIZE = 16 * 1024;
    /** Number of request headers. */
    static final int MAX_HEADERS = 100;
    /** Request body; /helloworld reads none. */
    static final long MAX_ENTITY_SIZE = 64 * 1024;
    /** Connections waiting in the kernel to be accepted. */
    static final int BACKLOG = 1024;
    /** A connection that neither reads nor writes for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A request whose headers take longer than this to arrive (slowloris) is dropped. */
    static final Duration REQUEST_PARSE_TIMEOUT = Duration.ofSeconds(10);
    /** After the drain deadline, how long worker threads get to finish before they are interrupted. */
    static final Duration WORKER_SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);
    /** What a 503 during the drain tells the client: retry in a second (elsewhere, behind a balancer). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** Prefix of the data listener's threads. */
    static final String THREAD_NAME = "http";

    /**
     * The data listener ({@code --http-port}). The request work is CPU-bound, so many more worker
     * threads would only share the same cores; fewer would queue short requests behind long ones.
     * A quarter of the connections per client: it takes four addresses to fill the server, and a
     * load generator with 256 connections (the benchmarks use 64) and the querier (at most 128)
     * fit. Behind a proxy every client is the proxy's address: put the proxy's own limits first.
     */
    static final ServerLimits DATA = new ServerLimits(THREAD_NAME,
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Math.max(16, 8 * Runtime.getRuntime().availableProcessors()),
            1024, 1000, 256, Duration.ofSeconds(30));

    /**
     * The management listener ({@code --management-port}): probes are answered on its one I/O
     * thread and never wait for a worker (one is the least XNIO starts). A kubelet opens a
     * connection or two per probe; 64 leave room for several probers, 16 per address keep one
     * prober from taking them all, and idle connections go after 10 s.
     */
    static final ServerLimits MANAGEMENT = new ServerLimits(THREAD_NAME + " management", 1, 1, 64, 60, 16,
            Duration.ofSeconds(10));

    OptionMap workerOptions() {
        return OptionMap.builder()
                .set(Options.WORKER_NAME, threadName)
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                .set(Options.TCP_NODELAY, true)
                .getMap();
    }

    OptionMap socketOptions() {
        return OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, BACKLOG)
                .set(Options.CONNECTION_HIGH_WATER, maxConnections)
                .set(Options.CONNECTION_LOW_WATER, connectionsResume)
                .getMap();
    }

    OptionMap httpOptions() {
        return OptionMap.builder()
                .set(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_SIZE)
                .set(UndertowOptions.MAX_HEADERS, MAX_HEADERS)
                .set(UndertowOptions.MAX_ENTITY_SIZE, MAX_ENTITY_SIZE)
                .set(UndertowOptions.IDLE_TIMEOUT, millis(IDLE_TIMEOUT))
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(noRequestTimeout))
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(REQUEST_PARSE_TIMEOUT))
                // Undertow's builder sets this too: lets a pipelined request wait for the previous response.
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .getMap();
    }

    private static int millis(Duration d) {
        return Math.toIntExact(d.toMillis());
    }
}
