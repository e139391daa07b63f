package dev.helloworld.scenarios;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The values of one scenario's parameters, every one of them: given, or its default. */
record Parameters(List<Param<?>> params, Map<String, Object> values) {

    Parameters {
        params = List.copyOf(params);
        values = Map.copyOf(values);
    }

    /** Every parameter at its default. */
    static Parameters defaults(List<Param<?>> params) {
        Map<String, Object> values = new LinkedHashMap<>();
        params.forEach(p -> values.put(p.name(), p.defaultValue()));
        return new Parameters(params, values);
    }

    <T> T get(Param<T> param) {
        return castTo(param, values.get(param.name()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T castTo(Param<T> param, Object value) {
        return (T) value;
    }

    /**
     * As given back: {@code rate=0.5,route=*,after=0s,for=none}, in declaration order. The target
     * only when it is not the process's own server ({@code target=payments,after=...}), and
     * {@code every} only when it repeats: what a one-off incident on the seed's service records
     * reads as it did before targets and repeats existed.
     */
    String format() {
        return params.stream()
                .filter(p -> p != Target.TARGET || !Target.SERVICE.equals(values.get(p.name())))
                .filter(p -> p != Window.EVERY || !Duration.ZERO.equals(values.get(p.name())))
                .map(p -> p.name() + "=" + p.format(values.get(p.name())))
                .collect(Collectors.joining(","));
    }
}
