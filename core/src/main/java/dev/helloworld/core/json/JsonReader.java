package dev.helloworld.core.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict recursive-descent reader of one JSON document (RFC 8259); see {@link Json#parse}. */
final class JsonReader {

    /**
     * Deeper nesting is refused rather than read: each level is a stack frame, and a hostile or
     * broken answer of a few kilobytes of {@code [} must be an error, not a StackOverflowError.
     */
    static final int MAX_DEPTH = 512;

    private final String text;
    private int at;
    private int depth;

    JsonReader(String text) {
        this.text = text;
    }

    Object document() {
        Object value = value();
        space();
        if (at != text.length()) {
            throw error("the end of the text but found " + found());
        }
        return value;
    }

    private Object value() {
        space();
        if (at >= text.length()) {
            throw error("a value but found the end of the text");
        }
        return switch (text.charAt(at)) {
            case '{' -> nested(true);
            case '[' -> nested(false);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Object nested(boolean object) {
        if (++depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " nested objects and arrays");
        }
        Object value = object ? object() : array();
        depth--;
        return value;
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        space();
        if (take('}')) {
            return map;
        }
        do {
            space();
            int keyAt = at;
            if (!peek('"')) {
                throw error("a name in quotes but found " + found());
            }
            String key = string();
            space();
            expect(':');
            if (map.containsKey(key)) {
                at = keyAt;
                throw new MalformedJsonException(text, at, "the name \"" + key + "\" twice in one object");
            }
            map.put(key, value());
            space();
        } while (take(','));
        expect('}');
        return map;
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        at++;
        space();
        if (take(']')) {
            return list;
        }
        do {
            list.add(value());
            space();
        } while (take(','));
        expect(']');
        return list;
    }

    private String string() {
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("the closing quote of a string but found the end of the text");
            }
            char c = text.charAt(at);
            if (c == '"') {
                at++;
                return out.toString();
            }
            if (c < 0x20) {
                throw error("no control character in a string (escape it) but found U+" + hex4(c));
            }
            if (c == '\\') {
                escape(out);
            } else {
                out.append(c);
                at++;
            }
        }
    }

    /** One escape sequence; a surrogate pair comes as two {@code \\u} escapes, each appended as it is. */
    private void escape(StringBuilder out) {
        at++;
        if (at >= text.length()) {
            throw error("an escape after '\\' but found the end of the text");
        }
        char e = text.charAt(at);
        switch (e) {
            case '"', '\\', '/' -> out.append(e);
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                int code = 0;
                for (int i = 1; i <= 4; i++) {
                    int digit = at + i < text.length() ? Character.digit(text.charAt(at + i), 16) : -1;
                    if (digit < 0) {
                        at += i;
                        throw error("four hex digits after \\u but found " + found());
                    }
                    code = code * 16 + digit;
                }
                out.append((char) code);
                at += 4;
            }
            default -> throw error("one of \" \\ / b f n r t u after '\\' but found " + found());
        }
        at++;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, as RFC 8259 section 6 has it. */
    private Object number() {
        int start = at;
        take('-');
        if (!take('0')) {
            digits("a value");
        }
        boolean integer = true;
        if (take('.')) {
            integer = false;
            digits("a digit after the decimal point");
        }
        if (take('e') || take('E')) {
            integer = false;
            if (!take('+')) {
                take('-');
            }
            digits("a digit in the exponent");
        }
        String n = text.substring(start, at);
        if (!integer) {
            return Double.parseDouble(n);
        }
        BigInteger big = new BigInteger(n);
        return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
    }

    private void digits(String expected) {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at == start) {
            throw error(expected + " but found " + found());
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error(word + " but found " + found());
        }
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private boolean take(char c) {
        if (peek(c)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!take(c)) {
            throw error("'" + c + "' but found " + found());
        }
    }

    private String found() {
        if (at >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(at);
        return c < 0x20 ? "U+" + hex4(c) : "'" + c + "'";
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    private MalformedJsonException error(String expected) {
        return new MalformedJsonException(text, at, "expected " + expected);
    }
}
