package dev.helloworld.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8259 as {@link Json} reads and writes it. */
class JsonTest {

    @Test
    void readsEveryEscapeOfSection7() {
        assertEquals("\" \\ / \b \f \n \r \t A é",
                Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00E9\""));
    }

    @Test
    void readsASurrogatePairEscapedAndRaw() {
        String face = new String(Character.toChars(0x1F600));
        assertEquals(face, Json.parse("\"\\ud83d\\ude00\""));
        assertEquals(face, Json.parse("\"" + face + "\""));
        assertEquals(0x1F600, ((String) Json.parse("\"\\uD83D\\uDE00\"")).codePointAt(0));
    }

    @Test
    void writesControlCharactersAndLineSeparatorsEscapedAndReadsThemBack() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            every.append(c);
        }
        every.append("\"\\/\u2028\u2029\u007f é ").appendCodePoint(0x1F600);
        String quoted = Json.quote(every.toString());

        assertTrue(quoted.chars().noneMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029),
                "no raw control character or line separator in " + quoted);
        assertTrue(quoted.startsWith("\"\\u0000\\u0001"), quoted);
        assertTrue(quoted.contains("\\b\\t\\n\\u000b\\f\\r"), quoted);
        assertTrue(quoted.contains("\\u2028\\u2029"), quoted);
        assertEquals(every.toString(), Json.parse(quoted));
    }

    @Test
    void writesAnUnpairedSurrogateEscapedSoThatTheTextIsValidUtf8() {
        String lone = "a\ud800b\udc00";
        String quoted = Json.quote(lone);

        assertEquals("\"a\\ud800b\\udc00\"", quoted);
        assertEquals(quoted, new String(quoted.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertEquals(lone, Json.parse(quoted));
    }

    @Test
    void readsIntegersAsLongsExactlyBeyondTwoToTheFiftyThird() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(-7L, Json.parse("-7"));
        // 2^53 + 1: a double would read 9007199254740992.
        assertEquals(9_007_199_254_740_993L, Json.parse("9007199254740993"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(new BigInteger("-123456789012345678901234567890"), Json.parse("-123456789012345678901234567890"));
    }

    @Test
    void readsFractionsAndExponentsAsDoubles() {
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(-0.25, Json.parse("-0.25"));
        assertEquals(1000.0, Json.parse("1e3"));
        assertEquals(1000.0, Json.parse("1E+3"));
        assertEquals(0.012, Json.parse("1.2e-2"));
        assertInstanceOf(Double.class, Json.parse("0e0"));
    }

    @Test
    void refusesNumbersOutsideTheGrammar() {
        for (String bad : List.of("01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "NaN", "Infinity", "-01", "1.e3")) {
            assertThrows(MalformedJsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void readsNestedObjectsAndArraysInOrderWithLiterals() {
        Object value = Json.parse(" { \"b\" : [1, {\"c\": [] , \"d\":{}}, \"x\"], \"a\": true, \"n\": null,\n\t\"f\": false } ");

        Map<String, Object> expected = new LinkedHashMap<>();
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("c", List.of());
        inner.put("d", Map.of());
        expected.put("b", List.of(1L, inner, "x"));
        expected.put("a", true);
        expected.put("n", null);
        expected.put("f", false);
        assertEquals(expected, value);
        assertEquals(List.of("b", "a", "n", "f"), new ArrayList<>(((Map<?, ?>) value).keySet()));
        assertTrue(((Map<?, ?>) value).containsKey("n"));
        assertNull(((Map<?, ?>) value).get("n"));
    }

    @Test
    void writesIndentedAndReadsItsOwnTextBack() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "shop \"a\"");
        doc.put("big", 9_007_199_254_740_993L);
        doc.put("ratio", 0.5);
        doc.put("none", null);
        doc.put("list", List.of(1L, List.of(), Map.of()));

        String text = Json.write(doc);

        assertEquals("""
                {
                  "name": "shop \\"a\\"",
                  "big": 9007199254740993,
                  "ratio": 0.5,
                  "none": null,
                  "list": [
                    1,
                    [],
                    {}
                  ]
                }
                """, text);
        assertEquals(doc, Json.parse(text));
    }

    @Test
    void writesANumberJsonCannotCarryAsNull() {
        assertEquals("[\n  null,\n  null,\n  1.0E300\n]\n", Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, 1e300)));
    }

    @Test
    void refusesToWriteAValueWithNoJsonForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("at", java.time.Instant.EPOCH)));
        assertTrue(e.getMessage().contains("java.time.Instant"), e.getMessage());
    }

    @Test
    void namesWhereAndWhatWasExpectedForMalformedText() {
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> Json.parse("{\n  \"a\" 1}"));

        assertEquals(8, e.offset());
        assertEquals("malformed JSON at line 2, column 7 (offset 8): expected ':' but found '1' in '{\n  \"a\" 1}'",
                e.getMessage());
    }

    @Test
    void refusesEveryKindOfMalformedText() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("", "expected a value but found the end of the text");
        cases.put("[1, 2", "expected ']' but found the end of the text");
        cases.put("[1,]", "expected a value but found ']'");
        cases.put("{\"a\":1,}", "expected a name in quotes but found '}'");
        cases.put("{a:1}", "expected a name in quotes but found 'a'");
        cases.put("{\"a\":1,\"a\":2}", "the name \"a\" twice in one object");
        cases.put("\"open", "expected the closing quote of a string but found the end of the text");
        cases.put("\"tab\there\"", "expected no control character in a string (escape it) but found U+0009");
        cases.put("\"\\x\"", "expected one of \" \\ / b f n r t u after '\\' but found 'x'");
        cases.put("\"\\u12\"", "expected four hex digits after \\u but found '\"'");
        cases.put("\"\\u-123\"", "expected four hex digits after \\u but found '-'");
        cases.put("\"end\\", "expected an escape after '\\' but found the end of the text");
        cases.put("tru", "expected true but found 't'");
        cases.put("nul", "expected null but found 'n'");
        cases.put("{} {}", "expected the end of the text but found '{'");
        cases.put("'single'", "expected a value but found '''");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> Json.parse(c.getKey()), c.getKey());
            assertTrue(e.getMessage().contains(": " + c.getValue() + " in '"), c.getKey() + " -> " + e.getMessage());
        }
    }

    @Test
    void refusesNestingDeeperThanTheBoundInsteadOfOverflowingTheStack() {
        char[] open = new char[100_000];
        Arrays.fill(open, '[');
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> Json.parse(new String(open)));
        assertTrue(e.getMessage().contains("at most " + JsonReader.MAX_DEPTH + " nested"), e.getMessage());

        String deepest = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(deepest));
    }

    @Test
    void quotesAMessageLongerThanTheExcerptShortened() {
        String big = "[" + "1,".repeat(10_000) + "x]";
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> Json.parse(big));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        assertTrue(e.getMessage().endsWith(",1,1,x]'"), e.getMessage());
    }
}
