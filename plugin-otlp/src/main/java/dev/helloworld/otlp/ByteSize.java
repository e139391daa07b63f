package dev.helloworld.otlp;

import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes written {@code 16MiB}, {@code 512KiB}, {@code 1GiB} or {@code 1048576}; empty for "auto". */
final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KIB|MIB|GIB)?");
    private static final Map<String, Long> UNITS = Map.of("B", 1L, "KIB", 1L << 10, "MIB", 1L << 20, "GIB", 1L << 30);
    static final String AUTO = "auto";

    private ByteSize() {}

    /** {@code 16MiB} when it is a whole number of MiB, and so on down to bytes. */
    static String format(long bytes) {
        for (String unit : new String[] {"GiB", "MiB", "KiB"}) {
            long size = UNITS.get(unit.toUpperCase(Locale.ROOT));
            if (bytes > 0 && bytes % size == 0) {
                return bytes / size + unit;
            }
        }
        return bytes + "B";
    }

    /** Sizes up to {@code max} bytes, or {@value #AUTO}. */
    static ValueType<Optional<Long>> orAuto(long max) {
        return new ValueType<>() {
            @Override
            public Parsed<Optional<Long>> parse(String raw) {
                String text = raw.trim().toUpperCase(Locale.ROOT);
                if (text.equalsIgnoreCase(AUTO)) {
                    return Parsed.value(Optional.empty());
                }
                Matcher m = SIZE.matcher(text);
                if (m.matches()) {
                    long bytes = Long.parseLong(m.group(1)) * UNITS.get(m.group(2) == null ? "B" : m.group(2));
                    if (bytes <= max) {
                        return Parsed.value(Optional.of(bytes));
                    }
                }
                return Parsed.invalid("a size such as 16MiB, 512KiB or 0 (B, KiB, MiB, GiB), at most "
                        + ByteSize.format(max) + ", or " + AUTO);
            }

            @Override
            public String label() {
                return "<size>";
            }

            @Override
            public String format(Optional<Long> value) {
                return value.map(ByteSize::format).orElse(AUTO);
            }
        };
    }
}
