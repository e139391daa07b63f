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
}
