package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's own surface: version, help on every command, shell completion. */
class CommandLineIT {

    private static final Duration QUICK = Duration.ofSeconds(30);

    @Test
    void printsItsVersionAndTheJvms() throws Exception {
        List<String> out = run("--version");
        assertEquals(2, out.size(), "two lines: " + out);
        assertEquals("helloworld 0.1.0-SNAPSHOT", out.get(0));
        assertTrue(out.get(1).startsWith("JVM " + Runtime.version().feature()), "the JVM's version: " + out.get(1));
    }

    @ParameterizedTest(name = "{0} --version")
    @ValueSource(strings = {"run", "plugins", "config"})
    void everyCommandPrintsTheVersionToo(String command) throws Exception {
        assertEquals(run("--version"), run(command, "--version"), command + " --version, against launcher --version");
    }

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"run", "check", "plugins", "config"})
    void everyCommandHasHelpWithEveryOptionAndItsVariable(String command) throws Exception {
        String help = String.join("\n", run(command, "--help"));
        assertTrue(help.startsWith("Usage: launcher " + command + " [OPTIONS]"), help);
        // Help wraps at 80 columns, wherever a phrase happens to be.
        String words = help.replaceAll("\\s+", " ");
        for (String expected : List.of("--exporter=<grpc|http|console|none>", "Env: OTLP_EXPORTER_TYPE, OTEL_EXPORTER_OTLP_PROTOCOL",
                "--query-interval=<duration>", "Env: PROFILING_ENDPOINT", "Default: to****.")) {
            assertTrue(words.contains(expected), "'" + expected + "' in:\n" + help);
        }
    }

    @Test
    void generatesABashCompletionScriptThatKnowsTheCommandsAndOptions() throws Exception {
        String script = String.join("\n", run("generate-completion"));
        assertTrue(script.contains("complete -F _complete_launcher"), "a bash completion function:\n" + script.lines().limit(20).toList());
        assertTrue(script.contains("--enable-traces") && script.contains("plugins") && script.contains("config")
                        && script.contains("check"),
                "the commands and the plugins' options are completed");
    }

    private static List<String> run(String... args) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(), args)) {
            assertEquals(0, launcher.awaitExit(QUICK), "exit code of launcher " + String.join(" ", args) + "\n" + launcher.output());
            return launcher.stdout();
        }
    }
}
