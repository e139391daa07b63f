package dev.helloworld.core.spi;

/**
 * The start order of the bundled plugins. Lower starts first and stops last: telemetry comes up
 * before anything that produces it and goes down after everything has flushed into it.
 */
public final class Priority {
    /** Sets up OpenTelemetry for everyone else. */
    public static final int TELEMETRY = 100;
    /** Profiles everything that starts after it. */
    public static final int PROFILING = 200;
    /** Serves requests. */
    public static final int SERVER = 300;
    /** Sends requests to the server. */
    public static final int CLIENT = 400;
    /** Where a service that does not say otherwise goes: after the bundled ones. */
    public static final int DEFAULT = 500;

    private Priority() {}
}
