#!/usr/bin/env bash
# vault-dev/stop.sh — stop the dev server that vault-dev/start.sh started (and only that one).
# Its state was in memory: keys, tokens and policies are gone afterwards.
set -euo pipefail

RUN_DIR="${SSE_PROXY_VAULT_RUN_DIR:-/tmp/sse-proxy-vault-dev}"
PID_FILE="$RUN_DIR/server.pid"

if [[ ! -f "$PID_FILE" ]]; then
    printf 'vault-dev: not running (no %s)\n' "$PID_FILE" >&2
    exit 0
fi
pid="$(cat "$PID_FILE")"
if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        printf 'vault-dev: pid %s did not stop on SIGTERM\n' "$pid" >&2
        exit 1
    fi
fi
rm -f "$PID_FILE" "$RUN_DIR/env"
printf 'vault-dev: stopped\n' >&2
