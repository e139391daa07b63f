package dev.helloworld.scenarios;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The incidents there are, each with its parameters and the signals it shows in. */
enum Scenario {

    ERROR_BURST("A share of requests fails with 500, as the service's own random errors do.",
            "traces: server span status ERROR, error.type 500; logs: an ERROR record in the span; "
                    + "metrics: http.server.request.duration with http.response.status_code 500",
            ErrorBurst.PARAMS, ErrorBurst::new),
    LATENCY("A share of requests waits before it is served.",
            "traces: longer server spans; metrics: http.server.request.duration grows by the delay",
            Latency.PARAMS, Latency::new),
    CPU_HOTSPOT("A share of requests burns CPU in dev.helloworld.scenarios.HotSpot.burn, inside its server span.",
            "profiles: HotSpot.burn in the CPU profile and under the request's span; traces: longer server spans; "
                    + "metrics: process CPU time",
            HotSpot.PARAMS, HotSpot::new),
    MEMORY_GROWTH("A cache grows steadily to a share of the max heap, holds it, and is released at the end.",
            "metrics: jvm.memory.used (heap) climbs to the bound and falls back after the end, jvm.gc.duration; "
                    + "profiles: allocations in dev.helloworld.scenarios.MemoryGrowth.grow",
            MemoryGrowth.PARAMS, MemoryGrowth::new);

    private final String description;
    private final String signals;
    private final List<Param<?>> params;
    private final Function<Parameters, Effect> effect;

    Scenario(String description, String signals, List<Param<?>> own, Function<Parameters, Effect> effect) {
        this.description = description;
        this.signals = signals;
        List<Param<?>> all = new ArrayList<>(own);
        all.add(Window.AFTER);
        all.add(Window.FOR);
        all.add(Window.EVERY);
        this.params = List.copyOf(all);
        this.effect = effect;
    }

    /** As users write it: {@code error-burst}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    String description() {
        return description;
    }

    /** Where an APM sees it: each signal and what changes in it. */
    String signals() {
        return signals;
    }

    /** Its own parameters, then the window's ({@code after}, {@code for}, {@code every}). */
    List<Param<?>> params() {
        return params;
    }

    Effect effect(Parameters parameters) {
        return effect.apply(parameters);
    }

    static Optional<Scenario> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** For messages: {@code error-burst, latency, cpu-hotspot, memory-growth}. */
    static String ids() {
        return Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", "));
    }
}
