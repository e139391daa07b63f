package dev.helloworld.core.host;

/**
 * A plugin that was found but cannot be used: its class does not load, its constructor throws,
 * it has no name, or its name or one of its options is taken. The other plugins are unaffected.
 *
 * @param className the provider class named by the jar, or {@code "?"} when not even that is known
 * @param jar       the jar (or folder) the class or its services entry came from, or {@code "an unknown jar"}
 * @param reason    why it cannot be used, in a few words
 */
public record BrokenPlugin(String className, String jar, String reason) {

    /** One line naming the class, its jar and why, for an error or a warning. */
    public String message() {
        return "plugin " + className + " in " + jar + " cannot be used: " + reason;
    }
}
