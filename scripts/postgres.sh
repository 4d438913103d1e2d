#!/usr/bin/env bash
# scripts/postgres.sh — make a local PostgreSQL (Debian cluster) available for
# sse-proxy on 127.0.0.1:5432 with role/database "sseproxy" (password "sseproxy").
#
# Usage:
#   scripts/postgres.sh ensure        install (apt) if missing, start the cluster if down,
#                                     create role + database, wait until ready
#   scripts/postgres.sh createdb NAME ensure, then create database NAME owned by sseproxy
#   scripts/postgres.sh recreatedb NAME  ensure, then drop NAME (if any) and create it empty
#   scripts/postgres.sh stop          stop the cluster, only if this script started it
#   scripts/postgres.sh status
#
# Idempotent and safe to run concurrently (flock). The "started by this script"
# marker lives at /tmp/sse-proxy-postgres.started.
set -euo pipefail

PG_HOST="127.0.0.1"
PG_PORT="5432"
APP_ROLE="sseproxy"
APP_PASSWORD="sseproxy"
APP_DB="sseproxy"
MARKER="/tmp/sse-proxy-postgres.started"
LOCK_FILE="/tmp/sse-proxy-postgres.lock"
HBA_TAG="# added by sse-proxy scripts/postgres.sh"
READY_WAIT="${SSE_PROXY_PG_WAIT:-60}"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
    if ((EUID == 0)); then "$@"; else sudo -n "$@"; fi
}

as_postgres() {
    if ((EUID == 0)); then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -n -u postgres "$@")
    fi
}

# Superuser psql over the Unix socket of the selected cluster (peer auth).
su_psql() {
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$CLUSTER_PORT" "$@"
}

lock() {
    exec 9>>"$LOCK_FILE"
    flock 9
}

server_installed() {
    command -v pg_lsclusters >/dev/null 2>&1 &&
        command -v pg_ctlcluster >/dev/null 2>&1 &&
        compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

install_server() {
    server_installed && return 0
    log "PostgreSQL server not found; installing the 'postgresql' package"
    export DEBIAN_FRONTEND=noninteractive
    # Only refresh the package lists when apt does not know the package yet.
    if ! apt-cache show postgresql >/dev/null 2>&1; then
        as_root apt-get update
    fi
    # 9>&-: a server started by the package's postinst must not inherit our flock fd.
    if ! as_root apt-get install -y --no-install-recommends postgresql 9>&-; then
        log "install failed; refreshing package lists and retrying once"
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends postgresql 9>&-
    fi
    server_installed || die "postgresql installed but pg_ctlcluster / server binary still missing"
}

# Sets CLUSTER_VER, CLUSTER_NAME, CLUSTER_PORT, CLUSTER_STATUS for the cluster on
# port 5432, creating one if there is none.
select_cluster() {
    local line
    line="$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p { print; exit }')"
    if [[ -z "$line" ]]; then
        local ver name="main"
        ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
        [[ -n "$ver" ]] || die "no PostgreSQL version found under /usr/lib/postgresql"
        if pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v && $2 == "main" { f = 1 } END { exit !f }'; then
            name="sseproxy"
        fi
        log "no cluster on port $PG_PORT; creating cluster $ver/$name"
        as_root pg_createcluster "$ver" "$name" -p "$PG_PORT" >&2 9>&-
        line="$(pg_lsclusters -h | awk -v p="$PG_PORT" '$3 == p { print; exit }')"
        [[ -n "$line" ]] || die "pg_createcluster did not produce a cluster on port $PG_PORT"
    fi
    read -r CLUSTER_VER CLUSTER_NAME CLUSTER_PORT CLUSTER_STATUS _ <<<"$line"
}

wait_ready() {
    local deadline=$((SECONDS + READY_WAIT))
    until pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; do
        if ((SECONDS >= deadline)); then
            log "pg_isready -h $PG_HOST -p $PG_PORT still failing after ${READY_WAIT}s; log tail:"
            as_root tail -n 30 "/var/log/postgresql/postgresql-$CLUSTER_VER-$CLUSTER_NAME.log" >&2 || true
            die "PostgreSQL $CLUSTER_VER/$CLUSTER_NAME is not ready"
        fi
        sleep 0.5
    done
}

start_cluster() {
    if [[ "$CLUSTER_STATUS" == online* ]]; then
        return 0
    fi
    log "starting cluster $CLUSTER_VER/$CLUSTER_NAME (port $CLUSTER_PORT)"
    # 9>&-: the server must not inherit (and so hold forever) our flock fd.
    as_root pg_ctlcluster "$CLUSTER_VER" "$CLUSTER_NAME" start 9>&-
    printf '%s %s\n' "$CLUSTER_VER" "$CLUSTER_NAME" >"$MARKER"
}

ensure_role_and_db() {
    su_psql -d postgres -v role="$APP_ROLE" -v pw="$APP_PASSWORD" -v db="$APP_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role'
               AND (NOT rolcanlogin OR NOT rolcreatedb))
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
}

app_login_ok() {
    PGPASSWORD="$APP_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -w -h "$PG_HOST" -p "$PG_PORT" \
        -U "$APP_ROLE" -d "$APP_DB" -tAc 'select 1' >/dev/null 2>&1
}

# Debian's default pg_hba.conf already allows scram-sha-256 on 127.0.0.1/32.
# Verify with a real password login; only if that fails, make sure the password
# is the expected one and put a password rule for sseproxy first in pg_hba.conf.
ensure_password_login() {
    app_login_ok && return 0
    log "password login as $APP_ROLE on $PG_HOST failed; resetting password and checking pg_hba.conf"
    su_psql -d postgres -v role="$APP_ROLE" -v pw="$APP_PASSWORD" <<'SQL'
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
\gexec
SQL
    app_login_ok && return 0
    local hba
    hba="$(su_psql -d postgres -tAc 'SHOW hba_file')"
    if ! as_root grep -qF "$HBA_TAG" "$hba"; then
        log "prepending a scram-sha-256 rule for $APP_ROLE on 127.0.0.1/32 to $hba"
        local tmp
        tmp="$(mktemp)"
        {
            echo "$HBA_TAG"
            printf 'host    all    %s    127.0.0.1/32    scram-sha-256\n' "$APP_ROLE"
            as_root cat "$hba"
        } >"$tmp"
        as_root cp "$hba" "$hba.sse-proxy.bak"
        # shellcheck disable=SC2016  # expanded by the inner sh
        as_root sh -c 'cat "$1" > "$2"' sh "$tmp" "$hba"
        rm -f "$tmp"
        su_psql -d postgres -tAc 'SELECT pg_reload_conf()' >/dev/null
        sleep 1
    fi
    app_login_ok || die "cannot log in as $APP_ROLE with a password on $PG_HOST:$PG_PORT (see $hba)"
}

do_ensure() {
    install_server
    select_cluster
    start_cluster
    wait_ready
    ensure_role_and_db
    ensure_password_login
}

cmd_ensure() {
    lock
    do_ensure
    log "PostgreSQL $CLUSTER_VER/$CLUSTER_NAME ready: postgresql://$APP_ROLE@$PG_HOST:$PG_PORT/$APP_DB"
}

cmd_createdb() {
    local name="${1:-}"
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_-]{0,62}$ ]] || die "invalid database name: '${name}'"
    lock
    do_ensure
    su_psql -d postgres -v db="$name" -v role="$APP_ROLE" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
    log "database '$name' ready (owner $APP_ROLE)"
}

cmd_recreatedb() {
    local name="${1:-}"
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_-]{0,62}$ ]] || die "invalid database name: '${name}'"
    lock
    do_ensure
    su_psql -d postgres -v db="$name" <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db')
\gexec
SQL
    su_psql -d postgres -v db="$name" -v role="$APP_ROLE" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
\gexec
SQL
    log "database '$name' recreated empty (owner $APP_ROLE)"
}

cmd_stop() {
    lock
    if [[ ! -f "$MARKER" ]]; then
        log "PostgreSQL was not started by this script; leaving it alone"
        return 0
    fi
    local ver name
    read -r ver name _ <"$MARKER" || true
    if [[ -n "${ver:-}" && -n "${name:-}" ]] && command -v pg_ctlcluster >/dev/null 2>&1; then
        if pg_lsclusters -h 2>/dev/null | awk -v v="$ver" -v n="$name" '$1 == v && $2 == n && $4 ~ /^online/ { f = 1 } END { exit !f }'; then
            log "stopping cluster $ver/$name (started by this script)"
            as_root pg_ctlcluster "$ver" "$name" stop 9>&-
        else
            log "cluster $ver/$name is already down"
        fi
    fi
    rm -f "$MARKER"
}

cmd_status() {
    if command -v pg_lsclusters >/dev/null 2>&1; then
        pg_lsclusters
    else
        echo "PostgreSQL server not installed"
    fi
    if [[ -f "$MARKER" ]]; then
        echo "started by this script: $(cat "$MARKER")"
    else
        echo "started by this script: no"
    fi
    pg_isready -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null || return 3
}

case "${1:-}" in
    ensure) cmd_ensure ;;
    createdb)
        shift
        cmd_createdb "$@"
        ;;
    recreatedb)
        shift
        cmd_recreatedb "$@"
        ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 ensure|createdb NAME|recreatedb NAME|stop|status" >&2
        exit 2
        ;;
esac
