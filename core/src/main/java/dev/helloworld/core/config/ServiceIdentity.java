package dev.helloworld.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the telemetry is from, and the token it is sent with: one value for each, resolved once by
 * {@link Config} from every place users set them (see {@link Keys#SERVICE_NAME} and its
 * neighbours), and read from here by every signal, so that traces, metrics, logs and profiles
 * cannot disagree.
 *
 * @param name        {@code service.name}, and the Pyroscope application name
 * @param version     {@code service.version}
 * @param environment {@code deployment.environment.name}
 * @param token       the BlueKing data token: {@code bk.data.token}, {@code x-bk-token}, and the
 *                    profile upload's {@code X-BK-TOKEN} and {@code Authorization}
 */
public record ServiceIdentity(Setting name, Setting version, Setting environment, Setting token) {

    public static final String SERVICE_NAME_ATTRIBUTE = "service.name";
    public static final String SERVICE_VERSION_ATTRIBUTE = "service.version";
    public static final String ENVIRONMENT_ATTRIBUTE = "deployment.environment.name";
    /** The resource attribute by which the BlueKing backend routes data, as in the original service. */
    public static final String TOKEN_ATTRIBUTE = "bk.data.token";
    /** The OTLP request header that bk-collector reads the token from, before the resource. */
    public static final String TOKEN_HEADER = "x-bk-token";

    /**
     * One resolved value and where it came from.
     *
     * @param key    the configuration key, for display
     * @param value  the value (the token in clear: never print it, use {@link #display()})
     * @param origin where it came from
     */
    public record Setting(ConfigKey<String> key, String value, Origin origin) {

        /** The value as it may be printed: the token masked. */
        public String display() {
            return key.secret() ? Secrets.mask(value) : value;
        }

        @Override
        public String toString() {
            return key.name() + "=" + display() + " (" + origin + ")";
        }
    }

    /** The identity that {@code config} resolved. */
    public static ServiceIdentity of(Config config) {
        return new ServiceIdentity(setting(config, Keys.SERVICE_NAME), setting(config, Keys.SERVICE_VERSION),
                setting(config, Keys.DEPLOYMENT_ENVIRONMENT), setting(config, Keys.TOKEN));
    }

    /** The four resource attributes that say who sent the telemetry, the token's included. */
    public Map<String, String> resourceAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(SERVICE_NAME_ATTRIBUTE, name.value());
        attributes.put(SERVICE_VERSION_ATTRIBUTE, version.value());
        attributes.put(ENVIRONMENT_ATTRIBUTE, environment.value());
        attributes.put(TOKEN_ATTRIBUTE, token.value());
        return attributes;
    }

    /** The four settings in the order {@code launcher check} prints them. */
    public List<Setting> settings() {
        return List.of(name, version, environment, token);
    }

    private static Setting setting(Config config, ConfigKey<String> key) {
        return new Setting(key, config.get(key), config.origin(key));
    }
}
