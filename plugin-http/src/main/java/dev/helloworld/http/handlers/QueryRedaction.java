package dev.helloworld.http.handlers;

import java.util.Set;

/**
 * {@code url.query} as the HTTP semantic conventions want it recorded: the values of the query
 * parameters that are known to carry credentials (signed URLs of AWS, Azure and Google Cloud)
 * replaced by {@code REDACTED}, everything else as sent.
 */
final class QueryRedaction {

    /** The conventions' list; names are compared as sent, case included, as the conventions do. */
    static final Set<String> SENSITIVE = Set.of("AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature");

    static final String REDACTED = "REDACTED";

    private QueryRedaction() {}

    /** {@code query} (without the '?') with the value of every sensitive parameter redacted. */
    static String redact(String query) {
        if (SENSITIVE.stream().noneMatch(query::contains)) {
            return query; // the common case costs one scan, no allocation
        }
        StringBuilder redacted = new StringBuilder(query.length());
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            String pair = query.substring(start, end);
            int equals = pair.indexOf('=');
            if (equals >= 0 && SENSITIVE.contains(pair.substring(0, equals))) {
                redacted.append(pair, 0, equals + 1).append(REDACTED);
            } else {
                redacted.append(pair);
            }
            if (end < query.length()) {
                redacted.append('&');
            }
            start = end + 1;
        }
        return redacted.toString();
    }
}
