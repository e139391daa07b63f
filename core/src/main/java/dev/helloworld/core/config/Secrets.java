package dev.helloworld.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The user information of a URL ({@code scheme://user:password@}), up to the '@'. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)([^/?#@\\s]+)@");

    /**
     * {@code text} with the password of every URL in it masked, {@code http://user:****@host:4318},
     * and a user information without one (which may be a token) masked whole, {@code http://****@host}:
     * for every line that prints an endpoint (the start lines, {@code launcher config}, {@code check}).
     */
    public static String maskUrlCredentials(String text) {
        Matcher m = USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String info = m.group(1);
            int colon = info.indexOf(':');
            m.appendReplacement(out, Matcher.quoteReplacement((colon >= 0 ? info.substring(0, colon) + ":****" : "****") + "@"));
        }
        m.appendTail(out);
        return out.toString();
    }
}
