# bench/lib/warp.sh — build the pinned warp once (cached like minio-dev/minio.sh caches MinIO),
# run one benchmark, and read its results. Sourced by run.sh.
# shellcheck shell=bash disable=SC2034  # the R_* results and tables are read by run.sh and the other libs

# Pinned warp. proxy.golang.org serves only some warp versions here (v1.0.0, v0.10.0, v0.9.0,
# v0.8.0; it answers 403 "This module version is not available" for v1.3.0, v1.2.0, v1.1.4,
# v1.0.1 to v1.0.8 and v0.9.1) and it also refuses the module's version list, which
# `go install module@version` reads for its deprecation check, and the checksum database has
# no entry for it (404). So the module is fetched with `go mod download` (checksum database
# skipped for this one module) and its zip hash is checked against WARP_SUM below instead; its
# dependencies are verified by warp's own go.sum as usual. Changing the version rebuilds.
WARP_VERSION="v1.0.0"
WARP_MODULE="github.com/minio/warp"
WARP_SUM="h1:woAI+71OyvDQoI6U0xeL9NvX2TxZHXpgGHexU4R6K9Y="
WARP_COMMIT="b3452c34f08a0c0055cd6d75bfae85dae18efccc"

WARP_BIN_DIR="${SSE_PROXY_TOOLS:-$HOME/.cache/sse-proxy}/bin"
WARP_BIN="$WARP_BIN_DIR/warp"
WARP_MARKER="$WARP_BIN_DIR/warp.version"

warp_is_current() {
    [[ -x "$WARP_BIN" && -f "$WARP_MARKER" && "$(cat "$WARP_MARKER")" == "$WARP_VERSION" ]]
}

warp_install() {
    mkdir -p "$WARP_BIN_DIR"
    if warp_is_current; then
        log "warp $WARP_VERSION: $WARP_BIN"
        return 0
    fi
    # Serialize builds; fd 7 is closed for everything started later.
    exec 7>>"$WARP_BIN_DIR/.warp-build.lock"
    flock 7
    if warp_is_current; then
        exec 7>&-
        log "warp $WARP_VERSION: $WARP_BIN (built by another process)"
        return 0
    fi
    command -v go >/dev/null 2>&1 || die "go is required to build warp (not found on PATH)"
    log "building warp $WARP_VERSION (first time only, about 2 minutes on 2 cores)"
    local info dir sum
    info="$(cd "${TMPDIR:-/tmp}" && GONOSUMDB="$WARP_MODULE" GOFLAGS=-mod=mod \
        go mod download -json "$WARP_MODULE@$WARP_VERSION")" ||
        die "go mod download $WARP_MODULE@$WARP_VERSION failed"
    dir="$(jq -r '.Dir // empty' <<<"$info")"
    sum="$(jq -r '.Sum // empty' <<<"$info")"
    [[ -n "$dir" && -d "$dir" ]] || die "go mod download gave no source directory: $info"
    [[ "$sum" == "$WARP_SUM" ]] || die "warp $WARP_VERSION has hash $sum, pinned $WARP_SUM"
    local staging="$WARP_BIN_DIR/.warp-staging.$$"
    rm -rf "$staging"
    mkdir -p "$staging"
    local x="-X $WARP_MODULE/pkg"
    if ! (cd "$dir" && GOFLAGS=-mod=readonly go build -trimpath -o "$staging/warp" \
        -ldflags "-s -w $x.Version=${WARP_VERSION#v} $x.ReleaseTag=$WARP_VERSION $x.CommitID=$WARP_COMMIT $x.ShortCommitID=${WARP_COMMIT:0:12}" .); then
        rm -rf "$staging"
        die "building warp $WARP_VERSION failed"
    fi
    mv -f "$staging/warp" "$WARP_BIN"
    rm -rf "$staging"
    printf '%s\n' "$WARP_VERSION" >"$WARP_MARKER"
    exec 7>&-
    log "built $WARP_BIN ($WARP_VERSION)"
}

# warp_bench BASE SECONDS OP [warp flags...]
# Runs one warp benchmark; raw operations land in BASE.csv.zst, warp's output in BASE.log, CPU
# samples of warp, the proxy and MinIO in BASE.cpu. The run is bounded by its own --duration;
# `timeout` is only a guard against a hang. (warp waits 3 s between its preparation and the
# benchmark; --syncstart cannot shorten that: it takes whole minutes and refuses a past time.)
warp_bench() {
    local base="$1" secs="$2" op="$3"
    shift 3
    rm -f "$base.csv.zst"
    local rc=0 pid sampler
    timeout --kill-after=10 $((secs + 180)) "$WARP_BIN" "$op" --no-color -q --benchdata "$base" "$@" \
        >"$base.log" 2>&1 &
    pid=$!
    cpu_sampler "$base.cpu" "$pid" &
    sampler=$!
    wait "$pid" || rc=$?
    wait "$sampler" 2>/dev/null || true
    if ((rc != 0)); then
        log "warp $op exited with $rc; last lines of $base.log:"
        tail -n 5 "$base.log" | tr -d '\r' | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' >&2
        return 1
    fi
    [[ -s "$base.csv.zst" ]] || {
        log "warp $op wrote no benchmark data ($base.csv.zst); see $base.log"
        return 1
    }
}

# warp_parse BASE OP
# Reads BASE.csv.zst (OP: PUT, GET, or * for every operation of a mixed run) and sets
#   R_OPS R_ERRS   successful and failed operations in the measured phase
#   R_BPS R_OPSS   throughput: warp's own analysis (`warp analyze --json`: the window in which
#                  every worker was busy); when warp declines ("too few samples") the raw rate,
#                  bytes of successful operations / (last end - first start), and R_SRC=raw
#   R_P50 R_P99    latency percentiles in ns over the successful operations (nearest rank), from
#                  the raw per-operation durations (warp's own analysis rounds to whole ms)
#   R_T0 R_T1      first start and last end of a successful operation (epoch seconds)
# Fails when the data cannot be read or holds no successful operation.
warp_parse() {
    local base="$1" op="$2"
    local durs="$base.durations" summary
    summary="$(zstdcat "$base.csv.zst" | awk -v op="$op" -v durfile="$durs" -f "$BENCH_DIR/lib/warp-raw.awk")" ||
        {
            log "cannot read $base.csv.zst"
            return 1
        }
    local n errs bytes span
    read -r n errs bytes span R_T0 R_T1 <<<"$summary"
    R_OPS="$n"
    R_ERRS="$errs"
    if [[ -z "$n" || "$n" == 0 ]]; then
        log "no successful $op operation in $base.csv.zst ($errs failed); see $base.log"
        return 1
    fi
    read -r R_P50 R_P99 < <(sort -n "$durs" | awk '{ v[NR] = $1 } END {
        i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++; if (i50 < 1) i50 = 1
        i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++; if (i99 < 1) i99 = 1
        print v[i50], v[i99] }')
    local json tput=""
    if json="$("$WARP_BIN" analyze --json -q --no-color "$base.csv.zst" 2>"$base.analyze.err")"; then
        printf '%s\n' "$json" >"$base.json"
        tput="$(jq -r --arg op "$op" '
            (if $op == "*" then .mixed_server_stats
             else (.operations // [] | map(select(.type == $op and (.skipped | not))) | .[0].throughput)
             end) // {}
            | select((.average_ops // 0) > 0) | "\(.average_bps) \(.average_ops)"' <<<"$json" 2>/dev/null || true)"
    fi
    if [[ -n "$tput" ]]; then
        read -r R_BPS R_OPSS <<<"$tput"
        R_SRC="warp"
    else
        R_BPS="$(awk -v b="$bytes" -v s="$span" 'BEGIN { printf "%.1f", (s > 0 ? b / s : 0) }')"
        R_OPSS="$(awk -v n="$n" -v s="$span" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }')"
        R_SRC="raw"
    fi
    rm -f "$durs"
}
