# bench/lib/machine.sh — what the machine is and how busy others keep it. Sourced by run.sh.
# shellcheck shell=bash

machine_summary() {
    local cpu mem
    cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    mem="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    printf '%s cores (nproc), %s RAM, %s, %s' "$(nproc)" "$mem" "${cpu:-unknown CPU}" "$(uname -sr)"
}

# Busy CPU ticks of the whole machine (/proc/stat: user nice system irq softirq steal).
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# CPU ticks of this script and every child it has waited for (utime stime cutime cstime).
self_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$$/stat"; }

# CPU ticks of the services we drive: PostgreSQL, and the MinIO servers this run started (children
# of this shell; f[2] is the parent's pid). Another MinIO, such as the development one on 9000 that
# the tests use, counts as another process: it takes CPU from the run.
# (A process that ends between the glob and cat's read makes cat fail: under pipefail and set -e
# that ended the whole run on a busy machine, silently, right after its first line.)
service_ticks() {
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v self="$$" '
        { c = $0; sub(/^[0-9]+ \(/, "", c); sub(/\).*$/, "", c); r = $0; sub(/^.*\) /, "", r); split(r, f, " ")
          if ((c == "minio" && f[2] == self) || c ~ /^postgres/) t += f[12] + f[13] }
        END { print t + 0 }'
}

# Starts the accounting of CPU used by other processes during the run.
others_begin() {
    OTHERS_T0=$SECONDS
    OTHERS_BUSY0="$(machine_busy_ticks)"
    OTHERS_SELF0="$(self_ticks)"
    OTHERS_SVC0="$(service_ticks)"
}

# "X CPU-s (Y% of the machine over Z s)": CPU the machine spent outside this run, its MinIOs and
# PostgreSQL (that is, other people's builds, tests and servers, and any other MinIO).
others_end() {
    local busy self svc hz
    busy="$(machine_busy_ticks)"
    self="$(self_ticks)"
    svc="$(service_ticks)"
    hz="$(getconf CLK_TCK)"
    awk -v b="$((busy - OTHERS_BUSY0))" -v s="$((self - OTHERS_SELF0))" -v v="$((svc - OTHERS_SVC0))" \
        -v hz="$hz" -v wall="$((SECONDS - OTHERS_T0))" -v n="$(nproc)" 'BEGIN {
        o = (b - s - v) / hz; if (o < 0) o = 0
        printf "%.0f CPU-s (%.1f%% of %d cores over %d s)", o, (wall > 0 ? 100 * o / (wall * n) : 0), n, wall }'
}

# Other people's Maven builds and JVMs, one per line ("pid command"), excluding our own tree.
foreign_jvms() {
    local p
    { pgrep -a -f 'mvn|java' || true; } | while read -r p rest; do
        [[ "$p" == "$$" || "$p" == "${PROXY_PID:-x}" ]] && continue
        is_our_descendant "$p" && continue
        printf '%s %s\n' "$p" "${rest:0:150}"
    done
}

# Maven runs (not ours) among them: the load that makes a measurement wrong.
foreign_maven() { foreign_jvms | grep -E 'plexus-classworlds|/mvn|surefire|failsafe' || true; }

is_our_descendant() {
    local p="$1" i
    for ((i = 0; i < 50; i++)); do
        p="$(awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$p/stat" 2>/dev/null)" || return 1
        [[ -n "$p" && "$p" != 0 && "$p" != 1 ]] || return 1
        [[ "$p" == "$$" ]] && return 0
    done
    return 1
}

# Waits (polling every 30 s, at most MAX seconds) until no foreign Maven build runs.
# Sets QUIET_NOTE.
wait_quiet() {
    local max="$1" waited=0 busy
    while :; do
        busy="$(foreign_maven)"
        if [[ -z "$busy" ]]; then
            QUIET_NOTE="quiet at start (no other Maven build or test run; waited ${waited} s)"
            return 0
        fi
        if ((waited >= max)); then
            QUIET_NOTE="NOT quiet at start: other Maven runs after waiting ${waited} s: $(cut -c1-80 <<<"$busy" | paste -sd';' -)"
            log "$QUIET_NOTE"
            return 0
        fi
        ((waited == 0)) && log "other Maven runs are active; waiting up to ${max} s for the machine to be quiet:" &&
            cut -c1-120 <<<"$busy" >&2
        sleep 30
        waited=$((waited + 30))
    done
}
