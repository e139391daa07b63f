package dev.helloworld.launcher;

/** The entry point of {@code bin/launcher}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int code = Launcher.execute(args, System.getenv(), Main.class.getClassLoader());
        // Exit explicitly: plugins' libraries may leave non-daemon threads behind after stop.
        System.exit(code);
    }
}
