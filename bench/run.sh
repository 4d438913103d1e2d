#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# bench/run.sh — sse-proxy against MinIO (direct, over TLS, and encrypting by itself), measured in
# one interleaved run.
#
# Installs the programs it calls when they are missing (gnuplot, jq, zstd, openssl, curl, the AWS
# CLI: apt-get as root or with password-less sudo, else it prints the command to run), builds
# (once) the pinned warp, starts or reuses PostgreSQL and MinIO, builds the proxy when its jar is
# stale and starts its own instance (own ports, database and data dir), starts its MinIO baselines
# (lib/baselines.sh: a MinIO encrypting by itself with SSE-S3, and a MinIO over TLS when a TLS mode
# such as SSE-C is selected), probes every mode of bench/modes.tsv, then runs every workload of
# bench/workloads.tsv against the MinIO baselines (A) and the proxy in each available mode (B),
# interleaved round by round (round 1: A B…, round 2: …B A, round 3: A B…), and takes medians per
# cell. A mode's ratio is taken against its baseline (modes.tsv: plain-HTTP MinIO, or MinIO over
# TLS for SSE-C); every mode is also compared with MinIO SSE-S3 ("sse-proxy in front of MinIO, or
# MinIO encrypting by itself?"). Before the rounds, the proxies' 4 KiB cells spin for 2 minutes, then
# warm-up passes (each a round 0 of the proxy's own cells) repeat until the JIT compilers use under
# 10% of the proxy's CPU in a pass (bounded).
# Modes with endpoint http-noaudit run against a second proxy with the audit trail off (own ports,
# database and data dir; started only when such a mode is selected), so that T8 compares the
# proxy with its audit trail on and off in the same rounds.
# A third, short proxy at -Xmx64m gives T6. Writes bench/results/<UTC date>-<commit>.md (+ .png
# chart) and prints the report.
#
# Usage: bench/run.sh [--quick] [options]
#   --quick             CI smoke size: 2 rounds, fewer and shorter cells, the default mode,
#                       its audit-off twin and the 20-statement policy bucket (plain,
#                       plain-noaudit, plain-policy) unless --modes says otherwise, against
#                       MinIO and MinIO SSE-S3, one warm-up pass (about 4 minutes)
#   --rounds N          rounds (default 3; --quick 2)
#   --heap SIZE         -Xmx of the measured proxy (default 512m; env BENCH_HEAP)
#   --t6-heap SIZE      -Xmx of the T6 proxy (default 64m)
#   --modes a,b         only these modes (default: every line of modes.tsv)
#   --workloads a,b     only these workloads (default: every line of workloads.tsv)
#   --no-build          never run Maven; use the jar as it is
#   --jar DIR           run the proxy from this quarkus-app directory (implies --no-build), e.g.
#                       a saved copy of target/quarkus-app of an older commit, to compare builds
#   --wait-quiet SECS   first wait (polling every 30 s, at most SECS) until no other Maven build runs
#   --update-readme     copy the table and chart link into README's Performance section
#   --out DIR           where the report goes (default bench/results)
#
# Environment: BENCH_WORK (work dir, default /tmp/sse-proxy-bench), BENCH_PROXY_PORT (21080),
# BENCH_PROXY_MGMT_PORT (22090), BENCH_PROXY_TLS_PORT (21443) (below Linux's ephemeral range
# 32768-60999, where a client connection's local port can take a listener's port), BENCH_DB
# (sseproxy_bench, dropped and made empty at start); the audit-off proxy uses each port + 1 and the
# database <BENCH_DB>_noaudit; BENCH_MINIO_PORT (9230; the proxy's backend and the plain baseline),
# BENCH_MINIO_SSE_PORT (9220) and BENCH_MINIO_TLS_PORT (9210): the MinIO servers this run starts,
# each with an empty data dir under the work dir (each console on the port + 1); BENCH_INSTALL=0 (never apt-get: print the command and stop);
# BENCH_WARM_MAX (seconds of warm-up passes at most, default 200, --quick 0 = one pass);
# BENCH_WARM_SPIN (seconds of the 4 KiB cells repeated before those passes, default 120, --quick 0);
# BENCH_JAVA_OPTS (extra JVM options for the measured proxy, e.g. JFR), BENCH_PROXY_TLS_ARGS
# (JVM options that give the proxy its TLS port), BENCH_KMS_METRIC (the proxy's KMS request
# counter, default sse_proxy_kms_requests_total), SSE_PROXY_TOOLS, MINIO_ROOT_USER /
# MINIO_ROOT_PASSWORD.
#
# Exit status: 0 when every planned run gave numbers; 1 when the harness broke (a tool failed,
# data could not be read, a run had no successful operation, a MinIO baseline did not start, failed
# its probe or did not encrypt at rest). Timings are reported, never
# asserted.
set -euo pipefail

# Other sessions on a shared machine stop their ./run.sh with `pkill -INT -f run.sh`, which hits
# this script as well (seen here: a SIGINT from outside mid-run). The harness therefore runs
# with a command line that does not contain "run.sh": bash reads this file from a descriptor.
if [[ -z "${SSE_PROXY_BENCH_DIR:-}" ]]; then
    SSE_PROXY_BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    export SSE_PROXY_BENCH_DIR
    exec -a sse-proxy-bench bash /dev/fd/9 "$@" 9<"$SSE_PROXY_BENCH_DIR/run.sh"
fi
exec 9<&-
BENCH_DIR="$SSE_PROXY_BENCH_DIR"
ROOT_DIR="$(dirname "$BENCH_DIR")"
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/warp.sh
source "$BENCH_DIR/lib/warp.sh"
# shellcheck source=lib/proxy.sh
source "$BENCH_DIR/lib/proxy.sh"
# shellcheck source=lib/measure.sh
source "$BENCH_DIR/lib/measure.sh"
# shellcheck source=lib/machine.sh
source "$BENCH_DIR/lib/machine.sh"
# shellcheck source=lib/reencrypt.sh
source "$BENCH_DIR/lib/reencrypt.sh"
# shellcheck source=lib/report.sh
source "$BENCH_DIR/lib/report.sh"
# shellcheck source=lib/cpu.sh
source "$BENCH_DIR/lib/cpu.sh"
# shellcheck source=lib/deps.sh
source "$BENCH_DIR/lib/deps.sh"
# shellcheck source=lib/baselines.sh
source "$BENCH_DIR/lib/baselines.sh"

QUICK=0
ROUNDS=""
HEAP="${BENCH_HEAP:-512m}"
T6_HEAP="64m"
ONLY_MODES=""
ONLY_WORKLOADS=""
BUILD=1
WAIT_QUIET=0
UPDATE_README=0
APP_DIR="$ROOT_DIR/target/quarkus-app"
OUT_DIR="$BENCH_DIR/results"
COMMAND_LINE="bench/run.sh${*:+ $*}"

usage() { sed -n '3,/^set -euo/p' "$BENCH_DIR/run.sh" | sed '$d; s/^# \{0,1\}//'; }

while (($#)); do
    case "$1" in
        --quick) QUICK=1 ;;
        --rounds) ROUNDS="$2"; shift ;;
        --heap) HEAP="$2"; shift ;;
        --t6-heap) T6_HEAP="$2"; shift ;;
        --modes) ONLY_MODES="$2"; shift ;;
        --workloads) ONLY_WORKLOADS="$2"; shift ;;
        --no-build) BUILD=0 ;;
        --jar) APP_DIR="$(cd "$2" && pwd)"; BUILD=0; shift ;;
        --wait-quiet) WAIT_QUIET="$2"; shift ;;
        --update-readme) UPDATE_README=1 ;;
        --out) OUT_DIR="$2"; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
done
[[ -n "$ROUNDS" ]] || ROUNDS=$((QUICK ? 2 : 3))
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds wants a positive number"

WORK_DIR="${BENCH_WORK:-/tmp/sse-proxy-bench}"
PROXY_PORT="${BENCH_PROXY_PORT:-21080}"
PROXY_MGMT_PORT="${BENCH_PROXY_MGMT_PORT:-22090}"
PROXY_TLS_PORT="${BENCH_PROXY_TLS_PORT:-21443}"
PROXY_DB="${BENCH_DB:-sseproxy_bench}"
# the audit-off proxy (T8): the next port of each, a database of its own
NOAUDIT_PORT=$((PROXY_PORT + 1))
NOAUDIT_MGMT_PORT=$((PROXY_MGMT_PORT + 1))
NOAUDIT_TLS_PORT=$((PROXY_TLS_PORT + 1))
NOAUDIT_DB="${PROXY_DB}_noaudit"
NOAUDIT_NOTE="not started (no selected mode needs it)"
PROXY_AK="bench-root"
PROXY_SK="bench-root-secret-0123456789"
MINIO_PORT="${BENCH_MINIO_PORT:-9230}"
MINIO_AK="${MINIO_ROOT_USER:-sseproxy-minio}"
MINIO_SK="${MINIO_ROOT_PASSWORD:-sseproxy-minio-secret}"
KMS_METRIC="${BENCH_KMS_METRIC:-sse_proxy_kms_requests_total}"
# T6: object sizes compared, and how long the SMALL transfers repeat (the GC runs halfway).
T6_SMALL="16MiB"
T6_BIG="1GiB"
if ((QUICK)); then T6_BIG="256MiB"; fi
SUFFIX=""
# --quick measures the default mode, the audit-off proxy on the same cells (the smoke run must also
# catch a broken second proxy; it costs --quick about 30 s) and the bucket with a 20-statement policy
# (T9, one more 2 s cell)
if ((QUICK)); then SUFFIX="-quick"; ONLY_MODES="${ONLY_MODES:-plain,plain-noaudit,plain-policy}"; fi
T6_SECONDS=4
if ((QUICK)); then T6_SECONDS=3; fi
# re-encryption throughput (issue 13): objects seeded at MinIO, then a Batch Operations job
if ((QUICK)); then REENC_OBJECTS="${BENCH_REENC_OBJECTS:-300}"; fi

STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
RUN_DIR="$WORK_DIR/runs/$(date -u +%Y%m%dT%H%M%SZ)$SUFFIX"
mkdir -p "$RUN_DIR/raw"
printf '%s\n' "$RUNS_HEADER" >"$RUN_DIR/runs.tsv"

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$PROXY_PID" ]]; then
        proxy_stop
    fi
    if [[ -n "$NOAUDIT_PID" ]]; then
        noaudit_stop
    fi
    baselines_stop
    baseline_stop minio
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted (SIGINT)"; exit 130' INT
trap 'log "terminated (SIGTERM)"; exit 143' TERM

bench_deps
for c in awk timeout sha256sum join base64 xargs; do
    command -v "$c" >/dev/null 2>&1 || die "$c is required (Debian: coreutils, findutils, mawk or gawk)"
done

# ---- the workloads of this run -----------------------------------------------------------------
declare -A WL_GROUP WL_TOOL WL_OP WL_SIZE WL_CONC WL_DUR WL_OBJECTS WL_MODES
WORKLOADS=()
while IFS='|' read -r id group tool op size conc full quick objects modes; do
    dur="$full"
    if ((QUICK)); then dur="$quick"; fi
    [[ "$dur" == "-" ]] && continue
    # "(4s)": run only when --workloads names it
    if [[ "$dur" == "("*")" ]]; then
        [[ ",$ONLY_WORKLOADS," == *",$id,"* ]] || continue
        dur="${dur:1:-1}"
    fi
    if [[ -n "$ONLY_WORKLOADS" && ",$ONLY_WORKLOADS," != *",$id,"* ]]; then continue; fi
    WORKLOADS+=("$id")
    WL_GROUP[$id]="$group"
    WL_TOOL[$id]="$tool"
    WL_OP[$id]="$op"
    WL_SIZE[$id]="$size"
    WL_CONC[$id]="$conc"
    WL_DUR[$id]="$dur"
    WL_OBJECTS[$id]="$objects"
    WL_MODES[$id]="$modes"
done < <(table_rows "$BENCH_DIR/workloads.tsv")
((${#WORKLOADS[@]} > 0)) || die "no workload selected"
load_modes

# ---- machine, tools, services ------------------------------------------------------------------
QUIET_NOTE=""
if ((WAIT_QUIET > 0)); then
    wait_quiet "$WAIT_QUIET"
else
    fm="$(foreign_maven)"
    if [[ -z "$fm" ]]; then
        QUIET_NOTE="quiet at start (no other Maven build or test run)"
    else
        QUIET_NOTE="NOT quiet at start: other Maven runs: $(cut -c1-80 <<<"$fm" | paste -sd';' -)"
        log "$QUIET_NOTE"
    fi
fi
FOREIGN_JVMS_START="$(foreign_jvms | cut -c1-100)"
T_START=$SECONDS
others_begin

log "run dir $RUN_DIR"
warp_install
bash "$ROOT_DIR/scripts/postgres.sh" ensure
# Every run starts from empty state: its own MinIO with an empty data dir (lib/baselines.sh) and the
# proxy's database made anew. The shared development MinIO (minio-dev/minio.sh) keeps what every
# test run left: on 2026-12-07 it held 955,000 objects in 2,094 buckets, and its scanner, crawling
# them, used 14% of a core with no request at all; the bench database kept every earlier run's audit
# events. Both grew from run to run, and the proxy's side of a comparison paid more for it.
bash "$ROOT_DIR/scripts/postgres.sh" recreatedb "$PROXY_DB"
rm -rf "$WORK_DIR/proxy-data" "$WORK_DIR/proxy-noaudit-data" # the local KMS's keys of the databases dropped
baselines_init
baseline_start minio || die "the benchmark's MinIO: ${BASE_STATUS[minio]}"
MINIO_PID="${BASE_PID[minio]}"
if ((BUILD)); then proxy_build; fi
[[ -f "$APP_DIR/quarkus-run.jar" ]] || die "no jar: $APP_DIR/quarkus-run.jar (run without --no-build)"
proxy_tls_cert
make_ssec_key
# the extra MinIO baselines (lib/baselines.sh): MinIO encrypting by itself always, MinIO over TLS
# when a selected mode is compared with it
BASELINE_FAILED=0
WANTED_BASELINES=(minio-sse)
for m in "${MODES[@]}"; do
    if [[ "${MODE_BASELINE[$m]}" == minio-tls ]] && [[ -z "$ONLY_MODES" || ",$ONLY_MODES," == *",$m,"* ]]; then
        WANTED_BASELINES=(minio-tls minio-sse)
    fi
done
for b in "${WANTED_BASELINES[@]}"; do
    baseline_start "$b" || {
        log "$b: ${BASE_STATUS[$b]}"
        BASELINE_FAILED=1
    }
done
proxy_start "$HEAP" "$RUN_DIR/proxy.log"
# The audit-off proxy, at the same heap, when a selected mode runs against it.
NOAUDIT_WANTED=0
for m in "${MODES[@]}"; do
    if mode_uses_noaudit "$m" && [[ -z "$ONLY_MODES" || ",$ONLY_MODES," == *",$m,"* ]]; then NOAUDIT_WANTED=1; fi
done
if ((NOAUDIT_WANTED)); then
    noaudit_start "$HEAP" "$RUN_DIR/proxy-noaudit.log" || {
        log "audit-off proxy: $NOAUDIT_NOTE"
        noaudit_stop
    }
fi
MAIN_AUDIT="audit trail on"
grep -q 'audit trail: queue' "$RUN_DIR/proxy.log" || MAIN_AUDIT="audit trail not reported in its log"
T_READY=$SECONDS

# ---- probes ------------------------------------------------------------------------------------
probe_target A || die "direct MinIO failed the probe: $PROBE_RESULT"
log "probe minio: $PROBE_RESULT"
AVAILABLE_BASELINES=(minio)
for b in minio-tls minio-sse; do
    [[ "${BASE_STATUS[$b]}" == available ]] || continue
    if probe_target A "$b"; then
        AVAILABLE_BASELINES+=("$b")
    else
        BASELINE_FAILED=1
        baseline_stop "$b"
    fi
    BASE_STATUS[$b]="$PROBE_RESULT"
    log "probe $b: $PROBE_RESULT"
done
for m in "${MODES[@]}"; do
    if [[ -n "$ONLY_MODES" && ",$ONLY_MODES," != *",$m,"* ]]; then
        MODE_STATUS[$m]="not selected (--modes)"
        continue
    fi
    if [[ " ${AVAILABLE_BASELINES[*]} " != *" ${MODE_BASELINE[$m]} "* ]]; then
        MODE_STATUS[$m]="not available (its baseline ${MODE_BASELINE[$m]}: ${BASE_STATUS[${MODE_BASELINE[$m]}]})"
        log "probe $m: ${MODE_STATUS[$m]}"
        continue
    fi
    if mode_uses_noaudit "$m" && [[ -z "$NOAUDIT_PID" ]]; then
        MODE_STATUS[$m]="not available (audit-off proxy: $NOAUDIT_NOTE)"
        log "probe $m: ${MODE_STATUS[$m]}"
        continue
    fi
    probe_target B "$m" || true
    MODE_STATUS[$m]="$PROBE_RESULT"
    log "probe $m: $PROBE_RESULT"
    [[ "$PROBE_RESULT" == available ]] && AVAILABLE_MODES+=("$m")
done
((${#AVAILABLE_MODES[@]} > 0)) || die "no mode is available through the proxy (see the probes above)"

# ---- plan --------------------------------------------------------------------------------------
# modes_for WORKLOAD: the available modes a workload runs in.
modes_for() {
    local m
    for m in "${AVAILABLE_MODES[@]}"; do
        if runs_in "$1" "$m"; then echo "$m"; fi
    done
}
# runs_in WORKLOAD MODE: whether the workload runs in that (available) mode.
runs_in() {
    [[ " ${AVAILABLE_MODES[*]} " == *" $2 "* ]] &&
        [[ "${WL_MODES[$1]}" == all || ",${WL_MODES[$1]}," == *",$2,"* ]]
}
# baseline_runs WORKLOAD BASELINE: whether an (available) baseline runs the workload: minio and
# minio-sse every workload, minio-tls the workloads of the modes compared with it
baseline_runs() {
    local m
    [[ " ${AVAILABLE_BASELINES[*]} " == *" $2 "* ]] || return 1
    [[ "$2" == minio || "$2" == minio-sse ]] && return 0
    for m in "${AVAILABLE_MODES[@]}"; do
        if [[ "${MODE_BASELINE[$m]}" == "$2" ]] && runs_in "$1" "$m"; then return 0; fi
    done
    return 1
}
GROUPS_ORDER=()
for wl in "${WORKLOADS[@]}"; do
    g="${WL_GROUP[$wl]}"
    [[ " ${GROUPS_ORDER[*]} " == *" $g "* ]] || GROUPS_ORDER+=("$g")
done
plan_seconds=0
for wl in "${WORKLOADS[@]}"; do
    n="$(modes_for "$wl" | wc -l)"
    for b in "${AVAILABLE_BASELINES[@]}"; do
        if baseline_runs "$wl" "$b"; then n=$((n + 1)); fi
    done
    if [[ "${WL_TOOL[$wl]}" == warp ]]; then
        per=$(($(duration_seconds "${WL_DUR[$wl]}") + 5)) # warp waits 3 s before it starts, plus analysis
    else
        per=$((WL_DUR[$wl] * ($(size_bytes "${WL_SIZE[$wl]}") / 150000000 + 1)))
    fi
    plan_seconds=$((plan_seconds + n * ROUNDS * per))
done
log "plan: $ROUNDS rounds × ${#WORKLOADS[@]} workloads, modes: ${AVAILABLE_MODES[*]}; about $((plan_seconds / 60)) min of measurement"

# ---- warm-up (not recorded) --------------------------------------------------------------------
# The proxy is a fresh JVM: on 2 shared cores its JIT compilers keep busy for minutes of load, and a
# measurement taken meanwhile is partly a measurement of the compiler (a full run whose warm-up only
# PUT and read each mode at its sizes, 84 s, left the JIT 21% of the proxy's CPU in the measured
# rounds: the rounds reached code the warm-up had not, e.g. the clearing DELETEs, listings, mixed
# STATs, concurrency 1 and 16, the 1 GiB streams). So the warm-up is a "round 0" of the proxy's
# own cells: every cell the rounds measure through the measured proxy, the same requests, warp
# cells WARM_SECONDS long, not recorded (MinIO needs no warm-up), the modes of a group in parallel
# (each mode has its own bucket; warp's fixed 3 s start and its cleanup then overlap). Passes
# repeat until the JIT threads used less than 10% of the proxy's CPU in the last one; a pass is not
# started when it would end after WARM_MAX seconds (a pass takes about as long as the one before).
# BENCH_WARM_MAX overrides WARM_MAX. The compilers follow the requests served, not the time: on a
# machine loaded by other builds (load average 30, the proxy serving ~10 requests a second) the
# share stayed at 47-61% over 12 passes of 28 s while HotSpot compiled ~16 new methods a second
# (2026-12-06); there the bound ends the warm-up and the report shows the share it left.
# The audit-off proxy serves only its own modes (the 4 KiB PUT cells of T8): a pass over them warms
# it far less than the measured proxy, which every mode warms (in a full run about 2,000 requests
# against 300). Its passes therefore come after the others and repeat until it has served as many
# S3 requests as the measured proxy (at most NOAUDIT_WARM_MAX seconds: in practice one 15 s pass):
# T8 compares the two, so it must compare them warmed alike, not a warm proxy with a cold one. (The
# JIT share is no test for that: on a loaded machine it stays near 50% for minutes.) The rounds
# warm the measured proxy further with every cell, the audit-off one only with its two; the report
# flags a pair whose base used more CPU per operation (pair_base_colder in lib/report.sh).
WARM_SECONDS=$((QUICK ? 2 : 3))
WARM_MAX="${BENCH_WARM_MAX:-$((QUICK ? 0 : 200))}"
NOAUDIT_WARM_MAX=$((QUICK ? 0 : 20))
# warm_sizes_for MODE: the warp object sizes the mode runs at (--quick: the first only)
warm_sizes_for() {
    local wl sizes=()
    for wl in "${WORKLOADS[@]}"; do
        if [[ "${WL_TOOL[$wl]}" == warp ]] && runs_in "$wl" "$1" && [[ " ${sizes[*]} " != *" ${WL_SIZE[$wl]} "* ]]; then
            sizes+=("${WL_SIZE[$wl]}")
        fi
    done
    if ((QUICK)); then sizes=("${sizes[@]:0:1}"); fi
    echo "${sizes[*]}"
}
# reads_at MODE SIZE: whether a warp workload reads objects of SIZE in the mode (GET or mixed)
reads_at() {
    local wl
    for wl in "${WORKLOADS[@]}"; do
        if [[ "${WL_TOOL[$wl]}" == warp && "${WL_SIZE[$wl]}" == "$2" && "${WL_OP[$wl]}" != put ]] && runs_in "$wl" "$1"; then
            return 0
        fi
    done
    return 1
}
# warm_pass LABEL PID SECONDS CONCURRENCY MODE...: one warm-up pass over the modes, each warp run
# SECONDS long; sets WARM_SHARE to the share (%) of PID's CPU that its JIT compilers used meanwhile.
warm_pass() {
    local label="$1" pid="$2" secs="$3" conc="$4" t size jit0 all0 jit1 args sizes
    shift 4
    proxy_jit_ticks "$pid"
    jit0="$REPLY"
    proc_ticks "$pid"
    all0="$REPLY"
    for t in "$@"; do
        target_select B "$t"
        read -ra sizes <<<"$(warm_sizes_for "$t")"
        for size in "${sizes[@]}"; do
            args=(--host "$T_HOSTPORT" --access-key "$T_AK" --secret-key "$T_SK" --region us-east-1
                --bucket "$T_BUCKET" --obj.size "$size" --concurrent "$conc" --duration "${secs}s" --disable-multipart "${T_WARP[@]}")
            if ((T_TLS)); then args+=(--tls --insecure); fi
            warp_bench "$RUN_DIR/raw/warmup-$label-$T_LABEL-put-$size" "$secs" put "${args[@]}" --keep-data ||
                die "warm-up PUT against $T_LABEL failed"
            if [[ "$T_GETFROM" == put ]] && reads_at "$t" "$size"; then
                warp_bench "$RUN_DIR/raw/warmup-$label-$T_LABEL-get-$size" "$secs" get "${args[@]}" --list-existing --noclear ||
                    die "warm-up GET against $T_LABEL failed"
            fi
        done
    done
    proxy_jit_ticks "$pid"
    jit1="$REPLY"
    proc_ticks "$pid"
    WARM_SHARE=$(((jit1 - jit0) * 100 / (REPLY - all0 + 1)))
}
# warm_cells LABEL GROUP MODE: the cells of GROUP in MODE once, as the rounds run them (warp cells
# WARM_SECONDS long), not recorded. Runs in a subshell of its own (warm_round).
warm_cells() {
    local label="$1" g="$2" t="$3" wl
    target_select B "$t"
    for wl in "${WORKLOADS[@]}"; do
        [[ "${WL_GROUP[$wl]}" == "$g" ]] && runs_in "$wl" "$t" || continue
        reset_results
        if [[ "${WL_TOOL[$wl]}" == warp ]]; then
            WARM_ONLY="$WARM_SECONDS" run_warp "$RUN_DIR/raw/warmup$label-$wl-$t" "$wl" || log "warm-up: $wl in $t failed (not recorded)"
        else
            run_curl "$RUN_DIR/raw/warmup$label-$wl-$t" "$wl" || log "warm-up: $wl in $t failed (not recorded)"
        fi
    done
}
# warm_round LABEL MODES...: one warm-up round ("round 0") of the modes' cells, group by group, the
# modes of a group in parallel; sets WARM_SHARE to the share (%) of the measured proxy's CPU that
# its JIT compilers used meanwhile.
warm_round() {
    local label="$1" g t p jit0 all0 pids
    shift
    proxy_jit_ticks "$PROXY_PID"
    jit0="$REPLY"
    proc_ticks "$PROXY_PID"
    all0="$REPLY"
    for g in "${GROUPS_ORDER[@]}"; do
        pids=()
        for t in "$@"; do
            warm_cells "$label" "$g" "$t" &
            pids+=("$!")
        done
        for p in "${pids[@]}"; do wait "$p" || true; done
    done
    proxy_jit_ticks "$PROXY_PID"
    jit1="$REPLY"
    proc_ticks "$PROXY_PID"
    WARM_SHARE=$(((jit1 - jit0) * 100 / (REPLY - all0 + 1)))
}
main_modes=()
noaudit_modes=()
for t in "${AVAILABLE_MODES[@]}"; do
    if mode_uses_noaudit "$t"; then noaudit_modes+=("$t"); else main_modes+=("$t"); fi
done
warm_start=$SECONDS
jit_share=0
pass=0
pass_shares=""
# The small-object spin: the compilers follow the requests served, and a round 0 serves most of
# its requests in the few seconds of its 4 KiB cells (its 64 MiB and 1 GiB cells take most of its
# time). Two round-0 passes (138 s) left the JIT 12.6% of the proxy's CPU in the measured rounds
# of run 2026-12-06-cbc66da; 150-240 s of 4 KiB PUT/GET alone had brought it to 1.6-3.8% in the
# issue 14 profiles. So the warm-up starts with the groups of objects up to 4 KiB (the 4k and lat
# cells, every mode in parallel, the audit-off proxy's too) repeated for WARM_SPIN seconds (BENCH_WARM_SPIN; default 120,
# --quick 0), then runs the round-0 passes.
WARM_SPIN="${BENCH_WARM_SPIN:-$((QUICK ? 0 : 120))}"
spin_groups=()
for g in "${GROUPS_ORDER[@]}"; do
    for wl in "${WORKLOADS[@]}"; do
        if [[ "${WL_GROUP[$wl]}" == "$g" && "${WL_TOOL[$wl]}" == warp && "${WL_SIZE[$wl]}" == 4KiB ]]; then
            spin_groups+=("$g")
            break
        fi
    done
done
spin_note="none"
if ((WARM_SPIN > 0 && ${#main_modes[@]} > 0 && ${#spin_groups[@]} > 0)); then
    spin_start=$SECONDS
    proxy_jit_ticks "$PROXY_PID"
    spin_jit0="$REPLY"
    proc_ticks "$PROXY_PID"
    spin_all0="$REPLY"
    spins=0
    while ((SECONDS - spin_start < WARM_SPIN)); do
        for g in "${spin_groups[@]}"; do
            pids=()
            for t in "${main_modes[@]}" "${noaudit_modes[@]}"; do
                warm_cells "-spin$spins" "$g" "$t" &
                pids+=("$!")
            done
            for p in "${pids[@]}"; do wait "$p" || true; done
        done
        spins=$((spins + 1))
    done
    proxy_jit_ticks "$PROXY_PID"
    spin_jit1="$REPLY"
    proc_ticks "$PROXY_PID"
    spin_note="$spins pass(es) over the ${spin_groups[*]} cells in $((SECONDS - spin_start)) s, JIT share $(((spin_jit1 - spin_jit0) * 100 / (REPLY - spin_all0 + 1)))%"
    log "warm-up spin (objects up to 4 KiB): $spin_note"
fi
warm_start=$SECONDS
if ((${#main_modes[@]} > 0)); then
    for ((pass = 1; ; pass++)); do
        pass_start=$SECONDS
        warm_round "$pass" "${main_modes[@]}"
        jit_share=$WARM_SHARE
        pass_shares+="${pass_shares:+, }${jit_share}% ($((SECONDS - pass_start)) s)"
        log "warm-up pass $pass (a round 0 of the proxy's cells, ${WARM_SECONDS} s warp cells, not recorded) took $((SECONDS - pass_start)) s: JIT compilers used ${jit_share}% of the proxy's CPU"
        if ((jit_share < 10 || (SECONDS - warm_start) + (SECONDS - pass_start) > WARM_MAX)); then break; fi
    done
fi
WARMUP_NOTE="small-object spin: $spin_note; then $pass warm-up pass(es) (each a round 0 of the proxy's cells, warp cells ${WARM_SECONDS} s) in $((SECONDS - warm_start)) s, at most ${WARM_MAX} s; JIT share of the proxy's CPU per pass: ${pass_shares:-none}"
if ((${#noaudit_modes[@]} > 0)); then
    main_requests="$(proxy_s3_requests "$PROXY_MGMT_PORT")"
    noaudit_start_s=$SECONDS
    for ((npass = 1; ; npass++)); do
        pass_start=$SECONDS
        # one long run (warp spends 3-4 s around each run's load; 6 s passes took 11 s, so a second
        # one never fitted) at the concurrency of put-4k: the most requests per second of warm-up.
        # A cold proxy serves ~90 a second here: 9 s gave 829 against the ~1,900 of a full run's
        # warm-up of the measured proxy.
        warm_pass "noaudit$npass" "$NOAUDIT_PID" "$((QUICK ? WARM_SECONDS : 5 * WARM_SECONDS))" 16 "${noaudit_modes[@]}"
        noaudit_requests="$(proxy_s3_requests "$NOAUDIT_MGMT_PORT")"
        log "warm-up pass $npass of the audit-off proxy (${noaudit_modes[*]}): $noaudit_requests S3 requests (the measured proxy: $main_requests); JIT compilers used ${WARM_SHARE}% of its CPU"
        if ((noaudit_requests >= main_requests || (SECONDS - noaudit_start_s) + (SECONDS - pass_start) > NOAUDIT_WARM_MAX)); then break; fi
    done
    WARMUP_NOTE+="; audit-off proxy: $npass pass(es) of its own modes in $((SECONDS - noaudit_start_s)) s, $noaudit_requests S3 requests served (the measured proxy: $main_requests), JIT share in the last pass: ${WARM_SHARE}%"
fi
proxy_jit_ticks
JIT_MEASURE0="$REPLY"
proc_ticks "$PROXY_PID"
PROXY_MEASURE0="$REPLY"
if [[ -n "$NOAUDIT_PID" ]]; then
    proxy_jit_ticks "$NOAUDIT_PID"
    NOAUDIT_JIT0="$REPLY"
    proc_ticks "$NOAUDIT_PID"
    NOAUDIT_CPU0="$REPLY"
fi

# ---- the interleaved rounds --------------------------------------------------------------------
FAILED_RUNS=0
for ((round = 1; round <= ROUNDS; round++)); do
    log "round $round of $ROUNDS"
    last=$((round == ROUNDS ? 1 : 0))
    for g in "${GROUPS_ORDER[@]}"; do
        # every target the group's workloads run against, the MinIO baselines first in odd rounds,
        # last in even ones
        targets=()
        for b in "${AVAILABLE_BASELINES[@]}"; do
            for wl in "${WORKLOADS[@]}"; do
                if [[ "${WL_GROUP[$wl]}" == "$g" ]] && baseline_runs "$wl" "$b"; then
                    targets+=("$b")
                    break
                fi
            done
        done
        for m in "${AVAILABLE_MODES[@]}"; do
            for wl in "${WORKLOADS[@]}"; do
                if [[ "${WL_GROUP[$wl]}" == "$g" ]] && runs_in "$wl" "$m"; then
                    targets+=("$m")
                    break
                fi
            done
        done
        if ((round % 2 == 0)); then
            rev=()
            for ((i = ${#targets[@]} - 1; i >= 0; i--)); do rev+=("${targets[$i]}"); done
            targets=("${rev[@]}")
        fi
        for t in "${targets[@]}"; do
            for wl in "${WORKLOADS[@]}"; do
                [[ "${WL_GROUP[$wl]}" == "$g" ]] || continue
                if is_baseline "$t"; then
                    if baseline_runs "$wl" "$t"; then
                        run_cell "$round" "$wl" A "$t" "$last" || FAILED_RUNS=$((FAILED_RUNS + 1))
                    fi
                elif runs_in "$wl" "$t"; then
                    run_cell "$round" "$wl" B "$t" "$last" || FAILED_RUNS=$((FAILED_RUNS + 1))
                fi
            done
        done
    done
done

# MinIO SSE-S3 encrypted what the rounds left in its bucket; then the extra MinIOs are done
if [[ " ${AVAILABLE_BASELINES[*]} " == *" minio-sse "* ]]; then
    baseline_sse_check
    log "minio-sse at rest: $BASE_SSE_CHECK"
    [[ "$BASE_SSE_CHECK" != NOT* ]] || BASELINE_FAILED=1
fi
baselines_stop

# empty the benchmark buckets (warp leaves the last PUT's objects for the GET that follows it), all
# at once: one after the other, the AWS CLI's start-ups alone took about 15 s
rm_pids=()
for t in A "${AVAILABLE_MODES[@]}"; do
    if [[ "$t" == A ]]; then target_select A; else target_select B "$t"; fi
    if [[ -x /usr/bin/aws ]]; then
        (AWS_ACCESS_KEY_ID="$T_AK" AWS_SECRET_ACCESS_KEY="$T_SK" AWS_DEFAULT_REGION=us-east-1 \
            /usr/bin/aws --endpoint-url "$T_ENDPOINT" --no-verify-ssl s3 rm "s3://$T_BUCKET" --recursive --only-show-errors \
            >/dev/null 2>&1 || log "could not empty bucket $T_BUCKET on $T_ENDPOINT") &
        rm_pids+=("$!")
    fi
done
# (not a bare `wait`: the proxies are children of this shell too)
for p in "${rm_pids[@]}"; do wait "$p" || true; done
MEASURED_PEAK_RSS="$(proxy_peak_rss_kb)"
proxy_jit_ticks
JIT_MEASURED="$((REPLY - JIT_MEASURE0))"
proc_ticks "$PROXY_PID"
JIT_NOTE="JIT compilers used $(awk -v j="$JIT_MEASURED" -v a="$((REPLY - PROXY_MEASURE0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f CPU-s, %.1f%% of the proxy'"'"'s CPU", j / hz, (a > 0 ? 100 * j / a : 0) }') during the measured rounds"
if [[ -n "$NOAUDIT_PID" ]] && proxy_alive "$NOAUDIT_PID"; then
    proxy_jit_ticks "$NOAUDIT_PID"
    j="$((REPLY - NOAUDIT_JIT0))"
    proc_ticks "$NOAUDIT_PID"
    JIT_NOTE+="; audit-off proxy: $(awk -v j="$j" -v a="$((${REPLY:-0} - NOAUDIT_CPU0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f CPU-s, %.1f%% of its CPU", j / hz, (a > 0 ? 100 * j / a : 0) }')"
fi
log "$JIT_NOTE"
# ---- re-encryption of existing data (issue 13), on the measured proxy after its rounds ----------
log "re-encryption: $REENC_OBJECTS plaintext objects seeded at MinIO, a Batch Operations job vs aws s3 cp --recursive"
reencrypt_measure "$REENC_OBJECTS"

proxy_stop
noaudit_stop

# ---- T6: a proxy of its own at -Xmx64m -------------------------------------------------------
log "T6: heap after GC while streaming $T6_SMALL vs $T6_BIG objects, proxy at -Xmx$T6_HEAP"
t6_measure "$T6_HEAP" "$T6_SMALL" "$T6_BIG" "$T6_SECONDS"

# ---- report ------------------------------------------------------------------------------------
aggregate_cells
OTHERS_NOTE="$(others_end)"
FOREIGN_JVMS_END="$(foreign_jvms | cut -c1-100)"
ELAPSED=$((SECONDS - T_START))
COMMIT="$(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY=""
if [[ -n "$(git -C "$ROOT_DIR" status --porcelain -- src pom.xml 2>/dev/null)" ]]; then DIRTY=" (with uncommitted changes under src/ or pom.xml)"; fi
mkdir -p "$OUT_DIR"
NAME="$(date -u +%Y-%m-%d)-$COMMIT$SUFFIX"
REPORT="$OUT_DIR/$NAME.md"
CHART="$OUT_DIR/$NAME.png"
CHART_OK=1
draw_chart "$CHART" "sse-proxy / MinIO baselines, median of $ROUNDS interleaved rounds — $NAME" || CHART_OK=0

MINIO_VERSION="$(cat "${SSE_PROXY_TOOLS:-$HOME/.cache/sse-proxy}/bin/minio.version" 2>/dev/null || echo unknown)"
JAVA_VERSION="$(java -version 2>&1 | head -n 1)"

{
    echo "# sse-proxy benchmark — $NAME"
    echo
    echo "- command: \`$COMMAND_LINE\`${SUFFIX:+ (smoke size: fewer, shorter cells; not for comparisons)}"
    echo "- commit: $COMMIT$DIRTY; started $STARTED_AT; took $((ELAPSED / 60)) min $((ELAPSED % 60)) s (measurement from proxy ready: $(((SECONDS - T_READY) / 60)) min $(((SECONDS - T_READY) % 60)) s)"
    echo "- machine: $(machine_summary)"
    echo "- load: $QUIET_NOTE; CPU used by other processes during the run (not this run, its MinIOs or PostgreSQL): $OTHERS_NOTE"
    echo "- software: $JAVA_VERSION; proxy at -Xmx$HEAP (G1) on 127.0.0.1:$PROXY_PORT ($MAIN_AUDIT, db $PROXY_DB); audit-off proxy: $NOAUDIT_NOTE; MinIO $MINIO_VERSION (single drive, 127.0.0.1:$MINIO_PORT); warp $WARP_VERSION; curl $(curl --version | awk 'NR == 1 { print $2 }')"
    echo "- baselines: $(baselines_summary)"
    echo "- warm-up: $WARMUP_NOTE; $JIT_NOTE"
    echo "- method: every cell ran $ROUNDS times, the MinIO baselines (A) and the proxy (B) interleaved per workload group, A first in odd rounds and last in even rounds; figures are medians over the rounds, **ratio** = median of the per-round B/A, A being the mode's baseline (MinIO over plain HTTP, or over TLS for the TLS modes); **ratio to MinIO SSE-S3** = the same against the MinIO that encrypts by itself. warp runs are bounded by \`--duration\`, single-part PUTs (\`--disable-multipart\`), payload signed by warp (streaming SigV4 chunks over HTTP); GETs read the objects the group's PUT left. The 1 GiB stream is curl (\`--aws-sigv4\`, UNSIGNED-PAYLOAD) from a random file / to /dev/null. Latency percentiles come from warp's per-operation data (ns), throughput from \`warp analyze --json\` († = warp declined, raw bytes/span used)."
    echo
    echo "## Results"
    echo
    results_table
    echo
    if ((CHART_OK)); then
        echo "![throughput ratio per workload]($NAME.png)"
        echo
    fi
    echo "## Where the CPU goes (ms of CPU per operation, medians over the rounds)"
    echo
    echo "Measured over each run's window (first operation start to last end) from /proc: the load generator (warp, or curl for the 1 GiB stream), the proxy, MinIO. All three share the $(nproc) cores."
    echo
    cpu_table
    echo
    sse_md="$(sse_table)"
    if (($(wc -l <<<"$sse_md") > 2)); then
        echo "## sse-proxy in front of MinIO, or MinIO encrypting by itself?"
        echo
        echo "The proxy encrypting with SSE-S3 (mode plain: its default; sse-s3: a bucket default of AES256) against a MinIO that encrypts by itself (a static key, \`MINIO_KMS_SECRET_KEY\`, and a bucket default encryption of SSE-S3), measured in the same interleaved rounds; **sse-proxy / MinIO SSE-S3** is the median of the per-round ratios. At rest: $BASE_SSE_CHECK."
        echo
        echo "$sse_md"
        echo
    fi
    echo "## Targets (issues 3 and 6)"
    echo
    targets_table
    echo
    echo "Summary: $TARGET_SUMMARY"
    echo
    pairs_md="$(pairs_table)"
    if (($(wc -l <<<"$pairs_md") > 2)); then
        echo "## Mode against mode"
        echo
        echo "The proxy in one mode against the proxy in another (the targets whose cell names two modes), measured in the same rounds, interleaved like every cell; figures are medians of each mode, a **ratio** is the median of the per-round mode / base. A mode with endpoint http-noaudit runs on the audit-off proxy (same jar and heap, \`SSE_PROXY_AUDIT_ENABLED=false\`), so plain / plain-noaudit is the cost of the audit trail. The proxy CPU leaves out PostgreSQL, where the audit trail's inserts run."
        echo
        echo "$pairs_md"
        echo
        pairs_warn="$(pairs_warnings)"
        if [[ -n "$pairs_warn" ]]; then
            echo "$pairs_warn"
            echo
        fi
    fi
    echo "## Modes"
    echo
    modes_table
    echo
    echo "## T6 detail (proxy at -Xmx$T6_HEAP; live heap after a full GC, $((T6_SECONDS / 2)) s into streaming $T6_SMALL objects back to back, or one $T6_BIG object)"
    echo
    t6_table
    echo
    echo "Measured proxy (-Xmx$HEAP): peak RSS over the whole run $(awk -v v="$MEASURED_PEAK_RSS" 'BEGIN { if (v == "-") print "-"; else printf "%.0f MiB", v / 1024 }') (the per-cell column resets the kernel's peak mark before each run)."
    echo
    echo "## Re-encrypting existing data (S3 Batch Operations)"
    echo
    echo "Plaintext objects written straight to MinIO (sizes 1 B to 64 KiB), adopted, and re-encrypted in place by one job with a generated manifest of the whole bucket (all NOT-SSE; the Debian CLI 2.9 has no \`MatchAnyObjectEncryption\` in its model), against \`aws s3 cp --recursive\` of the same files through the same proxy. The job's time runs from CreateJob to Complete and includes the manifest scan; its rate limit is the proxy's default (\`sse-proxy.batch.tasks-per-second\`)."
    echo
    reencrypt_table
    echo
    [[ -n "$REENC_NOTE" ]] && echo "$REENC_NOTE" && echo
    echo "## Other JVMs on the machine"
    echo
    echo "At start:"
    echo
    echo '```'
    echo "${FOREIGN_JVMS_START:-none}"
    echo '```'
    echo
    echo "At end:"
    echo
    echo '```'
    echo "${FOREIGN_JVMS_END:-none}"
    echo '```'
    echo
    echo "Raw data: \`$RUN_DIR\` (runs.tsv, cells.tsv, warp's per-operation data, proxy logs)."
} >"$REPORT"

cat "$REPORT"
if ((CHART_OK)); then log "report: $REPORT, chart: $CHART"; else log "report: $REPORT (no chart)"; fi

if ((UPDATE_README && !QUICK)); then
    readme_update "$REPORT" "$NAME"
fi

rows="$(($(wc -l <"$RUN_DIR/cells.tsv") - 1))"
if ((FAILED_RUNS > 0 || rows == 0 || !CHART_OK || BASELINE_FAILED)) || t6_failed_harness; then
    log "the harness did not get all its numbers: $FAILED_RUNS failed runs, $rows cells, chart $CHART_OK, MinIO baselines failed $BASELINE_FAILED (see the report's baselines line)"
    exit 1
fi
exit 0
