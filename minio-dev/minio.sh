#!/usr/bin/env bash
# minio-dev/minio.sh — build, start, stop and inspect a local MinIO server for
# sse-proxy development and tests (loopback only: 127.0.0.1).
#
# Usage: minio-dev/minio.sh build|start|stop|status
#
# Environment (all optional):
#   SSE_PROXY_TOOLS               tool cache (default: $HOME/.cache/sse-proxy); binary in $SSE_PROXY_TOOLS/bin/minio
#   SSE_PROXY_MINIO_PORT          S3 API port (default: 9000)
#   SSE_PROXY_MINIO_CONSOLE_PORT  console port (default: 9001)
#   SSE_PROXY_MINIO_RUN_DIR       pid file, log file, locks (default: /tmp/sse-proxy-minio)
#   SSE_PROXY_MINIO_DATA          data directory (default: $SSE_PROXY_MINIO_RUN_DIR/data)
#   MINIO_ROOT_USER / MINIO_ROOT_PASSWORD   (default: sseproxy-minio / sseproxy-minio-secret)
#   SSE_PROXY_MINIO_WAIT          seconds to wait for readiness on start (default: 60)
#   SSE_PROXY_MINIO_BUILD_WAIT    seconds to wait for a foreign, already running build (default: 1800)
#
# Idempotent: `build` does nothing when the pinned version is already built,
# `start` reuses anything already answering on the health endpoint, `stop` only
# stops the process recorded in this script's pid file.
set -euo pipefail

# Pinned MinIO version (a Go module pseudo-version). Changing it triggers a rebuild.
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
MINIO_MODULE="github.com/minio/minio"

TOOLS_DIR="${SSE_PROXY_TOOLS:-$HOME/.cache/sse-proxy}"
BIN_DIR="$TOOLS_DIR/bin"
MINIO_BIN="$BIN_DIR/minio"
VERSION_MARKER="$BIN_DIR/minio.version"
BUILD_LOCK="$BIN_DIR/.minio-build.lock"

HOST="127.0.0.1"
PORT="${SSE_PROXY_MINIO_PORT:-9000}"
CONSOLE_PORT="${SSE_PROXY_MINIO_CONSOLE_PORT:-9001}"
RUN_DIR="${SSE_PROXY_MINIO_RUN_DIR:-/tmp/sse-proxy-minio}"
DATA_DIR="${SSE_PROXY_MINIO_DATA:-$RUN_DIR/data}"
PID_FILE="$RUN_DIR/minio.pid"
START_LOCK="$RUN_DIR/.start.lock"
LOG_FILE="$RUN_DIR/minio.log"
ROOT_USER="${MINIO_ROOT_USER:-sseproxy-minio}"
ROOT_PASSWORD="${MINIO_ROOT_PASSWORD:-sseproxy-minio-secret}"
START_WAIT="${SSE_PROXY_MINIO_WAIT:-60}"
BUILD_WAIT="${SSE_PROXY_MINIO_BUILD_WAIT:-1800}"
HEALTH_URL="http://$HOST:$PORT/minio/health/live"

log() { printf 'minio.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Prints the module version embedded in a Go binary ("" when unreadable/truncated).
embedded_version() {
    command -v go >/dev/null 2>&1 || return 0
    go version -m "$1" 2>/dev/null | awk -v m="$MINIO_MODULE" '$1 == "mod" && $2 == m { print $3; exit }'
}

# True when the binary exists and is the pinned version (records the marker if
# the binary was built by someone else, e.g. a plain `GOBIN=... go install`).
binary_is_current() {
    [[ -x "$MINIO_BIN" ]] || return 1
    if [[ -f "$VERSION_MARKER" ]]; then
        [[ "$(cat "$VERSION_MARKER")" == "$MINIO_VERSION" ]]
        return
    fi
    local v
    v="$(embedded_version "$MINIO_BIN")"
    if [[ "$v" == "$MINIO_VERSION" ]]; then
        printf '%s\n' "$MINIO_VERSION" >"$VERSION_MARKER"
        return 0
    fi
    if [[ -z "$v" ]] && ! command -v go >/dev/null 2>&1; then
        # Cannot inspect it without Go; trust an existing binary.
        log "go not found; assuming existing $MINIO_BIN is $MINIO_VERSION"
        printf '%s\n' "$MINIO_VERSION" >"$VERSION_MARKER"
        return 0
    fi
    return 1
}

# A `go install` of the pinned version started by another process (not us).
foreign_build_running() {
    pgrep -f "go install ${MINIO_MODULE}@${MINIO_VERSION}" >/dev/null 2>&1
}

cmd_build() {
    mkdir -p "$BIN_DIR"
    if binary_is_current; then
        log "MinIO $MINIO_VERSION already built: $MINIO_BIN"
        return 0
    fi
    # Serialize builds started through this script. (The lock fd is closed for
    # the MinIO server in cmd_start so that it is not held after we exit.)
    exec 9>>"$BUILD_LOCK"
    flock 9
    if binary_is_current; then
        log "MinIO $MINIO_VERSION already built: $MINIO_BIN"
        return 0
    fi
    # Someone else (outside this script) may be building the same version right now.
    local waited=0
    while foreign_build_running; do
        if ((waited == 0)); then
            log "another 'go install ${MINIO_MODULE}@${MINIO_VERSION}' is running; waiting for it (up to ${BUILD_WAIT}s)"
        fi
        if ((waited >= BUILD_WAIT)); then
            log "gave up waiting for the other build; building myself"
            break
        fi
        sleep 5
        waited=$((waited + 5))
    done
    if ((waited > 0)) && binary_is_current; then
        log "MinIO $MINIO_VERSION built by the other process: $MINIO_BIN"
        return 0
    fi

    command -v go >/dev/null 2>&1 || die "go is required to build MinIO (not found on PATH)"
    log "building MinIO $MINIO_VERSION (go install; this takes several minutes on 2 cores)"
    # Install into a staging dir, then rename, so that $MINIO_BIN never exists half-written.
    local staging="$BIN_DIR/.staging.$$"
    rm -rf "$staging"
    mkdir -p "$staging"
    if ! GOBIN="$staging" go install "${MINIO_MODULE}@${MINIO_VERSION}"; then
        rm -rf "$staging"
        die "go install ${MINIO_MODULE}@${MINIO_VERSION} failed"
    fi
    mv -f "$staging/minio" "$MINIO_BIN"
    rm -rf "$staging"
    printf '%s\n' "$MINIO_VERSION" >"$VERSION_MARKER"
    log "built $MINIO_BIN ($MINIO_VERSION)"
}

health_ok() {
    [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$HEALTH_URL" 2>/dev/null || true)" == "200" ]]
}

# Pid from the pid file if that process is alive and is a MinIO server; else "".
our_pid() {
    [[ -f "$PID_FILE" ]] || return 0
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'minio server'; then
        printf '%s\n' "$pid"
    fi
}

wait_ready() {
    local pid="$1" deadline=$((SECONDS + START_WAIT))
    while ((SECONDS < deadline)); do
        if health_ok; then
            return 0
        fi
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            log "MinIO process $pid exited during startup"
            return 1
        fi
        sleep 0.5
    done
    log "MinIO did not answer 200 on $HEALTH_URL within ${START_WAIT}s"
    return 1
}

cmd_start() {
    if health_ok; then
        log "reusing MinIO already answering on $HEALTH_URL"
        return 0
    fi
    mkdir -p "$RUN_DIR"
    # Serialize concurrent starts; re-check once we hold the lock.
    exec 8>>"$START_LOCK"
    flock 8
    if health_ok; then
        log "reusing MinIO already answering on $HEALTH_URL"
        return 0
    fi
    local pid
    pid="$(our_pid)"
    if [[ -z "$pid" ]]; then
        cmd_build
        mkdir -p "$DATA_DIR"
        rm -f "$PID_FILE"
        log "starting MinIO on $HOST:$PORT (console $HOST:$CONSOLE_PORT), data $DATA_DIR, log $LOG_FILE"
        {
            printf '\n==== %s starting minio %s\n' "$(date -Is)" "$MINIO_VERSION"
        } >>"$LOG_FILE"
        MINIO_ROOT_USER="$ROOT_USER" MINIO_ROOT_PASSWORD="$ROOT_PASSWORD" \
            MINIO_BROWSER="${MINIO_BROWSER:-on}" \
            setsid "$MINIO_BIN" server "$DATA_DIR" \
            --address "$HOST:$PORT" --console-address "$HOST:$CONSOLE_PORT" \
            </dev/null >>"$LOG_FILE" 2>&1 8>&- 9>&- &
        pid=$!
        printf '%s\n' "$pid" >"$PID_FILE"
    else
        log "MinIO from this script already running (pid $pid); waiting for it to become ready"
    fi
    if ! wait_ready "$pid"; then
        log "last lines of $LOG_FILE:"
        tail -n 40 "$LOG_FILE" >&2 || true
        stop_pid "$pid"
        rm -f "$PID_FILE"
        exit 1
    fi
    log "MinIO ready on http://$HOST:$PORT (pid $pid)"
}

stop_pid() {
    local pid="$1"
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    log "MinIO (pid $pid) did not stop after 20s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
    local pid
    pid="$(our_pid)"
    if [[ -z "$pid" ]]; then
        rm -f "$PID_FILE"
        log "no MinIO started by this script is running"
        return 0
    fi
    log "stopping MinIO (pid $pid)"
    stop_pid "$pid"
    rm -f "$PID_FILE"
}

cmd_status() {
    local pid rc=0
    pid="$(our_pid)"
    if binary_is_current; then
        echo "binary:  $MINIO_BIN ($MINIO_VERSION)"
    else
        echo "binary:  not built ($MINIO_BIN, want $MINIO_VERSION)"
    fi
    if [[ -n "$pid" ]]; then
        echo "process: running, started by this script (pid $pid, log $LOG_FILE)"
    else
        echo "process: none started by this script"
    fi
    if health_ok; then
        echo "health:  live ($HEALTH_URL)"
    else
        echo "health:  not answering ($HEALTH_URL)"
        rc=3
    fi
    return "$rc"
}

case "${1:-}" in
    build) cmd_build ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 build|start|stop|status" >&2
        exit 2
        ;;
esac
