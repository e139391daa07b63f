package dev.helloworld.scenarios;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The failing dependency {@link Downstream} calls, on loopback: a port that refuses (bound, then
 * closed, so nothing listens), or a socket that accepts and never answers. Never reachable from
 * outside the host.
 */
final class Dependency implements AutoCloseable {

    /** How often the silent one looks for connections to let go, when no new one comes. */
    private static final int SWEEP_MILLIS = 500;

    private final boolean answersConnections;
    private final Duration keep;
    private volatile int port;
    private ServerSocket server;
    private Thread acceptor;

    private Dependency(boolean answersConnections, Duration keep) {
        this.answersConnections = answersConnections;
        this.keep = keep;
    }

    /** Connections to it are refused. */
    static Dependency refusing() {
        return new Dependency(false, Duration.ZERO);
    }

    /**
     * Connections to it are accepted, and closed only {@code keep} after that (so that a caller
     * times out first), which bounds the sockets it holds to the calls of that long.
     */
    static Dependency silent(Duration keep) {
        return new Dependency(true, keep);
    }

    synchronized void open() {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            port = socket.getLocalPort();
            if (!answersConnections) {
                // Nothing listens there now. Another process could bind the port again, but an
                // ephemeral port is rarely reused within the minutes an incident lasts.
                socket.close();
                return;
            }
            socket.setSoTimeout(SWEEP_MILLIS);
            server = socket;
            acceptor = new Thread(this::holdConnections, "scenario-downstream");
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port for the dependency", e);
        }
    }

    int port() {
        return port;
    }

    private void holdConnections() {
        record Held(Socket socket, long since) {}
        Deque<Held> held = new ArrayDeque<>();
        while (!server.isClosed()) {
            try {
                held.add(new Held(server.accept(), System.nanoTime()));
            } catch (SocketTimeoutException e) {
                // a sweep below
            } catch (IOException e) {
                break; // closed
            }
            long before = System.nanoTime() - keep.toNanos();
            while (!held.isEmpty() && held.peekFirst().since() - before < 0) {
                closeQuietly(held.removeFirst().socket());
            }
        }
        held.forEach(h -> closeQuietly(h.socket()));
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            closeQuietly(server);
            try {
                acceptor.join(2 * SWEEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed or broken: nothing is held any more either way.
        }
    }
}
