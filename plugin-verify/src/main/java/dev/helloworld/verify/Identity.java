package dev.helloworld.verify;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Secrets;
import dev.helloworld.core.config.ServiceIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who the run says it is: what a backend must have stored the data under, as core resolved it
 * once for every signal ({@link ServiceIdentity}).
 *
 * @param maskedToken the token as {@link Secrets#mask} shows it; empty when there is none
 */
record Identity(String serviceName, String serviceVersion, String environment, String maskedToken) {

    static Identity of(Config config) {
        ServiceIdentity identity = ServiceIdentity.of(config);
        String token = identity.token().value();
        return new Identity(identity.name().value(), identity.version().value(),
                identity.environment().value(), token.isEmpty() ? "" : Secrets.mask(token));
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("service_name", serviceName);
        json.put("service_version", serviceVersion);
        json.put("environment", environment);
        json.put("token", maskedToken);
        return json;
    }

    static Identity fromJson(Map<String, Object> json) {
        return new Identity((String) json.get("service_name"), (String) json.get("service_version"),
                (String) json.get("environment"), (String) json.get("token"));
    }
}
