package dev.helloworld.otlp.check;

import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.ExporterType;
import dev.helloworld.core.spi.SignalCheck;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Turns the outcome of one OTLP export into a line a user can act on: what went wrong, in words,
 * and the likely fix. The mistakes it knows are the usual ones of a new pipeline: nothing listening,
 * a token refused, a signal without a pipeline, OTLP/HTTP and OTLP/gRPC ports swapped, TLS on one
 * side only, a certificate not trusted, a partial success.
 */
final class ExportDiagnosis {

    private static final int SHOWN_BODY = 200;

    /**
     * OkHttp reading an HTTP/1.1 answer as HTTP/2 frames: "HTT" is taken for a frame length,
     * 0x485454 = 4740180, which it refuses as FRAME_SIZE_ERROR.
     */
    private static final Pattern HTTP1_AS_FRAME = Pattern.compile("frame_size_error: 4740180|http/1\\.");
    /**
     * OkHttp reading an HTTP/2 server's first frame as a status line: it shows the bytes, which
     * start with a SETTINGS frame (3 bytes of length, type 04).
     */
    private static final Pattern HTTP2_FRAME = Pattern.compile("content=0000[0-9a-f]{2}04");
    /** The same with a TLS server's answer to plain text: an alert record (type 15, version 03 0x). */
    private static final Pattern TLS_ALERT = Pattern.compile("content=1503");

    private final String signal;
    private final ExporterType exporter;
    private final URI target;
    private final Duration timeout;

    /**
     * @param signal   traces, metrics or logs
     * @param exporter {@link ExporterType#GRPC} or {@link ExporterType#HTTP}
     * @param target   where the exporter sends (for OTLP/HTTP, with the signal's path)
     * @param timeout  the check's, which a line without an answer names
     */
    ExportDiagnosis(String signal, ExporterType exporter, URI target, Duration timeout) {
        this.signal = signal;
        this.exporter = exporter;
        this.target = target;
        this.timeout = timeout;
    }

    /** The line for an export whose result came: {@code exported} as the exporter said, and what the sender saw. */
    SignalCheck of(boolean exported, Optional<SenderOutcome> outcome, Duration elapsed) {
        if (outcome.isEmpty()) {
            return exported ? SignalCheck.passed(signal, target(), elapsed)
                    : failed(elapsed, "the exporter failed without sending", "run with --debug to see why");
        }
        SenderOutcome answer = outcome.get();
        if (answer instanceof SenderOutcome.Http http) {
            return http(http, elapsed);
        }
        if (answer instanceof SenderOutcome.Grpc grpc) {
            return grpc(grpc, elapsed);
        }
        return error(((SenderOutcome.Failure) answer).error(), elapsed);
    }

    /** The line for an export that had no result before the check's timeout, after {@code waited}. */
    SignalCheck noAnswer(Duration waited) {
        return failed(waited, "no answer from " + hostPort() + " within the check's " + Durations.format(timeout),
                "the collector is slow or stuck, or something between holds the request; give more time with --timeout");
    }

    private SignalCheck http(SenderOutcome.Http http, Duration elapsed) {
        int status = http.status();
        if (status >= 200 && status < 300) {
            return partialOrPassed(http.body(), elapsed);
        }
        String said = serverSaid(http.body()).map(s -> " (" + s + ")").orElse("");
        String path = target.getPath() == null || target.getPath().isEmpty() ? "/" : target.getPath();
        return switch (status) {
            case 401 -> failed(elapsed, "HTTP 401: the collector refused the token" + said,
                    "check --token (TOKEN) against the token of the APM application");
            case 403 -> failed(elapsed, "HTTP 403: the token is not allowed to send " + signal + said,
                    "check --token (TOKEN), and that its application accepts " + signal);
            case 404 -> failed(elapsed, "HTTP 404 at " + path + ": this endpoint has no " + signal + " pipeline" + said,
                    "add a " + signal + " pipeline to the collector, or turn " + signal + " off (--no-enable-" + signal
                            + "); if every signal gets 404, the path in --endpoint is wrong");
            case 405 -> failed(elapsed, "HTTP 405 at " + path + ": this URL does not take OTLP" + said,
                    "check --endpoint: with --exporter http, /v1/" + signal + " is appended to it");
            case 413 -> failed(elapsed, "HTTP 413: the collector refused the size of a tiny request" + said,
                    "something between limits request bodies; see its configuration");
            case 415 -> failed(elapsed, "HTTP 415: this endpoint does not take OTLP protobuf" + said,
                    "check --endpoint: it must be an OTLP/HTTP receiver");
            case 429, 503 -> failed(elapsed, "HTTP " + status + ": the collector is overloaded or not ready" + said,
                    "try again; if it persists, see the collector's log");
            case 502, 504 -> failed(elapsed, "HTTP " + status + ": a proxy in between could not reach the collector" + said,
                    "check the proxy and the collector behind it");
            default -> failed(elapsed, "HTTP " + status + " " + http.statusMessage() + said, "");
        };
    }

    private SignalCheck grpc(SenderOutcome.Grpc grpc, Duration elapsed) {
        GrpcStatusCode status = grpc.status();
        if (status == GrpcStatusCode.OK) {
            return partialOrPassed(grpc.body(), elapsed);
        }
        String said = grpc.description() == null || grpc.description().isBlank() ? "" : " (" + shorten(grpc.description()) + ")";
        String name = "gRPC " + status.name();
        return switch (status) {
            case UNAUTHENTICATED -> failed(elapsed, name + ": the collector refused the token" + said,
                    "check --token (TOKEN) against the token of the APM application");
            case PERMISSION_DENIED -> failed(elapsed, name + ": the token is not allowed to send " + signal + said,
                    "check --token (TOKEN), and that its application accepts " + signal);
            case UNIMPLEMENTED -> failed(elapsed, name + ": this endpoint has no " + signal + " pipeline" + said,
                    "add a " + signal + " pipeline to the collector, or turn " + signal + " off (--no-enable-" + signal
                            + "); if every signal gets this, the port is not OTLP/gRPC");
            case UNAVAILABLE, RESOURCE_EXHAUSTED -> failed(elapsed, name + ": the collector is overloaded or not ready" + said,
                    "try again; if it persists, see the collector's log");
            case DEADLINE_EXCEEDED -> noAnswer(elapsed);
            default -> failed(elapsed, name + said, "");
        };
    }

    private SignalCheck partialOrPassed(byte[] body, Duration elapsed) {
        Optional<ProtoFields.PartialSuccess> partial = ProtoFields.partialSuccess(body);
        if (partial.isPresent() && partial.get().rejected() > 0) {
            String message = partial.get().message().isBlank() ? "" : ": " + shorten(partial.get().message());
            return failed(elapsed, "partial success: " + partial.get().rejected() + " " + items() + " rejected" + message,
                    "the collector took the request but dropped part of it; its message says why");
        }
        return SignalCheck.passed(signal, target(), elapsed);
    }

    private SignalCheck error(Throwable error, Duration elapsed) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        String text = String.join(" / ", chain.stream().map(t -> String.valueOf(t.getMessage())).toList());
        String lower = text.toLowerCase(Locale.ROOT);
        if (has(chain, CertPathBuilderException.class) || has(chain, CertPathValidatorException.class)
                || lower.contains("pkix") || lower.contains("unable to find valid certification path")) {
            return failed(elapsed, "certificate of " + hostPort() + " not trusted",
                    "give the CA that signed it with --otlp-certificate <pem file> (OTLP_CERTIFICATE)");
        }
        if (has(chain, SSLPeerUnverifiedException.class)) {
            return failed(elapsed, "the certificate of " + hostPort() + " is not issued for " + target.getHost(),
                    "put the host name the certificate names in --endpoint");
        }
        if (lower.contains("unrecognized ssl message") || lower.contains("plaintext connection")) {
            return failed(elapsed, hostPort() + " does not speak TLS", "use http:// instead of https:// in --endpoint");
        }
        if (has(chain, SSLHandshakeException.class) || has(chain, SSLException.class)) {
            return failed(elapsed, "TLS with " + hostPort() + " failed: " + first(chain), "");
        }
        if (has(chain, ConnectException.class)) {
            return failed(elapsed, "connection refused at " + hostPort(),
                    "is the collector running, and listening on this address and port?");
        }
        if (has(chain, UnknownHostException.class)) {
            return failed(elapsed, "unknown host " + target.getHost(), "check the host name in --endpoint");
        }
        if (has(chain, NoRouteToHostException.class)) {
            return failed(elapsed, "no route to " + hostPort(), "check the address in --endpoint and the network");
        }
        if (has(chain, SocketTimeoutException.class) && lower.contains("connect")) {
            return failed(elapsed, "no answer to the connection at " + hostPort(),
                    "a firewall drops it, or the address in --endpoint is wrong");
        }
        if (has(chain, InterruptedIOException.class) && lower.contains("timeout")) {
            return noAnswer(elapsed);
        }
        if (exporter == ExporterType.GRPC) {
            if (HTTP1_AS_FRAME.matcher(lower).find() || probe() == PortProbe.Speaks.HTTP_1) {
                return failed(elapsed, hostPort() + " answers HTTP/1.1, not gRPC (an OTLP/HTTP port?)",
                        "use --exporter http (OTLP/HTTP, usually port 4318), or the OTLP/gRPC port (usually 4317)");
            }
            if (lower.contains("settings preface") || dropped(chain, lower)) {
                return failed(elapsed, hostPort() + " closed the connection without a gRPC answer (TLS only, or not OTLP?)",
                        "use https:// if it expects TLS; check the port (OTLP/gRPC is usually 4317)");
            }
        }
        if (exporter == ExporterType.HTTP) {
            if (TLS_ALERT.matcher(lower).find()) {
                return failed(elapsed, hostPort() + " expects TLS", "use https:// instead of http:// in --endpoint");
            }
            if (HTTP2_FRAME.matcher(lower).find() || probe() == PortProbe.Speaks.HTTP_2) {
                return failed(elapsed, hostPort() + " answers HTTP/2 only, as a gRPC port does",
                        "use --exporter grpc (OTLP/gRPC, usually port 4317), or the OTLP/HTTP port (usually 4318)");
            }
            if (dropped(chain, lower)) {
                return failed(elapsed, hostPort() + " closed the connection without an answer (a gRPC port, or TLS only?)",
                        "use --exporter grpc for an OTLP/gRPC port (usually 4317), or https:// if it expects TLS");
            }
        }
        return failed(elapsed, "the export failed: " + first(chain), "");
    }

    /** A connection the server closed without an answer the exporter could read. */
    private static boolean dropped(List<Throwable> chain, String lower) {
        return lower.contains("connection reset") || lower.contains("unexpected end of stream")
                || lower.contains("broken pipe")
                // OkHttp's, internal: the HTTP/2 connection another signal's export shared was closed under it
                || chain.stream().anyMatch(t -> t.getClass().getSimpleName().equals("ConnectionShutdownException"));
    }

    /** Which HTTP the target's port speaks, asked directly; only over plain text, within a second. */
    private PortProbe.Speaks probe() {
        if (!"http".equals(target.getScheme())) {
            return PortProbe.Speaks.UNKNOWN;
        }
        Duration budget = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout : Duration.ofSeconds(1);
        return PortProbe.probe(target.getHost(), target.getPort() >= 0 ? target.getPort() : 80, budget);
    }

    private SignalCheck failed(Duration elapsed, String cause, String fix) {
        return SignalCheck.failed(signal, target(), elapsed, cause, fix);
    }

    private String target() {
        return target.toString();
    }

    private String hostPort() {
        int port = target.getPort() >= 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
        return target.getHost() + ":" + port;
    }

    /** What a signal's partial success counts. */
    private String items() {
        return switch (signal) {
            case "traces" -> "spans";
            case "metrics" -> "data points";
            case "logs" -> "log records";
            default -> "items";
        };
    }

    /** The collector's own words from an error body: a google.rpc.Status, or short plain text. */
    private static Optional<String> serverSaid(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        Optional<String> status = ProtoFields.statusMessage(body);
        if (status.isPresent()) {
            return status.map(ExportDiagnosis::shorten);
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return ProtoFields.printable(text) ? Optional.of(shorten(text)) : Optional.empty();
    }

    private static String shorten(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= SHOWN_BODY ? line : line.substring(0, SHOWN_BODY) + "...";
    }

    private static String first(List<Throwable> chain) {
        Throwable root = chain.get(chain.size() - 1);
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + shorten(message));
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }
}
