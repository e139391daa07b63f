#!/usr/bin/env python3
"""A request's CPU by component, from async-profiler's collapsed stacks (with thread names).

    categories.py CASE=FILE.collapsed[@CPU_US_PER_REQUEST] ...

Each sample goes to one component, so that the components add up to the whole and can be turned
into microseconds of CPU per request (share x the case's CPU per request) and compared between
cases of one run (the agent, the project, telemetry off):

- by thread first: the JIT compilers, the garbage collector, the exporters' threads (batch
  processors, OkHttp's dispatcher, the metric reader; split into OTLP encoding, HTTP and the rest),
  the agent's own threads;
- on the request threads (Undertow's I/O and worker threads), by the frame nearest the leaf that
  belongs to a known package: OpenTelemetry's (API, SDK, instrumentation, the agent) or this
  project's telemetry code is telemetry, split by what it does (spans, log records, metrics,
  context, the HTTP instrumentation); Undertow, XNIO and the service's own code are the request.
  JDK frames decide nothing (a HashMap lookup belongs to whoever called it).

With the case's CPU per request (µs), a component's cell is its share of that; without, the share
of the samples. Prints a Markdown table, one column per case.
"""
import collections
import sys

# The request threads' telemetry, by the package of the frame nearest the leaf that decides.
TELEMETRY = [
    ("spans (SDK: start, attributes, events, end)", ("io.opentelemetry.sdk.trace.", "io.opentelemetry.api.trace.")),
    ("log records (SDK, log bridge)", ("io.opentelemetry.sdk.logs.", "io.opentelemetry.api.logs.",
                                       "dev.helloworld.otlp.sdk.OtelLogHandler",
                                       "io.opentelemetry.javaagent.instrumentation.jul.",
                                       "io.opentelemetry.javaagent.bootstrap.jul.")),
    ("metrics (SDK: HTTP duration, demo metrics)", ("io.opentelemetry.sdk.metrics.", "io.opentelemetry.api.metrics.",
                                                    "io.opentelemetry.api.incubator.metrics.")),
    ("context (current, wrap, scopes)", ("io.opentelemetry.context.",)),
    ("HTTP instrumentation (Instrumenter, extractors)", ("io.opentelemetry.instrumentation.",
                                                         "dev.helloworld.http.handlers.ServerSpanHandler",
                                                         "dev.helloworld.http.handlers.UndertowHttpAttributes",
                                                         "io.opentelemetry.javaagent.instrumentation.undertow.")),
    ("the project's samplers, counts, correlation", ("dev.helloworld.otlp.",)),
    ("the agent's other instrumentation", ("io.opentelemetry.javaagent.",)),
    ("other OpenTelemetry", ("io.opentelemetry.",)),
]
REQUEST = ("io.undertow.", "org.xnio.", "org.jboss.", "dev.helloworld.")
NEUTRAL = ("java.", "jdk.", "sun.", "javax.", "kotlin.", "com.sun.")

EXPORT_THREADS = ("BatchSpanProcessor", "BatchLogRecordProcessor", "PeriodicMetricReader", "okhttp-dispatch",
                  "OkHttp", "otlp-resend")
REQUEST_THREADS = ("http I/O", "http task", "XNIO-", "helloworld-")


def parse(path):
    """(thread, frames leaf-last, count) per line."""
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";")
            thread = ""
            if frames and frames[0].startswith("["):
                thread = frames[0].strip("[]").rsplit(" tid=", 1)[0]
                frames = frames[1:]
            yield thread, [fr.replace("/", ".") for fr in frames], int(count)


def component(thread, frames):
    if "CompilerThre" in thread or thread.startswith("C1 ") or thread.startswith("C2 "):
        return "JIT compilers"
    if thread.startswith("GC ") or thread.startswith("G1 ") or "GC Thread" in thread or thread.startswith("VM Thread"):
        return "GC and VM thread"
    if thread.startswith(EXPORT_THREADS):
        if any(f.startswith("io.opentelemetry.exporter.internal.marshal") or f.startswith("io.opentelemetry.exporter.internal.otlp")
               for f in frames):
            return "export: OTLP encoding"
        if any(f.startswith("okhttp3.") or f.startswith("okio.") or f.startswith("io.opentelemetry.exporter.sender") for f in frames):
            return "export: HTTP (OkHttp)"
        return "export: batch processors, metric reader, rest"
    if thread.startswith(REQUEST_THREADS):
        for f in reversed(frames):
            if f.startswith(NEUTRAL):
                continue
            for name, prefixes in TELEMETRY:
                if f.startswith(prefixes):
                    return "telemetry on request threads: " + name
            if f.startswith(REQUEST):
                return "request (Undertow, XNIO, the service)"
        return "request threads: JDK or native only"
    if "javaagent" in thread.lower() or thread.startswith("otel") or any(f.startswith("io.opentelemetry.javaagent.") for f in frames):
        return "the agent's other threads"
    return "other threads"


def main(args):
    cases = []
    for arg in args:
        case, _, spec = arg.rpartition("=")
        path, _, us = spec.partition("@")
        counts = collections.Counter()
        for thread, frames, n in parse(path):
            counts[component(thread, frames)] += n
        cases.append((case, counts, float(us) if us else None))
    names = sorted({k for _, c, _ in cases for k in c}, key=lambda k: (not k.startswith("request"), k))
    print("| component (µs of CPU per request, or share of the samples) | " + " | ".join(c for c, _, _ in cases) + " |")
    print("|---|" + "---:|" * len(cases))
    for name in names:
        cells = []
        for _, counts, us in cases:
            share = counts[name] / (sum(counts.values()) or 1)
            cells.append(f"{share * us:.1f}" if us is not None else f"{100.0 * share:.1f} %")
        print(f"| {name} | " + " | ".join(cells) + " |")
    telemetry = lambda k: k.startswith("telemetry") or k.startswith("export") or k.startswith("the agent")
    cells = []
    for _, counts, us in cases:
        share = sum(n for k, n in counts.items() if telemetry(k)) / (sum(counts.values()) or 1)
        cells.append(f"**{share * us:.1f}**" if us is not None else f"**{100.0 * share:.1f} %**")
    print("| **telemetry in all** (request threads' telemetry, export, the agent's threads) | " + " | ".join(cells) + " |")
    print("| samples | " + " | ".join(f"{sum(c.values()):,}" for _, c, _ in cases) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
