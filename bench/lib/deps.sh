# bench/lib/deps.sh — the programs the harness calls, installed when missing, the way
# scripts/postgres.sh installs PostgreSQL: with apt-get when this runs as root or sudo works without
# a password; otherwise the harness stops and prints the one command that installs them. A new user
# who just ran ./run.sh (which installs only PostgreSQL and builds MinIO) therefore never meets
# "gnuplot is required". Sourced by run.sh.
#
# BENCH_INSTALL=0 never installs: the harness only prints the command and stops.
# Not installed here: Java 17 and Maven (./run.sh needs them already) and Go (warp and MinIO are
# built from source with it, as minio-dev/minio.sh does).
# shellcheck shell=bash

# Debian package  command it provides (a name on PATH, or an absolute path that must be executable)
BENCH_DEPS=(
    "curl        curl"
    "jq          jq"
    "zstd        zstdcat"
    "gnuplot-nox gnuplot"
    "openssl     openssl"
    "awscli      /usr/bin/aws"
    "procps      pgrep"
    "util-linux  flock"
)
# needed, but no package of ours provides them: say what to do
BENCH_DEPS_MANUAL=(
    "java  a JDK 17 (Debian: openjdk-17-jdk-headless), as ./run.sh and mvn need"
    "jcmd  a JDK 17 (Debian: openjdk-17-jdk-headless), not only a JRE"
    "go    Go 1.21 or later (https://go.dev/dl/), which builds warp and MinIO"
)

deps_have() {
    if [[ "$1" == /* ]]; then [[ -x "$1" ]]; else command -v "$1" >/dev/null 2>&1; fi
}

# The Debian packages whose command is missing, one line.
deps_missing() {
    local entry pkg check out=()
    for entry in "${BENCH_DEPS[@]}"; do
        read -r pkg check <<<"$entry"
        deps_have "$check" || out+=("$pkg")
    done
    echo "${out[*]}"
}

deps_as_root() {
    if ((EUID == 0)); then "$@"; else sudo -n "$@"; fi
}

# bench_deps: installs what is missing, or stops with the command that would.
bench_deps() {
    local entry cmd what manual=()
    for entry in "${BENCH_DEPS_MANUAL[@]}"; do
        read -r cmd what <<<"$entry"
        deps_have "$cmd" || manual+=("$cmd: $what")
    done
    ((${#manual[@]} == 0)) || die "missing, install by hand: $(printf '%s; ' "${manual[@]}")"
    local missing
    missing="$(deps_missing)"
    [[ -n "$missing" ]] || return 0
    local command="apt-get install -y --no-install-recommends $missing"
    local can=0
    if [[ "${BENCH_INSTALL:-1}" != 0 ]] && command -v apt-get >/dev/null 2>&1; then
        if ((EUID == 0)) || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then can=1; fi
    fi
    if ((!can)); then
        ((EUID == 0)) || command="sudo $command"
        die "missing programs; install them with: $command"
    fi
    log "installing the missing packages: $missing"
    # only refresh the package lists when apt does not know a package yet (as scripts/postgres.sh)
    local pkg
    for pkg in $missing; do
        if ! apt-cache show "$pkg" >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive deps_as_root apt-get update -q >&2 || true
            break
        fi
    done
    # shellcheck disable=SC2086  # a list of package names
    DEBIAN_FRONTEND=noninteractive deps_as_root apt-get install -y -q --no-install-recommends $missing >&2 9>&- ||
        die "could not install: $missing (run: $command)"
    missing="$(deps_missing)"
    [[ -z "$missing" ]] || die "installed, but still missing on PATH: $missing"
    log "installed; all programs present"
}
