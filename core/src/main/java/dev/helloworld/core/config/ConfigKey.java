package dev.helloworld.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration setting: its name, type, command-line flag, environment variables and default.
 *
 * <p>A value is taken from, in order: the flag; the key's own variable (the original service's
 * name, such as {@code HTTP_PORT}); a standard {@code OTEL_*} variable or {@code -Dotel.*} system
 * property that means the same thing; the default, which may be computed from other keys (for
 * example the endpoint's default depends on the exporter). A key whose {@link #conflictsAreErrors()}
 * reads all of them instead, and refuses two that differ. Plugins declare keys of their own the
 * same way, in {@link dev.helloworld.core.spi.Service#configKeys()}.
 *
 * <p>Keys are compared by name.
 */
public final class ConfigKey<T> {

    /**
     * How the values of a {@link #repeatable()} key given several times on the command line are
     * joined into the one text its type parses; its variable takes them joined the same way.
     */
    public static final String REPEAT_SEPARATOR = ";";

    /**
     * A further variable, or system property, consulted when neither the flag nor {@link #env()} is set.
     *
     * @param name     the variable, or the system property (without {@code -D})
     * @param select   the part of the text that stands in for the key, if it has one (one
     *                 attribute of {@code OTEL_RESOURCE_ATTRIBUTES}, say); the whole text unless given
     * @param property whether {@code name} is a system property ({@code -Dname}, as users pass
     *                 them in JAVA_OPTS) rather than an environment variable
     */
    public record Fallback<T>(String name, ValueType<T> type, Function<String, Optional<String>> select,
            boolean property) {
        public Fallback(String env, ValueType<T> type) {
            this(env, type, Optional::of, false);
        }

        /** As a user writes it: {@code OTEL_SERVICE_NAME}, or {@code -Dotel.service.name}. */
        public String source() {
            return property ? "-D" + name : name;
        }
    }

    private final String name;
    private final ValueType<T> type;
    private final String flag;
    private final String env;
    private final List<Fallback<T>> fallbacks;
    private final Function<ConfigLookup, T> defaultValue;
    private final String defaultDescription;
    private final String description;
    private final boolean secret;
    private final boolean conflictsAreErrors;
    private final boolean repeatable;

    private ConfigKey(Builder<T> b) {
        this.name = b.name;
        this.type = b.type;
        this.flag = b.flag != null ? b.flag : "--" + b.name.replace('.', '-');
        this.env = b.env;
        this.fallbacks = List.copyOf(b.fallbacks);
        this.defaultValue = Objects.requireNonNull(b.defaultValue, () -> "no default for " + b.name);
        this.defaultDescription = b.defaultDescription;
        this.description = Objects.requireNonNull(b.description, () -> "no description for " + b.name);
        this.secret = b.secret;
        this.conflictsAreErrors = b.conflictsAreErrors;
        this.repeatable = b.repeatable;
    }

    /** Starts a key named {@code name} (dotted, lower case: {@code http.port}). */
    public static <T> Builder<T> builder(String name, ValueType<T> type) {
        return new Builder<>(name, type);
    }

    public String name() {
        return name;
    }

    public ValueType<T> type() {
        return type;
    }

    /** The long option, such as {@code --http-port}. */
    public String flag() {
        return flag;
    }

    /** The key's own environment variable, if it has one. */
    public Optional<String> env() {
        return Optional.ofNullable(env);
    }

    public List<Fallback<T>> fallbacks() {
        return fallbacks;
    }

    public String description() {
        return description;
    }

    /** Whether the value must never be printed whole (see {@link Secrets#mask}). */
    public boolean secret() {
        return secret;
    }

    /**
     * Whether every source is read and two that give different values are a usage error, rather
     * than the first one winning: for settings that several standards let users give in several
     * places, where a silent choice would send part of the telemetry under another name.
     */
    public boolean conflictsAreErrors() {
        return conflictsAreErrors;
    }

    /**
     * Whether the flag may be given more than once ({@code --scenario a --scenario b}): its values
     * reach the type joined with {@link #REPEAT_SEPARATOR}, as if given {@code a;b} once.
     */
    public boolean repeatable() {
        return repeatable;
    }

    /** Whether the value is a boolean switch, given on the command line as {@code --x}/{@code --no-x}. */
    public boolean isSwitch() {
        return type.label().equals("<bool>");
    }

    T defaultValue(ConfigLookup lookup) {
        return defaultValue.apply(lookup);
    }

    /** The default as help texts show it: the value, or how it is derived. */
    public String defaultDescription() {
        return defaultDescription;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigKey<?> k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds a {@link ConfigKey}; only the name, type, description and default are required. */
    public static final class Builder<T> {
        private final String name;
        private final ValueType<T> type;
        private String flag;
        private String env;
        private final List<Fallback<T>> fallbacks = new ArrayList<>();
        private Function<ConfigLookup, T> defaultValue;
        private String defaultDescription;
        private String description;
        private boolean secret;
        private boolean conflictsAreErrors;
        private boolean repeatable;

        private Builder(String name, ValueType<T> type) {
            this.name = Objects.requireNonNull(name);
            this.type = Objects.requireNonNull(type);
        }

        /** The long option; {@code --} plus the name with dashes for dots unless given. */
        public Builder<T> flag(String flag) {
            this.flag = flag;
            return this;
        }

        public Builder<T> env(String env) {
            this.env = env;
            return this;
        }

        /** A standard variable read after {@link #env}, with its own syntax. */
        public Builder<T> fallback(String env, ValueType<T> type) {
            fallbacks.add(new Fallback<>(env, type));
            return this;
        }

        /** A standard variable of which only a part, when {@code select} finds it, stands in for the key. */
        public Builder<T> fallback(String env, ValueType<T> type, Function<String, Optional<String>> select) {
            fallbacks.add(new Fallback<>(env, type, select, false));
            return this;
        }

        /** A system property (given as {@code -Dname}), or the part of it that {@code select} finds. */
        public Builder<T> property(String name, ValueType<T> type, Function<String, Optional<String>> select) {
            fallbacks.add(new Fallback<>(name, type, select, true));
            return this;
        }

        /** Reads every source and refuses two different values: see {@link ConfigKey#conflictsAreErrors()}. */
        public Builder<T> conflictsAreErrors() {
            this.conflictsAreErrors = true;
            return this;
        }

        /** Lets the flag be given more than once: see {@link ConfigKey#repeatable()}. */
        public Builder<T> repeatable() {
            this.repeatable = true;
            return this;
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = lookup -> value;
            this.defaultDescription = secret ? Secrets.mask(type.format(value)) : type.format(value);
            return this;
        }

        /** A default computed from other keys; {@code description} says how, for help texts. */
        public Builder<T> defaultValue(Function<ConfigLookup, T> value, String description) {
            this.defaultValue = value;
            this.defaultDescription = description;
            return this;
        }

        public Builder<T> description(String description) {
            this.description = description;
            return this;
        }

        /** Marks the value as a secret; call before {@link #defaultValue(Object)}. */
        public Builder<T> secret() {
            this.secret = true;
            return this;
        }

        public ConfigKey<T> build() {
            return new ConfigKey<>(this);
        }
    }
}
