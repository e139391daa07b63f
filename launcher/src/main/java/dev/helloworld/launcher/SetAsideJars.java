package dev.helloworld.launcher;

import dev.helloworld.core.host.BrokenPlugin;
import java.util.List;

/**
 * The jars {@code bin/launcher} kept off the module or class path (empty, not a zip file, or a
 * second copy of another jar), read from the {@value #PROPERTY} system property it sets: one
 * {@code jar<TAB>why} a line. The JVM would have refused to start with them on the module path,
 * before any code of ours could say which jar and why; the script cannot print a table, so it
 * hands them over.
 */
final class SetAsideJars {

    static final String PROPERTY = "launcher.skippedJars";

    private SetAsideJars() {}

    static List<BrokenPlugin> fromScript() {
        return System.getProperty(PROPERTY, "").lines()
                .filter(line -> line.indexOf('\t') > 0)
                .map(line -> BrokenPlugin.setAside(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1)))
                .toList();
    }
}
