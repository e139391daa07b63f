package dev.helloworld.core.json;

/**
 * JSON text (RFC 8259) to and from plain Java values: {@code Map<String, Object>} (insertion
 * order kept), {@code List<Object>}, {@code String}, numbers, {@code Boolean} and {@code null}.
 *
 * <p>For the few JSON documents helloworld reads and writes (the {@code check} and {@code verify}
 * reports, the verify manifest, the answers of the backends' query APIs, the management API's
 * bodies): small documents, where a library on every user's module path would cost more than
 * these two hundred lines. Core stays JDK-only.
 */
public final class Json {

    private Json() {}

    /**
     * The value of {@code text}, which must hold exactly one JSON value (whitespace around it
     * allowed). Objects become {@code LinkedHashMap}s, arrays {@code ArrayList}s; an integer is a
     * {@code Long}, or a {@code BigInteger} beyond a long's range, never rounded; a number with a
     * fraction or an exponent is a {@code Double}.
     *
     * @throws MalformedJsonException when the text is not one JSON value, or an object repeats a name
     */
    public static Object parse(String text) {
        return new JsonReader(text).document();
    }

    /**
     * {@code value} as JSON text, indented by two spaces, with a final line break: maps (keys by
     * {@code String.valueOf}), lists, strings, numbers (a NaN or infinite double as {@code null},
     * which JSON cannot carry), booleans and {@code null}.
     *
     * @throws IllegalArgumentException for any other type, which has no one JSON form
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.value(value, out, "");
        return out.append('\n').toString();
    }

    /**
     * {@code text} as a JSON string, quotes included: {@code "}, {@code \} and the control
     * characters escaped, and U+2028/U+2029 and unpaired surrogates as {@code \\uXXXX} so that the
     * result is valid UTF-8 and JavaScript too.
     */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        JsonWriter.string(text, out);
        return out.toString();
    }
}
