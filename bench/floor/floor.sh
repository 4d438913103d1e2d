#!/usr/bin/env bash
# bench/floor/floor.sh — how close to direct MinIO can ANY proxy get on this machine?
#
# Small-object ratios (4 KiB GET / PUT against direct MinIO) are CPU-bound here: the load generator,
# the proxy and MinIO share the machine's cores, so a proxy's ratio is at best
#   (client + MinIO) / (client + proxy + MinIO)   in CPU per operation.
# This script measures that bound instead of assuming it. It runs, interleaved in the same sitting,
# warp against three targets on the same MinIO:
#   direct       MinIO itself
#   passthrough  bench/floor/Passthrough.java: an HTTP/1.1 forwarder on the same Vert.x/Netty as
#                sse-proxy that does nothing else (no auth, no crypto, no audit, no metrics): the
#                floor of a JVM proxy
#   sse-proxy    the built jar (target/quarkus-app), default configuration (SSE-S3, audit on)
# and prints, per workload and target, operations per second, the ratio to direct, p50 / p99
# latency, and the CPU per operation of warp, the proxy process and MinIO (from /proc).
#
# MinIO's CPU per operation depends on the request rate, not only on the request: measured here
# (bench/floor/metadata.sh) the same 4 KiB GET of the same plain object cost MinIO 0.69 ms at 860/s
# and 1.39 ms at 400/s (fewer requests per wake-up of its scheduler, and its own background work,
# the scanner of every bucket, spread over fewer operations). A slower target therefore seems to
# cost MinIO more per operation. So each round also runs `direct@rate`: direct MinIO limited
# (warp --rps-limit) to the rate sse-proxy reached in that round's cell; compare sse-proxy's MinIO
# column with that row, not with `direct`. `idle` is MinIO's CPU while this script sends nothing
# (other users of a shared MinIO, its scanner), in ms per second.
#
# Usage: bench/floor/floor.sh [--warm SECONDS] [--rounds N] [--seconds S]
#   defaults: 120 s of warm-up per proxy (4 KiB PUT and GET at concurrency 16), 3 rounds of 10 s
#   cells. Needs: the jar (mvn package), warp and MinIO (bench/run.sh and minio-dev/minio.sh
#   install them), PostgreSQL (scripts/postgres.sh). Ports: BENCH_FLOOR_PORT (default 21300, the
#   passthrough), the proxy on BENCH_FLOOR_PORT+1 (management +2, TLS +3). MinIO's CPU includes
#   whatever else uses the shared MinIO at the time: run it on a quiet machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WARM=120 ROUNDS=3 SECS=10
while (($#)); do
    case "$1" in
        --warm) WARM="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --seconds) SECS="$2"; shift 2 ;;
        *) echo "usage: $0 [--warm SECONDS] [--rounds N] [--seconds S]" >&2; exit 2 ;;
    esac
done
PORT="${BENCH_FLOOR_PORT:-21300}"
SP_PORT=$((PORT + 1)) SP_MGMT=$((PORT + 2)) SP_TLS=$((PORT + 3))
WARP="${SSE_PROXY_TOOLS:-$HOME/.cache/sse-proxy}/bin/warp"
APP="$ROOT/target/quarkus-app"
WORK="${BENCH_FLOOR_WORK:-/tmp/sse-proxy-floor}"
MINIO_AK="${MINIO_ROOT_USER:-sseproxy-minio}" MINIO_SK="${MINIO_ROOT_PASSWORD:-sseproxy-minio-secret}"
PROXY_AK="floor-root" PROXY_SK="floor-root-secret-0123456789"
DB=sseproxy_floor
# buckets of this run only: the database is new each run, and the proxy never hands out a bucket MinIO
# already holds that its catalog does not know (BucketAlreadyExists)
RUN_ID="$(date -u +%Y%m%d%H%M%S)"
log() { printf '[floor %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
[[ -x "$WARP" ]] || { log "no warp at $WARP: run bench/run.sh once (it installs warp)"; exit 1; }
[[ -f "$APP/quarkus-run.jar" ]] || { log "no jar: run mvn -DskipTests package"; exit 1; }
rm -rf "$WORK"
mkdir -p "$WORK/data"

bash "$ROOT/scripts/postgres.sh" ensure >&2
bash "$ROOT/minio-dev/minio.sh" start >&2
psql -q "postgresql://sseproxy:sseproxy@127.0.0.1:5432/postgres" -c "drop database if exists $DB" >&2
bash "$ROOT/scripts/postgres.sh" createdb "$DB" >&2
MINIO_PID="$(pgrep -f "minio server .*--address 127.0.0.1:9000" | head -n 1)"

PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

java -Xmx256m -XX:+UseG1GC -cp "$APP/lib/boot/*:$APP/lib/main/*" "$ROOT/bench/floor/Passthrough.java" \
    "$PORT" 127.0.0.1 9000 >"$WORK/passthrough.log" 2>&1 &
PT_PID=$!
PIDS+=("$PT_PID")
env DB_URL="postgresql://127.0.0.1:5432/$DB" DB_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    DB_USER=sseproxy DB_PASSWORD=sseproxy SSE_PROXY_ROOT_ACCESS_KEY="$PROXY_AK" SSE_PROXY_ROOT_SECRET_KEY="$PROXY_SK" \
    SSE_PROXY_BACKEND_ENDPOINT=http://127.0.0.1:9000 SSE_PROXY_BACKEND_ACCESS_KEY="$MINIO_AK" \
    SSE_PROXY_BACKEND_SECRET_KEY="$MINIO_SK" SSE_PROXY_DATA_DIR="$WORK/data" \
    java -Xmx512m -XX:+UseG1GC -Dquarkus.http.port="$SP_PORT" -Dquarkus.http.ssl-port="$SP_TLS" \
    -Dquarkus.management.port="$SP_MGMT" -jar "$APP/quarkus-run.jar" </dev/null >"$WORK/proxy.log" 2>&1 &
SP_PID=$!
PIDS+=("$SP_PID")
for _ in $(seq 120); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SP_MGMT/q/health/ready")" == 200 ]] && break
    kill -0 "$SP_PID" 2>/dev/null || { log "sse-proxy exited; see $WORK/proxy.log"; exit 1; }
    sleep 1
done
grep -q 'passthrough listening' "$WORK/passthrough.log" || { sleep 5; grep -q 'passthrough listening' "$WORK/passthrough.log"; } ||
    { log "the passthrough did not start; see $WORK/passthrough.log"; exit 1; }

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# cell TARGET OP CONC SECONDS [RPS]: one warp run (RPS: at most that many requests per second);
# appends a line to $WORK/cells
cell() {
    local target="$1" op="$2" conc="$3" secs="$4" rps="${5:-}" host ak sk pid=""
    case "$target" in
        direct | direct@rate) host="127.0.0.1:9000" ak="$MINIO_AK" sk="$MINIO_SK" ;;
        passthrough) host="127.0.0.1:$PORT" ak="$MINIO_AK" sk="$MINIO_SK" pid="$PT_PID" ;;
        sse-proxy) host="127.0.0.1:$SP_PORT" ak="$PROXY_AK" sk="$PROXY_SK" pid="$SP_PID" ;;
    esac
    local bucket="floor-${target%@rate}-$RUN_ID" extra=() data="$WORK/$target-$op-$conc-$RANDOM"
    [[ "$op" == get ]] && extra+=(--objects 256 --list-existing)
    [[ -n "$rps" ]] && extra+=(--rps-limit "$rps")
    local m0 p0=0 m1 p1=0
    m0="$(ticks "$MINIO_PID")"
    [[ -n "$pid" ]] && p0="$(ticks "$pid")"
    /usr/bin/time -f '%U %S' -o "$data.time" "$WARP" "$op" --host "$host" --access-key "$ak" --secret-key "$sk" \
        --obj.size 4KiB --concurrent "$conc" --disable-multipart --noclear --bucket "$bucket" --duration "${secs}s" \
        "${extra[@]}" --benchdata "$data" >"$data.log" 2>&1 || true
    m1="$(ticks "$MINIO_PID")"
    [[ -n "$pid" ]] && p1="$(ticks "$pid")"
    local uop="${op^^}" stats
    # ops, mean throughput (ops over the span of starts), p50 and p99 latency (ms)
    stats="$(zstdcat "$data.csv.zst" 2>/dev/null | awk -F'\t' -v op="$uop" 'NR > 1 && $3 == op && $9 == "" { print $13 / 1e6 }' |
        sort -g | awk '{ d[NR] = $1 } END { if (NR == 0) print "0 - -"; else print NR, d[int(NR * 0.5) + 1], d[int(NR * 0.99) + 1] }')"
    if [[ "${stats%% *}" == 0 ]]; then
        log "warp made no operation against $target ($op): $(tail -n 2 "$data.log" | tr -d '\r')"
    fi
    local u=0 s=0
    if [[ -s "$data.time" ]]; then
        read -r u s < <(tail -n 1 "$data.time") || true
    fi
    echo "$target $op $conc $secs $stats $u $s $((m1 - m0)) $((p1 - p0))" >>"$WORK/cells"
    rm -f "$data.csv.zst" "$data.time" "$data.log"
}
# the rate (ops/s, at least 1) of the last cell of TARGET OP CONC
last_rate() {
    awk -v t="$1" -v o="$2" -v c="$3" '$1 == t && $2 == o && $3 == c { r = int($5 / $4) } END { print (r > 0 ? r : 1) }' "$WORK/cells"
}
# idle SECONDS: MinIO's CPU while this script sends nothing; appends "idle SECONDS TICKS" to $WORK/idle
idle() {
    local m0
    m0="$(ticks "$MINIO_PID")"
    sleep "$1"
    echo "idle $1 $(($(ticks "$MINIO_PID") - m0))" >>"$WORK/idle"
}

# warp get --list-existing reads what a put left: seed each target's bucket
for t in direct passthrough sse-proxy; do cell "$t" put 16 3; done
log "warm-up: ${WARM}s per proxy (4 KiB PUT and GET at concurrency 16)"
end=$((SECONDS + WARM))
while ((SECONDS < end)); do
    for t in passthrough sse-proxy; do cell "$t" put 16 15; cell "$t" get 16 15; done
done
: >"$WORK/cells"
: >"$WORK/idle"
for ((r = 1; r <= ROUNDS; r++)); do
    log "round $r of $ROUNDS"
    idle 5
    for wl in "get 16" "put 16" "get 1"; do
        for t in direct passthrough sse-proxy; do
            # shellcheck disable=SC2086  # wl is "op concurrency"
            cell "$t" $wl "$SECS"
        done
        # shellcheck disable=SC2086
        [[ "$wl" == get* ]] && cell direct@rate $wl "$SECS" "$(last_rate sse-proxy $wl)"
    done
done

python3 - "$WORK/cells" "$WORK/idle" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
idle = [int(l.split()[2]) * 10 / float(l.split()[1]) for l in open(sys.argv[2])]
cells = {}
for t, op, conc, secs, n, p50, p99, u, s, m, p in rows:
    n = int(n)
    if n == 0:
        continue
    c = cells.setdefault((op, conc, t), [])
    c.append(dict(ops=n / float(secs), p50=float(p50), p99=float(p99),
                  warp=(float(u) + float(s)) * 1000 / n, minio=int(m) * 10 / n, proxy=int(p) * 10 / n))
def med(k, key):
    v = [x[key] for x in cells.get(k, [])]
    return statistics.median(v) if v else None
print("| workload | target | ops/s | ratio to direct | p50 ms | p99 ms | CPU ms/op: warp + proxy + MinIO = total | CPU-bound ratio |")
print("|---|---|---|---|---|---|---|---|")
for op, conc in (("get", "16"), ("put", "16"), ("get", "1")):
    d = (op, conc, "direct")
    if d not in cells:
        continue
    dtot = med(d, "warp") + med(d, "minio")
    for t in ("direct", "passthrough", "sse-proxy", "direct@rate"):
        k = (op, conc, t)
        if k not in cells:
            continue
        w, px, mn = med(k, "warp"), med(k, "proxy"), med(k, "minio")
        ratio = med(k, "ops") / med(d, "ops")
        print(f"| {op}-4k c{conc} | {t} | {med(k, 'ops'):.0f} | {ratio:.2f} | {med(k, 'p50'):.2f} | {med(k, 'p99'):.2f} "
              f"| {w:.2f} + {px:.2f} + {mn:.2f} = {w + px + mn:.2f} | {dtot / (w + px + mn):.2f} |")
if idle:
    print(f"\nMinIO idle (this script sending nothing): median {statistics.median(idle):.0f} ms of CPU per second "
          f"[{min(idle):.0f}-{max(idle):.0f}] over {len(idle)} windows of 5 s")
PY
