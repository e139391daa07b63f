package dev.helloworld.http;

import dev.helloworld.core.logging.RateLimit;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * Accepts connections and hands them to {@code next}, but closes at once a connection from a
 * client address that already holds {@code perClient} open ones: without it, one client with a
 * thousand idle sockets holds every connection the server allows, and nobody else, probes
 * included, gets in until they time out. Takes the place of XNIO's {@code openListenerAdapter},
 * which also logs an ERROR for every connection still queued when the listening socket closes.
 *
 * <p>Open connections are found by asking each one whether it is still open rather than by a close
 * listener, because Undertow takes the connection's only close listener for itself.
 */
final class ClientAdmission implements ChannelListener<AcceptingChannel<StreamConnection>> {

    /** How often a refusal is logged: a client that keeps reconnecting costs a line a minute. */
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    /** Every this many accepts, clients whose connections have all closed are forgotten. */
    private static final int SWEEP_EVERY = 1024;

    private final ChannelListener<? super StreamConnection> next;
    private final int perClient;
    private final System.Logger log;
    private final RateLimit reports = new RateLimit(REPORT_EVERY);
    // Guarded by this: accepts may run on any I/O thread.
    private final Map<InetAddress, List<StreamConnection>> open = new HashMap<>();
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
        next.handleEvent(connection);
    }

    private synchronized boolean admit(InetAddress client, StreamConnection connection) {
        if (++acceptsSinceSweep >= SWEEP_EVERY) {
            acceptsSinceSweep = 0;
            open.values().removeIf(held -> {
                held.removeIf(c -> !c.isOpen());
                return held.isEmpty();
            });
        }
        List<StreamConnection> held = open.computeIfAbsent(client, c -> new ArrayList<>());
        if (held.size() >= perClient) {
            held.removeIf(c -> !c.isOpen());
            if (held.size() >= perClient) {
                return false;
            }
        }
        held.add(connection);
        return true;
    }
}
