package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token never appears in what the launcher prints: not in {@code launcher config}, not in
 * help texts, not in error messages, and not in stack traces with {@code --debug}. FullServiceIT
 * greps a whole run; these are the other ways out.
 */
class SecretsIT {

    private static final String TOKEN = "Zq7-s3cr3t-of-SecretsIT";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void configShowsTheTokenMaskedFromAFlagAndFromTheVariable() throws Exception {
        for (Map.Entry<Map<String, String>, List<String>> run : Map.of(
                Map.<String, String>of(), List.of("config", "--token", TOKEN),
                Map.of("TOKEN", TOKEN), List.of("config")).entrySet()) {
            try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), run.getKey(),
                    run.getValue().toArray(String[]::new))) {
                assertEquals(0, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
                String line = launcher.awaitStdout("--token", Duration.ZERO);
                assertTrue(line.contains("Zq****"), "the masked token in: " + line);
                assertNeverPrinted(launcher);
            }
        }
    }

    @Test
    void helpShowsTheDefaultTokenMaskedAndNeverTheGivenOne() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("TOKEN", TOKEN),
                "run", "--help")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
            List<String> help = launcher.stdout();
            int option = indexOf(help, "--token=<token>", launcher);
            // The option's lines: up to the next option.
            int next = option + 1;
            while (next < help.size() && !help.get(next).trim().startsWith("-")) {
                next++;
            }
            String description = String.join(" ", help.subList(option, next));
            assertTrue(description.contains("Default: to****."), "the default 'todo' masked in: " + description);
            assertTrue(help.stream().noneMatch(l -> l.contains("todo")), "the default token unmasked\n" + launcher.output());
            assertNeverPrinted(launcher);
        }
    }

    @Test
    void aTokenThatCannotBeSentIsRefusedMasked() throws Exception {
        // Before core refused it, OkHttp's "Unexpected char ... in x-bk-token value: <token>" printed it at every export.
        String accented = TOKEN + "\u00e9";
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("TOKEN", accented),
                "run", "--http-port", "0")) {
            assertEquals(2, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
            // Four stars however long the token (and however the JVM decodes its é in this locale).
            assertEquals(1, launcher.stderr().size(), "one line on stderr\n" + launcher.output());
            assertTrue(launcher.stderr().get(0).matches("launcher: invalid value 'Zq\\*{4}' for TOKEN: "
                    + "expected printable ASCII characters only, as an HTTP header carries them"), launcher.output());
            assertNeverPrinted(launcher);
        }
    }

    @Test
    void aBadHeaderVariableBesideTheTokenFailsTheStartWithoutPrintingItEvenWithDebug() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                Map.of("OTEL_EXPORTER_OTLP_HEADERS", "x-bk-token=" + TOKEN + ",no-equals-sign"),
                "run", "--debug", "--exporter", "http", "--endpoint", "http://127.0.0.1:9", "--http-port", "0")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
            launcher.awaitStdout("[otlp] failed to start: Invalid map property: otel.exporter.otlp.headers", Duration.ZERO);
            assertStackTracePrinted(launcher);
            assertNeverPrinted(launcher);
        }
    }

    @Test
    void aFailedStartWithDebugPrintsStackTracesButNotTheToken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        "run", "--debug", "--token", TOKEN, "--exporter", "http", "--endpoint", "http://127.0.0.1:9",
                        // Rolling back stops otlp, whose flush to a refusing collector would retry for 10 s.
                        "--shutdown-timeout", "2s",
                        "--http-port", String.valueOf(taken.getLocalPort()))) {
            assertEquals(1, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
            launcher.awaitStdout("[http] failed to start: address 0.0.0.0:" + taken.getLocalPort() + " already in use",
                    Duration.ZERO);
            assertStackTracePrinted(launcher);
            launcher.awaitStdout("(token Zq****)", Duration.ZERO);
            assertNeverPrinted(launcher);
        }
    }

    /**
     * A password in an endpoint URL: masked in the start lines, {@code launcher config} and every
     * {@code check} line, and sent to the collector as Basic authentication, as profiling sends it.
     */
    @Test
    void aPasswordInAnEndpointUrlIsNeverPrintedAndReachesTheCollectorAsBasicAuth() throws Exception {
        String password = "pw-" + TOKEN;
        try (dev.helloworld.testkit.OtlpReceiver collector = dev.helloworld.testkit.OtlpReceiver.start()) {
            URI http = collector.httpEndpoint();
            String endpoint = "http://collector-user:" + password + "@" + http.getHost() + ":" + http.getPort();
            String profiling = "http://profiler-user:" + password + "@127.0.0.1:1";
            List<String> options = List.of("--exporter", "http", "--endpoint", endpoint, "--profiling-endpoint", profiling,
                    "--enable-traces", "--enable-logs", "--enable-metrics", "--no-enable-profiling");
            for (String command : List.of("config", "check")) {
                List<String> args = new java.util.ArrayList<>(List.of(command));
                args.addAll(options);
                try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        args.toArray(String[]::new))) {
                    assertEquals(0, launcher.awaitExit(PATIENCE), command + " exit code\n" + launcher.output());
                    assertTrue(command.equals("check") ? launcher.stdout().stream().filter(l -> l.contains(" OK ")).count() == 3
                            : launcher.output().contains("collector-user:****@"), command + "\n" + launcher.output());
                    assertUrlPasswordNeverPrinted(launcher, password);
                }
            }
            List<String> args = new java.util.ArrayList<>(List.of("run", "--http-port", "0", "--http-address", "127.0.0.1"));
            args.addAll(options);
            try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                    args.toArray(String[]::new))) {
                launcher.awaitStdout("collector-user:****@", PATIENCE);
                collector.awaitSpan("handle/hello_world", PATIENCE);
                launcher.terminate();
                assertEquals(0, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
                assertUrlPasswordNeverPrinted(launcher, password);
            }
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    ("collector-user:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(!collector.requests().isEmpty() && collector.requests().stream()
                    .allMatch(r -> basic.equals(r.headers().get("authorization"))), "every export with Basic auth");
        }
    }

    private static void assertUrlPasswordNeverPrinted(LauncherProcess launcher, String password) {
        assertTrue(launcher.output().lines().noneMatch(l -> l.contains(password) || l.contains("s3cr3t")),
                "a URL's password was printed\n" + launcher.output());
    }

    private static void assertNeverPrinted(LauncherProcess launcher) {
        assertTrue(launcher.output().lines().noneMatch(l -> l.contains(TOKEN) || l.contains("s3cr3t")),
                "the token, or a part of it past the first two characters, was printed\n" + launcher.output());
    }

    /** Proof that --debug was in effect, so that the token check covered stack traces too. */
    private static void assertStackTracePrinted(LauncherProcess launcher) {
        assertTrue(launcher.output().lines().anyMatch(l -> l.startsWith("\tat ")),
                "--debug should print the failure's stack trace\n" + launcher.output());
    }

    private static int indexOf(List<String> lines, String fragment, LauncherProcess launcher) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + fragment + "'\n" + launcher.output());
    }
}
