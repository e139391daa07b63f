package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypeTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({
        "true, true", "TRUE, true", "True, true", "tRuE, true",
        "false, false", "FALSE, false", "False, false",
        "1, true", "0, false",
        "yes, true", "YES, true", "Yes, true",
        "no, false", "NO, false", "nO, false",
        "on, true", "ON, true", "On, true",
        "off, false", "OFF, false", "oFf, false",
        "' yes ', true",
    })
    void boolAcceptsTheUsualSpellingsInAnyCase(String raw, boolean expected) {
        assertEquals(Parsed.value(expected), ValueType.bool().parse(raw), () -> "parsing '" + raw + "'");
    }

    @ParameterizedTest(name = "''{0}'' is not a bool")
    @ValueSource(strings = {"ture", "", " ", "2", "-1", "y", "n", "t", "f", "enabled", "oui", "truee", "10"})
    void boolRefusesEverythingElse(String raw) {
        assertEquals(Parsed.invalid("true/false, 1/0, yes/no or on/off"), ValueType.bool().parse(raw),
                () -> "parsing '" + raw + "'");
    }

    @Test
    void wordsAreReadTheSameWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        // Lower-casing "DIGIT" in Turkish gives "dıgıt" (dotless i), which would match nothing.
        Locale.setDefault(Locale.forLanguageTag("tr"));
        try {
            assertEquals(Parsed.value(Spelling.DIGIT), ValueType.choice(Spelling.class).parse("DIGIT"));
            assertEquals(Parsed.value(true), ValueType.bool().parse("YES"));
        } finally {
            Locale.setDefault(before);
        }
    }

    private enum Spelling { DIGIT, LETTER_CASE }

    @ParameterizedTest(name = "port(zeroMeansAny={1}) reads ''{0}''")
    @CsvSource({
        "1, false, 1", "65535, false, 65535", "8080, false, 8080", "' 443 ', false, 443",
        "0, true, 0", "1, true, 1", "65535, true, 65535",
    })
    void portAcceptsItsRange(String raw, boolean zeroMeansAny, int expected) {
        assertEquals(Parsed.value(expected), ValueType.port(zeroMeansAny).parse(raw));
    }

    @ParameterizedTest(name = "port(zeroMeansAny={1}) refuses ''{0}''")
    @CsvSource({
        "0, false, a port from 1 to 65535",
        "65536, false, a port from 1 to 65535",
        "abc, false, a port from 1 to 65535",
        "'', false, a port from 1 to 65535",
        "-1, true, 'a port from 1 to 65535, or 0 for any free port'",
        "65536, true, 'a port from 1 to 65535, or 0 for any free port'",
        "80.0, true, 'a port from 1 to 65535, or 0 for any free port'",
        "99999999999, true, 'a port from 1 to 65535, or 0 for any free port'",
        "'\uFF18\uFF10', false, a port from 1 to 65535",
    })
    void portRefusesAnythingElse(String raw, boolean zeroMeansAny, String expected) {
        assertEquals(Parsed.invalid(expected), ValueType.port(zeroMeansAny).parse(raw), () -> "parsing '" + raw + "'");
    }

    @ParameterizedTest(name = "''{0}'' is a URL")
    @ValueSource(strings = {"http://localhost:4317", "https://collector.example", "HTTP://Upper.Example:80",
        "http://10.0.0.1:4318/otlp", "http://[::1]:4317", "  http://trimmed:1  "})
    void httpUrlAcceptsAbsoluteHttpUrlsWithAHost(String raw) {
        assertEquals(Parsed.value(URI.create(raw.trim())), ValueType.httpUrl().parse(raw));
    }

    @ParameterizedTest(name = "''{0}'' is not a URL we can use")
    @ValueSource(strings = {"", "localhost:4317", "http://", "http:///v1/traces", "ftp://collector:21",
        "garbage", "http://local_host:4317", "http://collector:4317?x=1", "http://collector:4317#top",
        "http://collector:abc", "http://collector:99999", "http://collector:0", "//collector:4317"})
    void httpUrlRefusesEverythingElse(String raw) {
        assertEquals(Parsed.invalid("an http:// or https:// URL with a host, such as http://localhost:4317"),
                ValueType.httpUrl().parse(raw), () -> "parsing '" + raw + "'");
    }

    @ParameterizedTest(name = "''{0}'' is a host")
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "localhost", "my-host.example", "::1", "fe80::1%eth0"})
    void hostAcceptsNamesAndAddresses(String raw) {
        assertEquals(Parsed.value(raw), ValueType.host().parse(raw));
    }

    @ParameterizedTest(name = "''{0}'' is not a host")
    @ValueSource(strings = {"", " ", "local host", "http://localhost", "a/b", "[::1]"})
    void hostRefusesEverythingElse(String raw) {
        assertEquals(Parsed.invalid("a host name or IP address, such as 0.0.0.0 or 127.0.0.1"),
                ValueType.host().parse(raw), () -> "parsing '" + raw + "'");
    }

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({"grpc, GRPC", "http, HTTP", "console, CONSOLE", "none, NONE", "GRPC, GRPC", "' Http ', HTTP"})
    void choiceReadsEnumConstantsInAnyCase(String raw, ExporterType expected) {
        assertEquals(Parsed.value(expected), ValueType.choice(ExporterType.class).parse(raw));
    }

    @ParameterizedTest(name = "''{0}'' is not an exporter")
    @ValueSource(strings = {"kafka", "", "otlp", "http/protobuf", "grpc,http"})
    void choiceRefusesOtherWordsListingTheAllowedOnes(String raw) {
        assertEquals(Parsed.invalid("one of grpc, http, console, none"),
                ValueType.choice(ExporterType.class).parse(raw), () -> "parsing '" + raw + "'");
    }

    @Test
    void choiceWritesUnderscoresAsDashes() {
        ValueType<Spelling> type = ValueType.choice(Spelling.class);
        assertEquals("<digit|letter-case>", type.label());
        assertEquals("letter-case", type.format(Spelling.LETTER_CASE));
        assertEquals(Parsed.value(Spelling.LETTER_CASE), type.parse("letter-case"));
    }

    @Test
    void textTrimsAndRefusesBlank() {
        ValueType<String> text = ValueType.text("<name>");
        assertEquals(Parsed.value("checkout"), text.parse("  checkout "));
        assertEquals(Parsed.invalid("a non-empty value"), text.parse(""));
        assertEquals(Parsed.invalid("a value that is not only spaces"), text.parse(" \t"));
    }

    @ParameterizedTest(name = "integer(1, 10) reads ''{0}''")
    @CsvSource({"1, 1", "10, 10", "' 5 ', 5"})
    void integerAcceptsItsRange(String raw, int expected) {
        assertEquals(Parsed.value(expected), ValueType.integer("<n>", 1, 10).parse(raw));
    }

    @ParameterizedTest(name = "integer(1, 10) refuses ''{0}''")
    @ValueSource(strings = {"0", "11", "", "five", "1.0", "0x5", "\u0665"})
    void integerRefusesOutOfRangeAndNonNumbers(String raw) {
        assertEquals(Parsed.invalid("a whole number from 1 to 10"), ValueType.integer("<n>", 1, 10).parse(raw),
                () -> "parsing '" + raw + "'");
    }

    @ParameterizedTest(name = "decimal(0, 1) reads ''{0}''")
    @CsvSource({"0, 0", "1, 1", "0.25, 0.25", "' .5 ', 0.5", "1., 1", "5e-1, 0.5", "+0.5, 0.5", "2.5E-1, 0.25"})
    void decimalAcceptsItsRange(String raw, double expected) {
        assertEquals(Parsed.value(expected), ValueType.decimal("<p>", 0, 1).parse(raw));
    }

    @ParameterizedTest(name = "decimal(0, 1) refuses ''{0}''")
    @ValueSource(strings = {"-0.1", "1.01", "", "half", "NaN", "Infinity", "0.5d", "1f", "0x1p-1", ".", "1e", "0,5",
        "\u0660.5"})
    void decimalRefusesOutOfRangeAndNonNumbers(String raw) {
        assertEquals(Parsed.invalid("a number from 0 to 1"), ValueType.decimal("<p>", 0, 1).parse(raw),
                () -> "parsing '" + raw + "'");
    }

    @Test
    void decimalDescribesFractionalBoundsAsWritten() {
        assertEquals(Parsed.invalid("a number from 0.5 to 2.5"), ValueType.decimal("<x>", 0.5, 2.5).parse("3"));
        assertEquals("0.25", ValueType.decimal("<x>", 0, 1).format(0.25));
        assertEquals("1", ValueType.decimal("<x>", 0, 1).format(1.0));
    }

    @ParameterizedTest(name = "''{0}'' is a positive duration")
    @CsvSource({"500ms, PT0.5S", "3s, PT3S", "1m, PT1M", "1h, PT1H"})
    void durationReadsPositiveDurations(String raw, Duration expected) {
        assertEquals(Parsed.value(expected), ValueType.duration().parse(raw));
    }

    @ParameterizedTest(name = "''{0}'' is not a positive duration")
    @ValueSource(strings = {"10", "5 s", "0s", "0ms", "", "1.5s", "-3s"})
    void durationRefusesZeroAndMissingUnits(String raw) {
        assertEquals(Parsed.invalid("a positive duration such as 500ms, 3s, 1m or 1h"),
                ValueType.duration().parse(raw), () -> "parsing '" + raw + "'");
    }

    @ParameterizedTest(name = "{0} writes what it reads: ''{1}''")
    @CsvSource({
        "bool, yes, true",
        "bool, OFF, false",
        "port, 8080, 8080",
        "url, http://localhost:4317, http://localhost:4317",
        "duration, 90s, 90s",
        "duration, 60s, 1m",
        "choice, HTTP, http",
        "text, ' name ', name",
    })
    void formatWritesTextThatParsesBack(String kind, String raw, String written) {
        ValueType<?> type = switch (kind) {
            case "bool" -> ValueType.bool();
            case "port" -> ValueType.port(false);
            case "url" -> ValueType.httpUrl();
            case "duration" -> ValueType.duration();
            case "choice" -> ValueType.choice(ExporterType.class);
            default -> ValueType.text("<t>");
        };
        assertFormatsAndParsesBack(type, raw, written);
    }

    private static <T> void assertFormatsAndParsesBack(ValueType<T> type, String raw, String written) {
        Parsed<T> result = type.parse(raw);
        assertInstanceOf(Parsed.Value.class, result, () -> "parsing '" + raw + "'");
        Parsed.Value<T> parsed = (Parsed.Value<T>) result;
        String text = type.format(parsed.value());
        assertEquals(written, text, () -> "writing the value of '" + raw + "'");
        assertEquals(parsed, type.parse(text), () -> "reading back '" + text + "'");
    }

    @Test
    void labelsNameThePlaceholderOfHelpTexts() {
        assertEquals("<bool>", ValueType.bool().label());
        assertEquals("<port>", ValueType.port(true).label());
        assertEquals("<url>", ValueType.httpUrl().label());
        assertEquals("<duration>", ValueType.duration().label());
        assertEquals("<host>", ValueType.host().label());
        assertEquals("<grpc|http|console|none>", ValueType.choice(ExporterType.class).label());
    }
}
