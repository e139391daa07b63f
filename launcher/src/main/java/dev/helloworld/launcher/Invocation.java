package dev.helloworld.launcher;

import dev.helloworld.core.host.Plugin;
import java.util.List;
import java.util.Map;

/** What every subcommand works from: the discovered plugins and the process environment. */
record Invocation(List<Plugin> plugins, Map<String, String> env) {}
