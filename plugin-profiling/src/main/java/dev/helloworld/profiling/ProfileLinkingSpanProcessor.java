package dev.helloworld.profiling;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.function.Supplier;

/**
 * Links traces and profiles the way Pyroscope's {@code io.pyroscope:otel} processor does: a local
 * root span (a request entering this process) gets the attribute {@code pyroscope.profile.id} =
 * its span id, and the samples of the work done for it carry that id and the root's name, so that
 * a trace view can open "the profile of this request".
 *
 * <p>Rewritten rather than used: version 1.0.2 of that artifact shares the package
 * {@code io.pyroscope.javaagent} with the agent jar (so the two cannot both be on the module
 * path), embeds a second copy of the agent and its native library, and registers its own
 * customizer that starts that copy from environment variables.
 *
 * <p>One deliberate difference: this processor does not tag samples itself. Upstream sets the
 * profiler's context on the thread that starts the span and resets it on any span's end, so only
 * the work on that thread, until then, is linked; a server span starts on an I/O thread and its
 * work runs on a worker. Here the processor records each span's local root in {@link LocalRoots},
 * and {@link ProfileLinkingContextStorage} tags the samples of every thread on which a context
 * holding one of those spans is current.
 */
final class ProfileLinkingSpanProcessor implements SpanProcessor {

    static final AttributeKey<String> PROFILE_ID = AttributeKey.stringKey("pyroscope.profile.id");

    private final Supplier<TracingContext> profiler;
    private final LocalRoots roots;

    ProfileLinkingSpanProcessor(Supplier<TracingContext> profiler, LocalRoots roots) {
        this.profiler = profiler;
        this.roots = roots;
    }

    ProfileLinkingSpanProcessor() {
        this(ActiveProfiler::get, LocalRoots.PROCESS);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (profiler.get() == null) {
            return;
        }
        LocalRoots.Root root;
        if (isLocalRoot(span)) {
            span.setAttribute(PROFILE_ID, span.getSpanContext().getSpanId());
            root = LocalRoots.Root.of(span);
        } else {
            Span parent = Span.fromContextOrNull(parentContext);
            // A parent that has ended already, or that was started before profiling was, links nowhere.
            root = parent == null ? null : roots.of(parent);
        }
        if (root != null) {
            roots.started(span, root);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        roots.ended(span);
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** A span with no parent in this process: a new trace, or a request from another service. */
    static boolean isLocalRoot(ReadableSpan span) {
        SpanContext parent = span.getParentSpanContext();
        return !parent.isValid() || parent.isRemote();
    }
}
