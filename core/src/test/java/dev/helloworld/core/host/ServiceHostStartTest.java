package dev.helloworld.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigError;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.HostState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceHostStartTest {

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
    void startsByPriorityThenByNameWhateverOrderThePluginsCameIn() throws Exception {
        List<Plugin> plugins = List.of(service("c", 200).plugin(), service("b", 100).plugin(),
                service("a", 200).plugin(), service("z", 50).plugin(), service("aa", 200).plugin());
        host = new ServiceHost(plugins, config());
        host.start();
        assertEquals(List.of("start z", "start b", "start a", "start aa", "start c"), journal.entries());
        assertEquals(HostState.RUNNING, host.state());
        assertEquals(List.of("INFO [z] service started", "INFO [b] service started", "INFO [a] service started",
                "INFO [aa] service started", "INFO [c] service started"), logs.lines());
    }

    @Test
    void theOrderDoesNotDependOnTheInputOrder() throws Exception {
        List<List<String>> orders = List.of(List.of("x", "y", "w"), List.of("w", "x", "y"), List.of("y", "w", "x"));
        for (List<String> names : orders) {
            Journal own = new Journal();
            List<Plugin> plugins = names.stream()
                    .map(n -> new ScriptedService(n, n.equals("w") ? 300 : 100, own).plugin()).toList();
            ServiceHost h = new ServiceHost(plugins, config());
            h.start();
            h.stop();
            assertEquals(List.of("start x", "start y", "start w", "stop w", "stop y", "stop x"), own.entries(),
                    () -> "input order " + names);
        }
    }

    @Test
    void skipsADisabledServiceAndLogsWhy() throws Exception {
        host = new ServiceHost(List.of(service("a", 100).plugin(),
                service("profiling", 200).disabledBecause("profiling off").plugin(),
                service("c", 300).plugin()), config());
        host.start();
        host.stop();
        assertEquals(List.of("start a", "start c", "stop c", "stop a"), journal.entries());
        assertTrue(logs.lines().contains("INFO [profiling] disabled (profiling off)"), () -> "logs: " + logs.lines());
    }

    @Test
    void aFailedStartStopsTheStartedServicesInReverseOrderAndThrowsWithTheCauseOnOneLine() throws Exception {
        IOException cause = new IOException("port 8080 is in use");
        host = new ServiceHost(List.of(service("a", 100).plugin(), service("b", 200).plugin(),
                service("http", 300).onStart(c -> {
                    throw cause;
                }).plugin(),
                service("d", 400).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[http] failed to start: port 8080 is in use", e.getMessage());
        assertEquals("http", e.service());
        assertSame(cause, e.getCause());
        // The failed one is not stopped (it never started), the later one never starts.
        assertEquals(List.of("start a", "start b", "start http", "stop b", "stop a"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
        assertTrue(logs.lines().contains("SEVERE [http] failed to start: port 8080 is in use"), () -> "logs: " + logs.lines());
    }

    @Test
    void aFailureWithoutAMessageIsNamedByItsType() {
        host = new ServiceHost(List.of(service("a", 100).onStart(c -> {
            throw new IllegalStateException();
        }).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[a] failed to start: IllegalStateException", e.getMessage());
    }

    @Test
    void aMissingClassInStartIsAFailedStartToo() {
        host = new ServiceHost(List.of(service("a", 100).plugin(), service("b", 200).onStart(c -> {
            throw new NoClassDefFoundError("io/pyroscope/Agent");
        }).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[b] failed to start: io/pyroscope/Agent", e.getMessage());
        assertEquals(List.of("start a", "start b", "stop a"), journal.entries());
    }

    @Test
    void anErrorThrownByStartIsAFailedStartToo() {
        host = new ServiceHost(List.of(service("a", 100).plugin(), service("otlp", 200).onStart(c -> {
            throw new java.util.ServiceConfigurationError(
                    "io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider: Provider x not found");
        }).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[otlp] failed to start: io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider: "
                + "Provider x not found", e.getMessage());
        assertEquals(List.of("start a", "start otlp", "stop a"), journal.entries());
        assertEquals(HostState.STOPPED, host.state());
        assertTrue(host.stoppedCleanly(), "the rollback stopped everything that had started");
    }

    @Test
    void anAssertionErrorThrownByStartIsAFailedStartAndStopDoesNotWaitForIt() {
        host = new ServiceHost(List.of(service("a", 100).plugin(), service("b", 200).onStart(c -> {
            throw new AssertionError("unreachable");
        }).plugin()), config());
        long began = System.nanoTime();
        StartException e = assertThrows(StartException.class, host::start);
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - began);
        assertEquals("[b] failed to start: unreachable", e.getMessage());
        // The shutdown timeout is 5s: waiting for a start that already failed would show here.
        assertTrue(took.compareTo(java.time.Duration.ofSeconds(5)) < 0, () -> "the rollback took " + took);
        assertEquals(List.of("start a", "start b", "stop a"), journal.entries());
    }

    @Test
    void aFailedRollbackStillStopsTheOthersAndStillReportsTheStartFailure() {
        host = new ServiceHost(List.of(service("a", 100).plugin(),
                service("b", 200).onStop(() -> {
                    throw new IllegalStateException("cannot flush");
                }).plugin(),
                service("c", 300).onStart(c -> {
                    throw new IOException("no route to collector");
                }).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[c] failed to start: no route to collector", e.getMessage());
        assertEquals(List.of("start a", "start b", "start c", "stop b", "stop a"), journal.entries());
        assertTrue(logs.lines().contains("WARNING [b] failed to stop: cannot flush"), () -> "logs: " + logs.lines());
    }

    @Test
    void twoPluginsWithTheSameNameAreRefusedBeforeAnythingStarts() {
        PluginException e = assertThrows(PluginException.class, () -> new ServiceHost(
                List.of(service("http", 100).plugin(), service("http", 300).plugin()), config()));
        assertEquals("two plugins are named 'http': dev.helloworld.core.host.ScriptedService (test) and "
                + "dev.helloworld.core.host.ScriptedService (test)", e.getMessage());
        assertEquals(List.of(), journal.entries());
    }

    @Test
    void aHostWithNoPluginsRunsAndStops() throws Exception {
        host = new ServiceHost(List.of(), config());
        host.start();
        assertEquals(HostState.RUNNING, host.state());
        host.stop();
        assertEquals(HostState.STOPPED, host.state());
    }

    @Test
    void aUsageErrorThatAServiceFindsBeforeStartStartsNothingAndLogsNothing() {
        ConfigException usage = new ConfigException(List.of(new ConfigError("--service-name", "shop a", "a name")));
        host = new ServiceHost(List.of(service("a", 100).plugin(), service("b", 200).refusesConfig(usage).plugin(),
                service("off", 300).refusesConfig(usage).disabledBecause("off").plugin()), config());

        StartException e = assertThrows(StartException.class, host::start);

        assertSame(usage, e.getCause());
        assertEquals("b", e.service());
        assertEquals(List.of("check b"), journal.entries(), "a disabled service is not asked, none started");
        assertEquals(HostState.STOPPED, host.state());
        assertEquals(List.of(), logs.lines(), "the caller prints the usage error, once");
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
