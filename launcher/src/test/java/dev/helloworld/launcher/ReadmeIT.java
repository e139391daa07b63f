package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md as a newcomer reads it: its configuration table names every option and variable, and
 * its commands run as written from the repository root. The root is a fresh directory whose
 * {@code launcher} and {@code plugin-sample} are links to the real ones, so that what the commands
 * write (an unpacked image, a plugin built by hand) stays out of the working tree; the build
 * itself ({@code ./mvnw package}) is the one that produced what this test runs. Commands that need
 * port 8080, a collector named {@code collector} or a whole Maven build are left out.
 */
class ReadmeIT {

    private static final Duration QUICK = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern SH_BLOCK = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private Path root;
    private Map<String, String> env;

    @BeforeEach
    void aRepositoryRootOfOurOwn() throws IOException {
        Path repository = Path.of("..").toAbsolutePath().normalize();
        root = Files.createDirectories(dir.resolve("root"));
        for (String module : List.of("launcher", "plugin-sample")) {
            Files.createSymbolicLink(root.resolve(module), repository.resolve(module));
        }
        env = new HashMap<>();
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome);
        env.put("PATH", javaHome + "/bin:/usr/bin:/bin");
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
    }

    /** The links go before JUnit cleans the temporary directory up, which warns about each one. */
    @AfterEach
    void unlink() throws IOException {
        for (String module : List.of("launcher", "plugin-sample")) {
            Files.deleteIfExists(root.resolve(module));
        }
    }

    @Test
    void documentsEveryOptionAndVariableOfTheDistribution() throws Exception {
        String readme = readme();
        List<String> rows;
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(), "config")) {
            assertEquals(0, launcher.awaitExit(Duration.ofSeconds(30)), launcher.output());
            rows = launcher.stdout().subList(1, launcher.stdout().size());
        }
        assertTrue(rows.size() >= 25, "launcher config should list every key: " + rows);
        for (String row : rows) {
            String[] columns = row.split(" {2,}");
            String option = columns[0];
            String variable = columns[1];
            assertTrue(readme.contains("`" + option + " ") || readme.contains("`--[no-]" + option.substring(2) + "`"),
                    "README lacks the option " + option);
            assertTrue(variable.equals("-") || readme.contains("`" + variable + "`"), "README lacks the variable " + variable);
        }
    }

    @Test
    void theMetricsRowNamesEveryMetricTheServiceExports() throws Exception {
        // The metrics rows: the service's own, the HTTP server's and the JVM's.
        String row = readme().lines().filter(l -> l.matches("\\| [A-Za-z ]*metrics \\|.*"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(row.startsWith("| metrics |"), "README's 'What it emits' has no metrics row");
        Set<String> names;
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        Map.of("OTEL_METRIC_EXPORT_INTERVAL", "500"), "run", "--exporter", "http",
                        "--endpoint", collector.httpEndpoint().toString(), "--enable-traces", "--enable-metrics",
                        "--enable-logs", "--http-port", "0", "--http-address", "127.0.0.1", "--query-interval", "200ms")) {
            // Three rounds that include the querier's calls: every instrument has recorded by then.
            collector.awaitMetrics(all -> all.stream()
                    .filter(m -> m.getName().equals("http.client.request.duration")).count() >= 3, START);
            launcher.terminate();
            launcher.awaitExit(START);
            names = new TreeSet<>(collector.metrics().stream().map(Metric::getName).toList());
        }
        List<String> missing = names.stream().filter(name -> !row.contains("`" + name + "`")).toList();
        assertEquals(List.of(), missing, "metrics exported but not in README's metrics rows; exported: " + names);
    }

    @Test
    void theQuickStartPrintsSpansMetricsAndLogRecordsAndStopsOnCtrlC() throws Exception {
        String quickStart = block("./mvnw -B -q package -DskipTests && ");
        // The build half is what produced the dist this test runs.
        String run = quickStart.substring(quickStart.indexOf("&& ") + 3).strip();
        try (LauncherProcess launcher = service(run, Map.of("HTTP_PORT", "0", "HTTP_ADDRESS", "127.0.0.1"))) {
            for (String source : List.of("[otel] ", "[traces] ", "[metrics] ")) {
                launcher.awaitStdout(": " + source, START);
            }
            launcher.interrupt();
            assertEquals(0, launcher.awaitExit(START), "exit code after Ctrl+C\n" + launcher.output());
            launcher.awaitStdout("INFO: [launcher] stopping: ", Duration.ZERO);
        }
    }

    @Test
    void theRuntimeImageUnpacksAndRunsAsWritten() throws Exception {
        List<String> commands = lines(block("mkdir -p ~/opt && tar -xzf "));
        assertEquals(2, commands.size(), "unpack, then run: " + commands);
        try (LauncherProcess tar = shell(commands.get(0), Map.of())) {
            assertEquals(0, tar.awaitExit(QUICK), commands.get(0) + "\n" + tar.output());
        }
        // The collector named there does not exist here: the service runs and keeps serving anyway.
        try (LauncherProcess launcher = service(commands.get(1), Map.of("HTTP_PORT", "0", "HTTP_ADDRESS", "127.0.0.1"))) {
            launcher.awaitStdout("[otlp] service started", START);
            launcher.awaitStdout("[querier] service started", START);
            launcher.terminate();
            launcher.awaitExit(START);
            assertTrue(launcher.stderr().isEmpty(), "nothing on standard error\n" + launcher.output());
        }
    }

    @Test
    void aPluginBuiltByHandAsWrittenIsListedWithItsVersionOnBothPaths() throws Exception {
        String build = block("javac ");
        List<String> out;
        try (LauncherProcess commands = shell("set -e\n" + build, Map.of())) {
            assertEquals(0, commands.awaitExit(START), build + "\n" + commands.output());
            out = commands.stdout();
        }
        assertEquals(List.of("sample", "dev.helloworld.sample", "1.0.0", "500", "enabled"), row(out, "sample"),
                "the plugin built by hand, on the module path:\n" + String.join("\n", out));

        try (LauncherProcess classPath = shell("launcher/target/dist/bin/launcher --class-path plugins",
                Map.of("LAUNCHER_PLUGINS", "my-plugins"))) {
            assertEquals(0, classPath.awaitExit(QUICK), classPath.output());
            assertEquals(List.of("sample", "class path", "1.0.0", "500", "enabled"), row(classPath.stdout(), "sample"),
                    "the same jar on the class path:\n" + classPath.output());
        }
    }

    @Test
    void theLauncherPluginsFolderAndTheCompletionScriptWorkAsWritten() throws Exception {
        String folder = block("mkdir -p my-plugins\nLAUNCHER_PLUGINS=");
        try (LauncherProcess launcher = shell("set -e\n" + folder, Map.of())) {
            assertEquals(0, launcher.awaitExit(QUICK), folder + "\n" + launcher.output());
            assertEquals(List.of("otlp", "profiling", "scenarios", "http", "querier", "topology"),
                    launcher.stdout().subList(1, launcher.stdout().size()).stream().map(l -> l.split(" {2,}")[0]).toList(),
                    "an empty folder of one's own adds nothing:\n" + launcher.output());
        }

        Matcher completion = Pattern.compile("`(source <\\(.*?\\))`").matcher(readme());
        assertTrue(completion.find(), "README shows how to load the completion script");
        try (LauncherProcess bash = LauncherProcess.exec(root, Path.of("/bin/bash"), env, "-c",
                completion.group(1) + " && complete -p launcher")) {
            assertEquals(0, bash.awaitExit(QUICK), completion.group(1) + "\n" + bash.output());
            assertEquals(List.of("complete -o default -F _complete_launcher launcher"), bash.stdout());
        }
    }

    /** {@code sh -c script} in the root. */
    private LauncherProcess shell(String script, Map<String, String> more) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(more);
        return LauncherProcess.exec(root, Path.of("/bin/sh"), all, "-c", script);
    }

    /** One command that runs until stopped: the shell execs it, so that signals reach the launcher. */
    private LauncherProcess service(String command, Map<String, String> more) throws IOException {
        return shell("exec " + command, more);
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"));
    }

    /** The README's one {@code sh} block that starts with {@code start}. */
    private static String block(String start) throws IOException {
        List<String> found = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(readme());
        while (m.find()) {
            if (m.group(1).startsWith(start)) {
                found.add(m.group(1));
            }
        }
        assertEquals(1, found.size(), "README should have one sh block starting with '" + start + "': " + found);
        return found.get(0);
    }

    /** The block's commands, continuation lines joined. */
    private static List<String> lines(String block) {
        return List.of(block.replace("\\\n", " ").strip().split("\n"));
    }

    private static List<String> row(List<String> table, String plugin) {
        return table.stream().map(l -> List.of(l.split(" {2,}"))).filter(r -> r.get(0).equals(plugin)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + plugin + " in:\n" + String.join("\n", table)));
    }
}
