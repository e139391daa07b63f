package dev.helloworld.launcher;

/** The entry point of {@code bin/launcher}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // First of all: a signal while the plugins are being found must not be the JVM's silent exit 143.
        ShutdownSignals signals = ShutdownSignals.install();
        int code = Launcher.execute(args, System.getenv(), systemProperties(), Main.class.getClassLoader(), signals);
        // Exit explicitly: plugins' libraries may leave non-daemon threads behind after stop.
        System.exit(code);
    }

    /** The JVM's system properties as text ({@code -Dotel.service.name=...} from JAVA_OPTS among them). */
    private static java.util.Map<String, String> systemProperties() {
        java.util.Map<String, String> properties = new java.util.HashMap<>();
        System.getProperties().stringPropertyNames().forEach(name -> properties.put(name, System.getProperty(name)));
        return properties;
    }
}
