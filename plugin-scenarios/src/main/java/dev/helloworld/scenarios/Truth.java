package dev.helloworld.scenarios;

import dev.helloworld.core.logging.ConsoleLogging;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ground truth of every incident, so that an alert's firing time can be held against it: each
 * start and end is a log record, and a span of its own with one event ({@code scenario.start} or
 * {@code scenario.end}), each carrying the scenario's name and parameters — the event for trace
 * backends that show a span's events but drop log records; and the {@code scenario.active} gauge
 * is 1 for each running scenario, 0 for the others.
 */
final class Truth {

    static final String SCOPE = "dev.helloworld.scenarios";
    static final AttributeKey<String> SCENARIO = AttributeKey.stringKey("scenario");
    static final AttributeKey<String> NAME = AttributeKey.stringKey("scenario.name");
    static final AttributeKey<String> PARAMETERS = AttributeKey.stringKey("scenario.parameters");

    /** The logger whose records the OTLP plugin exports as log records, with the current span's ids. */
    private static final System.Logger OTEL = System.getLogger(ConsoleLogging.OTEL_LOGGER);

    private final Tracer tracer;

    /** @param active the scenarios running now, read at each collection of the gauge */
    Truth(OpenTelemetry openTelemetry, Supplier<Set<Scenario>> active) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        // Never closed: the exporter's last collection, after this service stopped, still sees every 0.
        openTelemetry.getMeter(SCOPE).gaugeBuilder("scenario.active").ofLongs()
                .setDescription("1 while the scenario's incident runs, 0 otherwise")
                .buildWithCallback(gauge -> {
                    Set<Scenario> running = active.get();
                    for (Scenario scenario : Scenario.values()) {
                        gauge.record(running.contains(scenario) ? 1 : 0, Attributes.of(SCENARIO, scenario.id()));
                    }
                });
    }

    void started(ScenarioRequest request) {
        record("start", request, "started");
    }

    /** @param why such as "its window ended", "stopped on the management port" */
    void ended(ScenarioRequest request, String why) {
        record("end", request, "ended: " + why);
    }

    @SuppressWarnings("try") // the scope is used for its side effect: the log record carries the span's ids
    private void record(String edge, ScenarioRequest request, String what) {
        String name = request.scenario().id();
        String parameters = request.parameters().format();
        Span span = tracer.spanBuilder("scenario " + edge).setParent(Context.root())
                .setAttribute(NAME, name).setAttribute(PARAMETERS, parameters).startSpan();
        span.addEvent("scenario." + edge, Attributes.of(NAME, name, PARAMETERS, parameters));
        try (Scope ignored = span.makeCurrent()) {
            OTEL.log(Level.INFO, "scenario " + name + " " + what + " (" + parameters + ")");
        } finally {
            span.end();
        }
    }
}
