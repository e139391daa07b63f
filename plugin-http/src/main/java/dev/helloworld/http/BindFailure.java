package dev.helloworld.http;

import java.net.BindException;
import java.net.UnknownHostException;

/** The server could not listen; the message reads well after "[http] failed to start: ". */
final class BindFailure extends Exception {

    private static final long serialVersionUID = 1L;

    BindFailure(String host, int port, Throwable failure) {
        super(describe(hostAndPort(host, port), failure), failure);
    }

    /** {@code 0.0.0.0:8080}, or {@code [::]:8080} for an IPv6 literal. */
    static String hostAndPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String describe(String address, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                String message = String.valueOf(t.getMessage());
                return message.toLowerCase(java.util.Locale.ROOT).contains("in use")
                        ? "address " + address + " already in use"
                        : "cannot listen on " + address + ": " + message;
            }
            if (t instanceof UnknownHostException) {
                return "cannot listen on " + address + ": unknown host";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "cannot listen on " + address + ": " + (root.getMessage() != null ? root.getMessage() : root);
    }
}
