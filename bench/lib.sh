# shellcheck shell=bash
# shellcheck disable=SC2034 # RECEIVER_PORT, SERVICE_PID, STOP_RC and the like are read by the scripts
# Shared parts of the benchmark scripts (bash; sourced, not run).
#
# A script calls bench_init NAME first: it makes a work folder, copies the image and the dist
# there (so that a build running meanwhile cannot pull files from under a run), and a results
# folder bench/results/NAME/<UTC time>/ that keeps the raw output. Every process started through
# these functions is stopped when the script exits, however it exits.
#
# Variants (how the service is launched), as a word in a script's variant list:
#   image            launcher/target/image/bin/launcher, with the JVM options it sets by default;
#                    its first `run` trains the plugins' class data sharing archive, later ones map it
#   image-untrained  the same with LAUNCHER_CDS=off: no archive of the plugins' classes, as at the
#                    image's first run
#   image-opts:<options>  bin/launcher with JAVA_OPTS set to these options (commas for spaces),
#                    which come after its defaults and override them: image-opts:-Xmn16m,-Xmx64m
#   image-untrained-opts:<options>  the same with LAUNCHER_CDS=off
#   image-env:<VAR=value,...>  bin/launcher with these variables set too (commas between them), to
#                    compare one setting in the same run: image-env:JVM_METRICS=false
#   image-jvm        the image's own bin/java with no option but the launcher's logging one: what the
#                    JVM picks by itself (heap a quarter of the memory, G1, 1 MiB stacks)
#   dist             java -p launcher/target/dist/lib -m ... from the build directory, with the JDK
#                    of JAVA_HOME or the PATH
#   dist-env:<VAR=value,...>  the dist with these variables set too (commas between them):
#                    dist-env:JDK_JAVA_OPTIONS=-XX:StartFlightRecording for a JFR recording all along
#                    (JAVA_TOOL_OPTIONS=-XX:StartFlightRecording crashes Debian's JDK 17.0.15 at start)
#   dist-opts:<options>  the dist with these JVM options before -p (commas for spaces):
#                    dist-opts:-javaagent:/path/opentelemetry-javaagent.jar (bench/agent-compare)
#   dist-more-opts:<options>  dist-opts with the jars of the folder DIST_MORE on the module path
#                    too, after lib/: bench/agent-compare's project-1span case (bench/one-span)
#   dist-b           the same from DIST_B, another build of the dist, to compare two builds
#   dist-b-opts:<options>  the same with these JVM options before -p (commas for spaces)
#   image-b          bin/launcher of IMAGE_B, another build of the image, to compare two builds
#   opts:<options>   the image's bin/java with exactly these JVM options (commas for spaces), to try
#                    options out: opts:-Xmx64m,-XX:+UseSerialGC
#   image-c          bin/launcher of IMAGE_C, a third build of the image: a JDK 17 image beside two
#                    JDK 25 ones (image and image-b)
#   image-b-opts:<options>  bin/launcher of IMAGE_B with JAVA_OPTS set to these options (commas for
#                    spaces): a JDK 25 image with its AOT cache, image-b-opts:-XX:AOTCache=/path/app.aot
#   image-b-aot      bin/launcher of IMAGE_B (a JDK 25 image) with an AOT cache (JEP 483/514/515): the
#                    first start (round 0) trains it (-XX:AOTCacheOutput, written as the JVM exits),
#                    later ones use it (-XX:AOTCache); the cache is the bench's, in its work folder
#   port             the BlueKing Java port of helloworld (PORT_DIR: its folder, built by
#                    bench/port/build) with the JDK of JAVA_HOME or the PATH, its options from the
#                    same flags as its variables (the flags' port is ignored: the port always serves
#                    on 0.0.0.0:8080)
# Every variant runs with a clean environment (env -i PATH=/usr/bin:/bin), as a user would.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH_DIR/.." && pwd -P)
MAIN_CLASS=dev.helloworld.launcher/dev.helloworld.launcher.Main
if [ -n "${JAVA_HOME:-}" ]; then JAVA=$JAVA_HOME/bin/java; JAVAC=$JAVA_HOME/bin/javac; else JAVA=java; JAVAC=javac; fi

BENCH_PIDS=()

# bench_init NAME: sets WORK, RESULTS, STAMP, IMAGE, DIST.
bench_init() {
    local name=$1
    STAMP=$(date -u +%Y%m%dT%H%M%SZ)
    RESULTS=$BENCH_DIR/results/$name/$STAMP
    mkdir -p "$RESULTS"
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-$name.XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    local image=${IMAGE:-$ROOT/launcher/target/image} dist=${DIST:-$ROOT/launcher/target/dist}
    for dir in "$image" "$dist"; do
        [ -d "$dir" ] || { echo "bench: $dir is missing; build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
    done
    cp -R "$image" "$WORK/image"
    cp -R "$dist" "$WORK/dist"
    IMAGE=$WORK/image
    DIST=$WORK/dist
    if [ -n "${DIST_B:-}" ]; then cp -R "$DIST_B" "$WORK/dist-b"; DIST_B=$WORK/dist-b; fi
    if [ -n "${IMAGE_B:-}" ]; then cp -R "$IMAGE_B" "$WORK/image-b"; IMAGE_B=$WORK/image-b; fi
    if [ -n "${IMAGE_C:-}" ]; then cp -R "$IMAGE_C" "$WORK/image-c"; IMAGE_C=$WORK/image-c; fi
    if [ -n "${PORT_DIR:-}" ]; then
        [ -f "$PORT_DIR/target/port.jar" ] || { echo "bench: $PORT_DIR/target/port.jar is missing; build it: bench/port/build $PORT_DIR" >&2; exit 2; }
        PORT_DIR=$(cd "$PORT_DIR" && pwd -P)
    fi
    machine_info >"$RESULTS/machine.txt"
    echo "bench: raw output in ${RESULTS#"$ROOT"/}" >&2
}

bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${BENCH_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}

machine_info() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel: $(uname -sr)"
    echo "jdk (dist): $("$JAVA" -version 2>&1 | head -2 | tail -1)"
    echo "jdk (image): $("$IMAGE/bin/java" -version 2>&1 | head -2 | tail -1)"
    echo "image launcher options: $(grep -v '^ *#' "$IMAGE/bin/launcher" | grep -o -- ' -X[^ ]*' | tr -d '\n')"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

load_now() { cut -d' ' -f1 /proc/loadavg; }

ensure_wrk() {
    command -v wrk >/dev/null && return
    echo "bench: installing wrk (Debian package)" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
}

# compile_tools: javac the receiver and FreePort once per run (a single-file launch costs a second
# of compilation every time).
compile_tools() {
    local m2=${MAVEN_REPO:-$HOME/.m2/repository}
    local protobuf otlp_proto
    protobuf=$(pom_property protobuf.version)
    otlp_proto=$(pom_property opentelemetry-proto.version)
    PROTO_CP=$m2/com/google/protobuf/protobuf-java/$protobuf/protobuf-java-$protobuf.jar
    PROTO_CP=$PROTO_CP:$m2/io/opentelemetry/proto/opentelemetry-proto/$otlp_proto/opentelemetry-proto-$otlp_proto.jar
    local jar
    for jar in ${PROTO_CP//:/ }; do
        [ -f "$jar" ] || { echo "bench: $jar is missing; run: mvn -B -q install -pl testkit -DskipTests" >&2; exit 2; }
    done
    [ -d "$WORK/tools" ] && return
    mkdir -p "$WORK/tools"
    "$JAVAC" -nowarn -d "$WORK/tools" -cp "$PROTO_CP" "$BENCH_DIR/receiver/CountingReceiver.java" "$BENCH_DIR/startup/FreePort.java"
}

pom_property() {
    sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -1
}

free_port() {
    compile_tools
    "$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$WORK/tools" FreePort
}

# receiver_start: a CountingReceiver in the background; sets RECEIVER_PORT and RECEIVER_PID. With
# RECEIVER_MODE=decode it decodes every trace and log export in full, as a collector does.
receiver_start() {
    compile_tools
    rm -f "$WORK/receiver.port"
    "$JAVA" -Xmx256m -XX:+UseSerialGC -Xss512k -cp "$WORK/tools:$PROTO_CP" CountingReceiver "$WORK/receiver.port" ${RECEIVER_MODE:-} \
        >>"$RESULTS/receiver.log" 2>&1 &
    RECEIVER_PID=$!
    BENCH_PIDS+=("$RECEIVER_PID")

    for _ in $(seq 1 200); do
        [ -s "$WORK/receiver.port" ] && break
        sleep 0.05
    done
    [ -s "$WORK/receiver.port" ] || { echo "bench: the receiver did not start" >&2; exit 1; }
    RECEIVER_PORT=$(cat "$WORK/receiver.port")
}

receiver_stop() {
    kill -TERM "$RECEIVER_PID" 2>/dev/null || true
    wait "$RECEIVER_PID" 2>/dev/null || true
}

# receiver_count NAME: a counter of the receiver (0 when it never counted anything of that name).
receiver_count() {
    curl -s "http://127.0.0.1:$RECEIVER_PORT/counts" | awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }'
}

# all_signals_on HTTP_PORT: the flags of a run with every signal exported to the receiver.
all_signals_on() {
    echo --exporter http --endpoint "http://127.0.0.1:$RECEIVER_PORT" \
        --enable-traces --enable-metrics --enable-logs --enable-profiling \
        --profiling-endpoint "http://127.0.0.1:$RECEIVER_PORT" \
        --http-address 127.0.0.1 --http-port "$1"
}

# all_signals_off HTTP_PORT
all_signals_off() {
    echo --exporter none --no-enable-traces --no-enable-metrics --no-enable-logs --no-enable-profiling \
        --http-address 127.0.0.1 --http-port "$1"
}

# launch VARIANT ARGS...: execs the variant's JVM (call it with & or in a subshell).
launch() {
    local variant=$1
    shift
    local clean=(env -i PATH=/usr/bin:/bin "HOME=$WORK" "TMPDIR=$WORK")
    # SERVICE_ENV: VAR=value words for the service, to try OTEL_* settings out.
    local extra
    read -r -a extra <<<"${SERVICE_ENV:-}"
    clean+=("${extra[@]}")
    case $variant in
        image) exec "${clean[@]}" "$IMAGE/bin/launcher" "$@" ;;
        image-untrained) exec "${clean[@]}" LAUNCHER_CDS=off "$IMAGE/bin/launcher" "$@" ;;
        image-opts:*)
            local java_opts=${variant#image-opts:}
            exec "${clean[@]}" "JAVA_OPTS=${java_opts//,/ }" "$IMAGE/bin/launcher" "$@" ;;
        image-untrained-opts:*)
            local java_opts=${variant#image-untrained-opts:}
            exec "${clean[@]}" LAUNCHER_CDS=off "JAVA_OPTS=${java_opts//,/ }" "$IMAGE/bin/launcher" "$@" ;;
        image-env:*)
            local vars
            IFS=, read -r -a vars <<<"${variant#image-env:}"
            exec "${clean[@]}" "${vars[@]}" "$IMAGE/bin/launcher" "$@" ;;
        image-jvm) exec "${clean[@]}" "$IMAGE/bin/java" -Xlog:disable -Xlog:all=warning:stderr \
            -p "$IMAGE/plugins" -m "$MAIN_CLASS" "$@" ;;
        dist) exec "${clean[@]}" "$JAVA" -p "$DIST/lib" -m "$MAIN_CLASS" "$@" ;;
        dist-env:*)
            local vars
            IFS=, read -r -a vars <<<"${variant#dist-env:}"
            exec "${clean[@]}" "${vars[@]}" "$JAVA" -p "$DIST/lib" -m "$MAIN_CLASS" "$@" ;;
        dist-opts:*)
            local opts
            IFS=, read -r -a opts <<<"${variant#dist-opts:}"
            exec "${clean[@]}" "$JAVA" "${opts[@]}" -p "$DIST/lib" -m "$MAIN_CLASS" "$@" ;;
        dist-more-opts:*)
            local opts
            IFS=, read -r -a opts <<<"${variant#dist-more-opts:}"
            exec "${clean[@]}" "$JAVA" "${opts[@]}" -p "$DIST/lib:$DIST_MORE" -m "$MAIN_CLASS" "$@" ;;
        dist-b) exec "${clean[@]}" "$JAVA" -p "$DIST_B/lib" -m "$MAIN_CLASS" "$@" ;;
        dist-b-opts:*)
            local opts
            IFS=, read -r -a opts <<<"${variant#dist-b-opts:}"
            exec "${clean[@]}" "$JAVA" "${opts[@]}" -p "$DIST_B/lib" -m "$MAIN_CLASS" "$@" ;;
        image-b) exec "${clean[@]}" "$IMAGE_B/bin/launcher" "$@" ;;
        image-c) exec "${clean[@]}" "$IMAGE_C/bin/launcher" "$@" ;;
        image-b-opts:*)
            local java_opts=${variant#image-b-opts:}
            exec "${clean[@]}" "JAVA_OPTS=${java_opts//,/ }" "$IMAGE_B/bin/launcher" "$@" ;;
        image-b-aot)
            local aot=$WORK/image-b.aot option=-XX:AOTCache
            [ -f "$aot" ] || option=-XX:AOTCacheOutput
            exec "${clean[@]}" "JAVA_OPTS=$option=$aot" "$IMAGE_B/bin/launcher" "$@" ;;
        port)
            shift # "run": the port has no commands
            # shellcheck disable=SC2046 # one VAR=value word per variable
            exec "${clean[@]}" $(port_variables "$@") "$JAVA" -cp "$PORT_DIR/target/port.jar:$PORT_DIR/target/lib/*" \
                com.tencent.bkm.demo.helloworld.Main ;;
        opts:*)
            local opts
            IFS=, read -r -a opts <<<"${variant#opts:}"
            exec "${clean[@]}" "$IMAGE/bin/java" -Xlog:disable -Xlog:all=warning:stderr "${opts[@]}" \
                -p "$IMAGE/plugins" -m "$MAIN_CLASS" "$@" ;;
        *) echo "bench: unknown variant $variant" >&2; exit 2 ;;
    esac
}

# port_variables FLAGS...: the BlueKing port's variables for the flags of all_signals_on/off (it reads
# nothing else): TOKEN, OTLP_ENDPOINT, OTLP_EXPORTER_TYPE, PROFILING_ENDPOINT, ENABLE_*.
port_variables() {
    local vars=(TOKEN=bench SERVICE_NAME=helloworld OTLP_EXPORTER_TYPE=http ENABLE_TRACES=false
        ENABLE_METRICS=false ENABLE_LOGS=false ENABLE_PROFILING=false)
    while [ $# -gt 0 ]; do
        case $1 in
            --endpoint) vars+=("OTLP_ENDPOINT=$2"); shift ;;
            --profiling-endpoint) vars+=("PROFILING_ENDPOINT=$2"); shift ;;
            --enable-traces) vars+=(ENABLE_TRACES=true) ;;
            --enable-metrics) vars+=(ENABLE_METRICS=true) ;;
            --enable-logs) vars+=(ENABLE_LOGS=true) ;;
            --enable-profiling) vars+=(ENABLE_PROFILING=true) ;;
        esac
        shift
    done
    echo "${vars[@]}"
}

# service_start VARIANT LOG ARGS...: `launcher run ARGS` in the background; sets SERVICE_PID.
service_start() {
    local variant=$1 log=$2
    shift 2
    launch "$variant" run "$@" >"$log" 2>&1 &
    SERVICE_PID=$!
    BENCH_PIDS+=("$SERVICE_PID")
}

# wait_200 PORT PID SECONDS: polls /helloworld every 5 ms until it answers 200.
wait_200() {
    local port=$1 pid=$2 deadline=$((SECONDS + $3))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/helloworld" || true)" = 200 ]; do
        kill -0 "$pid" 2>/dev/null || { echo "bench: the service exited before answering 200" >&2; return 1; }
        [ "$SECONDS" -lt "$deadline" ] || { echo "bench: no 200 within $3 s" >&2; return 1; }
        sleep 0.005
    done
}

# service_stop PID: SIGTERM and wait (at most 30 s); sets STOP_RC to the exit code.
service_stop() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    STOP_RC=0 # read by the callers
    wait "$pid" 2>/dev/null || STOP_RC=$?
}

# keep_log LOG NAME: the head and tail of a service log (a run at 2 000 req/s writes two lines
# per request) plus every warning and error line, into the results.
keep_log() {
    {
        head -40 "$1"
        echo "... ($(wc -l <"$1") lines in all; warnings and errors, then the last 40 lines:)"
        grep -E 'WARNING|ERROR|Exception' "$1" | grep -v 'traces_random_error_demo' | head -100 || true
        echo "..."
        tail -40 "$1"
    } >"$RESULTS/$2"
}

# file_tag ROUND CASE: a file name prefix for one case of a round; a long case (opts: with many
# options) is cut and given a checksum so that names stay under the file system's limit.
file_tag() {
    local name=${2//[^A-Za-z0-9_.-]/_}
    if [ ${#name} -gt 80 ]; then name="${name:0:60}-$(printf %s "$2" | cksum | cut -d' ' -f1)"; fi
    echo "r$1-$name"
}

rss_kib() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

# median FILE COLUMN [FILTER_COLUMN VALUE ...]: median of the numeric COLUMN of a TSV file (with a
# header line; tabs, because option lists hold commas) over
# the rows whose filter columns have the given values.
median() {
    local file=$1 col=$2
    shift 2
    awk -F"\t" -v col="$col" -v filters="$*" '
        BEGIN { n = split(filters, f, " ") }
        NR > 1 {
            for (i = 1; i < n; i += 2) if ($f[i] != f[i + 1]) next
            print $col
        }' "$file" | sort -g |
        awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a / b }'; }

# wrk_parse FILE: "requests/s p50_ms p99_ms requests non_2xx socket_errors" from wrk --latency output.
wrk_parse() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v
        }
        /Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        / requests in / { n = $1 }
        /Non-2xx or 3xx responses:/ { non2xx = $5 }
        /Socket errors:/ { gsub(",", ""); errors = $4 + $6 + $8 + $10 }
        END { printf "%s %.3f %.3f %d %d %d\n", rps, p50, p99, n, non2xx, errors }
    ' "$1"
}

# cpu_seconds PID: user + system CPU time the process has used so far.
cpu_seconds() {
    seconds "$(stat_ticks "/proc/$1/stat")"
}

# jit_seconds PID: user + system CPU time the process's JIT compiler threads have used so far.
jit_seconds() {
    local t sum=0
    for t in /proc/"$1"/task/*; do
        case $(cat "$t/comm" 2>/dev/null) in
            C1\ CompilerThre* | C2\ CompilerThre*) sum=$((sum + $(stat_ticks "$t/stat"))) ;;
        esac
    done
    seconds "$sum"
}

# The measured window, watched once a second by a background loop (window_watch_start PID PREFIX,
# window_watch_stop PREFIX): the JIT compiler threads' CPU ticks by thread into PREFIX.jit (lines
# "snapshot tid:starttime ticks") and the process's VmRSS, RssAnon and RssFile in KiB into
# PREFIX.rss (lines "second vmrss anon file"). Reading the compilers only at both ends of the window
# (jit_seconds) undercounts, even below zero: the JVM stops a compiler thread that has been idle
# (the second C2 thread of -XX:CICompilerCount=3, figure 3b) and starts one when its queue grows,
# and a thread that has exited takes its CPU ticks with it. Watched by thread (tid and start time,
# so that a reused tid is another thread), a thread's window is its last reading less its first:
# its reading at the window's start if it was alive then, 0 if it was started in the window. What a
# thread that exits spends between its last reading and its exit is lost, at most one second's
# worth of a thread that the JVM stops because it had nothing to do; the sum is then a lower bound.
window_watch_start() {
    local pid=$1 prefix=$2
    : >"$prefix.jit"
    : >"$prefix.rss"
    (
        n=0
        while kill -0 "$pid" 2>/dev/null; do
            jit_snapshot "$pid" "$n" >>"$prefix.jit"
            awk -v n="$n" '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
                END { if (r) print n, r, a, f }' "/proc/$pid/status" 2>/dev/null >>"$prefix.rss" || true
            n=$((n + 1))
            sleep 1
        done
    ) &
    WATCH_PID=$!
    BENCH_PIDS+=("$WATCH_PID")
    WATCHED_PID=$pid
}

# window_watch_stop PREFIX: stops the loop and takes a last reading of the compilers.
window_watch_stop() {
    kill -TERM "$WATCH_PID" 2>/dev/null || true
    wait "$WATCH_PID" 2>/dev/null || true
    jit_snapshot "$WATCHED_PID" end >>"$1.jit"
}

# jit_snapshot PID N: "N tid:starttime ticks" for each JIT compiler thread alive now (user + system).
jit_snapshot() {
    # cat, not a glob given to awk: a thread may exit between the glob and the read.
    for t in /proc/"$1"/task/*/stat; do cat "$t" 2>/dev/null || true; done | awk -v n="$2" '{
        tid = $1
        if ($0 !~ /\((C1|C2) CompilerThre/) next
        sub(/^.*\) /, "")
        print n, tid ":" $20, $12 + $13
    }'
}

# watched_jit_seconds PREFIX: the compilers' CPU in the watched window, in seconds.
watched_jit_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '
        !($2 in base) { base[$2] = ($1 == "0") ? $3 : 0 }
        { last[$2] = $3 }
        END { for (k in last) sum += last[k] - base[k]; printf "%.2f\n", sum / hz }' "$1.jit"
}

# watched_rss PREFIX: "median max" of VmRSS over the watched window, in MiB, and the median RssAnon.
watched_rss() {
    local median max anon
    median=$(awk '{ print $2 }' "$1.rss" | sort -g | awk '{ a[NR] = $1 } END { if (NR) printf "%.1f", (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2 / 1024; else print "n/a" }')
    max=$(awk '$2 > m { m = $2 } END { printf "%.1f", m / 1024 }' "$1.rss")
    anon=$(awk '{ print $3 }' "$1.rss" | sort -g | awk '{ a[NR] = $1 } END { if (NR) printf "%.1f", (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2 / 1024; else print "n/a" }')
    echo "$median $max $anon"
}

# stat_ticks FILE: user + system clock ticks in a /proc/.../stat file (0 when the thread is gone).
stat_ticks() {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1" 2>/dev/null || echo 0
}

# seconds TICKS: clock ticks in seconds, two decimals.
seconds() {
    awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", t / hz }'
}

# row FIELDS...: one line of a TSV file.
row() { (IFS=$'\t'; echo "$*"); }

# telemetry_flags NAME HTTP_PORT: the flags of a telemetry set: off, on (every signal),
# on-every-trace (every signal, and no limit of traces per second), or one signal alone over
# OTLP/HTTP (traces, metrics, logs, profiling), or on-no-<signal>.
telemetry_flags() {
    local name=$1 port=$2 s flags
    case $name in
        off) all_signals_off "$port"; return ;;
        on) all_signals_on "$port"; return ;;
        on-every-trace) echo "$(all_signals_on "$port") --trace-rate-limit 0"; return ;;
    esac
    flags="--exporter http --endpoint http://127.0.0.1:$RECEIVER_PORT --profiling-endpoint http://127.0.0.1:$RECEIVER_PORT"
    flags="$flags --http-address 127.0.0.1 --http-port $port"
    for s in traces metrics logs profiling; do
        if [ "$name" = "$s" ] || { [[ $name == on-no-* ]] && [ "$name" != "on-no-$s" ]; }; then
            flags="$flags --enable-$s"
        else
            flags="$flags --no-enable-$s"
        fi
    done
    echo "$flags"
}

# async-profiler around a measured window (PROFILE=itimer, cpu, wall, alloc or lock in the scripts
# that take it): profiler_init once after bench_init, then profiler_start PID and profiler_stop PID
# FILE, which writes collapsed stacks with the thread names (alloc: bytes, not samples). The library
# is the one the dist ships in Pyroscope's agent jar, or ASYNC_PROFILER. It is loaded into the
# service with `jcmd PID JVMTI.agent_load` once the warm-up is over. A process whose own profiling
# runs (Pyroscope's agent) holds async-profiler already: it has one instance per process, which a
# second start would find busy, so such a case is left unprofiled (profiler_start says so).
profiler_init() {
    PROFILE=${PROFILE:-}
    [ -n "$PROFILE" ] || return 0
    PROFILER=${ASYNC_PROFILER:-}
    if [ -z "$PROFILER" ]; then
        PROFILER=$WORK/profiler/libasyncProfiler-linux-x64.so
        mkdir -p "$WORK/profiler"
        unzip -q -o -d "$WORK/profiler" "$(ls "$DIST"/lib/agent-*.jar | head -1)" libasyncProfiler-linux-x64.so
    fi
    JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
}
profiler_start() {
    [ -n "${PROFILE:-}" ] || return 0
    PROFILING_NOW=
    if grep -q libasyncProfiler "/proc/$1/maps" 2>/dev/null; then
        echo "bench: $1 runs async-profiler already (its own profiling); not profiled" >&2
        return 0
    fi
    local what="event=$PROFILE,interval=1ms"
    [ "$PROFILE" = alloc ] && what="event=alloc,interval=512k"
    [ "$PROFILE" = lock ] && what="lock=10us"
    # Quoted inside the command: jcmd's parser would take the '=' in the options for its own.
    "$JCMD" "$1" JVMTI.agent_load "$PROFILER" "\"start,$what,threads\"" >/dev/null
    PROFILING_NOW=1
}
profiler_stop() {
    [ -n "${PROFILING_NOW:-}" ] || return 0
    local total=
    [ "$PROFILE" = alloc ] || [ "$PROFILE" = lock ] && total=,total
    "$JCMD" "$1" JVMTI.agent_load "$PROFILER" "\"stop,file=$2,collapsed$total\"" >/dev/null
    PROFILING_NOW=
}
