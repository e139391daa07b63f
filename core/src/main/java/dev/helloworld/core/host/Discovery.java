package dev.helloworld.core.host;

import java.util.List;

/**
 * What {@link Plugins#scan} found: the usable plugins in start order, and the broken ones (in the
 * order they were found) with why, so that a bad jar is reported instead of stopping every command.
 */
public record Discovery(List<Plugin> plugins, List<BrokenPlugin> broken) {

    public Discovery {
        plugins = List.copyOf(plugins);
        broken = List.copyOf(broken);
    }
}
