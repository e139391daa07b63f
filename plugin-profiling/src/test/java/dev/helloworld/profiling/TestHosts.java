package dev.helloworld.profiling;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.logging.ConsoleLogging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A host running only the profiling plugin, configured as with flags, and its console output. */
final class TestHosts {

    static final String TOKEN = "s3cret-token-4711";

    private TestHosts() {}

    /** The flags every test needs: profiling on, a short interval, a token worth looking for. */
    static Map<String, String> flags(String endpoint, Map<String, String> more) {
        Map<String, String> flags = new HashMap<>(Map.of(
                Keys.ENABLE_PROFILING.name(), "true",
                Keys.PROFILING_ENDPOINT.name(), endpoint,
                Keys.SERVICE_NAME.name(), "helloworld-test",
                Keys.TOKEN.name(), TOKEN,
                ProfilingKeys.UPLOAD_INTERVAL.name(), "1s",
                Keys.SERVICE_VERSION.name(), "1.2.3",
                Keys.DEPLOYMENT_ENVIRONMENT.name(), "test"));
        flags.putAll(more);
        return flags;
    }

    static Config config(Map<String, String> flags) throws Exception {
        List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
        keys.addAll(ProfilingKeys.ALL);
        return Config.of(keys, flags);
    }

    static ServiceHost host(Map<String, String> flags) throws Exception {
        return new ServiceHost(List.of(new Plugin(new ProfilingService(), "dev.helloworld.profiling", "test")),
                config(flags));
    }

    /** Everything logged through java.util.logging from now on, in the console format. */
    static final class Console {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Console() {
            ConsoleLogging.install(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        List<String> lines(String containing) {
            return text().lines().filter(l -> l.contains(containing)).toList();
        }
    }
}
