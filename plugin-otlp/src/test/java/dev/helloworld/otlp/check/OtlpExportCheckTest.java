package dev.helloworld.otlp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.spi.SignalCheck.Status;
import dev.helloworld.core.spi.SignalCheck;
import dev.helloworld.otlp.TestHost;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.ScriptedAnswer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code launcher check}'s OTLP part against the in-test collector, over both transports: one
 * line per signal, OK only when the collector took it, and otherwise a cause and a fix that name
 * the actual mistake.
 */
class OtlpExportCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> SIGNALS = List.of("traces", "metrics", "logs");
    private static final String TOKEN = "check-token";

    private final OtlpReceiver receiver = OtlpReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.release();
        receiver.close();
    }

    static Map<String, String> flags(String exporter, URI endpoint) {
        Map<String, String> flags = new HashMap<>();
        flags.put("otlp.exporter", exporter);
        flags.put("otlp.endpoint", endpoint.toString());
        flags.put("token", TOKEN);
        SIGNALS.forEach(s -> flags.put("enable." + s, "true"));
        return flags;
    }

    static List<SignalCheck> check(Map<String, String> flags, Duration timeout) throws Exception {
        return new OtlpExportCheck().check(TestHost.config(flags), timeout);
    }

    /** Fails unless there are {@code count} lines and every one satisfies {@code expected}, listing them all. */
    static void assertEvery(List<SignalCheck> lines, int count, Predicate<SignalCheck> expected, String what) {
        long matching = lines.stream().filter(expected).count();
        assertTrue(lines.size() == count && matching == count, "expected " + count + " of " + count
                + " lines " + what + ", got " + matching + " of " + lines.size() + ":\n" + show(lines));
    }

    static Predicate<SignalCheck> failedWith(String cause, String fix) {
        return l -> l.status() == Status.FAILED && l.cause().contains(cause) && l.fix().contains(fix);
    }

    static String show(List<SignalCheck> lines) {
        return lines.stream().map(Object::toString).collect(Collectors.joining("\n"));
    }

    private static SignalCheck line(List<SignalCheck> lines, String signal) {
        return lines.stream().filter(l -> l.signal().equals(signal)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + signal + " line in\n" + show(lines)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void everySignalGetsThroughToAWorkingCollector(String transport) throws Exception {
        List<SignalCheck> lines = check(flags(transport, receiver.endpoint(transport)), TIMEOUT);

        assertEvery(lines, 3, l -> l.status() == Status.OK && l.cause().isEmpty()
                && l.elapsed().compareTo(Duration.ZERO) > 0 && l.elapsed().compareTo(TIMEOUT) < 0, "OK with a round trip");
        assertEquals(SIGNALS, lines.stream().map(SignalCheck::signal).toList(), "lines in signal order");
        assertEquals(List.of(SampleTelemetry.NAME), receiver.spans().stream().map(s -> s.getName()).toList(),
                "the one span of the check");
        assertEquals(1, receiver.metricsRequests().size(), "one batch of metrics");
        assertEquals(1, receiver.metrics().stream().filter(m -> m.getName().equals("helloworld.check")).count(),
                "the check's counter, once, among " + receiver.metrics().stream().map(m -> m.getName()).toList());
        assertEquals(List.of(SampleTelemetry.NAME), receiver.logRecords().stream()
                .map(r -> OtlpReceiver.text(r.getBody())).toList(), "the one log record of the check");
        assertEvery(receiver.requests().stream().map(r -> r.headers().get("x-bk-token")).map(token ->
                SignalCheck.passed(String.valueOf(token), "", Duration.ZERO)).toList(), 3,
                l -> l.signal().equals(TOKEN), "carrying the token header, as run sends it");
        assertTrue(receiver.resources().stream().allMatch(r ->
                OtlpReceiver.attribute(r, "bk.data.token").orElse("").equals(TOKEN)), "bk.data.token on every resource");
        if (transport.equals("http")) {
            assertEquals("http://127.0.0.1:" + receiver.httpEndpoint().getPort() + "/v1/logs", line(lines, "logs").target());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void aPortWhereNothingListensIsConnectionRefused(String transport) throws Exception {
        URI endpoint = receiver.endpoint(transport);
        receiver.close();

        List<SignalCheck> lines = check(flags(transport, endpoint), TIMEOUT);

        assertEvery(lines, 3, failedWith("connection refused at 127.0.0.1:" + endpoint.getPort(),
                "is the collector running"), "refused with the address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void aRefusedTokenIs401AndATokenWithoutRightsIs403(String transport) throws Exception {
        SIGNALS.forEach(s -> receiver.answer(s, ScriptedAnswer.refuse(401, "unknown token")));
        List<SignalCheck> unauthenticated = check(flags(transport, receiver.endpoint(transport)), TIMEOUT);
        SIGNALS.forEach(s -> receiver.answer(s, ScriptedAnswer.refuse(403, "token of another application")));
        List<SignalCheck> forbidden = check(flags(transport, receiver.endpoint(transport)), TIMEOUT);

        String code401 = transport.equals("http") ? "HTTP 401" : "gRPC UNAUTHENTICATED";
        String code403 = transport.equals("http") ? "HTTP 403" : "gRPC PERMISSION_DENIED";
        assertEvery(unauthenticated, 3, failedWith(code401 + ": the collector refused the token (unknown token)",
                "--token"), "refusing the token, with the collector's words");
        assertEvery(forbidden, 3, failedWith(code403 + ": the token is not allowed to send", "--token"),
                "saying the token lacks the right");
        assertEquals(0, receiver.requests().size(), "nothing accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void aCollectorWithoutALogsPipelineFailsTheLogsLineOnly(String transport) throws Exception {
        receiver.answer("logs", ScriptedAnswer.refuse(404, "404 page not found"));

        List<SignalCheck> lines = check(flags(transport, receiver.endpoint(transport)), TIMEOUT);

        assertEvery(lines.subList(0, 2), 2, l -> l.status() == Status.OK, "OK for traces and metrics");
        String cause = transport.equals("http") ? "HTTP 404 at /v1/logs: this endpoint has no logs pipeline"
                : "gRPC UNIMPLEMENTED: this endpoint has no logs pipeline";
        assertEvery(List.of(line(lines, "logs")), 1, failedWith(cause, "--no-enable-logs"), "failing logs");
        assertEquals(2, receiver.requests().size(), "traces and metrics accepted: " + receiver.requests());
    }

    /**
     * Whether the exporter sees the HTTP/1.1 server's 400, a broken pipe or a reset depends on which
     * side of the connection is faster; the line must name the protocol whichever wins, so each
     * swap is checked over several rounds: every line of every round.
     */
    private static final int SWAP_ROUNDS = 5;

    @Test
    void grpcSentToAnOtlpHttpPortSaysToUseTheHttpExporter() throws Exception {
        List<SignalCheck> lines = new ArrayList<>();
        for (int round = 0; round < SWAP_ROUNDS; round++) {
            lines.addAll(check(flags("grpc", receiver.httpEndpoint()), TIMEOUT));
        }

        assertEvery(lines, 3 * SWAP_ROUNDS, failedWith("answers HTTP/1.1, not gRPC", "use --exporter http"),
                "naming the protocol");
    }

    @Test
    void httpSentToAnOtlpGrpcPortSaysToUseTheGrpcExporter() throws Exception {
        List<SignalCheck> lines = new ArrayList<>();
        for (int round = 0; round < SWAP_ROUNDS; round++) {
            lines.addAll(check(flags("http", receiver.grpcEndpoint()), TIMEOUT));
        }

        assertEvery(lines, 3 * SWAP_ROUNDS, failedWith("answers HTTP/2 only, as a gRPC port does", "use --exporter grpc"),
                "naming the protocol");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void anUntrustedCertificateSaysToGiveTheCaAndPassesOnceItIsGiven(String transport) throws Exception {
        try (OtlpReceiver tls = OtlpReceiver.startTls()) {
            Map<String, String> flags = flags(transport, tls.endpoint(transport));
            List<SignalCheck> untrusted = check(flags, TIMEOUT);
            flags.put("otlp.certificate", tls.caCertificate().toString());
            List<SignalCheck> trusted = check(flags, TIMEOUT);

            assertEvery(untrusted, 3, failedWith("certificate of 127.0.0.1:" + tls.endpoint(transport).getPort()
                    + " not trusted", "--otlp-certificate"), "naming the certificate option");
            assertEvery(trusted, 3, l -> l.status() == Status.OK, "OK with the CA given");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void aPartialSuccessFailsWithTheRejectedCountAndTheCollectorsMessage(String transport) throws Exception {
        receiver.answer("traces", ScriptedAnswer.partialSuccess(3, "spans older than 1h"));
        receiver.answer("metrics", ScriptedAnswer.partialSuccess(2, "bad unit"));
        receiver.answer("logs", ScriptedAnswer.partialSuccess(1, "body too long"));

        List<SignalCheck> lines = check(flags(transport, receiver.endpoint(transport)), TIMEOUT);

        assertEquals(List.of("partial success: 3 spans rejected: spans older than 1h",
                "partial success: 2 data points rejected: bad unit", "partial success: 1 log records rejected: body too long"),
                lines.stream().map(SignalCheck::cause).toList(), show(lines));
        assertEvery(lines, 3, l -> l.status() == Status.FAILED, "FAILED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void aCollectorThatDoesNotAnswerFailsEachSignalWithinTheTimeout(String transport) throws Exception {
        receiver.hang();
        Duration timeout = Duration.ofSeconds(2);

        long started = System.nanoTime();
        List<SignalCheck> lines = check(flags(transport, receiver.endpoint(transport)), timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEvery(lines, 3, failedWith("no answer from 127.0.0.1:" + receiver.endpoint(transport).getPort()
                + " within the check's 2s", "--timeout"), "without an answer");
        assertTrue(took.compareTo(timeout.plusMillis(500)) < 0, "returned after " + took.toMillis() + " ms, timeout 2 s");
    }

    @Test
    void signalsThatAreOffOrStayInTheProcessAreSkippedAndNothingIsSent() throws Exception {
        Map<String, String> tracesOnly = flags("http", receiver.httpEndpoint());
        tracesOnly.put("enable.metrics", "false");
        tracesOnly.put("enable.logs", "false");
        List<SignalCheck> some = check(tracesOnly, TIMEOUT);
        List<SignalCheck> console = check(flags("console", receiver.httpEndpoint()), TIMEOUT);

        assertEquals(List.of(Status.OK, Status.SKIPPED, Status.SKIPPED), some.stream().map(SignalCheck::status).toList(),
                show(some));
        assertEquals("metrics off (--enable-metrics checks them)", line(some, "metrics").cause());
        assertEvery(console, 3, l -> l.status() == Status.SKIPPED && l.cause().contains("exporter console"), "skipped");
        assertEquals(1, receiver.requests().size(), "only the traces of the first check: " + receiver.requests());
    }
}
