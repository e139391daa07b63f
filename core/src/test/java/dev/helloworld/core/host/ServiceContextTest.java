package dev.helloworld.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.core.spi.HttpServerAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a service gets from its host: the shared registry, the configuration, its logger, the state. */
class ServiceContextTest {

    private final Journal journal = new Journal();

    @Test
    void aLaterServiceLooksUpWhatAnEarlierOnePublished() throws Exception {
        HttpServerAddress address = new HttpServerAddress(URI.create("http://127.0.0.1:41234"));
        List<Optional<HttpServerAddress>> seen = new ArrayList<>();
        ServiceHost host = new ServiceHost(List.of(
                service("querier", 400).onStart(c -> seen.add(c.lookup(HttpServerAddress.class))).plugin(),
                service("http", 300).onStart(c -> c.publish(HttpServerAddress.class, address)).plugin()), config());
        host.start();
        host.stop();
        assertEquals(List.of(Optional.of(address)), seen);
    }

    @Test
    void lookingUpWhatNobodyPublishedIsEmpty() throws Exception {
        List<Optional<CharSequence>> seen = new ArrayList<>();
        ServiceHost host = new ServiceHost(List.of(
                service("a", 100).onStart(c -> seen.add(c.lookup(CharSequence.class))).plugin()), config());
        host.start();
        host.stop();
        assertEquals(List.of(Optional.empty()), seen);
    }

    @Test
    void publishingTheSameTypeTwiceFailsTheSecondStart() throws Exception {
        ServiceHost host = new ServiceHost(List.of(
                service("a", 100).onStart(c -> c.publish(CharSequence.class, "first")).plugin(),
                service("b", 200).onStart(c -> c.publish(CharSequence.class, "second")).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals("[b] failed to start: java.lang.CharSequence is already published", e.getMessage());
    }

    @Test
    void publishingNullIsRefused() {
        ServiceHost host = new ServiceHost(List.of(
                service("a", 100).onStart(c -> c.publish(CharSequence.class, null)).plugin()), config());
        StartException e = assertThrows(StartException.class, host::start);
        assertEquals(NullPointerException.class, e.getCause().getClass());
    }

    @Test
    void twoHostsInOneJvmDoNotShareWhatTheirServicesPublish() throws Exception {
        List<Optional<CharSequence>> seen = new ArrayList<>();
        ServiceHost one = new ServiceHost(List.of(
                service("a", 100).onStart(c -> c.publish(CharSequence.class, "one's")).plugin()), config());
        ServiceHost two = new ServiceHost(List.of(
                new ScriptedService("b", 100, journal).onStart(c -> {
                    seen.add(c.lookup(CharSequence.class));
                    c.publish(CharSequence.class, "two's");
                }).plugin()), config());
        one.start();
        two.start();
        one.stop();
        two.stop();
        assertEquals(List.of(Optional.empty()), seen);
    }

    @Test
    void theHostStateMovesFromStartingToRunningToStoppingToStopped() throws Exception {
        List<HostState> seen = new ArrayList<>();
        ScriptedService a = service("a", 100);
        a.onStart(c -> seen.add(c.hostState())).onStop(() -> seen.add(a.context().hostState()));
        ServiceHost host = new ServiceHost(List.of(a.plugin()), config());
        assertEquals(HostState.STARTING, host.state());
        host.start();
        assertEquals(HostState.RUNNING, host.state());
        assertEquals(HostState.RUNNING, a.context().hostState());
        host.stop();
        assertEquals(HostState.STOPPED, host.state());
        assertEquals(HostState.STOPPED, a.context().hostState());
        assertEquals(List.of(HostState.STARTING, HostState.STOPPING), seen);
    }

    @Test
    void everyServiceSeesTheHostsConfigAndALoggerOfItsOwnName() throws Exception {
        Config config = config();
        ScriptedService http = service("http", 300);
        ScriptedService otlp = service("otlp", 100);
        ServiceHost host = new ServiceHost(List.of(http.plugin(), otlp.plugin()), config);
        host.start();
        host.stop();
        assertSame(config, http.context().config());
        assertSame(config, otlp.context().config());
        assertEquals("helloworld.http", http.context().logger().getName());
        assertEquals("helloworld.otlp", otlp.context().logger().getName());
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
