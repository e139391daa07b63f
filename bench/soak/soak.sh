#!/usr/bin/env bash
# Soak: the service for a long while at a steady rate with every signal on, watched from outside.
#
#   bench/soak/soak.sh [SECONDS]        (default 600)
#
# Builds nothing: it runs launcher/target/dist (copied first, so that a build meanwhile cannot pull
# jars from under the run) with bin/launcher, as a user does. The service calls itself: the
# querier's load mode (--query-rate RATE, default 50 calls a second, --query-concurrency 8) against
# its own /helloworld, with --work-scale WORK_SCALE (default 0: the soak looks for leaks, not CPU).
# Traces, metrics, logs and profiles go over OTLP/HTTP to bench/receiver/CountingReceiver, which
# counts and forgets (the testkit's receiver keeps everything and would itself grow).
#
# The JVM runs with JVM_OPTS (default -Xms128m -Xmx128m -XX:+AlwaysPreTouch). With the JVM's
# default heap (a quarter of the machine's memory) the young generation is so large that a
# collection comes once a minute or less, so the heap after GC says nothing new for long
# stretches, and RSS grows for minutes as eden is touched for the first time, which looks like a
# leak and is not. A bounded heap makes collections frequent and turns a real leak into a rising
# heap after GC (and, in the end, an OutOfMemoryError); a heap touched at start takes the heap out
# of RSS, which then shows what grows outside it (threads, code, native buffers). JVM_OPTS= (empty)
# measures the defaults.
#
# Once a second it records, into soak.csv: seconds since start, RSS (KiB), heap after the latest
# garbage collection (KiB, from the JVM's own GC log, -Xlog:gc, so that measuring forces no
# collection), threads, open file descriptors, and what the receiver has counted. At the end it
# stops the service with SIGTERM and prints, per column, the start, end and max values and the
# least-squares slope per minute over the run after WARMUP seconds (default 30), which is what a
# leak shows up in. Everything goes to bench/results/soak/<UTC time>/.
source "$(dirname "$0")/../lib.sh"

duration=${1:-600}
rate=${RATE:-50}
work_scale=${WORK_SCALE:-0}
warmup=${WARMUP:-30}
jvm_opts=${JVM_OPTS--Xms128m -Xmx128m -XX:+AlwaysPreTouch}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$BENCH_DIR/results/soak/$STAMP
mkdir -p "$RESULTS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-soak.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
dist=${DIST:-$ROOT/launcher/target/dist}
[ -x "$dist/bin/launcher" ] || { echo "soak: $dist/bin/launcher is missing; build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
cp -R "$dist" "$WORK/dist"
echo "soak: ${duration}s at $rate calls/s, work scale $work_scale, JVM options '$jvm_opts'; results in ${RESULTS#"$ROOT"/}" >&2

receiver_start
port=$(free_port)
gc_log=$WORK/gc.log
log=$WORK/service.log
# shellcheck disable=SC2046 # the flags are words on purpose
env -i PATH=/usr/bin:/bin "HOME=$WORK" "TMPDIR=$WORK" ${JAVA_HOME:+"JAVA_HOME=$JAVA_HOME"} \
    "JAVA_OPTS=$jvm_opts -Xlog:gc:file=$gc_log" "OTEL_METRIC_EXPORT_INTERVAL=10000" \
    "$WORK/dist/bin/launcher" run $(all_signals_on "$port") --profiling-upload-interval 10s \
    --query-rate "$rate" --query-concurrency 8 --work-scale "$work_scale" >"$log" 2>&1 &
pid=$!
BENCH_PIDS+=("$pid")
wait_200 "$port" "$pid" 60

# The heap after the newest collection in the GC log, in KiB ("... 24M->8M(64M) ..." gives 8192).
heap_after_gc() {
    awk 'match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/) {
             v = substr($0, RSTART, RLENGTH - 1); sub(/.*->/, "", v)
             u = substr(v, length(v)); n = substr(v, 1, length(v) - 1)
             last = (u == "K") ? n : (u == "M") ? n * 1024 : n * 1048576
         }
         END { print (last == "" ? -1 : last) }' "$gc_log" 2>/dev/null || echo -1
}

csv=$RESULTS/soak.csv
echo "second,rss_kib,heap_after_gc_kib,threads,fds,spans_received,log_records_received" >"$csv"
start=$SECONDS
next=$start
while [ $((SECONDS - start)) -lt "$duration" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "soak: the service exited early; its log:" >&2; tail -20 "$log" >&2; exit 1; }
    echo "$((SECONDS - start)),$(rss_kib "$pid"),$(heap_after_gc),$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status"),$(ls "/proc/$pid/fd" | wc -l),$(receiver_count spans),$(receiver_count log_records)" >>"$csv"
    next=$((next + 1))
    # Pace: one sample a second (a pause between samples, not a synchronisation).
    while [ "$SECONDS" -lt "$next" ]; do sleep 0.1; done
done

service_stop "$pid"
keep_log "$log" service.log
cp "$gc_log" "$RESULTS/gc.log" 2>/dev/null || true

{
    echo "soak: ${duration}s at $rate calls/s (work scale $work_scale, JVM options '$jvm_opts'), exit code $STOP_RC after SIGTERM"
    grep -E '\[querier\] in total|\[otlp\] .*traces: ' "$log" | sed 's/^/  /' || true
    echo
    printf '%-20s %12s %12s %12s %16s\n' column start end max "slope/min (after ${warmup}s)"
    for col in 2 3 4 5; do
        awk -F, -v col="$col" -v warmup="$warmup" '
            NR == 1 { name = $col; next }
            {
                if (first == "") first = $col
                last = $col
                if (max == "" || $col + 0 > max + 0) max = $col
                if ($1 >= warmup) { n++; sx += $1; sy += $col; sxx += $1 * $1; sxy += $1 * $col }
            }
            END {
                slope = (n > 1 && n * sxx - sx * sx != 0) ? (n * sxy - sx * sy) / (n * sxx - sx * sx) * 60 : 0
                printf "%-20s %12s %12s %12s %16.1f\n", name, first, last, max, slope
            }' "$csv"
    done
} | tee "$RESULTS/summary.txt"
