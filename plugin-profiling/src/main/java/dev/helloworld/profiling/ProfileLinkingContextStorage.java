package dev.helloworld.profiling;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * OpenTelemetry's context storage, wrapped so that the profiler always knows which request the
 * current thread works for: whenever a context is made current, on whatever thread, the thread's
 * samples are tagged with the id and name of the local root of that context's span (0 and 0 when
 * it holds no span of a profiled trace), and when its scope closes, with those of the context
 * current again. A context of a trace that is not sampled is never linked (its spans go nowhere)
 * and, between two such contexts, the profiler is not called at all.
 *
 * <p>This follows the work wherever the context goes: Undertow's dispatch from an I/O thread to a
 * worker, executors wrapped with {@code Context.wrap}, the HTTP client's threads, all of which make
 * the request's context current where they run. Setting the tag in the span processor, as
 * Pyroscope's own processor does, reaches only the thread that starts the span.
 *
 * <p>The root's name is read each time, so that a name given after the span started (the server
 * span is named after its route once routing has matched) is the one the samples carry.
 *
 * <p>OpenTelemetry applies wrappers once, when the storage is first used, and ignores later ones:
 * {@link #install} must run before anything in the process touches {@code Context}. The profiling
 * plugin calls it while the OTLP plugin's SDK reads its configuration (see
 * {@link ProfileLinkCustomizer}), the first OpenTelemetry code of a run; {@link #installed} says
 * whether it came in time.
 */
final class ProfileLinkingContextStorage implements ContextStorage {

    private static final AtomicBoolean requested = new AtomicBoolean();
    private static volatile boolean applied;

    private final ContextStorage delegate;
    private final Supplier<TracingContext> profiler;
    private final LocalRoots roots;

    ProfileLinkingContextStorage(ContextStorage delegate, Supplier<TracingContext> profiler, LocalRoots roots) {
        this.delegate = delegate;
        this.profiler = profiler;
        this.roots = roots;
    }

    /** Asks OpenTelemetry to wrap the process's context storage with this one; once per process. */
    static void install() {
        if (requested.compareAndSet(false, true)) {
            ContextStorage.addWrapper(storage -> {
                applied = true;
                return new ProfileLinkingContextStorage(storage, ActiveProfiler::get, LocalRoots.PROCESS);
            });
        }
    }

    /** Whether {@link #install} was called in this process. */
    static boolean requested() {
        return requested.get();
    }

    /**
     * Whether the process's context storage is this one. Initialises the storage if nothing has
     * yet, which fixes the answer for the life of the process.
     */
    static boolean installed() {
        ContextStorage.get();
        return applied;
    }

    @Override
    public Scope attach(Context toAttach) {
        TracingContext context = profiler.get();
        if (context == null) {
            return delegate.attach(toAttach);
        }
        Context before = delegate.current();
        Scope scope = delegate.attach(toAttach);
        if (!sampled(toAttach) && !sampled(before)) {
            // Most requests at full load are not traced (--trace-rate-limit): their contexts hold a
            // span that records nothing, which no profile can link to. The thread's tag is already
            // none (it was set so when the context before became current, or never set), and
            // closing this scope makes that context current again: nothing to tell the profiler,
            // neither now nor at close, which spares two native calls per context switch.
            return scope;
        }
        tag(context, toAttach);
        return () -> {
            scope.close();
            TracingContext now = profiler.get();
            if (now != null) {
                tag(now, delegate.current());
            }
        };
    }

    @Override
    public Context current() {
        return delegate.current();
    }

    @Override
    public Context root() {
        return delegate.root();
    }

    private void tag(TracingContext context, Context current) {
        Span span = current == null ? null : Span.fromContextOrNull(current);
        // Only a sampled span can have a root that profiles link to (the span processor sees no
        // other), so an unsampled one is not looked up.
        LocalRoots.Root root = span == null || !span.getSpanContext().isSampled() ? null : roots.of(span);
        if (root == null) {
            context.set(0, 0);
        } else {
            context.set(root.spanId(), context.register(root.span().getName()));
        }
    }

    /** Whether {@code context} holds a sampled span: one that is exported, and so may be linked. */
    private static boolean sampled(Context context) {
        Span span = context == null ? null : Span.fromContextOrNull(context);
        return span != null && span.getSpanContext().isSampled();
    }
}
