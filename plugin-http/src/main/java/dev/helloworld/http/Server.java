package dev.helloworld.http;

import io.undertow.Handlers;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One Undertow HTTP listener with its own threads, put together from Undertow's parts rather than
 * its {@code Undertow} builder, because stopping needs what the builder hides: to close the
 * listening socket alone (the builder's {@code suspend} also drops every open connection, and the
 * requests on them) while requests in flight finish.
 */
final class Server {

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> acceptor;
    private final HttpOpenListener connections;
    private final GracefulShutdownHandler inFlight;

    private Server(XnioWorker worker, AcceptingChannel<StreamConnection> acceptor, HttpOpenListener connections,
            GracefulShutdownHandler inFlight) {
        this.worker = worker;
        this.acceptor = acceptor;
        this.connections = connections;
        this.inFlight = inFlight;
    }

    /**
     * Listens on {@code host:port} (port 0: any free one) and serves {@code handler}.
     *
     * @throws BindFailure when the address cannot be listened on; no thread is left running then
     */
    static Server start(String host, int port, HttpHandler handler) throws BindFailure {
        GracefulShutdownHandler inFlight = Handlers.gracefulShutdown(handler);
        HttpOpenListener connections = new HttpOpenListener(
                new DefaultByteBufferPool(true, 16 * 1024, -1, 4), ServerLimits.httpOptions());
        connections.setRootHandler(inFlight);
        XnioWorker worker = null;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            worker = Xnio.getInstance(HttpOpenListener.class.getClassLoader()).createWorker(ServerLimits.workerOptions());
            AcceptingChannel<StreamConnection> acceptor = worker.createStreamConnectionServer(address,
                    ChannelListeners.openListenerAdapter(connections), ServerLimits.socketOptions());
            acceptor.resumeAccepts();
            return new Server(worker, acceptor, connections, inFlight);
        } catch (IOException | RuntimeException e) {
            if (worker != null) {
                worker.shutdownNow();
            }
            throw new BindFailure(host, port, e);
        }
    }

    InetSocketAddress address() {
        return acceptor.getLocalAddress(InetSocketAddress.class);
    }

    /**
     * Closes the listening socket (new connections are refused), answers 503 to new requests on
     * open connections, waits up to {@code drain} for the requests in flight, then closes the
     * connections and ends the threads.
     *
     * @return whether every request in flight finished within {@code drain}
     */
    boolean stop(Duration drain) throws InterruptedException {
        // 503 first, then the listening socket: in the other order, a request on an open connection
        // could still be served after the socket had closed (HttpServiceTest saw it once).
        inFlight.shutdown();
        IoUtils.safeClose(acceptor);
        boolean drained;
        try {
            drained = inFlight.awaitShutdown(drain.toMillis());
        } finally {
            connections.closeConnections();
            worker.shutdown();
            if (!worker.awaitTermination(ServerLimits.WORKER_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        }
        return drained;
    }
}
