#!/usr/bin/env bash
# scripts/nats.sh — build, start, stop and inspect a local NATS server (nats-server) for sse-proxy's
# event notifications in development and tests (loopback only: 127.0.0.1).
#
# Usage: scripts/nats.sh build|start|stop|status
#
# Environment (all optional):
#   SSE_PROXY_TOOLS          tool cache (default: $HOME/.cache/sse-proxy); binary in $SSE_PROXY_TOOLS/bin/nats-server
#   SSE_PROXY_NATS_PORT      client port (default: 4222; the ITs use 14222)
#   SSE_PROXY_NATS_RUN_DIR   pid file and log (default: /tmp/sse-proxy-nats-<port>)
#   SSE_PROXY_NATS_WAIT      seconds to wait for it to answer on start (default: 30)
#
# Idempotent: `build` does nothing when the pinned version is built, `start` reuses a server already
# answering on the port, `stop` only stops the process recorded in this script's pid file.
set -euo pipefail

NATS_VERSION="v2.15.3"
NATS_MODULE="github.com/nats-io/nats-server/v2"
TOOLS_DIR="${SSE_PROXY_TOOLS:-$HOME/.cache/sse-proxy}"
BIN_DIR="$TOOLS_DIR/bin"
NATS_BIN="$BIN_DIR/nats-server"
VERSION_MARKER="$BIN_DIR/nats-server.version"
HOST="127.0.0.1"
PORT="${SSE_PROXY_NATS_PORT:-4222}"
RUN_DIR="${SSE_PROXY_NATS_RUN_DIR:-/tmp/sse-proxy-nats-$PORT}"
PID_FILE="$RUN_DIR/nats.pid"
LOG_FILE="$RUN_DIR/nats.log"
START_WAIT="${SSE_PROXY_NATS_WAIT:-30}"

log() { printf 'nats.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

answering() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

build() {
    if [[ -x "$NATS_BIN" && -f "$VERSION_MARKER" && "$(cat "$VERSION_MARKER")" == "$NATS_VERSION" ]]; then
        return 0
    fi
    command -v go >/dev/null 2>&1 || die "go is needed to build nats-server $NATS_VERSION"
    mkdir -p "$BIN_DIR"
    exec 9>"$BIN_DIR/.nats-build.lock"
    flock 9
    if [[ -x "$NATS_BIN" && -f "$VERSION_MARKER" && "$(cat "$VERSION_MARKER")" == "$NATS_VERSION" ]]; then
        return 0
    fi
    log "building nats-server $NATS_VERSION (go install, once)"
    local tmp
    tmp="$(mktemp -d)"
    GOBIN="$tmp" go install "$NATS_MODULE@$NATS_VERSION"
    mv -f "$tmp/nats-server" "$NATS_BIN"
    rmdir "$tmp"
    printf '%s\n' "$NATS_VERSION" >"$VERSION_MARKER"
    log "built $NATS_BIN"
}

start() {
    if answering; then
        return 0
    fi
    build
    mkdir -p "$RUN_DIR"
    exec 8>"$RUN_DIR/.start.lock"
    flock 8
    if answering; then
        return 0
    fi
    nohup "$NATS_BIN" -a "$HOST" -p "$PORT" --pid "$PID_FILE" >"$LOG_FILE" 2>&1 &
    local pid=$!
    for ((i = 0; i < START_WAIT * 10; i++)); do
        if answering; then
            log "nats-server $NATS_VERSION on $HOST:$PORT (pid $pid, log $LOG_FILE)"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || die "nats-server exited; see $LOG_FILE"
        sleep 0.1
    done
    die "nats-server did not answer on $HOST:$PORT within ${START_WAIT}s; see $LOG_FILE"
}

stop() {
    [[ -f "$PID_FILE" ]] || { log "not started by this script (no $PID_FILE)"; return 0; }
    local pid
    pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -f "$PID_FILE"
}

status() {
    if answering; then
        echo "nats-server answering on $HOST:$PORT"
    else
        echo "nats-server not answering on $HOST:$PORT"
        return 1
    fi
}

case "${1:-}" in
    build) build ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $0 build|start|stop|status" ;;
esac
