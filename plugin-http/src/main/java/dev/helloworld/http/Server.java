package dev.helloworld.http;

import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One Undertow HTTP listener with its own threads, put together from Undertow's parts rather than
 * its {@code Undertow} builder, because stopping needs what the builder hides: to close the
 * listening socket alone (the builder's {@code suspend} also drops every open connection, and the
 * requests on them) while requests in flight finish; and accepting needs a say per client
 * ({@link ClientAdmission}).
 */
final class Server {

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> acceptor;
    private final HttpOpenListener connections;

    private Server(XnioWorker worker, AcceptingChannel<StreamConnection> acceptor, HttpOpenListener connections) {
        this.worker = worker;
        this.acceptor = acceptor;
        this.connections = connections;
    }

    /**
     * Listens on {@code host:port} (port 0: any free one) and serves {@code handler} within {@code limits}.
     *
     * @throws BindFailure when the address cannot be listened on; no thread is left running then
     */
    static Server start(String host, int port, HttpHandler handler, ServerLimits limits, System.Logger log)
            throws BindFailure {
        HttpOpenListener connections = new HttpOpenListener(
                new DefaultByteBufferPool(true, 16 * 1024, -1, 4), limits.httpOptions());
        connections.setRootHandler(handler);
        XnioWorker worker = null;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            worker = Xnio.getInstance(HttpOpenListener.class.getClassLoader()).createWorker(limits.workerOptions());
            AcceptingChannel<StreamConnection> acceptor = worker.createStreamConnectionServer(address,
                    new ClientAdmission(connections, limits.perClient(), log), limits.socketOptions());
            acceptor.resumeAccepts();
            return new Server(worker, acceptor, connections);
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

    /** Closes the listening socket: new connections are refused, open ones go on. */
    void closeListener() {
        IoUtils.safeClose(acceptor);
    }

    /**
     * Closes the listening socket and every connection, then ends the threads, interrupting those
     * still working after {@link ServerLimits#WORKER_SHUTDOWN_TIMEOUT}.
     */
    void stop() throws InterruptedException {
        IoUtils.safeClose(acceptor);
        connections.closeConnections();
        worker.shutdown();
        if (!worker.awaitTermination(ServerLimits.WORKER_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            worker.shutdownNow();
        }
    }
}
