package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

    @ParameterizedTest(name = "''{0}'' is shown as ''{1}''")
    @CsvSource({
        "todo, to****",
        "abcdefgh, ab****",
        "abc, a****",
        "ab, a****",
        "a, ****",
        "'', ''",
        "' ', ' '",
    })
    void keepsAtMostTwoCharactersAndNeverHalfThenAFixedMask(String secret, String masked) {
        assertEquals(masked, Secrets.mask(secret));
    }

    @ParameterizedTest(name = "''{0}'' is not recoverable from its mask")
    @ValueSource(strings = {"x", "xy", "xyz", "todo", "0123456789abcdef"})
    void neverShowsTheWholeSecret(String secret) {
        String masked = Secrets.mask(secret);
        assertFalse(masked.contains(secret), () -> "'" + secret + "' masked as '" + masked + "'");
        int shown = masked.indexOf('*');
        assertFalse(shown * 2 > secret.length(), () -> "'" + masked + "' shows more than half of '" + secret + "'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://user:s3cret@collector:4318|http://user:****@collector:4318",
        "https://TOKEN@collector/path|https://****@collector/path",
        "http://collector:4318/v1/traces|http://collector:4318/v1/traces",
        "traces OK http://a:b@h:1 and http://c:d@h:2/x|traces OK http://a:****@h:1 and http://c:****@h:2/x",
        "mailto-like text user@host stays|mailto-like text user@host stays",
    })
    void masksThePasswordOfEveryUrlInAText(String text, String masked) {
        assertEquals(masked, Secrets.maskUrlCredentials(text));
    }
}
