package dev.helloworld.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/** Where a client in this process connects to reach a listening socket. */
final class ConnectableAddress {

    private ConnectableAddress() {}

    /**
     * The base URI of {@code bound}: its own address, or loopback when it listens on a wildcard,
     * which is not an address one can connect to everywhere. The JDK reports a socket bound to
     * 0.0.0.0 as {@code ::} on a dual-stack system, so the configured host decides which loopback.
     */
    static URI of(String configuredHost, InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        String host;
        if (address.isAnyLocalAddress()) {
            host = configuredHost.contains(":") ? "[::1]" : "127.0.0.1";
        } else {
            String literal = address.getHostAddress();
            host = address instanceof Inet6Address ? "[" + literal.replaceFirst("%.*$", "") + "]" : literal;
        }
        return URI.create("http://" + host + ":" + bound.getPort());
    }
}
