#!/usr/bin/env python3
"""The timeline of one start (bench/startup-timeline): from a -Xlog:class+load,startuptime log
decorated with timemillis, uptimemillis and tid, the ms since exec at which each part of the
service loaded its first and last class and on which thread, what each thread did in 50 ms slices,
the CPU of each thread at the first 200, and the classes that came from no archive.

    timeline.py --exec-ms MS --first-200-ms MS --threads TSV --cpu S --load L CLASSES_LOG[.gz]

Loading a part's classes is not all of its work, but it brackets it: a part's work starts at its
first class and, on one thread, the next part's first class ends it.
"""
import argparse
import collections
import gzip
import re

# (group, class name prefixes): the first that matches names a class's group.
GROUPS = [
    ("launcher", ("dev.helloworld.launcher.",)),
    ("picocli", ("picocli.",)),
    ("core", ("dev.helloworld.core.",)),
    ("otlp plugin", ("dev.helloworld.otlp.",)),
    ("otel autoconfigure", ("io.opentelemetry.sdk.autoconfigure",)),
    ("otel resource detectors", ("io.opentelemetry.instrumentation.resources.",)),
    ("otel JVM metrics", ("io.opentelemetry.instrumentation.runtimetelemetry.",)),
    ("otel instrumentation api", ("io.opentelemetry.instrumentation.",)),
    ("otel exporters", ("io.opentelemetry.exporter.",)),
    ("otel sdk", ("io.opentelemetry.sdk.",)),
    ("otel api/context", ("io.opentelemetry.",)),
    ("okhttp/okio/kotlin", ("okhttp3.", "okio.", "kotlin.")),
    ("prometheus/protobuf", ("io.prometheus.", "com.google.protobuf.")),
    ("profiling plugin", ("dev.helloworld.profiling.",)),
    ("pyroscope agent", ("io.pyroscope.",)),
    ("http plugin", ("dev.helloworld.http.",)),
    ("undertow", ("io.undertow.",)),
    ("xnio/jboss/wildfly", ("org.xnio.", "org.jboss.", "org.wildfly.")),
    ("querier plugin", ("dev.helloworld.querier.",)),
    ("scenarios plugin", ("dev.helloworld.scenarios.",)),
    ("topology plugin", ("dev.helloworld.topology.",)),
    ("verify plugin", ("dev.helloworld.verify.",)),
    ("jdk management", ("java.lang.management.", "sun.management.", "com.sun.management.", "javax.management.",
                        "jdk.internal.agent.", "com.sun.jmx.")),
    ("jdk net/nio", ("java.net.", "sun.net.", "java.nio.", "sun.nio.")),
    ("jdk lambda/invoke", ("java.lang.invoke.", "jdk.internal.org.objectweb.", "java.lang.invoke.LambdaForm")),
    ("jdk other", ("java.", "jdk.", "sun.", "com.sun.", "javax.")),
]

# Single classes whose first load marks a step of the start.
MARKS = [
    ("launcher's main class", "dev.helloworld.launcher.Main"),
    ("plugins found (ServiceLoader)", "dev.helloworld.core.host.Discovery"),
    ("picocli command line", "picocli.CommandLine"),
    ("run command called", "dev.helloworld.core.logging.ConsoleLogging"),
    ("host starts", "dev.helloworld.core.host.HostContext"),
    ("otlp: SDK build", "dev.helloworld.otlp.sdk.TelemetrySdk"),
    ("otlp: autoconfigure", "io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk"),
    ("otlp: resource detectors", "io.opentelemetry.instrumentation.resources.ContainerResourceProvider"),
    ("otlp: OkHttp", "okhttp3.OkHttpClient"),
    ("otlp: JVM metrics", "io.opentelemetry.instrumentation.runtimetelemetry.RuntimeTelemetry"),
    ("otlp: log bridge", "dev.helloworld.otlp.sdk.OtelLogHandler"),
    ("profiling: start", "dev.helloworld.profiling.ProfilerLibrary"),
    ("profiling: async-profiler", "io.pyroscope.vendor.one.profiler.AsyncProfiler"),
    ("profiling: agent", "io.pyroscope.javaagent.PyroscopeAgent"),
    ("profiling: spans linked", "dev.helloworld.profiling.ActiveProfiler"),
    ("http: start", "dev.helloworld.http.HelloWorldHandler"),
    ("http: Undertow", "io.undertow.Undertow"),
    ("http: server span handler", "dev.helloworld.http.handlers.ServerSpanHandler"),
    ("http: listening", "dev.helloworld.core.spi.HttpServerAddress"),
    ("querier: start", "dev.helloworld.querier.HelloWorldCaller"),
    ("first request: handler runs", "dev.helloworld.http.HelloWorldHandler$Answer"),
]

LINE = re.compile(r"^\[(\d+)ms\]\[(\d+)ms\]\[(\d+)\] (.*)$")


def group_of(name):
    for group, prefixes in GROUPS:
        if name.startswith(prefixes):
            return group
    return "other"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exec-ms", type=int, required=True)
    parser.add_argument("--first-200-ms", type=int, required=True)
    parser.add_argument("--threads", required=True)
    parser.add_argument("--cpu", default="?")
    parser.add_argument("--load", default="?")
    parser.add_argument("log")
    args = parser.parse_args()

    names = {}
    cpu = {}
    with open(args.threads) as f:
        next(f)
        for row in f:
            tid, name, seconds = row.rstrip("\n").split("\t")
            names[tid] = name
            cpu[tid] = float(seconds)

    classes = []  # (ms since exec, tid, class, source)
    startup = []  # (ms since exec, tid, text)
    jvm_start = None
    with (gzip.open(args.log, "rt") if args.log.endswith(".gz") else open(args.log)) as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            wall, uptime, tid, text = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
            if jvm_start is None:
                jvm_start = wall - uptime
            at = wall - args.exec_ms
            if " source: " in text:
                name, source = text.split(" source: ", 1)
                classes.append((at, tid, name, source))
            else:
                startup.append((at, tid, text))
    first_200 = args.first_200_ms - args.exec_ms
    before = [c for c in classes if c[0] <= first_200]
    main_tid = classes[0][1] if classes else None

    def thread(tid):
        return names.get(tid, "(ended)") + ("/main" if tid == main_tid else "")

    out = []
    out.append(f"# Start-up timeline: {first_200} ms from exec to the first 200, CPU {args.cpu} s, load {args.load}\n")
    out.append(f"- exec to the JVM's start (bin/launcher's script, exec): {jvm_start - args.exec_ms} ms")
    out.append(f"- classes loaded before the first 200: {len(before)}; from no archive: "
               f"{sum(1 for c in before if 'shared objects file' not in c[3])}")
    out.append("")
    out.append("## Marks (first load of a class, ms since exec)\n")
    out.append("| mark | ms | thread |")
    out.append("|---|---:|---|")
    seen = {}
    for c in classes:
        seen.setdefault(c[2], c)
    for label, name in MARKS:
        c = seen.get(name)
        if c:
            out.append(f"| {label} | {c[0]} | {thread(c[1])} |")
    out.append(f"| the first 200 (curl) | {first_200} | |")
    if startup:
        out.append("\n## The JVM's own start (-Xlog:startuptime)\n")
        for at, tid, text in startup:
            out.append(f"- {at} ms [{thread(tid)}] {text}")

    out.append("\n## Parts: first and last class before the first 200 (ms since exec)\n")
    out.append("| part | first | last | classes | from no archive | threads |")
    out.append("|---|---:|---:|---:|---:|---|")
    parts = collections.OrderedDict()
    for at, tid, name, source in before:
        p = parts.setdefault(group_of(name), {"first": at, "last": at, "n": 0, "cold": 0, "tids": collections.Counter()})
        p["last"] = at
        p["n"] += 1
        p["cold"] += 0 if "shared objects file" in source else 1
        p["tids"][tid] += 1
    for group, p in sorted(parts.items(), key=lambda kv: kv[1]["first"]):
        tids = ", ".join(f"{thread(t)} {n}" for t, n in p["tids"].most_common(3))
        out.append(f"| {group} | {p['first']} | {p['last']} | {p['n']} | {p['cold']} | {tids} |")

    out.append("\n## Each thread in 50 ms slices: the parts whose classes it loaded (count)\n")
    by_tid = collections.OrderedDict()
    for c in before:
        by_tid.setdefault(c[1], []).append(c)
    for tid, loads in by_tid.items():
        out.append(f"### {thread(tid)} (tid {tid}, CPU at the first 200 {cpu.get(tid, '?')} s, {len(loads)} classes)\n")
        slices = collections.OrderedDict()
        for at, _, name, _ in loads:
            slices.setdefault(at // 50 * 50, collections.Counter())[group_of(name)] += 1
        for start, counter in slices.items():
            out.append(f"- {start:5d}: " + ", ".join(f"{g} {n}" for g, n in counter.most_common(4)))
        out.append("")

    out.append("## CPU per thread at the first 200 (threads that had ended are not listed)\n")
    out.append("| thread | tid | CPU (s) |")
    out.append("|---|---:|---:|")
    for tid, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        if seconds > 0:
            out.append(f"| {thread(tid)} | {tid} | {seconds:.2f} |")

    cold = collections.Counter()
    for at, tid, name, source in before:
        if "shared objects file" not in source:
            cold[(group_of(name), source if not source.startswith("jrt:") else "jrt:/")] += 1
    out.append("\n## Classes from no archive before the first 200, by part and source\n")
    for (group, source), n in cold.most_common(30):
        out.append(f"- {n} {group} ({source[:100]})")
    print("\n".join(out))


if __name__ == "__main__":
    main()
