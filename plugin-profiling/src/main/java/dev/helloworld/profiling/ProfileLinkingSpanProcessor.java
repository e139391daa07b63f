package dev.helloworld.profiling;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.function.Supplier;

/**
 * Links traces and profiles the way Pyroscope's {@code io.pyroscope:otel} processor does: a local
 * root span (a request entering this process) gets the attribute {@code pyroscope.profile.id} =
 * its span id, and while it runs, the profiler tags the thread's samples with that id and the
 * span's name. A trace view can then open "the profile of this request".
 *
 * <p>Rewritten rather than used: version 1.0.2 of that artifact shares the package
 * {@code io.pyroscope.javaagent} with the agent jar (so the two cannot both be on the module
 * path), embeds a second copy of the agent and its native library, and registers its own
 * customizer that starts that copy from environment variables.
 *
 * <p>One deliberate difference: the context is reset only when the span that set it ends on the
 * thread that it was set on (the upstream processor resets on any span's end, on whatever thread),
 * and a nested local root restores the outer one's context.
 *
 * <p>A span that ends on another thread (the HTTP server span starts on an I/O thread and ends
 * on a worker) cannot take its frame off the starting thread's stack; that thread drops such
 * frames the next time a local root starts or ends on it. Without this, every request left one
 * frame on an I/O thread for good (about 100 bytes a request, found by the soak), and a span ending there
 * restored the context of a request long over.
 */
final class ProfileLinkingSpanProcessor implements SpanProcessor {

    static final AttributeKey<String> PROFILE_ID = AttributeKey.stringKey("pyroscope.profile.id");

    /** The spans whose context this thread carries, innermost first. */
    private record Frame(ReadableSpan span, long id, long nameId, Frame outer) {}

    private final ThreadLocal<Frame> frames = new ThreadLocal<>();
    private final Supplier<TracingContext> profiler;

    ProfileLinkingSpanProcessor(Supplier<TracingContext> profiler) {
        this.profiler = profiler;
    }

    ProfileLinkingSpanProcessor() {
        this(ActiveProfiler::get);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        TracingContext context = profiler.get();
        if (context == null || !isLocalRoot(span)) {
            return;
        }
        String spanId = span.getSpanContext().getSpanId();
        span.setAttribute(PROFILE_ID, spanId);
        Frame frame = new Frame(span, Long.parseUnsignedLong(spanId, 16), context.register(span.getName()),
                unended(frames.get()));
        frames.set(frame);
        context.set(frame.id(), frame.nameId());
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        Frame top = frames.get();
        if (top == null || top.span() != span) {
            return;
        }
        // This span has ended, and so may the spans under it that ended on other threads.
        Frame outer = unended(top);
        if (outer == null) {
            frames.remove();
        } else {
            frames.set(outer);
        }
        TracingContext context = profiler.get();
        if (context != null) {
            context.set(outer == null ? 0 : outer.id(), outer == null ? 0 : outer.nameId());
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** The innermost frame whose span has not ended, skipping those that ended on other threads. */
    private static Frame unended(Frame frame) {
        while (frame != null && frame.span().hasEnded()) {
            frame = frame.outer();
        }
        return frame;
    }

    /** A span with no parent in this process: a new trace, or a request from another service. */
    static boolean isLocalRoot(ReadableSpan span) {
        SpanContext parent = span.getParentSpanContext();
        return !parent.isValid() || parent.isRemote();
    }
}
