package dev.helloworld.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the raw text of one configuration value becomes a typed value, and back.
 *
 * <p>Parsing is strict: a value that is not clearly one of the allowed ones is an error, never a
 * silent default (the original read {@code ENABLE_TRACES=ture} as false).
 */
public interface ValueType<T> {

    /** Parses raw text as given on the command line or in the environment. */
    Parsed<T> parse(String raw);

    /** A placeholder for help texts, such as {@code <port>}. */
    String label();

    /** Writes a value so that {@link #parse} reads it back. */
    default String format(T value) {
        return String.valueOf(value);
    }

    private static <T> ValueType<T> of(String label, Function<String, Parsed<T>> parser,
            Function<T, String> formatter) {
        return new ValueType<>() {
            @Override
            public Parsed<T> parse(String raw) {
                return parser.apply(raw);
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public String format(T value) {
                return formatter.apply(value);
            }
        };
    }

    /** true/false, 1/0, yes/no, on/off, in any case. */
    static ValueType<Boolean> bool() {
        Map<String, Boolean> words = Map.of("true", true, "1", true, "yes", true, "on", true,
                "false", false, "0", false, "no", false, "off", false);
        return of("<bool>", raw -> {
            Boolean b = words.get(raw.trim().toLowerCase(Locale.ROOT));
            return b != null ? Parsed.value(b) : Parsed.invalid("true/false, 1/0, yes/no or on/off");
        }, String::valueOf);
    }

    /** Any text that is not empty or blank. */
    static ValueType<String> text(String label) {
        return of(label, raw -> raw.isEmpty() ? Parsed.invalid("a non-empty value")
                // ' ' is not empty: say what is wrong with it.
                : raw.isBlank() ? Parsed.invalid("a value that is not only spaces")
                : Parsed.value(raw.trim()), s -> s);
    }

    /** A whole number between {@code min} and {@code max}, both included. */
    static ValueType<Integer> integer(String label, int min, int max) {
        return of(label, raw -> {
            String digits = raw.trim();
            // parseInt alone also takes "+80" and non-ASCII digits such as "８０"; plain digits only.
            if (digits.matches("-?[0-9]{1,10}")) {
                long n = Long.parseLong(digits);
                if (n >= min && n <= max) {
                    return Parsed.value((int) n);
                }
            }
            return Parsed.invalid("a whole number from " + min + " to " + max);
        }, String::valueOf);
    }

    /** A TCP port, 1 to 65535, or 0 where {@code zeroMeansAny} (bind to any free port). */
    static ValueType<Integer> port(boolean zeroMeansAny) {
        ValueType<Integer> range = integer("<port>", zeroMeansAny ? 0 : 1, 65535);
        return of("<port>", raw -> range.parse(raw) instanceof Parsed.Value<Integer> v
                ? v
                : Parsed.invalid(zeroMeansAny
                        ? "a port from 1 to 65535, or 0 for any free port"
                        : "a port from 1 to 65535"), String::valueOf);
    }

    /** A number between {@code min} and {@code max}, both included. */
    static ValueType<Double> decimal(String label, double min, double max) {
        return of(label, raw -> {
            String number = raw.trim();
            // parseDouble alone also takes Java literals such as "0.5d", "1f" and "0x1p-1".
            if (number.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?")) {
                double d = Double.parseDouble(number);
                if (d >= min && d <= max) {
                    return Parsed.value(d);
                }
            }
            return Parsed.invalid("a number from " + formatNumber(min) + " to " + formatNumber(max));
        }, ValueType::formatNumber);
    }

    private static String formatNumber(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** A positive duration such as {@code 500ms}, {@code 3s}, {@code 1m} or {@code 1h}. */
    static ValueType<Duration> duration() {
        return of("<duration>", raw -> Durations.parse(raw)
                .filter(d -> !d.isZero())
                .<Parsed<Duration>>map(Parsed::value)
                .orElseGet(() -> Parsed.invalid("a positive duration such as 500ms, 3s, 1m or 1h")),
                Durations::format);
    }

    /** An absolute http or https URL with a host, such as {@code http://localhost:4317}. */
    static ValueType<URI> httpUrl() {
        String expected = "an http:// or https:// URL with a host, such as http://localhost:4317";
        return of("<url>", raw -> {
            try {
                URI uri = new URI(raw.trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                // URI takes any digits as a port (0, 99999); such an endpoint only fails later, at export.
                boolean portOk = uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65535;
                if (Set.of("http", "https").contains(scheme) && uri.getHost() != null && portOk
                        && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                    return Parsed.value(uri);
                }
            } catch (URISyntaxException e) {
                // reported below, with what is allowed
            }
            return Parsed.invalid(expected);
        }, URI::toString);
    }

    /**
     * A host name or IP address to bind or connect to: letters, digits, dots, dashes, colons (IPv6),
     * nothing else.
     */
    static ValueType<String> host() {
        return of("<host>", raw -> raw.trim().matches("[A-Za-z0-9.:%_-]+")
                ? Parsed.value(raw.trim())
                : Parsed.invalid("a host name or IP address, such as 0.0.0.0 or 127.0.0.1"), s -> s);
    }

    /** One of an enum's constants, written in lower case with dashes for underscores. */
    static <E extends Enum<E>> ValueType<E> choice(Class<E> type) {
        Map<String, E> byName = Arrays.stream(type.getEnumConstants())
                .collect(Collectors.toMap(ValueType::choiceName, e -> e, (a, b) -> a,
                        java.util.LinkedHashMap::new));
        String allowed = String.join(", ", byName.keySet());
        return of("<" + String.join("|", byName.keySet()) + ">", raw -> {
            E e = byName.get(raw.trim().toLowerCase(Locale.ROOT));
            return e != null ? Parsed.value(e) : Parsed.invalid("one of " + allowed);
        }, ValueType::choiceName);
    }

    private static String choiceName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
