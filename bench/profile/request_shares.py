#!/usr/bin/env python3
"""A request's CPU or allocations per component, from async-profiler's collapsed stacks.

    request_shares.py cpu CASE=FILE.collapsed@CPU_US_PER_REQUEST ...
    request_shares.py alloc CASE=FILE.collapsed@REQUESTS ...
    request_shares.py lock CASE=FILE.collapsed@REQUESTS ...

The components are shares.py's (the request path of issue 34, inclusive: a stack counts for every
component that has a frame on it, so the Instrumenter's end holds the HTTP metrics); shares.py
reads a JFR recording, this the collapsed output of bench/lib.sh's profiler_stop, one line per
distinct stack with its count. cpu: the samples' share of each component times the case's CPU per
request (µs of CPU per request, the profiler's own included). alloc and lock (collapsed with `total`, so the counts are
bytes, or nanoseconds waited for a contended lock): each component's total over the requests
served while recording. One column
per case, so that cases of one run compare side by side; then the leaf frames (cpu) or the
allocated classes (alloc) that weigh most in the last case.
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from categories import parse  # noqa: E402 (the collapsed format's reader)
from shares import COMPONENTS, tally  # noqa: E402


def read(path):
    """(frames leaf-first, as shares.tally takes them; weight; thread) per stack."""
    return [(list(reversed(frames)), n, thread) for thread, frames, n in parse(path)]


def main(mode, specs):
    cases = []
    for spec in specs:
        case, _, rest = spec.partition("=")
        path, _, scale = rest.rpartition("@")
        samples = read(path)
        shares, total = tally(samples)
        cases.append((case, samples, shares, total, float(scale)))
    unit = {"cpu": "µs of CPU per request", "alloc": "bytes allocated per request",
            "lock": "ns waited for locks per request"}[mode]
    print(f"| component ({unit}, inclusive) | " + " | ".join(c[0] for c in cases) + " |")
    print("|---|" + "---:|" * len(cases))

    def value(weight, total, scale):
        return weight / max(total, 1) * scale if mode == "cpu" else weight / scale

    print("| **the whole process** | " + " | ".join(f"**{value(t, t, s):,.1f}**" for _, _, _, t, s in cases) + " |")
    for name, _ in COMPONENTS:
        cells = [f"{value(sh[name], t, s):,.1f}" for _, _, sh, t, s in cases]
        print(f"| {name.replace('  ', '&nbsp;&nbsp;')} | " + " | ".join(cells) + " |")
    print()
    case, samples, _, total, scale = cases[-1]
    heaviest = collections.Counter()
    for frames, weight, _ in samples:
        heaviest[frames[0] if frames else "?"] += weight
    what = {"cpu": "leaf frame (self time)", "alloc": "allocated class", "lock": "lock class"}[mode]
    print(f"| {what}, {case} | {unit} |")
    print("|---|---:|")
    for k, w in heaviest.most_common(20):
        print(f"| `{k}` | {value(w, total, scale):,.2f} |")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("cpu", "alloc", "lock"):
        sys.exit("usage: request_shares.py cpu|alloc|lock CASE=FILE.collapsed@SCALE ...")
    main(sys.argv[1], sys.argv[2:])
