package dev.helloworld.core.host;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.spi.ExportCheck;
import dev.helloworld.core.spi.SignalCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds the plugins' {@link ExportCheck}s and runs them side by side within one timeout, so that
 * {@code launcher check} takes as long as the slowest check, not their sum.
 */
public final class ExportChecks {

    /**
     * How long after the timeout a check that has not returned is given up: it is asked to return
     * within the timeout, and this covers the time it takes to notice and say so.
     */
    static final Duration GRACE = Duration.ofSeconds(1);

    private static final Comparator<ExportCheck> ORDER =
            Comparator.comparingInt(ExportCheck::priority).thenComparing(ExportCheck::name);

    private ExportChecks() {}

    /**
     * Every provider of {@link ExportCheck} visible to {@code loader}, in print order.
     *
     * @throws PluginException when a provider cannot be instantiated
     */
    public static List<ExportCheck> discover(ClassLoader loader) {
        List<ExportCheck> checks = new ArrayList<>();
        try {
            ServiceLoader.load(ExportCheck.class, loader).forEach(checks::add);
        } catch (ServiceConfigurationError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PluginException("an export check could not be loaded: " + Failures.describe(cause), e);
        }
        return checks.stream().sorted(ORDER).toList();
    }

    /**
     * Runs every check at once, each on a thread of its own, and returns their results in the
     * order of {@code checks}. A check that throws, or that has not returned shortly after the
     * timeout, becomes one FAILED line under its own name.
     */
    public static List<SignalCheck> run(List<ExportCheck> checks, Config config, Duration timeout) {
        long deadline = System.nanoTime() + timeout.plus(GRACE).toNanos();
        List<CompletableFuture<List<SignalCheck>>> running = new ArrayList<>();
        for (ExportCheck check : checks) {
            CompletableFuture<List<SignalCheck>> result = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    result.complete(List.copyOf(check.check(config, timeout)));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }, "check-" + check.name());
            // A check that hangs must not keep the process alive after the results are printed.
            thread.setDaemon(true);
            thread.start();
            running.add(result);
        }
        List<SignalCheck> results = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            results.addAll(outcome(checks.get(i), running.get(i), deadline, timeout));
        }
        return results;
    }

    private static List<SignalCheck> outcome(ExportCheck check, CompletableFuture<List<SignalCheck>> result,
            long deadline, Duration timeout) {
        try {
            return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return List.of(SignalCheck.failed(check.name(), "", timeout,
                    "the " + check.name() + " check did not finish within " + Durations.format(timeout), ""));
        } catch (ExecutionException e) {
            return List.of(SignalCheck.failed(check.name(), "", Duration.ZERO,
                    "the " + check.name() + " check failed: " + Failures.describe(e.getCause()), ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(SignalCheck.failed(check.name(), "", Duration.ZERO, "interrupted", ""));
        }
    }
}
