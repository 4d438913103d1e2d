#!/usr/bin/env bash
# scripts/ci-deps.sh — install (only when missing) the Debian packages that the
# sse-proxy test suite needs: postgresql, awscli (v2, /usr/bin/aws), s3cmd,
# rclone, gnuplot, curl, jq, chromium (headless, for the coverage page test). Does nothing when all are present.
#
# Notes:
#   * `aws` on PATH may be a pyenv shim for AWS CLI v1; the tests call the Debian
#     AWS CLI v2 as /usr/bin/aws, so that exact path is what is checked.
#   * gnuplot is installed as `gnuplot-nox` (the `gnuplot` metapackage would pull
#     in gnuplot-qt and Qt/X11 with --no-install-recommends).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

as_root() {
    if ((EUID == 0)); then "$@"; else sudo -n "$@"; fi
}

pkg_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# package-to-install  check (a command name, or an absolute path that must be executable)
checks=(
    "postgresql     pg_ctlcluster"
    "awscli         /usr/bin/aws"
    "s3cmd          s3cmd"
    "rclone         rclone"
    "gnuplot-nox    gnuplot"
    "curl           curl"
    "jq             jq"
    "chromium       chromium"
)

missing=()
for entry in "${checks[@]}"; do
    read -r pkg check <<<"$entry"
    if [[ "$check" == /* ]]; then
        [[ -x "$check" ]] && continue
    elif command -v "$check" >/dev/null 2>&1; then
        # postgresql also needs a server binary, not only the client wrappers.
        if [[ "$pkg" != postgresql ]] || pkg_installed postgresql; then
            continue
        fi
    fi
    missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    echo "ci-deps: all packages present"
    exit 0
fi

echo "ci-deps: installing ${missing[*]}"
as_root apt-get update -q
as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "ci-deps: done"
