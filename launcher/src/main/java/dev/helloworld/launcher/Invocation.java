package dev.helloworld.launcher;

import dev.helloworld.core.host.BrokenPlugin;
import dev.helloworld.core.host.Plugin;
import java.util.List;
import java.util.Map;

/**
 * What every subcommand works from: the usable and the broken plugins, the process environment and
 * the JVM's system properties (users pass {@code -Dotel.*} in JAVA_OPTS).
 */
record Invocation(List<Plugin> plugins, List<BrokenPlugin> broken, Map<String, String> env,
        Map<String, String> properties) {}
