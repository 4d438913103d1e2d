#!/usr/bin/env bash
# vault-dev/start.sh — start a throw-away Vault (or OpenBao) dev server on 127.0.0.1 for
# sse-proxy: Transit enabled at the configured mount, the SSE-S3 root key, a least-privilege
# policy, a token and an AppRole bound to it. Prints the `export` lines to use (stdout); progress
# goes to stderr, so this works:
#
#   eval "$(vault-dev/start.sh)"
#   mvn -B -q test -Dtest='dev.sseproxy.kms.RealVaultKmsContractTest'
#   vault-dev/stop.sh
#
# Needs `vault` (HashiCorp Vault) or `bao` (OpenBao) on PATH, and curl. Neither server can be
# installed on the sse-proxy build machines: there the Vault adapter is tested against
# src/test/java/dev/sseproxy/kms/TransitTestServer.java instead.
#
# Environment (all optional):
#   VAULT_BIN                          server/CLI binary (default: `vault`, else `bao`, from PATH)
#   SSE_PROXY_VAULT_PORT               listen port on 127.0.0.1 (default: 8200)
#   SSE_PROXY_VAULT_RUN_DIR            pid file, log, env file (default: /tmp/sse-proxy-vault-dev)
#   SSE_PROXY_KMS_VAULT_MOUNT          Transit mount path (default: transit)
#   SSE_PROXY_KMS_SSE_S3_KEY_NAME      SSE-S3 root key name (default: sse-proxy-sse-s3)
#   SSE_PROXY_VAULT_WAIT               seconds to wait for the server (default: 30)
#
# The dev server keeps everything in memory, unsealed, with a root token: for development and
# tests only. A second run while the server is up prints the same exports again.
set -euo pipefail

HOST="127.0.0.1"
PORT="${SSE_PROXY_VAULT_PORT:-8200}"
RUN_DIR="${SSE_PROXY_VAULT_RUN_DIR:-/tmp/sse-proxy-vault-dev}"
MOUNT="${SSE_PROXY_KMS_VAULT_MOUNT:-transit}"
SSE_S3_KEY="${SSE_PROXY_KMS_SSE_S3_KEY_NAME:-sse-proxy-sse-s3}"
WAIT="${SSE_PROXY_VAULT_WAIT:-30}"
PID_FILE="$RUN_DIR/server.pid"
LOG_FILE="$RUN_DIR/server.log"
ENV_FILE="$RUN_DIR/env"
ADDR="http://$HOST:$PORT"
POLICY="sse-proxy"

log() { printf 'vault-dev: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_binary() {
    if [[ -n "${VAULT_BIN:-}" ]]; then
        command -v "$VAULT_BIN" || die "VAULT_BIN=$VAULT_BIN is not an executable"
    elif command -v vault >/dev/null 2>&1; then
        command -v vault
    elif command -v bao >/dev/null 2>&1; then
        command -v bao
    else
        die "neither 'vault' (HashiCorp Vault) nor 'bao' (OpenBao) is on PATH.
  Install one (https://developer.hashicorp.com/vault/install or https://openbao.org/docs/install/)
  and run this again. Without either, the Vault adapter's contract tests run against the in-process
  TransitTestServer only (RealVaultKmsContractTest is skipped)."
    fi
}

running() {
    [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

healthy() {
    # 200: initialized, unsealed, active (what a dev server is once up)
    curl -fs -o /dev/null --max-time 2 "$ADDR/v1/sys/health"
}

random_hex() {
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

start_server() {
    local bin="$1" root_token="$2"
    if healthy; then
        die "something already answers on $ADDR (not started by this script); stop it or set SSE_PROXY_VAULT_PORT"
    fi
    log "starting $(basename "$bin") dev server on $ADDR (log: $LOG_FILE)"
    nohup "$bin" server -dev -dev-listen-address="$HOST:$PORT" -dev-root-token-id="$root_token" \
        >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    local waited=0
    until healthy; do
        if ! running; then
            tail -n 20 "$LOG_FILE" >&2 || true
            die "the dev server exited during start"
        fi
        if ((waited >= WAIT)); then
            die "the dev server did not become healthy within ${WAIT}s"
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

write_policy() {
    local bin="$1"
    # Least privilege for sse-proxy on its Transit mount: envelope operations on any key of the
    # mount (customer keys are created at run time), key create/read/rotate/config (the aws/s3 keys
    # are created on first use; reads check derived=true and report versions; config sets
    # min_decryption_version). No delete, export, backup, restore, trim or import; no wrapped-only
    # data keys; encrypt has no "create", so it never upserts a key.
    "$bin" policy write "$POLICY" - >/dev/null <<HCL
path "$MOUNT/datakey/plaintext/+" { capabilities = ["update"] }
path "$MOUNT/encrypt/+"           { capabilities = ["update"] }
path "$MOUNT/decrypt/+"           { capabilities = ["update"] }
path "$MOUNT/rewrap/+"            { capabilities = ["update"] }
path "$MOUNT/keys/+"              { capabilities = ["create", "read", "update"] }
path "$MOUNT/keys/+/rotate"       { capabilities = ["update"] }
path "$MOUNT/keys/+/config"       { capabilities = ["update"] }
HCL
}

configure() {
    local bin="$1"
    log "enabling transit at '$MOUNT/'"
    "$bin" secrets enable -path="$MOUNT" transit >/dev/null
    log "creating the SSE-S3 root key '$SSE_S3_KEY' (aes256-gcm96, derived)"
    "$bin" write -f "$MOUNT/keys/$SSE_S3_KEY" type=aes256-gcm96 derived=true >/dev/null
    log "writing policy '$POLICY'"
    write_policy "$bin"
    local proxy_token role_id secret_id
    proxy_token="$("$bin" token create -policy="$POLICY" -period=24h -field=token)"
    "$bin" auth enable approle >/dev/null
    "$bin" write auth/approle/role/sse-proxy token_policies="$POLICY" token_ttl=1h token_max_ttl=24h >/dev/null
    role_id="$("$bin" read -field=role_id auth/approle/role/sse-proxy/role-id)"
    secret_id="$("$bin" write -f -field=secret_id auth/approle/role/sse-proxy/secret-id)"

    (
        umask 077
        cat >"$ENV_FILE" <<ENV
# $(basename "$bin") dev server on $ADDR (pid $(cat "$PID_FILE"), log $LOG_FILE); stop: vault-dev/stop.sh
# Contract tests (RealVaultKmsContractTest) with the proxy's least-privilege token:
export VAULT_ADDR=$ADDR
export VAULT_TOKEN=$proxy_token
export VAULT_TRANSIT_MOUNT=$MOUNT
# sse-proxy itself (AppRole):
export SSE_PROXY_KMS_PROVIDER=vault
export SSE_PROXY_KMS_VAULT_ADDRESS=$ADDR
export SSE_PROXY_KMS_VAULT_MOUNT=$MOUNT
export SSE_PROXY_KMS_VAULT_AUTH_METHOD=approle
export SSE_PROXY_KMS_VAULT_AUTH_ROLE_ID=$role_id
export SSE_PROXY_KMS_VAULT_AUTH_SECRET_ID=$secret_id
# Administration only (root): VAULT_TOKEN=$ROOT_TOKEN
ENV
    )
}

main() {
    command -v curl >/dev/null 2>&1 || die "curl is required"
    local bin
    bin="$(find_binary)"
    mkdir -p "$RUN_DIR"
    chmod 700 "$RUN_DIR"
    if running && [[ -f "$ENV_FILE" ]] && healthy; then
        log "already running (pid $(cat "$PID_FILE"))"
        cat "$ENV_FILE"
        exit 0
    fi
    ROOT_TOKEN="root-$(random_hex)"
    start_server "$bin" "$ROOT_TOKEN"
    # the CLI of either product reads VAULT_*; OpenBao's also reads BAO_*
    export VAULT_ADDR="$ADDR" VAULT_TOKEN="$ROOT_TOKEN" BAO_ADDR="$ADDR" BAO_TOKEN="$ROOT_TOKEN"
    configure "$bin"
    log "ready"
    cat "$ENV_FILE"
}

main "$@"
