package dev.helloworld.core.config;

/** The one place that decides how a secret looks when printed. */
public final class Secrets {

    private Secrets() {}

    /**
     * Keeps at most the first two characters, and never more than half, then stars: {@code to**}
     * for {@code todo}. Enough to tell two tokens apart, not enough to use one.
     */
    public static String mask(String secret) {
        int keep = Math.min(2, secret.length() / 2);
        return secret.substring(0, keep) + "*".repeat(Math.max(2, secret.length() - keep));
    }
}
