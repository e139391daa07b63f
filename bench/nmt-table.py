#!/usr/bin/env python3
"""Native Memory Tracking summaries side by side (bench/agent-compare with NMT=summary).

    nmt-table.py CASE=FILE [CASE=FILE ...]

Each FILE is the output of `jcmd PID VM.native_memory summary` (JDK 17's format); a case given
several files (rounds) gets the median of each figure. Prints a Markdown table of the committed
memory by the JVM's own categories (Java Heap, Class = class metadata, Code, Thread = stacks, GC,
Compiler, Internal, Symbol, Other = direct buffers and the like...), in MiB, with the numbers of
classes and threads, the largest categories first. Committed is not resident: an untouched page
of a committed heap or a thread's stack counts here and not in the RSS; the JVM's own malloc
headers and glibc's arenas are in neither category.
"""
import re
import statistics
import sys
from collections import OrderedDict, defaultdict

CATEGORY = re.compile(r"^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB\)")
TOTAL = re.compile(r"^Total: reserved=(\d+)KB, committed=(\d+)KB")
COUNT = re.compile(r"\((classes|thread) #(\d+)\)")


def parse(path):
    figures = {}
    category = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = TOTAL.match(line)
            if m:
                figures["Total"] = int(m.group(2)) / 1024
                continue
            m = CATEGORY.match(line)
            if m:
                category = m.group(1)
                figures[category] = int(m.group(3)) / 1024
                continue
            m = COUNT.search(line)
            if m and category:
                figures["(number of " + ("classes" if m.group(1) == "classes" else "threads") + ")"] = int(m.group(2))
    return figures


def main(args):
    rounds = OrderedDict()
    for spec in args:
        case, _, path = spec.partition("=")
        figures = parse(path)
        if figures:
            rounds.setdefault(case, []).append(figures)
    if not rounds:
        print("no NMT summary to read")
        return
    medians = {}
    names = defaultdict(float)
    for case, runs in rounds.items():
        keys = set().union(*runs)
        medians[case] = {k: statistics.median(r.get(k, 0) for r in runs) for k in keys}
        for k, v in medians[case].items():
            names[k] = max(names[k], v)
    counts = sorted(k for k in names if k.startswith("("))
    order = ["Total"] + sorted((k for k in names if k != "Total" and k not in counts), key=lambda k: -names[k])
    cases = list(rounds)
    print("JVM's own accounting (Native Memory Tracking, committed MiB at the window's end; median of "
          + ", ".join(f"{c}: {len(rounds[c])}" for c in cases) + " rounds):")
    print()
    print("| category | " + " | ".join(cases) + " |")
    print("|---|" + "---:|" * len(cases))
    for k in order + counts:
        if names[k] < 0.05 and k not in counts:
            continue
        cells = []
        for c in cases:
            v = medians[c].get(k)
            cells.append("" if v is None else (f"{v:.0f}" if k in counts else f"{v:.1f}"))
        print(f"| {k} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
