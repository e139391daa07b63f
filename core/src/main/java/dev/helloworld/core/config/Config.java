package dev.helloworld.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A resolved, immutable configuration: a typed value and its {@link Origin} for every key.
 *
 * <p>Built by {@link #resolve}, which reads every key from the flags and the environment and
 * collects every bad value before failing, so that a user fixes them all in one go.
 */
public final class Config implements ConfigLookup {

    private record Entry(Object value, Origin origin) {}

    private final Map<ConfigKey<?>, Entry> entries;

    private Config(Map<ConfigKey<?>, Entry> entries) {
        this.entries = entries;
    }

    /**
     * Resolves {@code keys} from command-line values (by key name, raw text as typed) and the
     * environment.
     *
     * @throws ConfigException listing every value that did not parse
     * @throws IllegalArgumentException when two keys share a name, flag or variable (a plugin bug)
     */
    public static Config resolve(Collection<ConfigKey<?>> keys, Map<String, String> flags,
            Map<String, String> env) throws ConfigException {
        return resolve(keys, flags, env, Map.of());
    }

    /**
     * The same, with the JVM's system properties too ({@code -Dotel.service.name} and the like,
     * which users pass in JAVA_OPTS): the launcher passes {@link System#getProperties()}; tests
     * and embedders pass what they mean, so that the JVM running them does not leak in.
     */
    public static Config resolve(Collection<ConfigKey<?>> keys, Map<String, String> flags,
            Map<String, String> env, Map<String, String> properties) throws ConfigException {
        checkUnique(keys);
        Resolution resolution = new Resolution(keys, flags, env, properties);
        for (ConfigKey<?> key : keys) {
            resolution.resolve(key);
        }
        if (!resolution.errors.isEmpty()) {
            throw new ConfigException(resolution.errors);
        }
        Map<ConfigKey<?>, Entry> declaredOrder = new LinkedHashMap<>();
        keys.forEach(k -> declaredOrder.put(k, resolution.entries.get(k)));
        return new Config(declaredOrder);
    }

    /** The defaults of {@code keys}, plus {@code flags}; for tests and embedding. */
    public static Config of(Collection<ConfigKey<?>> keys, Map<String, String> flags) throws ConfigException {
        return resolve(keys, flags, Map.of());
    }

    @Override
    public <T> T get(ConfigKey<T> key) {
        @SuppressWarnings("unchecked")
        T value = (T) entry(key).value();
        return value;
    }

    public Origin origin(ConfigKey<?> key) {
        return entry(key).origin();
    }

    /** Whether this configuration has {@code key}, that is, whether its plugin was discovered. */
    public boolean has(ConfigKey<?> key) {
        return entries.containsKey(key);
    }

    /** The keys in the order they were declared. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(entries.keySet());
    }

    /** The value as text, masked when the key is secret: safe to print. */
    public <T> String display(ConfigKey<T> key) {
        String text = key.type().format(get(key));
        return key.secret() ? Secrets.mask(text) : Secrets.maskUrlCredentials(text);
    }

    private Entry entry(ConfigKey<?> key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            throw new IllegalArgumentException("no configuration key '" + key.name()
                    + "': is the plugin that declares it on the module path?");
        }
        return entry;
    }

    private static void checkUnique(Collection<ConfigKey<?>> keys) {
        Map<String, String> seen = new HashMap<>();
        for (ConfigKey<?> key : keys) {
            List<String> names = new ArrayList<>(List.of(key.name(), key.flag()));
            key.env().ifPresent(names::add);
            for (String n : names) {
                String previous = seen.putIfAbsent(n, key.name());
                if (previous != null) {
                    throw new IllegalArgumentException("configuration keys '" + previous + "' and '"
                            + key.name() + "' both use '" + n + "'");
                }
            }
        }
    }

    /** The state of one {@link #resolve} call: values resolved so far, errors found so far. */
    private static final class Resolution implements ConfigLookup {
        private final Map<String, ConfigKey<?>> keysByName = new LinkedHashMap<>();
        private final Map<String, String> flags;
        private final Map<String, String> env;
        private final Map<String, String> properties;
        private final Map<ConfigKey<?>, Entry> entries = new LinkedHashMap<>();
        private final List<ConfigError> errors = new ArrayList<>();
        private final List<ConfigKey<?>> failed = new ArrayList<>();

        Resolution(Collection<ConfigKey<?>> keys, Map<String, String> flags, Map<String, String> env,
                Map<String, String> properties) {
            keys.forEach(k -> keysByName.put(k.name(), k));
            this.flags = flags;
            this.env = env;
            this.properties = properties;
            for (String name : flags.keySet()) {
                if (!keysByName.containsKey(name)) {
                    throw new IllegalArgumentException("no configuration key '" + name + "'");
                }
            }
        }

        @Override
        public <T> T get(ConfigKey<T> key) {
            Entry entry = resolve(keysByName.getOrDefault(key.name(), key));
            if (entry == null) {
                // Its own error is already reported; a default derived from it would only add noise.
                throw new DependencyFailed();
            }
            @SuppressWarnings("unchecked")
            T value = (T) entry.value();
            return value;
        }

        <T> Entry resolve(ConfigKey<T> key) {
            if (entries.containsKey(key) || failed.contains(key)) {
                return entries.get(key);
            }
            if (!keysByName.containsKey(key.name())) {
                throw new IllegalArgumentException("a default refers to the undeclared key '" + key.name() + "'");
            }
            Entry entry;
            try {
                entry = read(key);
            } catch (DependencyFailed e) {
                entry = null;
            }
            if (entry == null) {
                failed.add(key);
            } else {
                entries.put(key, entry);
            }
            return entry;
        }

        private <T> Entry read(ConfigKey<T> key) {
            List<Given<T>> given = given(key);
            if (given.isEmpty()) {
                T value = key.defaultValue(this);
                String derived = key.defaultDescription().equals(key.type().format(value))
                        || key.secret() ? "" : key.defaultDescription();
                return new Entry(Objects.requireNonNull(value, key.name()), new Origin(Origin.Kind.DEFAULT, derived));
            }
            return key.conflictsAreErrors() ? agreed(key, given) : parse(given.get(0), key);
        }

        /** The one value that every place gives, from the strongest; null after reporting a bad or a second one. */
        private <T> Entry agreed(ConfigKey<T> key, List<Given<T>> given) {
            List<Entry> parsed = new ArrayList<>();
            for (Given<T> g : given) {
                parsed.add(parse(g, key));
            }
            if (parsed.contains(null)) {
                return null;
            }
            Entry first = parsed.get(0);
            for (Entry other : parsed) {
                if (!other.value().equals(first.value())) {
                    errors.add(ConfigError.conflict(key.name(), first.origin().where(), shown(key, first),
                            other.origin().where(), shown(key, other)));
                    return null;
                }
            }
            return first;
        }

        /**
         * The raw values given for {@code key}, strongest first: only the strongest unless every
         * source counts ({@link ConfigKey#conflictsAreErrors()}).
         */
        private <T> List<Given<T>> given(ConfigKey<T> key) {
            List<Given<T>> given = new ArrayList<>();
            String flag = flags.get(key.name());
            if (flag != null) {
                given.add(new Given<>(key.type(), flag, new Origin(Origin.Kind.FLAG, key.flag())));
            }
            if (key.env().isPresent() && isSet(env, key.env().get())) {
                String var = key.env().get();
                given.add(new Given<>(key.type(), env.get(var), new Origin(Origin.Kind.ENV, var)));
            }
            for (ConfigKey.Fallback<T> fallback : key.fallbacks()) {
                if (!given.isEmpty() && !key.conflictsAreErrors()) {
                    break;
                }
                Map<String, String> place = fallback.property() ? properties : env;
                Optional<String> raw = isSet(place, fallback.name())
                        ? Optional.of(place.get(fallback.name())).flatMap(fallback.select()) : Optional.empty();
                raw.ifPresent(r -> given.add(new Given<>(fallback.type(), r, new Origin(
                        fallback.property() ? Origin.Kind.PROPERTY : Origin.Kind.ENV, fallback.source()))));
            }
            return given;
        }

        private static <T> String shown(ConfigKey<T> key, Entry entry) {
            @SuppressWarnings("unchecked")
            String text = key.type().format((T) entry.value());
            return key.secret() ? Secrets.mask(text) : text;
        }

        /**
         * Whether {@code var} has a value. An empty one counts as unset: the OpenTelemetry
         * specification says so for OTEL_*, and compose files and charts write {@code VAR: ""} to
         * mean "not set" for ours too. A blank one (" ") is a value, and an error where a value
         * must not be blank.
         */
        private static boolean isSet(Map<String, String> place, String var) {
            String value = place.get(var);
            return value != null && !value.isEmpty();
        }

        private <T> Entry parse(Given<T> given, ConfigKey<?> key) {
            Parsed<T> parsed = given.type().parse(given.raw());
            if (parsed instanceof Parsed.Value<T> v) {
                return new Entry(v.value(), given.origin());
            }
            String shown = key.secret() ? Secrets.mask(given.raw()) : Secrets.maskUrlCredentials(given.raw());
            errors.add(new ConfigError(given.origin().where(), shown, ((Parsed.Invalid<T>) parsed).expected()));
            return null;
        }
    }

    /** One raw value for a key, with the syntax of the place it was found in. */
    private record Given<T>(ValueType<T> type, String raw, Origin origin) {}

    private static final class DependencyFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DependencyFailed() {
            super(null, null, false, false);
        }
    }
}
