package dev.helloworld.profiling;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local root of every span that is still running: the span that entered this process (a new
 * trace, or a request from another service) and that profiles are linked to.
 *
 * <p>The SDK's spans do not know their parent span, only its ids, and a context carries only its
 * innermost span; so whoever makes a child span's context current on another thread (an executor,
 * an HTTP client's threads) could not tell which request the work belongs to. The span processor
 * records each span's root here when the span starts and forgets it when the span ends, so the map
 * holds only the spans in flight.
 *
 * <p>One per process, like the context storage that reads it: spans of every SDK in the process go
 * through the same {@code Context}.
 */
final class LocalRoots {

    static final LocalRoots PROCESS = new LocalRoots();

    /**
     * A local root span and its id as the profiler takes it.
     *
     * @param span   the root, whose current name is read whenever its context becomes current
     * @param spanId the span id's 16 hex digits as a number, parsed once
     */
    record Root(ReadableSpan span, long spanId) {

        static Root of(ReadableSpan span) {
            return new Root(span, Long.parseUnsignedLong(span.getSpanContext().getSpanId(), 16));
        }
    }

    // Keyed by the span object: SDK spans do not override equals, so this is identity.
    private final Map<Span, Root> roots = new ConcurrentHashMap<>();

    void started(ReadWriteSpan span, Root root) {
        roots.put(span, root);
    }

    /** The root of {@code span}, or null for a span that has ended or that no profile links to. */
    Root of(Span span) {
        return roots.get(span);
    }

    void ended(ReadableSpan span) {
        // The SDK ends the same object it started, a ReadWriteSpan and so a Span.
        if (span instanceof Span started) {
            roots.remove(started);
        }
    }

    /** How many spans are in flight, for tests that prove nothing is left behind. */
    int size() {
        return roots.size();
    }
}
