package dev.helloworld.otlp.console;

import dev.helloworld.core.host.ServiceHost;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The console exporter for spans: a trace is printed as an indented tree, one line per span (and
 * per event), once its local root has ended and no span of it has ended for a moment, so that a
 * newcomer can follow one request top to bottom. Each line carries the ids of its own span (the
 * SDK's console exporter printed the ids of whatever span was current on the exporting thread).
 *
 * <p>Spans end child first, and a server span can end just before the handler's span under it,
 * or before the client span that called it in the same process ends; hence the short quiet time
 * rather than printing at the root's end. A trace whose only ended root is a span with a remote
 * parent (a server span called from outside, or by the querier in this process) waits a batch
 * delay longer: when the batch processor takes its spans between the server span's end and the
 * querier's client span's end, the caller's spans come a whole batch later, and printing at the
 * quiet time split such a call into two trees (seen on a loaded machine). A trace whose root never ends here (a request still
 * running, a parent in another process that we never see end) is printed after {@link #LONGEST};
 * a flush or shutdown prints everything; and past {@link #MAX_SPANS} waiting spans the oldest
 * trace is printed as it is, so that a console run under load cannot grow without bound.
 */
public final class ConsoleTraceExporter implements SpanExporter {

    static final Duration QUIET = Duration.ofMillis(500);
    static final Duration LONGEST = Duration.ofSeconds(30);
    static final int MAX_SPANS = 10_000;

    private static final Logger LOG = Logger.getLogger(ServiceHost.LOGGER_PREFIX + "traces");

    private final LongSupplier nanoTime;
    /** How long a trace whose root has a remote parent waits: the quiet time and a batch delay. */
    private final long remoteParentQuietNanos;
    /** Traces waiting to be printed, oldest first; guarded by this. */
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private int waitingSpans;
    private final ScheduledExecutorService ticker;
    /** Held while printing, so that two traces' lines never interleave. */
    private final Object printing = new Object();

    private static final class Waiting {
        final List<SpanData> spans = new ArrayList<>();
        final long firstNanos;
        long lastNanos;
        /** A span without a parent has ended: the trace's root, it begins here. */
        boolean rootEnded;
        /** A span whose parent is in another process, or came by a request to this one, has ended. */
        boolean remoteChildEnded;

        Waiting(long now) {
            firstNanos = now;
            lastNanos = now;
        }
    }

    /** @param batchDelay how often the batch processor hands spans over (OTEL_BSP_SCHEDULE_DELAY) */
    public ConsoleTraceExporter(Duration batchDelay) {
        this(System::nanoTime, true, batchDelay);
    }

    /** With {@code tick} false nothing prints on its own: the tests call {@link #printDue} themselves. */
    ConsoleTraceExporter(LongSupplier nanoTime, boolean tick, Duration batchDelay) {
        this.nanoTime = nanoTime;
        this.remoteParentQuietNanos = QUIET.plus(batchDelay).toNanos();
        if (tick) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "console-traces");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleWithFixedDelay(this::printDue, 100, 100, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<List<SpanData>> overflow = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            for (SpanData span : spans) {
                Waiting trace = waiting.computeIfAbsent(span.getTraceId(), id -> new Waiting(now));
                trace.spans.add(span);
                trace.lastNanos = now;
                SpanContext parent = span.getParentSpanContext();
                trace.rootEnded |= !parent.isValid();
                trace.remoteChildEnded |= parent.isValid() && parent.isRemote();
                waitingSpans++;
            }
            while (waitingSpans > MAX_SPANS) {
                overflow.add(takeOldest());
            }
        }
        overflow.forEach(this::print);
        return CompletableResultCode.ofSuccess();
    }

    /** Prints the traces that are due: local root ended and quiet since, or waiting too long. */
    void printDue() {
        List<List<SpanData>> due = new ArrayList<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
                Waiting trace = it.next();
                long quiet = now - trace.lastNanos;
                if (trace.rootEnded && quiet >= QUIET.toNanos()
                        || trace.remoteChildEnded && quiet >= remoteParentQuietNanos
                        || now - trace.firstNanos >= LONGEST.toNanos()) {
                    it.remove();
                    waitingSpans -= trace.spans.size();
                    due.add(trace.spans);
                }
            }
        }
        due.forEach(this::print);
    }

    private List<SpanData> takeOldest() {
        Iterator<Waiting> it = waiting.values().iterator();
        Waiting oldest = it.next();
        it.remove();
        waitingSpans -= oldest.spans.size();
        return oldest.spans;
    }

    @Override
    public CompletableResultCode flush() {
        List<List<SpanData>> all = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty()) {
                all.add(takeOldest());
            }
        }
        all.forEach(this::print);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        return flush();
    }

    /** The spans of one trace, parents before children, each child list in start order. */
    static List<Map.Entry<SpanData, Integer>> tree(List<SpanData> spans) {
        Map<String, SpanData> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.getSpanId(), s));
        Map<String, List<SpanData>> children = new HashMap<>();
        List<SpanData> roots = new ArrayList<>();
        for (SpanData span : spans) {
            if (byId.containsKey(span.getParentSpanId()) && !span.getParentSpanId().equals(span.getSpanId())) {
                children.computeIfAbsent(span.getParentSpanId(), id -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        List<Map.Entry<SpanData, Integer>> ordered = new ArrayList<>(spans.size());
        roots.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
        for (SpanData root : roots) {
            walk(root, 0, children, ordered);
        }
        return ordered;
    }

    private static void walk(SpanData span, int depth, Map<String, List<SpanData>> children,
            List<Map.Entry<SpanData, Integer>> ordered) {
        ordered.add(Map.entry(span, depth));
        List<SpanData> under = children.get(span.getSpanId());
        if (under == null) {
            return;
        }
        under.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
        for (SpanData child : under) {
            walk(child, depth + 1, children, ordered);
        }
    }

    @SuppressWarnings("try") // the scope is held for the log line's trace ids, not read
    private void print(List<SpanData> trace) {
        synchronized (printing) {
            for (Map.Entry<SpanData, Integer> entry : tree(trace)) {
                SpanData span = entry.getKey();
                // The console line's [trace_id=.. span_id=..] prefix comes from the current span:
                // make it this span, whatever thread prints it.
                try (Scope ignored = Context.root().with(Span.wrap(span.getSpanContext())).makeCurrent()) {
                    for (String line : SpanLine.describe(span, entry.getValue())) {
                        LOG.log(Level.INFO, line);
                    }
                }
            }
        }
    }
}
