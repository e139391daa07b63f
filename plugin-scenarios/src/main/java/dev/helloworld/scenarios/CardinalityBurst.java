package dev.helloworld.scenarios;

import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * cardinality-burst: a metric of its own, {@code scenario.cardinality}, reports one series for
 * each of N distinct values of {@code scenario.cardinality.value} at every collection while it
 * runs, and each request's server span gets one of those values: a backend's cardinality limits
 * can be tested without touching the standard metrics. The SDK keeps at most 2 000 series per
 * instrument (its default cardinality limit): past 1 999 values, the rest are folded into one
 * series with {@code otel.metric.overflow=true}. Spans have no such limit.
 */
final class CardinalityBurst implements Effect {

    static final int MOST = 10_000;
    static final String INSTRUMENT = "scenario.cardinality";
    static final AttributeKey<String> VALUE = AttributeKey.stringKey("scenario.cardinality.value");

    static final Param<Integer> VALUES = new Param<>("values", ValueType.integer("<count>", 1, MOST), 1000,
            "Distinct values of scenario.cardinality.value, 1 to " + MOST + ".");

    static final List<Param<?>> PARAMS = List.of(VALUES);

    private final Meter meter;
    private final List<Attributes> series;
    private ObservableLongGauge gauge;

    CardinalityBurst(Parameters parameters, OpenTelemetry openTelemetry) {
        this.meter = openTelemetry.getMeter(Truth.SCOPE);
        int count = parameters.get(VALUES);
        this.series = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> Attributes.of(VALUE, String.format("v%05d", i))).toList();
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        Span.current().setAllAttributes(series.get(ThreadLocalRandom.current().nextInt(series.size())));
        return Optional.empty();
    }

    @Override
    public synchronized void started() {
        gauge = meter.gaugeBuilder(INSTRUMENT).ofLongs()
                .setDescription("1 for each value of scenario.cardinality.value while cardinality-burst runs")
                .buildWithCallback(m -> series.forEach(attributes -> m.record(1, attributes)));
    }

    @Override
    public synchronized void ended() {
        if (gauge != null) {
            // Its series are no longer reported from the next collection on.
            gauge.close();
        }
    }

    int values() {
        return series.size();
    }
}
