package dev.helloworld.verify;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who the run says it is: what a backend must have stored the data under. The one place that
 * reads it, so that it follows the configuration's resolution of these keys wherever that goes.
 *
 * @param maskedToken the token as {@link Secrets#mask} shows it; empty when there is none
 */
record Identity(String serviceName, String serviceVersion, String environment, String maskedToken) {

    static Identity of(Config config) {
        String token = config.get(Keys.TOKEN);
        return new Identity(config.get(Keys.SERVICE_NAME), config.get(Keys.SERVICE_VERSION),
                config.get(Keys.DEPLOYMENT_ENVIRONMENT), token.isEmpty() ? "" : Secrets.mask(token));
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
