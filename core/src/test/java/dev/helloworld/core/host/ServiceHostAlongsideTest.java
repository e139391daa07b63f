package dev.helloworld.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.HostState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Services that start alongside later ones (Service#startsAlongsideLaterOnes), as the profiler does. */
class ServiceHostAlongsideTest {

    private final Journal journal = new Journal();
    private CapturedLogs logs;
    private ServiceHost host;

    @BeforeEach
    void captureLogs() {
        logs = new CapturedLogs();
    }

    @AfterEach
    void stopHostAndLogs() {
        if (host != null) {
            host.stop();
        }
        logs.close();
    }

    @Test
    void laterServicesStartWhileItsStartRunsAndTheHostIsRunningOnlyOnceItIsOver() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch laterStarted = new CountDownLatch(1);
        host = new ServiceHost(List.of(service("otlp", 100).plugin(),
                service("profiling", 200).alongsideLaterOnes().onStart(c -> release.await()).plugin(),
                service("http", 300).onStart(c -> laterStarted.countDown()).plugin()), config());
        Thread starter = new Thread(() -> {
            try {
                host.start();
            } catch (StartException e) {
                throw new AssertionError(e);
            }
        }, "test-start");
        starter.start();
        // http starts although profiling's start has not returned: that is the point.
        Deadlines.await(laterStarted, "http to start while profiling's start waits");
        assertEquals(HostState.STARTING, host.state(), "running before every start is over");
        release.countDown();
        Deadlines.join(starter);
        assertEquals(HostState.RUNNING, host.state());
        assertEquals(List.of("start http", "start otlp", "start profiling"), sorted(journal.entries()));
        assertTrue(logs.lines().contains("INFO [profiling] service started"), () -> "logs: " + logs.lines());
    }

    @Test
    void stopsInTheStartOrderNotInTheOrderTheStartsEnded() throws Exception {
        CountDownLatch httpStarted = new CountDownLatch(1);
        host = new ServiceHost(List.of(service("otlp", 100).plugin(),
                service("profiling", 200).alongsideLaterOnes().onStart(c -> Deadlines.await(httpStarted, "http")).plugin(),
                service("http", 300).onStart(c -> httpStarted.countDown()).plugin(),
                service("querier", 400).plugin()), config());
        host.start();
        host.stop();
        // profiling's start ended last, yet it stops after http: it profiles the server to the end.
        assertEquals(List.of("stop querier", "stop http", "stop profiling", "stop otlp"),
                journal.entries().subList(4, 8));
        assertTrue(host.stoppedCleanly());
    }

    @Test
    void itsFailedStartRollsEveryServiceBackIncludingTheLaterOnesAndThrows() {
        IOException cause = new IOException("cannot load libasyncProfiler.so");
        CountDownLatch httpStarted = new CountDownLatch(1);
        host = new ServiceHost(List.of(service("otlp", 100).plugin(),
                service("profiling", 200).alongsideLaterOnes().onStart(c -> {
                    Deadlines.await(httpStarted, "http");
                    throw cause;
                }).plugin(),
                service("http", 300).onStart(c -> httpStarted.countDown()).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[profiling] failed to start: cannot load libasyncProfiler.so", e.getMessage());
        assertSame(cause, e.getCause());
        // profiling's thread and the host's journal their starts in either order; the stops follow.
        assertEquals(List.of("start http", "start otlp", "start profiling"), sorted(journal.entries().subList(0, 3)));
        assertEquals(List.of("stop http", "stop otlp"), journal.entries().subList(3, 5));
        assertEquals(HostState.STOPPED, host.state());
        assertTrue(logs.lines().contains("SEVERE [profiling] failed to start: cannot load libasyncProfiler.so"),
                () -> "logs: " + logs.lines());
    }

    @Test
    void aLaterServiceThatFailsWaitsForItsStartAndStopsItToo() {
        CountDownLatch httpFailed = new CountDownLatch(1);
        host = new ServiceHost(List.of(service("otlp", 100).plugin(),
                service("profiling", 200).alongsideLaterOnes().onStart(c -> Deadlines.await(httpFailed, "http")).plugin(),
                service("http", 300).onStart(c -> {
                    httpFailed.countDown();
                    throw new IOException("port 8080 is in use");
                }).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[http] failed to start: port 8080 is in use", e.getMessage());
        // The rollback waited for profiling's start to end, then stopped it before otlp.
        assertEquals(List.of("start http", "start otlp", "start profiling"), sorted(journal.entries().subList(0, 3)));
        assertEquals(List.of("stop profiling", "stop otlp"), journal.entries().subList(3, 5));
        assertTrue(host.stoppedCleanly(), "nothing was left starting");
    }

    private static List<String> sorted(List<String> entries) {
        return entries.stream().sorted().toList();
    }

    private ScriptedService service(String name, int priority) {
        return new ScriptedService(name, priority, journal);
    }

    private static Config config() {
        try {
            return Config.of(Keys.ALL, Map.of("shutdown.timeout", "5s"));
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }
}
