# bench/lib/common.sh — logging, the '|'-separated data tables, signed curl. Sourced by run.sh.
# shellcheck shell=bash

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

# Prints the data lines of a '|'-separated table (comments and blank lines dropped), each field
# trimmed, fields joined by '|'.
table_rows() {
    awk -F'|' '
        /^[[:space:]]*(#|$)/ { next }
        {
            out = ""
            for (i = 1; i <= NF; i++) {
                f = $i
                gsub(/^[[:space:]]+|[[:space:]]+$/, "", f)
                out = out (i > 1 ? "|" : "") f
            }
            print out
        }' "$1"
}

# "-" means "empty" in the tables.
dash_empty() {
    if [[ "$1" != "-" ]]; then
        printf '%s' "$1"
    fi
}

# Bytes for a warp-style size: 4KiB, 1MiB, 64MiB, 1GiB, or a plain number.
size_bytes() {
    local s="$1"
    case "$s" in
        *KiB) echo $((${s%KiB} * 1024)) ;;
        *MiB) echo $((${s%MiB} * 1024 * 1024)) ;;
        *GiB) echo $((${s%GiB} * 1024 * 1024 * 1024)) ;;
        *[!0-9]*) die "cannot read size '$s'" ;;
        *) echo "$s" ;;
    esac
}

# Seconds from a warp duration (5s, 2m) or a plain number.
duration_seconds() {
    local d="$1"
    case "$d" in
        *ms) echo 1 ;;
        *s) echo "${d%s}" ;;
        *m) echo $((${d%m} * 60)) ;;
        *) echo "$d" ;;
    esac
}

# s3_curl ENDPOINT ACCESS SECRET METHOD PATH [curl args...]
# A SigV4-signed request (curl --aws-sigv4). Bodies are sent as UNSIGNED-PAYLOAD unless the
# caller passes its own x-amz-content-sha256. Prints nothing itself: pass -o/-w as needed.
# (curl 7.88 signs "?encryption" without "=", which S3 and the proxy reject: use "?encryption=".)
s3_curl() {
    local endpoint="$1" ak="$2" sk="$3" method="$4" path="$5"
    shift 5
    local sha=(-H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
    local a
    for a in "$@"; do
        if [[ "$a" == x-amz-content-sha256:* ]]; then
            sha=()
        fi
    done
    curl -sS -k --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ak:$sk" -X "$method" "${sha[@]}" \
        "$@" "$endpoint$path"
}

# Median of the numbers on stdin ("-" and empty lines ignored); prints "-" when there are none
# (and succeeds: grep finding nothing must not fail a `v="$(... | median)"` under pipefail).
median() {
    { grep -Ev '^(-|)$' || true; } | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

max_of() {
    grep -Ev '^(-|)$' | sort -g | tail -n 1 | grep . || echo "-"
}
