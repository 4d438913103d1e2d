#!/usr/bin/env bash
# run.sh — start everything sse-proxy needs on this machine and run the proxy in
# the foreground: PostgreSQL (scripts/postgres.sh), MinIO as the S3 backend
# (minio-dev/minio.sh), build the app if it is stale, then `java -jar`.
# Ctrl-C (INT/TERM) stops the app and whatever this script itself started.
#
# Environment (all optional): SSE_PROXY_JAVA_OPTS, SSE_PROXY_ROOT_ACCESS_KEY,
# SSE_PROXY_ROOT_SECRET_KEY, SSE_PROXY_DATA_DIR, MINIO_ROOT_USER,
# MINIO_ROOT_PASSWORD, SSE_PROXY_MINIO_PORT (plus those of the two scripts).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT_DIR="$(pwd)"
JAR="target/quarkus-app/quarkus-run.jar"
MINIO_PORT="${SSE_PROXY_MINIO_PORT:-9000}"
MINIO_HEALTH="http://127.0.0.1:$MINIO_PORT/minio/health/live"
PG_MARKER="/tmp/sse-proxy-postgres.started"

log() { printf 'run.sh: %s\n' "$*" >&2; }

APP_PID=""
STARTED_MINIO=0
STARTED_PG=0

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
        log "stopping sse-proxy (pid $APP_PID)"
        kill -TERM "$APP_PID" 2>/dev/null || true
        local i
        for ((i = 0; i < 150; i++)); do
            kill -0 "$APP_PID" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$APP_PID" 2>/dev/null; then
            log "sse-proxy did not stop within 30s; killing it"
            kill -KILL "$APP_PID" 2>/dev/null || true
        fi
        wait "$APP_PID" 2>/dev/null || true
    fi
    if ((STARTED_MINIO)); then
        "$ROOT_DIR/minio-dev/minio.sh" stop || true
    fi
    if ((STARTED_PG)); then
        "$ROOT_DIR/scripts/postgres.sh" stop || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

minio_live() {
    [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$MINIO_HEALTH" 2>/dev/null || true)" == "200" ]]
}

# --- PostgreSQL ---------------------------------------------------------------
# We started it if it was not answering before and postgres.sh left its marker.
pg_was_up=0
pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && pg_was_up=1
scripts/postgres.sh ensure
if ((!pg_was_up)) && [[ -f "$PG_MARKER" ]]; then
    STARTED_PG=1
fi

# --- MinIO --------------------------------------------------------------------
if ! minio_live; then
    STARTED_MINIO=1
fi
minio-dev/minio.sh start

# --- build --------------------------------------------------------------------
needs_build=0
if [[ ! -f "$JAR" ]]; then
    needs_build=1
elif [[ -n "$(find src pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]]; then
    needs_build=1
fi
if ((needs_build)); then
    log "building sse-proxy (mvn -B -q -DskipTests package)"
    mvn -B -q -ntp -DskipTests package
    [[ -f "$JAR" ]] || { log "build finished but $JAR is missing"; exit 1; }
else
    log "$JAR is up to date; skipping the build"
fi

# --- environment for the app --------------------------------------------------
export SSE_PROXY_ROOT_ACCESS_KEY="${SSE_PROXY_ROOT_ACCESS_KEY:-sseproxy-root}"
export SSE_PROXY_ROOT_SECRET_KEY="${SSE_PROXY_ROOT_SECRET_KEY:-sseproxy-root-secret-change-me}"
export SSE_PROXY_BACKEND_ENDPOINT="http://127.0.0.1:$MINIO_PORT"
export SSE_PROXY_BACKEND_ACCESS_KEY="${MINIO_ROOT_USER:-sseproxy-minio}"
export SSE_PROXY_BACKEND_SECRET_KEY="${MINIO_ROOT_PASSWORD:-sseproxy-minio-secret}"
export DB_URL="postgresql://127.0.0.1:5432/sseproxy"
export DB_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/sseproxy"
export DB_USER="sseproxy"
export DB_PASSWORD="sseproxy"
export SSE_PROXY_DATA_DIR="${SSE_PROXY_DATA_DIR:-$HOME/.local/share/sse-proxy}"
mkdir -p "$SSE_PROXY_DATA_DIR"
if [[ -z "${SSE_PROXY_TLS_CERT:-}" ]]; then
    # a self-signed certificate for the S3-over-TLS port, made once in the data dir
    { read -r SSE_PROXY_TLS_CERT; read -r SSE_PROXY_TLS_KEY; } < <("$ROOT_DIR/scripts/tls-cert.sh" "$SSE_PROXY_DATA_DIR")
    export SSE_PROXY_TLS_CERT SSE_PROXY_TLS_KEY
fi

cat <<EOF

  sse-proxy S3 endpoint : http://127.0.0.1:8080
  S3 over TLS           : https://127.0.0.1:8443 (certificate $SSE_PROXY_TLS_CERT)
  management port       : http://127.0.0.1:9090
  root access key       : $SSE_PROXY_ROOT_ACCESS_KEY
  root secret key       : $SSE_PROXY_ROOT_SECRET_KEY
  backend (MinIO)       : $SSE_PROXY_BACKEND_ENDPOINT
  data dir              : $SSE_PROXY_DATA_DIR
  Press Ctrl-C to stop.

EOF

# --- run ----------------------------------------------------------------------
# Run in the background and wait, so that INT/TERM reach this script's trap,
# which forwards a TERM to the JVM (graceful Quarkus shutdown) and then cleans up.
# shellcheck disable=SC2086  # SSE_PROXY_JAVA_OPTS is intentionally word-split
java ${SSE_PROXY_JAVA_OPTS:-} -jar "$JAR" &
APP_PID=$!
wait "$APP_PID"
