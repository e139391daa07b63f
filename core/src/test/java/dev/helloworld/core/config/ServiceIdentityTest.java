package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The identity is one value per item, whichever places give it: the same value in several places
 * is that value, from the strongest of them; two different values are one usage error naming both.
 */
class ServiceIdentityTest {

    @Test
    void theSameValueInEveryPlaceIsThatValueFromTheStrongestPlace() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of("token", "T0k"),
                Map.of("TOKEN", "T0k",
                        "OTEL_EXPORTER_OTLP_HEADERS", "x-bk-token=T0k",
                        "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "X-BK-TOKEN=T0k",
                        "OTEL_SERVICE_NAME", "shop",
                        "OTEL_RESOURCE_ATTRIBUTES", "service.name=shop,bk.data.token=T0k,service.version=2.0"),
                Map.of("otel.service.name", "shop", "otel.resource.attributes", "service.version=2.0"));
        ServiceIdentity identity = ServiceIdentity.of(config);

        assertEquals("T0k", identity.token().value());
        assertEquals(new Origin(Origin.Kind.FLAG, "--token"), identity.token().origin());
        assertEquals("shop", identity.name().value());
        assertEquals(new Origin(Origin.Kind.PROPERTY, "-Dotel.service.name"), identity.name().origin());
        assertEquals(new Origin(Origin.Kind.PROPERTY, "-Dotel.resource.attributes"), identity.version().origin());
        assertEquals("dev", identity.environment().value());
        assertEquals(Origin.Kind.DEFAULT, identity.environment().origin().kind());
    }

    @ParameterizedTest(name = "{0} against {2}")
    @CsvSource(delimiter = '|', textBlock = """
        SERVICE_NAME               | shop-a                          | OTEL_SERVICE_NAME                  | shop-b                                      | conflicting values for service.name: 'shop-a' from SERVICE_NAME and 'shop-b' from OTEL_SERVICE_NAME; set it in one place, or to the same value in both
        OTEL_SERVICE_NAME          | shop-a                          | OTEL_RESOURCE_ATTRIBUTES           | service.name=shop-b                         | conflicting values for service.name: 'shop-a' from OTEL_SERVICE_NAME and 'shop-b' from OTEL_RESOURCE_ATTRIBUTES; set it in one place, or to the same value in both
        -Dotel.service.name        | shop-a                          | OTEL_SERVICE_NAME                  | shop-b                                      | conflicting values for service.name: 'shop-a' from -Dotel.service.name and 'shop-b' from OTEL_SERVICE_NAME; set it in one place, or to the same value in both
        SERVICE_VERSION            | 1.0                             | -Dotel.resource.attributes         | service.version=1.1                         | conflicting values for service.version: '1.0' from SERVICE_VERSION and '1.1' from -Dotel.resource.attributes; set it in one place, or to the same value in both
        DEPLOYMENT_ENVIRONMENT     | prod                            | OTEL_RESOURCE_ATTRIBUTES           | deployment.environment.name=test            | conflicting values for deployment.environment: 'prod' from DEPLOYMENT_ENVIRONMENT and 'test' from OTEL_RESOURCE_ATTRIBUTES; set it in one place, or to the same value in both
        TOKEN                      | Alpha-token                     | OTEL_EXPORTER_OTLP_HEADERS         | x-bk-token=Bravo-token                      | conflicting values for token: 'Al****' from TOKEN and 'Br****' from OTEL_EXPORTER_OTLP_HEADERS; set it in one place, or to the same value in both
        OTEL_EXPORTER_OTLP_HEADERS | x-bk-token=Alpha-token          | OTEL_RESOURCE_ATTRIBUTES           | bk.data.token=Bravo-token                   | conflicting values for token: 'Al****' from OTEL_EXPORTER_OTLP_HEADERS and 'Br****' from OTEL_RESOURCE_ATTRIBUTES; set it in one place, or to the same value in both
        OTEL_EXPORTER_OTLP_TRACES_HEADERS | x-bk-token=Alpha-token   | OTEL_EXPORTER_OTLP_METRICS_HEADERS | x-bk-token=Bravo-token                      | conflicting values for token: 'Al****' from OTEL_EXPORTER_OTLP_TRACES_HEADERS and 'Br****' from OTEL_EXPORTER_OTLP_METRICS_HEADERS; set it in one place, or to the same value in both
        -Dotel.exporter.otlp.headers | x-bk-token=Alpha-token        | TOKEN                              | Bravo-token                                 | conflicting values for token: 'Br****' from TOKEN and 'Al****' from -Dotel.exporter.otlp.headers; set it in one place, or to the same value in both
        """)
    void twoDifferentValuesAreOneErrorNamingBothPlacesTheTokenMasked(String first, String firstRaw, String second,
            String secondRaw, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of(first, firstRaw, second, secondRaw)));

        assertEquals(message, e.getMessage());
        assertEquals(1, e.errors().size(), () -> "errors: " + e.errors());
        assertFalse(e.getMessage().contains("Alpha-token") || e.getMessage().contains("Bravo-token"), e.getMessage());
    }

    @Test
    void aFlagAgainstAVariableIsAConflictToo() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.resolve(Keys.ALL,
                Map.of("service.name", "shop-a"), Map.of("OTEL_SERVICE_NAME", "shop-b")));
        assertEquals("conflicting values for service.name: 'shop-a' from --service-name and 'shop-b' from "
                + "OTEL_SERVICE_NAME; set it in one place, or to the same value in both", e.getMessage());
    }

    @Test
    void valuesAreComparedAsParsedSoSpacesAndPercentEncodingDoNotConflict() throws ConfigException {
        Config config = resolve(Map.of("SERVICE_NAME", " shop ", "OTEL_RESOURCE_ATTRIBUTES", "service.name=shop",
                "TOKEN", "a b", "OTEL_EXPORTER_OTLP_HEADERS", "x-bk-token=a%20b"));
        assertEquals("shop", config.get(Keys.SERVICE_NAME));
        assertEquals("a b", config.get(Keys.TOKEN));
    }

    @Test
    void aBadValueInAWeakerPlaceIsReportedEvenWhenAStrongerOneIsGood() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of("DEPLOYMENT_ENVIRONMENT", "prod",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=x%7By%7D")));
        assertEquals("invalid value 'x{y}' for OTEL_RESOURCE_ATTRIBUTES: expected a non-empty value without spaces, "
                + "braces, commas or '='", e.getMessage());
    }

    @Test
    void otherHeadersAndAttributesAreNotTheIdentitys() throws ConfigException {
        ServiceIdentity identity = ServiceIdentity.of(resolve(Map.of(
                "OTEL_EXPORTER_OTLP_HEADERS", "x-bk-token-old=a,authorization=Bearer%20b",
                "OTEL_RESOURCE_ATTRIBUTES", "service.namespace=shop,k8s.service.name=cart,deployment.environment=prod")));
        assertEquals(Origin.Kind.DEFAULT, identity.token().origin().kind());
        assertEquals(Origin.Kind.DEFAULT, identity.name().origin().kind());
        assertEquals(Origin.Kind.DEFAULT, identity.environment().origin().kind());
    }

    @Test
    void theResourceAttributesAndWhatMayBePrinted() throws ConfigException {
        ServiceIdentity identity = ServiceIdentity.of(resolve(Map.of("TOKEN", "s3cret-token", "SERVICE_NAME", "cart",
                "SERVICE_VERSION", "1.2", "DEPLOYMENT_ENVIRONMENT", "prod")));
        assertEquals(Map.of("service.name", "cart", "service.version", "1.2", "deployment.environment.name", "prod",
                "bk.data.token", "s3cret-token"), identity.resourceAttributes());
        assertEquals("s3****", identity.token().display());
        assertEquals("token=s3**** (env TOKEN)", identity.token().toString());
    }

    /** Variables by name, and system properties written {@code -Dname}. */
    private static Config resolve(Map<String, String> places) throws ConfigException {
        Map<String, String> env = new java.util.HashMap<>();
        Map<String, String> properties = new java.util.HashMap<>();
        places.forEach((place, value) -> {
            if (place.startsWith("-D")) {
                properties.put(place.substring(2), value);
            } else {
                env.put(place, value);
            }
        });
        return Config.resolve(Keys.ALL, Map.of(), env, properties);
    }
}
