package dev.helloworld.otlp.sdk;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user and password in the OTLP endpoint ({@code http://user:pw@collector:4318}) are sent as
 * HTTP Basic authentication, as the profiling endpoint's are, rather than dropped: the SDK's
 * exporters ignore a URL's user information. The endpoint handed to the SDK has none, so that it
 * appears in none of its messages.
 */
final class UrlCredentials {

    private static final String AUTHORIZATION = "Authorization";

    private UrlCredentials() {}

    /** {@code endpoint} without its user information. */
    static URI without(URI endpoint) {
        if (endpoint.getRawUserInfo() == null) {
            return endpoint;
        }
        try {
            return new URI(endpoint.getScheme(), null, endpoint.getHost(), endpoint.getPort(), endpoint.getPath(),
                    endpoint.getQuery(), endpoint.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot take the credentials out of the endpoint", e);
        }
    }

    /**
     * {@code headers} (in OTEL_EXPORTER_OTLP_HEADERS syntax: values URL-encoded) with
     * {@code Authorization: Basic ...} from the endpoint's user information, unless the headers
     * carry an Authorization of their own, which is the more deliberate of the two.
     */
    static Map<String, String> withBasicAuth(Map<String, String> headers, URI endpoint) {
        String info = endpoint.getUserInfo(); // percent-decoded, as Basic wants it
        if (info == null || headers.keySet().stream().anyMatch(AUTHORIZATION::equalsIgnoreCase)) {
            return headers;
        }
        Map<String, String> with = new LinkedHashMap<>(headers);
        String credentials = Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8));
        with.put(AUTHORIZATION, URLEncoder.encode("Basic " + credentials, StandardCharsets.UTF_8));
        return with;
    }
}
