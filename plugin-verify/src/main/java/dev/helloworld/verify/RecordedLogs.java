package dev.helloworld.verify;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The log records the exporter is handed, counted per trace. A record written inside a trace
 * that is not recorded never gets here (the OTLP plugin's trace-based logger configuration).
 */
final class RecordedLogs implements LogRecordProcessor {

    private final Map<String, LongAdder> perTrace = new ConcurrentHashMap<>();
    private final LongAdder withoutTrace = new LongAdder();

    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {
        SpanContext span = logRecord.toLogRecordData().getSpanContext();
        if (span.isValid()) {
            perTrace.computeIfAbsent(span.getTraceId(), id -> new LongAdder()).increment();
        } else {
            withoutTrace.increment();
        }
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    long inTrace(String traceId) {
        LongAdder n = perTrace.get(traceId);
        return n == null ? 0 : n.sum();
    }

    long withoutTrace() {
        return withoutTrace.sum();
    }
}
