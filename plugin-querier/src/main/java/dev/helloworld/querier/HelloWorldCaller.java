package dev.helloworld.querier;

import dev.helloworld.core.logging.ConsoleLogging;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.lang.System.Logger.Level;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One call of {@code GET /helloworld}, as the original's {@code query_hello_world}: a span of our
 * own around the instrumented OkHttp call (which adds the client span and the {@code traceparent}
 * header), and a log line before and after. A failure is logged and counted, never thrown.
 */
final class HelloWorldCaller {

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** The logger whose records the OTLP plugin exports, as the original's caller logs go out too. */
    private static final System.Logger OTEL = System.getLogger(ConsoleLogging.OTEL_LOGGER);

    private final Tracer tracer;
    private final Call.Factory calls;
    private final HttpUrl url;
    private final Outcomes outcomes;
    private final boolean quiet;
    /** Set when stopping cancels the calls in flight: what they fail with then is not the target's doing. */
    private volatile boolean cancelling;

    /**
     * @param quiet log every call at DEBUG (steady load: the outcome counts are reported instead)
     *              rather than INFO, and failures at DEBUG rather than WARNING
     */
    HelloWorldCaller(Tracer tracer, Call.Factory calls, HttpUrl url, Outcomes outcomes, boolean quiet) {
        this.tracer = tracer;
        this.calls = calls;
        this.url = url;
        this.outcomes = outcomes;
        this.quiet = quiet;
    }

    @SuppressWarnings("try") // the scope is used for its side effect: the span is current inside
    void call() {
        Span span = tracer.spanBuilder("caller/query_hello_world").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            OTEL.log(info(), "[query_hello_world] send request");
            Request request = new Request.Builder().url(url).get().build();
            try (Response response = calls.newCall(request).execute()) {
                ResponseBody body = response.body();
                String text = body == null ? "" : body.string();
                int status = response.code();
                // A 500 is the demo's random error: worth a warning, not an alarm.
                OTEL.log(status >= 400 ? warning() : info(), "[query_hello_world] received: " + status + " " + text);
                outcomes.status(status);
            }
        } catch (IOException | RuntimeException e) {
            if (cancelling) {
                OTEL.log(info(), "[query_hello_world] request to " + url + " cancelled at stop");
                span.setStatus(StatusCode.ERROR, "cancelled at stop");
                span.setAttribute(ERROR_TYPE, "cancelled");
                outcomes.cancelled();
                return;
            }
            String reason = describe(e);
            OTEL.log(warning(), "[query_hello_world] request to " + url + " failed: " + reason);
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, reason);
            // As the conventions ask of every failed operation: the exception's type.
            span.setAttribute(ERROR_TYPE, e.getClass().getName());
            outcomes.failure(e);
        } finally {
            span.end();
        }
    }

    /** The calls in flight are about to be cancelled because the querier stops. */
    void cancelling() {
        cancelling = true;
    }

    private Level info() {
        return quiet ? Level.DEBUG : Level.INFO;
    }

    private Level warning() {
        return quiet ? Level.DEBUG : Level.WARNING;
    }

    /** The few words an operator needs: "connection refused", "timeout", not a stack trace. */
    static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "timeout";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
