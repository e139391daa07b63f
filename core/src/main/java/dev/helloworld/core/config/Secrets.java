package dev.helloworld.core.config;

/** The one place that decides how a secret looks when printed. */
public final class Secrets {

    /** Stars after the kept characters, however long the secret: its length is not shown either. */
    private static final String STARS = "****";

    private Secrets() {}

    /**
     * Keeps at most the first two characters, and never more than half, then a fixed {@value #STARS}:
     * {@code to****} for {@code todo} and for a 10 KB token starting with "to". Enough to tell two
     * tokens apart (or the default from a token that was set), not enough to use one. An empty or
     * blank value hides nothing and is shown as it is, so that "invalid value ''" says what is wrong.
     */
    public static String mask(String secret) {
        if (secret.isBlank()) {
            return secret;
        }
        int keep = Math.min(2, secret.length() / 2);
        return secret.substring(0, keep) + STARS;
    }
}
