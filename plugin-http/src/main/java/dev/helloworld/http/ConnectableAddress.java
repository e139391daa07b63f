package dev.helloworld.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/** Where a client in this process connects to reach a listening socket. */
final class ConnectableAddress {

    private ConnectableAddress() {}

    /**
     * The base URI of {@code bound}: its own address, or loopback when it listens on a wildcard
     * (0.0.0.0 or ::), which is not an address one can connect to everywhere.
     */
    static URI of(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        String host;
        if (address.isAnyLocalAddress()) {
            host = address instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        } else {
            String literal = address.getHostAddress();
            host = address instanceof Inet6Address ? "[" + literal.replaceFirst("%.*$", "") + "]" : literal;
        }
        return URI.create("http://" + host + ":" + bound.getPort());
    }
}
