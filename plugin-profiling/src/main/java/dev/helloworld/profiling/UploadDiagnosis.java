package dev.helloworld.profiling;

import dev.helloworld.core.config.Durations;
import dev.helloworld.core.spi.SignalCheck;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Turns the outcome of a check's profile upload into a line a user can act on: the cause, and the likely fix. */
final class UploadDiagnosis {

    private static final int SHOWN_TEXT = 200;

    private final URI target;
    private final Duration timeout;

    UploadDiagnosis(URI target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
    }

    SignalCheck of(UploadOutcome outcome, Duration elapsed) {
        Optional<UploadOutcome.Error> error = outcome.error();
        if (error.isEmpty()) {
            return SignalCheck.passed(ProfilingExportCheck.SIGNAL, target.toString(), elapsed);
        }
        UploadOutcome.Error e = error.get();
        return e.status() == 0 ? ioError(e.text(), elapsed) : refused(e.status(), e.text(), elapsed);
    }

    SignalCheck noAnswer(Duration waited) {
        return failed(waited, "no answer from " + hostPort() + " within the check's " + Durations.format(timeout),
                "Pyroscope is slow or stuck, or something between holds the upload; give more time with --timeout");
    }

    private SignalCheck refused(int status, String body, Duration elapsed) {
        String said = body.isBlank() ? "" : " (" + shorten(body) + ")";
        return switch (status) {
            case 401 -> failed(elapsed, "HTTP 401: the profiling endpoint refused the token" + said,
                    "check --token (TOKEN)");
            case 403 -> failed(elapsed, "HTTP 403: the token is not allowed to send profiles" + said,
                    "check --token (TOKEN), and that its application accepts profiles");
            case 404, 405 -> failed(elapsed, "HTTP " + status + " at " + target.getPath() + ": no Pyroscope ingest here" + said,
                    "if Pyroscope is served under a path prefix (such as /pyroscope), put it in --profiling-endpoint");
            case 413 -> failed(elapsed, "HTTP 413: the profile was too large for something between" + said,
                    "raise the request size limit of the proxy in front of Pyroscope");
            case 429, 500, 502, 503, 504 -> failed(elapsed, "HTTP " + status + ": Pyroscope is overloaded or not ready" + said,
                    "try again; if it persists, see Pyroscope's log");
            default -> failed(elapsed, "HTTP " + status + said, "");
        };
    }

    private SignalCheck ioError(String message, Duration elapsed) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("failed to connect") || lower.contains("connection refused")) {
            return failed(elapsed, "connection refused at " + hostPort(),
                    "is Pyroscope running, and listening on this address and port (--profiling-endpoint)?");
        }
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return noAnswer(elapsed);
        }
        if (lower.contains("pkix") || lower.contains("certification path")) {
            return failed(elapsed, "certificate of " + hostPort() + " not trusted",
                    "the profiler trusts the JVM's CA certificates: add the CA there, or give a trust store in "
                            + "JAVA_OPTS (-Djavax.net.ssl.trustStore=...)");
        }
        if (lower.contains("unrecognized ssl message")) {
            return failed(elapsed, hostPort() + " does not speak TLS", "use http:// instead of https:// in --profiling-endpoint");
        }
        if (lower.contains("name or service not known") || lower.contains("nodename nor servname")
                || lower.contains("unable to resolve host")) {
            return failed(elapsed, "unknown host " + target.getHost(), "check the host name in --profiling-endpoint");
        }
        return failed(elapsed, "the upload failed: " + shorten(message), "");
    }

    private SignalCheck failed(Duration elapsed, String cause, String fix) {
        return SignalCheck.failed(ProfilingExportCheck.SIGNAL, target.toString(), elapsed, cause, fix);
    }

    private String hostPort() {
        int port = target.getPort() >= 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
        return target.getHost() + ":" + port;
    }

    private static String shorten(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= SHOWN_TEXT ? line : line.substring(0, SHOWN_TEXT) + "...";
    }
}
