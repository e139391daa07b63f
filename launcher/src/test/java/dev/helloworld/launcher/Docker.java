package dev.helloworld.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Docker client (/usr/bin/docker: its engine builds with BuildKit when DOCKER_BUILDKIT=1;
 * a docker found first on the PATH may have no buildx), run to its end with a deadline. Output goes
 * to a file, so that a long build's log neither fills a pipe nor the test's memory.
 */
final class Docker {

    static final Path CLIENT = Path.of("/usr/bin/docker");

    /** What a command printed (standard output and error together) and how it ended. */
    record Result(int exitCode, String output, Duration took) {
        String lastLine() {
            List<String> lines = output.strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private final Path logs;

    Docker(Path logs) {
        this.logs = logs;
    }

    /** docker ARGS, which must exit 0 within {@code timeout}. */
    String run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CLIENT.toString()));
        command.addAll(List.of(args));
        Result result = exec(command, timeout);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + tail(result.output()));
        }
        return result.output().strip();
    }

    /** Any command, with DOCKER_BUILDKIT=1; fails only if it outlives {@code timeout}. */
    Result exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile(logs, "docker-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("DOCKER_BUILDKIT", "1");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after " + timeout + ":\n"
                    + tail(Files.readString(log, StandardCharsets.UTF_8)));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The last 40 lines: where a failed build says why. */
    static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
