#!/usr/bin/env bash
# scripts/helm-tools.sh — the tools the chart's tests use, built/installed once into the same cache
# as the MinIO build (minio-dev/minio.sh):
#   $SSE_PROXY_TOOLS/bin/helm                 go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION
#   $SSE_PROXY_TOOLS/venv-kv/bin/kubernetes-validate   pip install kubernetes-validate==$KV_VERSION
#                                             (ships the Kubernetes OpenAPI schemas: offline)
#
# Usage: scripts/helm-tools.sh ensure   build/install whatever is missing, print "helm=<path>" and
#                                       "kubernetes-validate=<path>"
#        scripts/helm-tools.sh helm|kubernetes-validate   print that tool's path (ensure first)
#
# Idempotent: nothing is rebuilt when the pinned versions are present. Concurrent callers wait on
# one lock (flock), so two test runs never build twice.
set -euo pipefail

HELM_VERSION="v4.3.2"
HELM_MODULE="helm.sh/helm/v4"
KV_VERSION="1.37.0"

TOOLS_DIR="${SSE_PROXY_TOOLS:-$HOME/.cache/sse-proxy}"
BIN_DIR="$TOOLS_DIR/bin"
HELM_BIN="$BIN_DIR/helm"
HELM_MARKER="$BIN_DIR/helm.version"
VENV="$TOOLS_DIR/venv-kv"
KV_BIN="$VENV/bin/kubernetes-validate"
KV_MARKER="$VENV/kubernetes-validate.version"
LOCK="$TOOLS_DIR/.helm-tools.lock"

log() { printf 'helm-tools.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

helm_current() { [[ -x "$HELM_BIN" && -f "$HELM_MARKER" && "$(cat "$HELM_MARKER")" == "$HELM_VERSION" ]]; }
kv_current() { [[ -x "$KV_BIN" && -f "$KV_MARKER" && "$(cat "$KV_MARKER")" == "$KV_VERSION" ]]; }

build_helm() {
    helm_current && return 0
    command -v go >/dev/null 2>&1 || die "go is needed to build helm ($HELM_MODULE@$HELM_VERSION)"
    log "building helm $HELM_VERSION with go install (once; cached in $BIN_DIR)"
    local start=$SECONDS tmp
    tmp="$(mktemp -d "$BIN_DIR/.helm-build.XXXXXX")"
    GOBIN="$tmp" CGO_ENABLED=0 go install "$HELM_MODULE/cmd/helm@$HELM_VERSION" \
        || { rm -rf "$tmp"; die "go install $HELM_MODULE/cmd/helm@$HELM_VERSION failed"; }
    mv -f "$tmp/helm" "$HELM_BIN"
    rm -rf "$tmp"
    printf '%s\n' "$HELM_VERSION" >"$HELM_MARKER"
    log "helm $HELM_VERSION built in $((SECONDS - start)) s"
}

install_kv() {
    kv_current && return 0
    command -v python3 >/dev/null 2>&1 || die "python3 is needed for kubernetes-validate"
    log "installing kubernetes-validate $KV_VERSION into $VENV (once)"
    local start=$SECONDS
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==$KV_VERSION" \
        || die "pip install kubernetes-validate==$KV_VERSION failed"
    printf '%s\n' "$KV_VERSION" >"$KV_MARKER"
    log "kubernetes-validate $KV_VERSION installed in $((SECONDS - start)) s"
}

ensure() {
    mkdir -p "$BIN_DIR"
    if helm_current && kv_current; then return 0; fi
    exec 9>"$LOCK"
    flock 9
    build_helm
    install_kv
    flock -u 9
}

case "${1:-ensure}" in
    ensure)
        ensure
        echo "helm=$HELM_BIN"
        echo "kubernetes-validate=$KV_BIN"
        ;;
    helm) ensure; echo "$HELM_BIN" ;;
    kubernetes-validate) ensure; echo "$KV_BIN" ;;
    *) die "usage: $0 ensure|helm|kubernetes-validate" ;;
esac
