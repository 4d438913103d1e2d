# bench/lib/baselines.sh — the MinIO servers the proxy is compared with ("A" targets). Sourced by
# run.sh.
#
#   minio      a MinIO of this run (plain HTTP), which is also the proxy's backend: the baseline of
#              every mode whose baseline column in modes.tsv says minio
#   minio-tls  a MinIO of this run serving TLS: its certs directory (--certs-dir) holds the
#              harness's self-signed certificate as public.crt / private.key. The baseline of the
#              proxy's TLS modes (SSE-C: S3 accepts customer keys only over TLS), so both sides pay
#              for TLS. Started only when a selected mode names it.
#   minio-sse  a MinIO of this run encrypting by itself: started with a static key
#              (MINIO_KMS_SECRET_KEY=<name>:<base64 of 32 random bytes>, made per run) and a bucket
#              default encryption of SSE-S3 (PUT ?encryption, AES256) on its bucket, so every object
#              it stores is encrypted. Measured on every workload: sse-proxy's SSE-S3 / MinIO-SSE-S3
#              answers "sse-proxy in front of MinIO, or MinIO encrypting by itself?". The probe
#              checks at rest that it encrypts (a plaintext canary object is not found in its data
#              dir, while it is found in minio-tls's: the check can see plaintext), and after the
#              rounds every object the bucket holds must carry MinIO's sealed object key.
#
# The three servers run the binary minio-dev/minio.sh builds, each with its own data dir (made
# empty at start) under the work dir, their own ports (BENCH_MINIO_PORT, default 9230,
# BENCH_MINIO_TLS_PORT, default 9210, and BENCH_MINIO_SSE_PORT, default 9220; the console on the
# port + 1), the same root credentials (MINIO_ROOT_USER / MINIO_ROOT_PASSWORD, as minio-dev's);
# they are stopped by pid with the run (also on failure), after the proxies that use them.
# shellcheck shell=bash disable=SC2034  # BASE_* are read by run.sh, measure.sh and report.sh

BASELINES=(minio minio-tls minio-sse)
declare -A BASE_PORT BASE_PID BASE_STATUS BASE_DATA
declare -A BASE_TLS=([minio]=0 [minio-tls]=1 [minio-sse]=0)
declare -A BASE_TITLE=([minio]="MinIO" [minio-tls]="MinIO over TLS" [minio-sse]="MinIO SSE-S3")
# the bucket default encryption of each baseline's bucket (measure.sh: encryption_config_xml)
declare -A BASE_BUCKET=([minio]="" [minio-tls]="" [minio-sse]="AES256")
# what a GET of a baseline reads: put = what the group's PUT left; prepare = warp uploads its own
# objects first (minio-tls runs only where a TLS mode runs: SSE-C's GETs upload their own objects)
declare -A BASE_GETFROM=([minio]=put [minio-tls]=prepare [minio-sse]=put)
BASE_CANARY="sse-proxy bench: plaintext canary, must not be found at rest in an encrypting MinIO. "
BASE_SSE_CHECK="not checked"

# baselines_init: ports and pids (after run.sh has read MINIO_PORT)
baselines_init() {
    BASE_PORT=([minio]="$MINIO_PORT" [minio-tls]="${BENCH_MINIO_TLS_PORT:-9210}" [minio-sse]="${BENCH_MINIO_SSE_PORT:-9220}")
    BASE_PID=([minio]="" [minio-tls]="" [minio-sse]="")
    BASE_DATA=([minio]="" [minio-tls]="" [minio-sse]="")
    BASE_STATUS=([minio]="not started" [minio-tls]="not started (no selected mode needs it)" [minio-sse]="not started")
}

is_baseline() { [[ -n "${BASE_TITLE[$1]:-}" ]]; }

# base_is_ours PID DIR: alive and a MinIO serving DIR (a server left by an earlier run we may stop).
base_is_ours() {
    [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null &&
        tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -q -- "minio server $2 "
}

# baseline_start NAME: starts one MinIO of this run (minio, minio-tls or minio-sse) and waits until
# it is live.
# Sets BASE_STATUS[NAME] to "available" or the reason; returns 1 when it is not.
baseline_start() {
    local name="$1" port="${BASE_PORT[$1]}" dir="$WORK_DIR/$1"
    local bin="${SSE_PROXY_TOOLS:-$HOME/.cache/sse-proxy}/bin/minio" pidfile="$WORK_DIR/$1.pid"
    BASE_DATA[$name]="$dir/data"
    if [[ -f "$pidfile" ]] && base_is_ours "$(cat "$pidfile")" "$dir/data"; then
        log "stopping a $name left by an earlier run (pid $(cat "$pidfile"))"
        pid_stop "$(cat "$pidfile")" "$pidfile"
    fi
    local p
    for p in "$port" "$((port + 1))"; do
        if port_in_use "$p"; then
            BASE_STATUS[$name]="not available (port $p is in use; set BENCH_MINIO_PORT / BENCH_MINIO_TLS_PORT / BENCH_MINIO_SSE_PORT, the console uses the port + 1)"
            return 1
        fi
    done
    # the pinned version (minio.sh build does nothing when it is the one built; it rebuilds after a
    # version change, as minio.sh start did for the MinIO the run used to share)
    bash "$ROOT_DIR/minio-dev/minio.sh" build
    rm -rf "$dir"
    mkdir -p "$dir/data"
    local env=(MINIO_ROOT_USER="$MINIO_AK" MINIO_ROOT_PASSWORD="$MINIO_SK" MINIO_BROWSER=off)
    local args=(server "$dir/data" --address "127.0.0.1:$port" --console-address "127.0.0.1:$((port + 1))")
    local scheme=http
    if ((BASE_TLS[$name])); then
        mkdir -p "$dir/certs"
        cp "$TLS_CERT" "$dir/certs/public.crt"
        cp "$TLS_KEY" "$dir/certs/private.key"
        args+=(--certs-dir "$dir/certs")
        scheme=https
    fi
    if [[ "$name" == minio-sse ]]; then
        env+=(MINIO_KMS_SECRET_KEY="sse-proxy-bench:$(openssl rand -base64 32)")
    fi
    log "starting $name (${BASE_TITLE[$name]}) on $scheme://127.0.0.1:$port, data $dir/data, log $dir/minio.log"
    env "${env[@]}" "$bin" "${args[@]}" </dev/null >"$dir/minio.log" 2>&1 7>&- 9>&- &
    BASE_PID[$name]=$!
    printf '%s\n' "$!" >"$pidfile"
    local deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
        if [[ "$(curl -sk -o /dev/null -m 2 -w '%{http_code}' "$scheme://127.0.0.1:$port/minio/health/live" || true)" == 200 ]]; then
            log "$name ready (pid ${BASE_PID[$name]})"
            BASE_STATUS[$name]="available"
            return 0
        fi
        kill -0 "${BASE_PID[$name]}" 2>/dev/null || break
        sleep 0.5
    done
    tail -n 20 "$dir/minio.log" >&2
    BASE_STATUS[$name]="not available (did not start; see $dir/minio.log)"
    baseline_stop "$name"
    return 1
}

# baseline_stop NAME: stops a MinIO this run started (by pid).
baseline_stop() {
    local pid="${BASE_PID[$1]:-}"
    BASE_PID[$1]=""
    [[ -n "$pid" ]] || return 0
    pid_stop "$pid" "$WORK_DIR/$1.pid"
    # its objects (up to a few GiB of 1 GiB streams) are of no further use; its log stays
    rm -rf "$WORK_DIR/$1/data"
}

# baselines_stop: the two extra MinIOs (after the rounds); the plain one, the proxies' backend, stays
# up until the run's end (run.sh's cleanup stops it after the proxies).
baselines_stop() {
    baseline_stop minio-tls
    baseline_stop minio-sse
}

# baseline_at_rest NAME: after the probe PUT the canary: whether its plaintext is in NAME's data dir.
baseline_at_rest_plain() {
    grep -rqF -- "$BASE_CANARY" "${BASE_DATA[$1]}/hbench-$1" 2>/dev/null
}

# After the rounds: every object in minio-sse's bucket carries MinIO's sealed SSE-S3 object key in
# its xl.meta (an object written unencrypted has none). Sets BASE_SSE_CHECK.
baseline_sse_check() {
    local dir="${BASE_DATA[minio-sse]}/hbench-minio-sse" total sealed
    [[ -d "$dir" ]] || {
        BASE_SSE_CHECK="not checked (no bucket directory $dir)"
        return 0
    }
    total="$(find "$dir" -name xl.meta | wc -l)"
    sealed="$(find "$dir" -name xl.meta -print0 | xargs -0 -r grep -l -F 'Server-Side-Encryption-S3-Sealed-Key' | wc -l)"
    BASE_SSE_CHECK="$sealed of the $total objects left in its bucket after the rounds carry MinIO's sealed SSE-S3 key (xl.meta)"
    ((total > 0 && sealed == total)) || BASE_SSE_CHECK="NOT ENCRYPTED: $BASE_SSE_CHECK"
}

# One line for the report: each baseline and what became of it.
baselines_summary() {
    local b out=""
    for b in "${BASELINES[@]}"; do
        case "$b" in
            minio) out+="MinIO (this run's, plain HTTP, an empty data dir at start, 127.0.0.1:${BASE_PORT[minio]}): the proxy's backend and the baseline of the http modes" ;;
            minio-tls) out+="; MinIO over TLS (127.0.0.1:${BASE_PORT[minio-tls]}, the harness's self-signed certificate in its --certs-dir): the baseline of the https modes (SSE-C), ${BASE_STATUS[minio-tls]}" ;;
            minio-sse) out+="; MinIO SSE-S3 (127.0.0.1:${BASE_PORT[minio-sse]}, MINIO_KMS_SECRET_KEY and a bucket default encryption of SSE-S3, every workload): ${BASE_STATUS[minio-sse]}; at rest: $BASE_SSE_CHECK" ;;
        esac
    done
    echo "$out; each its own process and empty data dir, the same MinIO binary"
}
