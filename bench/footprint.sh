#!/usr/bin/env bash
# bench/footprint.sh — startup time and resident memory of the packaged proxy, per mode, in one run.
#
# For each mode (default profile as a standalone endpoint; the sidecar profile with its JVM options)
# it starts the jar RUNS times against the shared PostgreSQL and MinIO and measures:
#   startup   process start to the first 200 from /q/health/ready (readiness: database, backend,
#             KMS, audit trail all UP), in ms, and the CPU time (user + system) the process used
#             until then, which depends much less on other load; medians of the runs
#   idle RSS  VmRSS of /proc/<pid>/status 10 s after ready, in MiB (median)
#   load RSS  VmHWM (the peak resident set) after a bounded load on the last run: warp `mixed`
#             (PUT/GET/STAT/DELETE) for LOAD_SECONDS with 4 KiB objects, then LOAD_SECONDS with
#             1 MiB objects, CONCURRENCY clients
# and prints a Markdown table (also written to bench/results/footprint-<UTC date>.md).
#
# Usage: bench/footprint.sh [--jar-dir target/quarkus-app] [--runs 3] [--load-seconds 10]
#        [--concurrency 8] [--no-load]
# Environment: FOOTPRINT_PORT (S3 port, default 58580; +1 management, +2 TLS), the database
# sseproxy_footprint (made fresh at each run: its data dir, and so its master key, is fresh too), MinIO as bench/run.sh finds it.
# Modes: default (prod profile, -Xmx512m G1, as bench/run.sh measures), sidecar (QUARKUS_PROFILE=sidecar,
# the JVM options recommended for a sidecar: JAVA_OPTS_APPEND in the README), and sidecar-appcds when $JAR_DIR/app-cds.jsa exists;
# FOOTPRINT_MODES="name|profile|jvm options;..." replaces them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT_DIR="$PWD"

JAR_DIR="target/quarkus-app"
RUNS=3
LOAD_SECONDS=10
CONCURRENCY=8
LOAD=1
while (($#)); do
    case "$1" in
        --jar-dir) JAR_DIR="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --load-seconds) LOAD_SECONDS="$2"; shift 2 ;;
        --concurrency) CONCURRENCY="$2"; shift 2 ;;
        --no-load) LOAD=0; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

# name|QUARKUS_PROFILE|JVM options
DEFAULT_MODES="default|prod|-Xmx512m -XX:+UseG1GC"
SIDECAR_OPTS="-XX:+UseSerialGC -Xms16m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=48m"
DEFAULT_MODES+=";sidecar|sidecar|$SIDECAR_OPTS"
# with an AppCDS archive when the jar was built with -Dquarkus.package.jar.appcds.enabled=true
if [[ -f "$JAR_DIR/app-cds.jsa" ]]; then
    DEFAULT_MODES+=";sidecar-appcds|sidecar|$SIDECAR_OPTS -Xshare:on -XX:SharedArchiveFile=app-cds.jsa"
fi
IFS=';' read -r -a MODES <<<"${FOOTPRINT_MODES:-$DEFAULT_MODES}"

PORT="${FOOTPRINT_PORT:-58580}"
MGMT=$((PORT + 1))
TLS=$((PORT + 2))
DB=sseproxy_footprint
AK=footprint-root
SK=footprint-root-secret-0123456789
WORK="$(mktemp -d /tmp/sse-proxy-footprint.XXXXXX)"
# every start of this run shares the database, so they share one master key too (as a cluster's nodes do)
MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
WARP="${WARP_BIN:-$HOME/.cache/sse-proxy/bin/warp}"
PID=""

log() { printf '%s footprint: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
cleanup() {
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT

JAR_DIR="$(cd "$JAR_DIR" && pwd)"
[[ -f "$JAR_DIR/quarkus-run.jar" ]] || { echo "no $JAR_DIR/quarkus-run.jar: run mvn package first" >&2; exit 1; }
bash scripts/postgres.sh ensure >/dev/null
bash scripts/postgres.sh recreatedb "$DB" >/dev/null
bash minio-dev/minio.sh start >/dev/null
MINIO_AK="${MINIO_ROOT_USER:-sseproxy-minio}"
MINIO_SK="${MINIO_ROOT_PASSWORD:-sseproxy-minio-secret}"

now_ms() { date +%s%3N; }
kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# start MODE_INDEX RUN: sets PID and STARTUP_MS
start() {
    local name="$1" profile="$2" opts="$3" run="$4"
    local data="$WORK/data-$name"
    mkdir -p "$data"
    local t0
    t0="$(now_ms)"
    # run from the jar's directory, as the AppCDS archive (made there at build time) requires
    # shellcheck disable=SC2086  # the JVM options are a list
    (cd "$JAR_DIR" && exec env QUARKUS_PROFILE="$profile" \
        DB_URL="postgresql://127.0.0.1:5432/$DB" DB_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
        DB_USER=sseproxy DB_PASSWORD=sseproxy \
        SSE_PROXY_ROOT_ACCESS_KEY="$AK" SSE_PROXY_ROOT_SECRET_KEY="$SK" \
        SSE_PROXY_BACKEND_ACCESS_KEY="$MINIO_AK" SSE_PROXY_BACKEND_SECRET_KEY="$MINIO_SK" \
        SSE_PROXY_DATA_DIR="$data" SSE_PROXY_MASTER_KEY="$MASTER_KEY" \
        java $opts -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MGMT" \
        -Dquarkus.http.ssl-port="$TLS" -jar quarkus-run.jar \
        </dev/null >"$WORK/$name-$run.log" 2>&1) &
    PID=$!
    while true; do
        if [[ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$MGMT/q/health/ready" || true)" == 200 ]]; then
            break
        fi
        if ! kill -0 "$PID" 2>/dev/null; then
            # on a loaded machine Flyway's first connection can miss its 5 s acquisition timeout
            log "$name run $run: the proxy exited during startup ($(grep -m 1 -o 'Caused by: [^:]*: [^ ].\{0,80\}' "$WORK/$name-$run.log" || echo 'see its log'))"
            wait "$PID" 2>/dev/null || true
            PID=""
            return 1
        fi
        (($(now_ms) - t0 < 180000)) || { echo "not ready in 180 s" >&2; exit 1; }
        sleep 0.05
    done
    STARTUP_MS=$(($(now_ms) - t0))
    # CPU time the process used to get there (user + system, clock ticks): unlike the wall time it
    # hardly depends on what else the machine runs
    STARTUP_CPU_MS="$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz }' "/proc/$PID/stat")"
}

stop() {
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

load() {
    local name="$1" size
    local bucket="footprint-$name-$(date +%s)" # fresh: a bucket left in MinIO by an earlier run is not this database's (CreateBucket answers 409)
    for size in 4KiB 1MiB; do
        timeout $((LOAD_SECONDS + 120)) "$WARP" mixed --no-color -q --host "127.0.0.1:$PORT" \
            --access-key "$AK" --secret-key "$SK" --region us-east-1 --bucket "$bucket" \
            --obj.size "$size" --objects 100 --concurrent "$CONCURRENCY" --duration "${LOAD_SECONDS}s" \
            --disable-multipart --benchdata "$WORK/warp-$name-$size" >"$WORK/warp-$name-$size.log" 2>&1 ||
            { tail -n 5 "$WORK/warp-$name-$size.log" >&2; echo "warp failed ($name $size)" >&2; exit 1; }
    done
    # warp's summary: "Cluster Total: 33.75 MiB/s, 55.49 obj/s over 9s."
    THROUGHPUT="$(for size in 4KiB 1MiB; do
        tr -d '\r' <"$WORK/warp-$name-$size.log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' |
            awk -v s="$size" '/Cluster Total:/ { if (s == "4KiB") printf "%s obj/s", $5; else printf " / %s MiB/s", $3 }'
    done)"
}

declare -a ROWS=()
for mode in "${MODES[@]}"; do
    IFS='|' read -r name profile opts <<<"$mode"
    starts=() idles=() cpus=()
    for ((r = 1; r <= RUNS; r++)); do
        tries=0
        until start "$name" "$profile" "$opts" "$r"; do
            ((++tries < 3)) || { echo "$name: no start in 3 tries" >&2; exit 1; }
        done
        starts+=("$STARTUP_MS")
        cpus+=("$STARTUP_CPU_MS")
        sleep 10
        idles+=("$(kib "$PID" VmRSS)")
        log "$name run $r: ready in $STARTUP_MS ms ($STARTUP_CPU_MS ms CPU), idle VmRSS $((${idles[-1]} / 1024)) MiB"
        if ((r < RUNS || LOAD == 0)); then
            stop
        fi
    done
    peak="-"
    THROUGHPUT="-"
    if ((LOAD)); then
        load "$name"
        peak="$(($(kib "$PID" VmHWM) / 1024))"
        log "$name: VmHWM after load $peak MiB"
        stop
    fi
    s="$(printf '%s\n' "${starts[@]}" | median)"
    cpu="$(printf '%s\n' "${cpus[@]}" | median)"
    i="$(($(printf '%s\n' "${idles[@]}" | median) / 1024))"
    ROWS+=("| $name | \`$profile\` | \`$opts\` | $s ($(IFS=,; echo "${starts[*]}")) | $cpu | $i | $peak | $THROUGHPUT |")
done

out="bench/results/footprint-$(date -u +%Y-%m-%dT%H%M).md"
{
    echo "| mode | QUARKUS_PROFILE | JVM options | startup to ready, ms: median (runs) | CPU to ready, ms (median) | idle RSS, MiB | peak RSS under load, MiB | load throughput: 4 KiB / 1 MiB (warp mixed, all operations) |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "$(nproc) cores, load average at the end $(cut -d ' ' -f 1-3 /proc/loadavg), $(java -version 2>&1 | head -n 1); load: warp mixed ${LOAD_SECONDS} s at 4 KiB then ${LOAD_SECONDS} s at 1 MiB, $CONCURRENCY clients; $(date -u +%FT%TZ)"
} | tee "$out"
