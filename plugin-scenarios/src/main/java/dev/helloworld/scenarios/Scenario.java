package dev.helloworld.scenarios;

import io.opentelemetry.api.OpenTelemetry;
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
            MemoryGrowth.PARAMS, MemoryGrowth::new),
    GC_PRESSURE("A thread of its own allocates garbage at a rate and keeps a share of it alive a while, so that it dies old.",
            "metrics: jvm.gc.duration count and sum grow, jvm.memory.used swings; traces: server spans wait in GC pauses; "
                    + "profiles: allocations in dev.helloworld.scenarios.GcPressure.churn (with --enable-memory-profiling)",
            GcPressure.PARAMS, GcPressure::new),
    LOCK_CONTENTION("A share of requests serialise on one monitor, dev.helloworld.scenarios.LockContention$Monitor, "
            + "each holding it for a while.",
            "traces: longer server spans as requests queue; profiles: lock events (jdk.JavaMonitorEnter) on that monitor in "
                    + "LockContention.hold (with --enable-profiling, waits of 10ms or more; DEBUG not needed); "
                    + "metrics: jvm.thread.count with jvm.thread.state blocked",
            LockContention.PARAMS, LockContention::new),
    DOWNSTREAM("A share of requests calls a dependency on loopback that refuses (mode=unreachable, answers 502) or never "
            + "answers (mode=slow, answers 504 after the timeout).",
            "traces: a client span GET under the server span, status ERROR, error.type java.net.ConnectException or "
                    + "java.net.SocketTimeoutException, server.address/server.port; metrics: http.client.request.duration "
                    + "with error.type, http.server.request.duration with 502/504",
            Downstream.PARAMS, Downstream::new),
    LOG_FLOOD("A thread of its own writes INFO log records at a steady rate, outside any request.",
            "logs: '[scenario log-flood] record N' at the rate (also on the console); past the SDK's log queue "
                    + "(2048 by default), the exporter drops records",
            LogFlood.PARAMS, LogFlood::new),
    CARDINALITY_BURST("A metric of its own reports one series per value of scenario.cardinality.value, N values; "
            + "each request's server span gets one of them.",
            "metrics: scenario.cardinality with N series (the SDK keeps 1999 and folds the rest into one with "
                    + "otel.metric.overflow=true); traces: scenario.cardinality.value on server spans",
            CardinalityBurst.PARAMS, CardinalityBurst::new);

    private final String description;
    private final String signals;
    private final List<Param<?>> params;
    private final Effect.Factory effect;

    Scenario(String description, String signals, List<Param<?>> own, Function<Parameters, Effect> effect) {
        this(description, signals, own, (parameters, openTelemetry) -> effect.apply(parameters));
    }

    Scenario(String description, String signals, List<Param<?>> own, Effect.Factory effect) {
        this.description = description;
        this.signals = signals;
        List<Param<?>> all = new ArrayList<>(own);
        all.add(Target.TARGET);
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

    /** Its own parameters, then where it lands ({@code target}) and the window's ({@code after}, {@code for}, {@code every}). */
    List<Param<?>> params() {
        return params;
    }

    Effect effect(Parameters parameters, OpenTelemetry openTelemetry) {
        return effect.create(parameters, openTelemetry);
    }

    static Optional<Scenario> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** For messages: {@code error-burst, latency, cpu-hotspot, memory-growth}. */
    static String ids() {
        return Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", "));
    }
}
