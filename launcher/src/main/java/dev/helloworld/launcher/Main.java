package dev.helloworld.launcher;

/** The entry point of {@code bin/launcher}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // First of all: a signal while the plugins are being found must not be the JVM's silent exit 143.
        ShutdownSignals signals = ShutdownSignals.install();
        int code = Launcher.execute(args, System.getenv(), Main.class.getClassLoader(), signals);
        // Exit explicitly: plugins' libraries may leave non-daemon threads behind after stop.
        System.exit(code);
    }
}
