package dev.helloworld.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One look at a running JVM from outside, as the soak script takes it: resident memory, threads
 * and open file descriptors from /proc, and the heap after the latest garbage collection from the
 * JVM's own GC log ({@code JAVA_OPTS=-Xlog:gc:file=<gcLog>}), which costs the service nothing
 * (forcing a collection to measure would change what is measured).
 *
 * @param rssKib       resident set size, KiB
 * @param threads      threads of the process
 * @param fds          open file descriptors
 * @param heapAfterGcKib heap in use after the latest collection, KiB; -1 before the first one
 */
record ProcessSample(long rssKib, int threads, int fds, long heapAfterGcKib) {

    /** {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->8M(64M) 2.345ms}: the 8M. */
    private static final Pattern AFTER_GC = Pattern.compile("GC\\(\\d+\\) Pause.* \\d+[KMG]->(\\d+)([KMG])\\(");

    /**
     * {@code count} samples, one every {@code period} (the first at once), taken on a timer so
     * that the pace does not drift with how long a sample takes.
     */
    static List<ProcessSample> every(java.time.Duration period, int count, long pid, Path gcLog) throws Exception {
        List<ProcessSample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(count);
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            timer.scheduleAtFixedRate(() -> {
                if (done.getCount() == 0) {
                    return;
                }
                try {
                    samples.add(of(pid, gcLog));
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
                done.countDown();
            }, 0, period.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            if (!done.await(period.multipliedBy(count + 10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("only " + samples.size() + " of " + count + " samples were taken");
            }
        } finally {
            timer.shutdownNow();
        }
        if (failure.get() != null) {
            throw new AssertionError("a sample of process " + pid + " failed (has it exited?)", failure.get());
        }
        return List.copyOf(samples);
    }

    static ProcessSample of(long pid, Path gcLog) throws IOException {
        Path proc = Path.of("/proc", String.valueOf(pid));
        long rss = -1;
        int threads = -1;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        int fds;
        try (Stream<Path> open = Files.list(proc.resolve("fd"))) {
            fds = (int) open.count();
        }
        return new ProcessSample(rss, threads, fds, heapAfterGc(gcLog));
    }

    private static long heapAfterGc(Path gcLog) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(gcLog);
        } catch (NoSuchFileException e) {
            return -1;
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = AFTER_GC.matcher(lines.get(i));
            if (m.find()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "K" -> n;
                    case "M" -> n * 1024;
                    default -> n * 1024 * 1024;
                };
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return String.format("rss=%d MiB threads=%d fds=%d heapAfterGc=%s", rssKib / 1024, threads, fds,
                heapAfterGcKib < 0 ? "n/a" : heapAfterGcKib / 1024 + " MiB");
    }
}
