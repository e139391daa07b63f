package dev.helloworld.core.config;

/**
 * Where a configuration value came from, for {@code launcher config} and error messages.
 *
 * @param kind  the kind of source
 * @param where the flag, the variable, the system property as {@code -Dname}, or how a default
 *              was derived
 */
public record Origin(Kind kind, String where) {

    /**
     * The kinds of source. Which of two is stronger is decided by the key's order of places (see
     * {@link ConfigKey}): a key's own variable comes before a {@code -Dotel.*} property.
     */
    public enum Kind { FLAG, PROPERTY, ENV, DEFAULT }

    @Override
    public String toString() {
        return switch (kind) {
            case FLAG -> "flag " + where;
            case PROPERTY -> "property " + where;
            case ENV -> "env " + where;
            case DEFAULT -> where.isEmpty() ? "default" : "default (" + where + ")";
        };
    }
}
