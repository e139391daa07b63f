package dev.helloworld.topology;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * A logical service's log records, through its own SDK's logger provider (so under its resource)
 * and inside one of its spans (so with that span's trace and span ids), as the seed's service
 * writes one per request: an APM's log view of each service, linked to its traces.
 */
final class RoleLog {

    private final Logger logger;

    RoleLog(OpenTelemetry openTelemetry, String scope) {
        this.logger = openTelemetry.getLogsBridge().get(scope);
    }

    void info(Span span, String body) {
        emit(span, Severity.INFO, body);
    }

    void error(Span span, String body) {
        emit(span, Severity.ERROR, body);
    }

    /** In {@code span} explicitly: a record written after the span's scope closed still belongs to it. */
    private void emit(Span span, Severity severity, String body) {
        logger.logRecordBuilder()
                .setContext(Context.root().with(span))
                .setSeverity(severity)
                .setSeverityText(severity.name())
                .setBody(body)
                .emit();
    }
}
