package dev.helloworld.core.host;

/**
 * A plugin that was found but cannot be used: its class does not load, its constructor throws,
 * it has no name, or its name or one of its options is taken. The other plugins are unaffected.
 * Or a whole jar set aside before the JVM started ({@link #setAside}): empty, not a zip file, or a
 * second copy of another jar, which would otherwise have stopped the JVM or been used twice.
 *
 * @param className the provider class named by the jar, {@code "?"} when not even that is known,
 *                  or empty for a jar set aside as a whole
 * @param jar       the jar (or folder) the class or its services entry came from, or {@code "an unknown jar"}
 * @param reason    why it cannot be used, in a few words
 */
public record BrokenPlugin(String className, String jar, String reason) {

    /** A jar that {@code bin/launcher} kept off the module or class path, and why. */
    public static BrokenPlugin setAside(String jar, String reason) {
        return new BrokenPlugin("", jar, reason);
    }

    /**
     * Whether this is a whole jar set aside rather than a plugin that is there but broken: the
     * first is no reason to refuse to run the others (there is no plugin in it, or its first copy
     * runs), the second is (running without a plugin that is there would be a silent surprise).
     */
    public boolean isSetAsideJar() {
        return className.isEmpty();
    }

    /** What cannot be used: the class and its jar, or the jar. */
    public String what() {
        return isSetAsideJar() ? "jar " + jar : className + " in " + jar;
    }

    /** One line naming the class, its jar and why, for an error or a warning. */
    public String message() {
        return isSetAsideJar() ? what() + " is not used: " + reason : "plugin " + what() + " cannot be used: " + reason;
    }
}
