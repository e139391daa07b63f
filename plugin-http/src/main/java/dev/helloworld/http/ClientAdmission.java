package dev.helloworld.http;

import dev.helloworld.core.logging.RateLimit;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * Accepts connections and hands them to {@code next}, but closes at once a connection from a
 * client address that already holds {@code perClient} open ones: without it, one client with a
 * thousand idle sockets holds every connection the server allows, and nobody else, probes
 * included, gets in until they time out. Takes the place of XNIO's {@code openListenerAdapter},
 * which also logs an ERROR for every connection still queued when the listening socket closes.
 *
 * <p>Each admitted connection is held in its client's set until its close listener runs (XNIO
 * chains close listeners, so Undertow's own does not replace it). Under load some connections
 * that the client closes first are closed by XNIO without either the listener or
 * {@code isOpen()} ever saying so (HttpAbuseIT met it after a few thousand short connections), so
 * a client at its limit has its set checked against the sockets themselves before it is refused.
 */
final class ClientAdmission implements ChannelListener<AcceptingChannel<StreamConnection>> {

    /** How often a refusal is logged: a client that keeps reconnecting costs a line a minute. */
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    /** Every this many accepts, every held connection is checked against its socket. */
    private static final int SWEEP_EVERY = 4096;

    private final ChannelListener<? super StreamConnection> next;
    private final int perClient;
    private final System.Logger log;
    private final RateLimit reports = new RateLimit(REPORT_EVERY);
    // Guarded by this: accepts and closes run on any I/O thread. Clients with no open connection
    // are removed, so the map holds at most one entry per open connection.
    private final Map<InetAddress, Set<StreamConnection>> open = new HashMap<>();
    private int acceptsSinceSweep;

    ClientAdmission(ChannelListener<? super StreamConnection> next, int perClient, System.Logger log) {
        this.next = next;
        this.perClient = perClient;
        this.log = log;
    }

    @Override
    public void handleEvent(AcceptingChannel<StreamConnection> channel) {
        StreamConnection connection;
        try {
            connection = channel.accept();
        } catch (IOException e) {
            // The listening socket closed while connections were queued (we are stopping), or the
            // process is out of descriptors, which the next accept will meet again: no stack trace.
            if (channel.isOpen()) {
                log.log(Level.WARNING, "could not accept a connection: {0}", String.valueOf(e.getMessage()));
            }
            return;
        }
        if (connection == null) {
            return;
        }
        InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
        InetAddress client = peer == null ? null : peer.getAddress();
        if (client != null && !admit(client, connection)) {
            IoUtils.safeClose(connection);
            int held = reports.tryAcquire("per-client");
            if (held >= 0) {
                log.log(Level.WARNING, "closed a connection from {0}, which already holds {1} (the most per client)"
                        + (held > 0 ? "; " + held + " more since the last such line" : ""),
                        client.getHostAddress(), perClient);
            }
            return;
        }
        if (client != null) {
            // Before Undertow sees it, which may close it at once; a listener set on a closed
            // connection runs at once.
            connection.setCloseListener(closed -> release(client, closed));
        }
        next.handleEvent(connection);
    }

    private synchronized boolean admit(InetAddress client, StreamConnection connection) {
        if (++acceptsSinceSweep >= SWEEP_EVERY) {
            // What the close listeners missed, of clients that never come back to their limit.
            acceptsSinceSweep = 0;
            open.values().removeIf(held -> {
                held.removeIf(c -> !socketOpen(c));
                return held.isEmpty();
            });
        }
        Set<StreamConnection> held = open.computeIfAbsent(client, c -> new HashSet<>());
        if (held.size() >= perClient) {
            held.removeIf(c -> !socketOpen(c));
            if (held.size() >= perClient) {
                return false;
            }
        }
        held.add(connection);
        return true;
    }

    private synchronized void release(InetAddress client, StreamConnection connection) {
        Set<StreamConnection> held = open.get(client);
        if (held != null && held.remove(connection) && held.isEmpty()) {
            open.remove(client);
        }
    }

    /** Asks the socket itself: an option of a closed one cannot be read. */
    private static boolean socketOpen(StreamConnection connection) {
        try {
            connection.getOption(Options.TCP_NODELAY);
            return connection.isOpen();
        } catch (IOException | RuntimeException closed) {
            return false;
        }
    }
}
