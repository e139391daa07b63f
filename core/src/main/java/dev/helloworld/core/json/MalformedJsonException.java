package dev.helloworld.core.json;

/**
 * Text that is not the JSON it should be, with where it went wrong: {@code malformed JSON at
 * line 1, column 9 (offset 8): expected ':' but found '1' in '{"a" 1}'}.
 */
public final class MalformedJsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** How much of the text around the fault the message quotes; a backend's answer may be megabytes. */
    private static final int EXCERPT = 40;

    private final int offset;

    MalformedJsonException(String text, int offset, String problem) {
        super("malformed JSON at " + position(text, offset) + ": " + problem + " in '" + excerpt(text, offset) + "'");
        this.offset = offset;
    }

    /** Where in the text (a {@code char} index) the reader gave up. */
    public int offset() {
        return offset;
    }

    private static String position(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1) + " (offset " + offset + ")";
    }

    private static String excerpt(String text, int offset) {
        int from = Math.max(0, offset - EXCERPT);
        int to = Math.min(text.length(), offset + EXCERPT);
        return (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "");
    }
}
