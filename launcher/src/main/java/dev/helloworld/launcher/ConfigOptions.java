package dev.helloworld.launcher;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns configuration keys into picocli options and the parsed options back into a
 * {@link Config}. picocli only collects raw text here; core parses and validates it, so that a
 * bad value gets the same message whether it came from a flag or a variable.
 */
final class ConfigOptions {

    private ConfigOptions() {}

    /** Adds one option per key: {@code --x}/{@code --no-x} for switches, {@code --x <value>} otherwise. */
    static void addTo(CommandSpec spec, List<ConfigKey<?>> keys) {
        for (ConfigKey<?> key : keys) {
            OptionSpec.Builder option = OptionSpec.builder(key.flag()).description(describe(key))
                    .type(String.class).paramLabel(key.type().label());
            if (key.isSwitch()) {
                // --x alone means true; --x=no is accepted too and checked by core like DEBUG=no.
                option.arity("0..1").fallbackValue("true");
                spec.addOption(OptionSpec.builder(negated(key)).arity("0").type(boolean.class)
                        .hidden(true).build());
            } else if (key.repeatable()) {
                option.arity("1").type(List.class).auxiliaryTypes(String.class);
            } else {
                option.arity("1");
            }
            spec.addOption(option.build());
        }
    }

    /** Resolves the keys from the options given on {@code spec}'s command line, the environment and system properties. */
    static Config resolve(CommandSpec spec, List<ConfigKey<?>> keys, Invocation invocation)
            throws ConfigException {
        return resolve(spec, keys, invocation, Map.of());
    }

    /**
     * The same, with {@code implied} (key name to raw value) as if given on the command line, and
     * overridden by what is: for a command whose defaults differ from run's.
     */
    static Config resolve(CommandSpec spec, List<ConfigKey<?>> keys, Invocation invocation,
            Map<String, String> implied) throws ConfigException {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, String> flags = new LinkedHashMap<>(implied);
        for (ConfigKey<?> key : keys) {
            OptionSpec option = spec.findOption(key.flag());
            boolean given = parsed.hasMatchedOption(option);
            if (key.isSwitch() && parsed.hasMatchedOption(negated(key))) {
                if (given) {
                    throw new ParameterException(spec.commandLine(), "contradictory options: "
                            + key.flag() + " and " + negated(key) + " are both given");
                }
                flags.put(key.name(), "false");
            } else if (given && key.repeatable()) {
                List<String> values = option.getValue();
                flags.put(key.name(), String.join(ConfigKey.REPEAT_SEPARATOR, values));
            } else if (given) {
                flags.put(key.name(), option.getValue());
            }
        }
        return Config.resolve(keys, flags, invocation.env(), invocation.properties());
    }

    private static String negated(ConfigKey<?> key) {
        return "--no-" + key.flag().substring(2);
    }

    /**
     * The description, then the default on a line of its own: picocli breaks a line where the
     * JDK's line breaker may, which cuts a URL after "http:" when it starts near the line's end.
     */
    private static String[] describe(ConfigKey<?> key) {
        StringBuilder text = new StringBuilder(key.description());
        if (key.isSwitch()) {
            text.append(" Off: ").append(negated(key)).append('.');
        }
        key.env().ifPresent(env -> text.append(" Env: ").append(env));
        // The per-signal variants of a variable as one, and no -D forms: README lists every place.
        key.fallbacks().stream().filter(f -> !f.property())
                .map(f -> f.name().replaceFirst("_(TRACES|METRICS|LOGS)_", "_<SIGNAL>_")).distinct()
                .forEach(name -> text.append(key.env().isPresent() ? ", " : " Env: ").append(name));
        if (key.fallbacks().stream().anyMatch(ConfigKey.Fallback::property)) {
            text.append(", -Dotel.* forms");
        }
        if (key.conflictsAreErrors()) {
            text.append("; all must agree");
        }
        text.append('.');
        // An optional value (a certificate file) has no default: "Default: ." said nothing.
        String defaultValue = key.defaultDescription().isEmpty() ? "none" : key.defaultDescription();
        // picocli treats descriptions as format strings.
        return new String[] {text.toString().replace("%", "%%"), ("Default: " + defaultValue + ".").replace("%", "%%")};
    }
}
