#!/usr/bin/env python3
"""Shares of a JFR recording's CPU samples and sampled allocations per component of a request.

    shares.py RECORDING.jfr [REQUESTS]

With REQUESTS, the requests served while recording, it also prints the sampled allocation bytes
per request (JFR's weights add up to an estimate of all bytes allocated).

Reads `jfr print --json` (the JDK's own tool) of jdk.ExecutionSample and
jdk.ObjectAllocationSample. A sample counts for a component when any frame of its stack matches
(inclusive, so components nest: the Instrumenter's start holds the extractors); allocations are
weighted by the bytes the JVM says each sample stands for. Prints Markdown tables.
"""
import collections
import json
import subprocess
import sys

INSTRUMENTER = "io.opentelemetry.instrumentation.api.instrumenter.Instrumenter"

# (component, predicate on "package.Class.method"): the request path of issue 34, outermost first.
COMPONENTS = [
    ("server span handler, in all (ServerSpanHandler)", lambda f: f.startswith("dev.helloworld.http.handlers.ServerSpanHandler")),
    ("  Instrumenter.start", lambda f: f in (INSTRUMENTER + ".start", INSTRUMENTER + ".doStart")),
    ("  Instrumenter.end", lambda f: f in (INSTRUMENTER + ".end", INSTRUMENTER + ".doEnd")),
    ("    HTTP attribute extractors", lambda f: f.startswith("io.opentelemetry.instrumentation.api.semconv.http.Http") and "AttributesExtractor" in f),
    ("    HTTP server metrics (duration)", lambda f: f.startswith("io.opentelemetry.instrumentation.api.semconv.http.HttpServerMetrics")),
    ("    HTTP server experimental metrics", lambda f: "HttpServerExperimentalMetrics" in f),
    ("    caller's context (propagators)", lambda f: f.startswith("io.opentelemetry.context.propagation") or "TraceContextPropagator" in f or "W3CBaggagePropagator" in f),
    ("    span name and route", lambda f: "HttpSpanNameExtractor" in f or "HttpServerRoute" in f),
    ("hello world handler, in all", lambda f: f.startswith("dev.helloworld.http.HelloWorldHandler.handleRequest")),
    ("span start (SdkSpanBuilder.startSpan)", lambda f: f.endswith("SdkSpanBuilder.startSpan")),
    ("  sampler (rate limit, backlog guard)", lambda f: f.startswith("dev.helloworld.otlp.sdk.TraceRateLimit") or f.startswith("dev.helloworld.otlp.delivery.BacklogGuard")),
    ("span end (SdkSpan.end, processors' onEnd)", lambda f: f.endswith("SdkSpan.end") or f.endswith("SdkSpan.endInternal")),
    ("span events and attributes", lambda f: f.endswith("SdkSpan.addEvent") or f.endswith("SdkSpan.setAttribute") or f.endswith("SdkSpan.recordException")),
    ("context current/makeCurrent", lambda f: f.startswith("io.opentelemetry.context.ThreadLocalContextStorage") or "ContextStorage" in f.rsplit(".", 1)[0]),
    ("JUL logging in all (System.Logger.log)", lambda f: f.startswith("sun.util.logging.internal.LoggingProviderImpl$JULWrapper.log")),
    ("  log bridge (OtelLogHandler.publish)", lambda f: f.startswith("dev.helloworld.otlp.sdk.OtelLogHandler.publish")),
    ("    SDK log record emit", lambda f: f.endswith("SdkLogRecordBuilder.emit")),
    ("  console lines (ConsoleLogging)", lambda f: f.startswith("dev.helloworld.core.logging.ConsoleLogging$FlushingHandler.publish")),
    ("demo metrics (requests_total, task duration)", lambda f: f.startswith("dev.helloworld.http.DemoMetrics")),
    ("error demo's exception (fillInStackTrace)", lambda f: f.startswith("java.lang.Throwable.fillInStackTrace")),
    ("span-profile hook (plugin-profiling)", lambda f: f.startswith("dev.helloworld.profiling.")),
    ("batch span processor's thread", lambda f: f.startswith("io.opentelemetry.sdk.trace.export.BatchSpanProcessor$Worker.run")),
    ("batch log processor's thread", lambda f: f.startswith("io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor$Worker.run")),
    ("  OTLP encoding (marshalers)", lambda f: f.startswith("io.opentelemetry.exporter.internal.marshal") or f.startswith("io.opentelemetry.exporter.internal.otlp")),
    ("  HTTP sender (OkHttp/JDK client)", lambda f: f.startswith("okhttp3.") or f.startswith("io.opentelemetry.exporter.sender")),
    ("metric collection (PeriodicMetricReader)", lambda f: f.startswith("io.opentelemetry.sdk.metrics.export.PeriodicMetricReader")),
    ("Undertow and XNIO outside the handlers", lambda f: False),  # filled in below
]


def frames(stack):
    return [fr["method"]["type"]["name"].replace("/", ".") + "." + fr["method"]["name"] for fr in (stack or {}).get("frames", [])]


def events(path, kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", kind, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def tally(samples):
    """samples: (frames, weight, thread) -> {component: weight}, total."""
    shares = collections.Counter()
    total = 0
    for fs, weight, _ in samples:
        total += weight
        handled = False
        for name, match in COMPONENTS:
            if any(match(f) for f in fs):
                shares[name] += weight
                if not name.startswith(" "):
                    handled = True
        if not handled and any(f.startswith("io.undertow.") or f.startswith("org.xnio.") for f in fs):
            shares["Undertow and XNIO outside the handlers"] += weight
    return shares, total


def table(title, unit, samples):
    shares, total = tally(samples)
    print(f"| {title} | share of {total:,} {unit} |")
    print("|---|---:|")
    for name, _ in COMPONENTS:
        print(f"| {name.replace('  ', '&nbsp;&nbsp;')} | {100.0 * shares[name] / max(total, 1):.1f} % |")
    print()


def top(title, key, samples, n=15):
    counts = collections.Counter()
    total = 0
    for fs, weight, thread in samples:
        total += weight
        counts[key(fs, thread)] += weight
    print(f"| {title} | share |")
    print("|---|---:|")
    for k, w in counts.most_common(n):
        print(f"| `{k}` | {100.0 * w / max(total, 1):.1f} % |")
    print()


def thread_group(name):
    for prefix in ("http I/O", "http task", "XNIO-1 I/O", "XNIO-1 task", "BatchSpanProcessor", "BatchLogRecordProcessor", "PeriodicMetricReader", "OkHttp"):
        if name.startswith(prefix):
            return prefix
    return name.rstrip("0123456789-")


def main(path, requests=None):
    cpu = [(frames(e["values"].get("stackTrace")), 1, e["values"]["sampledThread"]["javaName"] or "?")
           for e in events(path, "jdk.ExecutionSample")]
    alloc = [(frames(e["values"].get("stackTrace")), e["values"]["weight"],
              (e["values"].get("eventThread") or {}).get("javaName") or "?", e["values"]["objectClass"]["name"])
             for e in events(path, "jdk.ObjectAllocationSample")]
    if requests:
        allocated = sum(w for _, w, _, _ in alloc)
        print(f"Allocated while recording, by JFR's sampled weights: {allocated / requests / 1024:.1f} KiB per request.")
        print()
    table("CPU (execution samples with a frame of it)", "samples", cpu)
    table("allocations (sampled weight with a frame of it)", "bytes", [(f, w, t) for f, w, t, _ in alloc])
    top("CPU by thread", lambda fs, t: thread_group(t), cpu, 8)
    top("CPU by top frame (self)", lambda fs, t: fs[0] if fs else "?", cpu)
    counts = collections.Counter()
    total = 0
    for _, w, _, cls in alloc:
        counts[cls] += w
        total += w
    print("| allocated class | share of the bytes |")
    print("|---|---:|")
    for k, w in counts.most_common(12):
        print(f"| `{k}` | {100.0 * w / max(total, 1):.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
