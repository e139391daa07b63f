package dev.helloworld.core.host;

import static dev.helloworld.core.host.Deadlines.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.core.spi.ServiceContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceHostStopTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);

    private final Journal journal = new Journal();
    /** Released after each test, so that no service is left hanging. */
    private final CountDownLatch release = new CountDownLatch(1);
    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = new CapturedLogs();
    }

    @AfterEach
    void releaseAndStopCapturing() {
        release.countDown();
        logs.close();
    }

    @Test
    void stopsServicesInReverseStartOrder() throws Exception {
        ServiceHost host = new ServiceHost(List.of(service("http", 300).plugin(), service("otlp", 100).plugin(),
                service("querier", 400).plugin(), service("profiling", 200).plugin()), config("5s"));
        host.start();
        host.stop();
        assertEquals(List.of("start otlp", "start profiling", "start http", "start querier",
                "stop querier", "stop http", "stop profiling", "stop otlp"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
        assertTrue(host.stoppedCleanly(), "stopped cleanly");
        assertTrue(logs.lines().containsAll(List.of("INFO [querier] service stopped", "INFO [otlp] service stopped")),
                () -> "logs: " + logs.lines());
    }

    @Test
    void stopsServicesInReverseOrderEvenWhenOneThrows() throws Exception {
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin(),
                service("b", 200).onStop(() -> {
                    throw new IllegalStateException("exporter already closed");
                }).plugin(),
                service("c", 300).plugin()), config("5s"));
        host.start();
        host.stop();
        assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
        assertEquals(List.of("INFO [c] service stopped", "WARNING [b] failed to stop: exporter already closed",
                "INFO [a] service stopped"), stopLines());
        assertFalse(host.stoppedCleanly(), "a stop threw, yet the host says it stopped cleanly");
    }

    @Test
    void aHangingStopIsAbandonedAtTheDeadlineAndTheOthersStillStop() throws Exception {
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin(),
                service("hangs", 200).onStop(release::await).plugin(),
                service("c", 300).plugin()), config("200ms"));
        host.start();

        long began = System.nanoTime();
        host.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        // Three services: the hanging one keeps back a sixth of the timeout for the one after it.
        Duration hangersDeadline = SHORT_TIMEOUT.minus(SHORT_TIMEOUT.dividedBy(6));
        assertTrue(took.compareTo(hangersDeadline) >= 0, () -> "stop returned after " + took + ", before its deadline");
        assertTrue(took.compareTo(PATIENCE) < 0, () -> "stop took " + took + " with a 200ms shutdown timeout");
        assertEquals(HostState.STOPPED, host.state());
        assertTrue(journal.awaitEntry("stop a", PATIENCE), () -> "the service after the hanging one was never stopped: "
                + journal);
        assertEquals(List.of("start a", "start hangs", "start c", "stop c", "stop hangs", "stop a"), journal.entries());
        assertFalse(host.stoppedCleanly(), "a stop hung, yet the host says it stopped cleanly");
        assertTrue(logs.lines().contains(
                "WARNING [hangs] did not stop within its share of the shutdown timeout of 200ms; abandoned"),
                () -> "logs: " + logs.lines());
        assertTrue(logs.lines().contains("INFO [a] service stopped"),
                () -> "the service after the hanging one should still get time to stop: " + logs.lines());
    }

    @Test
    void aServiceLearnsHowMuchOfTheDeadlineIsLeftForItsStop() throws Exception {
        AtomicReference<ServiceContext> otlpContext = new AtomicReference<>();
        List<Duration> seenInStop = new CopyOnWriteArrayList<>();
        List<Duration> seenBeforeStop = new CopyOnWriteArrayList<>();
        ServiceHost host = new ServiceHost(List.of(
                service("otlp", 100).onStart(otlpContext::set)
                        .onStop(() -> seenInStop.add(otlpContext.get().timeLeftToStop())).plugin(),
                service("hangs", 200).onStart(c -> seenBeforeStop.add(c.timeLeftToStop()))
                        .onStop(release::await).plugin()), config("600ms"));
        host.start();

        host.stop();

        assertEquals(List.of(Duration.ofMillis(600)), seenBeforeStop, "before stop: the whole shutdown timeout");
        assertEquals(1, seenInStop.size(), "otlp stopped once");
        Duration left = seenInStop.get(0);
        // The hanging service kept back a quarter (600ms / 2 services / 2) for otlp and used the rest.
        assertTrue(left.compareTo(Duration.ofMillis(150)) <= 0 && !left.isNegative(),
                () -> "after a hanging service, otlp should see at most its kept-back share, saw " + left);
    }

    @Test
    void stopIsIdempotent() throws Exception {
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin(), service("b", 200).plugin()), config("5s"));
        host.start();
        host.stop();
        host.stop();
        host.close();
        assertEquals(List.of("start a", "start b", "stop b", "stop a"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
    }

    @Test
    void aSecondConcurrentStopWaitsForTheFirstAndBothReturn() throws Exception {
        CountDownLatch stopping = new CountDownLatch(1);
        ServiceHost host = new ServiceHost(List.of(service("a", 100).onStop(() -> {
            stopping.countDown();
            release.await();
        }).plugin()), config("5s"));
        host.start();
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        Thread first = Deadlines.run("first-stop", host::stop, thrown);
        Deadlines.await(stopping, "the first stop to reach the service");
        Thread second = Deadlines.run("second-stop", host::stop, thrown);
        Deadlines.poll(() -> Deadlines.blocked(second), "the second stop to wait", second::getState);
        assertTrue(second.isAlive(), "the second stop returned while the service was still stopping");

        release.countDown();
        Deadlines.join(first);
        Deadlines.join(second);
        assertNull(thrown.get());
        assertEquals(List.of("start a", "stop a"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
    }

    @Test
    void stopDuringStartWaitsForTheServiceThatIsStartingAndStopsItFirst() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin(),
                service("b", 200).onStart(c -> {
                    starting.countDown();
                    release.await();
                }).plugin(),
                service("c", 300).plugin()), config("5s"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        Thread starter = Deadlines.run("start", host::start, thrown);
        Deadlines.await(starting, "b to begin starting");
        Thread stopper = Deadlines.run("stop", host::stop, thrown);
        Deadlines.poll(() -> host.state() == HostState.STOPPING && Deadlines.blocked(stopper),
                "stop to begin", () -> host.state() + ", stopper " + stopper.getState());
        // b is still starting: nothing it may depend on has been stopped yet.
        assertEquals(List.of("start a", "start b"), journal.entries());

        release.countDown();
        Deadlines.join(starter);
        Deadlines.join(stopper);
        assertNull(thrown.get());
        assertEquals(List.of("start a", "start b", "stop b", "stop a"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
    }

    @Test
    void aStartStillRunningAtTheDeadlineDoesNotHoldUpStopAndIsStoppedWhenItReturns() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin(),
                service("slow", 200).onStart(c -> {
                    starting.countDown();
                    release.await();
                }).plugin(),
                service("c", 300).plugin()), config("200ms"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        Thread starter = Deadlines.run("start", host::start, thrown);
        Deadlines.await(starting, "slow to begin starting");
        long began = System.nanoTime();
        host.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(PATIENCE) < 0, () -> "stop took " + took + " with a 200ms shutdown timeout");
        // The wait for slow used up the deadline, so the host may have abandoned a's stop; it still ran.
        assertTrue(journal.awaitEntry("stop a", PATIENCE), () -> "a was never stopped: " + journal);
        assertEquals(List.of("start a", "start slow", "stop a"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
        assertFalse(host.stoppedCleanly(), "a service was left starting, yet the host says it stopped cleanly");
        assertTrue(logs.lines().contains("WARNING [slow] still starting after the shutdown timeout of 200ms; "
                + "it is stopped when its start returns"), () -> "logs: " + logs.lines());

        release.countDown();
        Deadlines.join(starter);
        assertNull(thrown.get());
        assertEquals(List.of("start a", "start slow", "stop a", "stop slow"), journal.entries());
        assertFalse(journal.entries().contains("start c"), "c started after stop");
    }

    @Test
    void stopBeforeStartMeansNothingStarts() throws Exception {
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin()), config("5s"));
        host.stop();
        host.start();
        assertEquals(List.of(), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
    }

    @Test
    void aFailedStartIsNotStoppedAgainByALaterStop() throws Exception {
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin(), service("b", 200).onStart(c -> {
            throw new IllegalStateException("no");
        }).plugin()), config("5s"));
        org.junit.jupiter.api.Assertions.assertThrows(StartException.class, host::start);
        host.stop();
        assertEquals(List.of("start a", "start b", "stop a"), journal.entries());
    }

    @Test
    void aStopSlowerThanASecondIsAnnouncedOnceWithHowLongTheHostWillWaitForIt() throws Exception {
        ServiceHost host = new ServiceHost(List.of(service("a", 100).plugin(),
                service("slow", 200).onStop(release::await).plugin(), service("c", 300).plugin()), config("30s"));
        host.start();
        Thread stopping = new Thread(host::stop, "test-stop");
        stopping.start();

        String line = awaitLine(l -> l.startsWith("INFO [slow] still stopping; "), PATIENCE);
        release.countDown();
        stopping.join(PATIENCE.toMillis());

        assertFalse(stopping.isAlive(), "stop should return once the slow service has stopped");
        assertTrue(line.matches("INFO \\[slow] still stopping; waiting for it at most \\d+ms more \\(--shutdown-timeout 30s\\)"),
                line);
        long atMost = Long.parseLong(line.replaceAll(".* at most (\\d+)ms more.*", "$1"));
        // Its share: the deadline less a sixth of 30s kept for the service after it, less the second waited.
        assertTrue(atMost <= 24_000 && atMost > 20_000, "what the line promises: " + line);
        assertEquals(List.of("INFO [c] service stopped", line, "INFO [slow] service stopped", "INFO [a] service stopped"),
                stopLines(), "one such line, for the slow service only");
        assertTrue(host.stoppedCleanly(), "a slow stop within its share is a clean stop");
    }

    private String awaitLine(java.util.function.Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : logs.lines()) {
                if (matching.test(line)) {
                    return line;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such log line within " + timeout + ": " + logs.lines());
    }

    private List<String> stopLines() {
        return logs.lines().stream().filter(l -> l.contains("stop")).toList();
    }

    private ScriptedService service(String name, int priority) {
        return new ScriptedService(name, priority, journal);
    }

    private static Config config(String shutdownTimeout) {
        try {
            return Config.of(Keys.ALL, Map.of("shutdown.timeout", shutdownTimeout));
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }
}
