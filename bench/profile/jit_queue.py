#!/usr/bin/env python3
"""What the JIT compilers do under load, from a HotSpot -XX:+LogCompilation file (bench/jit-queue).

Tells a deoptimisation loop from a compiler that cannot keep up, which look the same from outside
(compiler threads busy long after the start):
- the uncommon traps taken (<uncommon_trap thread=...>: compiled code that hit a case it was not
  compiled for) and the compiled code dropped (replaced by a higher tier, or after a trap) per
  WINDOW seconds: a loop keeps traps high;
- the C2 queue (tasks queued and not yet started at each window's end) and how long the tasks
  started in the window had waited: a compiler short of CPU keeps a long queue and long waits;
- the C2 compilations that took longest from start to end after SINCE seconds, and how many times
  each method was compiled (twice or more: recompiled after a trap).

    jit_queue.py LOGFILE [SINCE_SECONDS] [WINDOW_SECONDS]
"""
import collections
import re
import sys

ATTR = re.compile(r"(\w+)='([^']*)'")


def attrs(line):
    return dict(ATTR.findall(line))


def main():
    path = sys.argv[1]
    since = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    window = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    queued, started, done = {}, {}, {}
    traps = collections.Counter()
    trap_reasons = collections.Counter()
    thrown_away = collections.Counter()
    end = 0.0
    with open(path, errors="replace") as log:
        for line in log:
            if not line.startswith("<"):
                continue
            tag = line[1:line.find(" ")] if " " in line else line[1:].strip("<>/\n")
            if tag not in ("task_queued", "task", "task_done", "uncommon_trap", "make_not_entrant"):
                continue
            a = attrs(line)
            if "stamp" not in a:
                continue
            stamp = float(a["stamp"])
            end = max(end, stamp)
            slot = int(stamp // window)
            if tag == "task_queued":
                # C1 tasks name their tier (1-3); a C2 task has none.
                queued[a["compile_id"]] = (stamp, a.get("level", "4"), a.get("method", "?"))
            elif tag == "task":
                started[a["compile_id"]] = stamp
                current = a["compile_id"]
            elif tag == "task_done":
                done[current] = stamp
            elif tag == "uncommon_trap" and "thread" in a:
                traps[slot] += 1
                trap_reasons[a.get("reason", "?") + "/" + a.get("action", "?")] += 1
            elif tag == "make_not_entrant" and a.get("zombie") != "1":
                thrown_away[slot] += 1

    print(f"{'until':>6} {'traps':>6} {'code dropped':>12} {'C2 queue':>8} {'C2 started':>10} {'mean wait':>9}")
    for slot in range(int(end // window) + 1):
        t = (slot + 1) * window
        waiting = sum(1 for c, (q, level, _) in queued.items() if level == "4" and q <= t and started.get(c, 1e18) > t)
        waits = [started[c] - q for c, (q, level, _) in queued.items()
                 if level == "4" and c in started and t - window <= started[c] < t]
        mean = sum(waits) / len(waits) if waits else 0.0
        print(f"{t:6.0f} {traps[slot]:6d} {thrown_away[slot]:12d} {waiting:8d} {len(waits):10d} {mean:8.1f}s")
    print()
    print("uncommon traps taken, by reason/action:", dict(trap_reasons.most_common(8)))
    print()
    per_method = collections.defaultdict(lambda: [0, 0.0])
    for c, (q, level, method) in queued.items():
        if level == "4" and c in started and c in done and started[c] >= since:
            per_method[method][0] += 1
            per_method[method][1] += done[c] - started[c]
    total = sum(d for _, d in per_method.values())
    print(f"C2 compilations started after {since:.0f} s: {sum(n for n, _ in per_method.values())}, "
          f"{total:.1f} s from start to end in all (wall time: a compiler thread short of CPU takes longer)")
    for method, (n, d) in sorted(per_method.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"  {d:6.2f} s {n}x {method}")


if __name__ == "__main__":
    main()
