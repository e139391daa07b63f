package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.host.StartException;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.pyroscope.javaagent.PyroscopeAgent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service name is checked as Pyroscope's {@code ValidateServiceName} checks an application
 * name when, and only when, profiling starts.
 */
class ApplicationNameTest {

    @Test
    void takesWhatPyroscopeTakesAndNothingElse() {
        for (String name : List.of("helloworld", "shop-a", "team/shop_a.v2", "A9")) {
            assertTrue(ApplicationName.valid(name), name);
        }
        for (String name : List.of("", "shop a", "shop}{x=1,y", "x{y}", "a=b", "a,b", "商店", "café", "a\tb")) {
            assertFalse(ApplicationName.valid(name), name);
        }
    }

    @Test
    void aNamePyroscopeRefusesStopsProfilingAtStartAsAUsageErrorNamingTheFlagAndValue() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri().toString(),
                    Map.of("service.name", "shop a")));

            StartException e = assertThrows(StartException.class, host::start);

            ConfigException usage = assertInstanceOf(ConfigException.class, e.getCause());
            assertEquals("invalid value 'shop a' for --service-name: expected a name of letters, digits, '.', '_', '-' "
                    + "and '/' (what Pyroscope takes as an application name), or profiling off", usage.getMessage());
            assertFalse(PyroscopeAgent.isStarted(), "no agent started");
            assertEquals(HostState.STOPPED, host.state());
        }
    }

    @Test
    void aNameWithASpaceStartsWithProfilingOff() throws Exception {
        ServiceHost host = TestHosts.host(TestHosts.flags("http://127.0.0.1:1",
                Map.of("service.name", "shop a", "enable.profiling", "false")));

        host.start();
        try {
            assertEquals(HostState.RUNNING, host.state());
        } finally {
            host.stop();
            host.awaitStopped();
        }
    }
}
