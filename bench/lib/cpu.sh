# bench/lib/cpu.sh — where the CPU goes during one run: the load generator (warp or curl), the
# proxy and MinIO, in ms of CPU per operation. On this 2-core machine the three share the cores,
# so throughput ≈ cores / CPU per operation, and these figures explain each ratio.
# Sourced by run.sh.
# shellcheck shell=bash disable=SC2034  # the R_* results are read by measure.sh

CLK_TCK="$(getconf CLK_TCK)"

# Sets REPLY to utime+stime of a pid in clock ticks, or "" when it is gone. No subshell.
proc_ticks() {
    REPLY=""
    local line
    [[ -n "$1" ]] || return 0
    read -r line 2>/dev/null <"/proc/$1/stat" || return 0
    line="${line##*) }"
    local -a f
    read -r -a f <<<"$line"
    REPLY=$((f[11] + f[12]))
}

# proxy_jit_ticks [PID]: sets REPLY to the CPU ticks the JIT compiler threads of the proxy (default:
# the measured one) used so far.
proxy_jit_ticks() {
    REPLY=0
    local t name line
    local -a f
    for t in /proc/"${1:-$PROXY_PID}"/task/*; do
        read -r name 2>/dev/null <"$t/comm" || continue
        [[ "$name" == C[12]\ CompilerThre* ]] || continue
        read -r line 2>/dev/null <"$t/stat" || continue
        line="${line##*) }"
        read -r -a f <<<"$line"
        REPLY=$((REPLY + f[11] + f[12]))
    done
}

# cpu_sampler OUT WATCHED_PID — every 0.2 s while WATCHED_PID lives, appends
# "epoch-seconds proxy-ticks minio-ticks client-ticks" to OUT; the client is the first child of
# WATCHED_PID (warp under `timeout`), the proxy the one serving the selected target (T_PID: the
# audit-off proxy for its modes), MinIO the selected target's (T_MINIO_PID: the run's plain MinIO, or
# the baseline's own). Run it in the background.
cpu_sampler() {
    local out="$1" watched="$2" kids client proxy minio proxy_pid="${T_PID:-$PROXY_PID}"
    : >"$out"
    while kill -0 "$watched" 2>/dev/null; do
        kids=""
        read -r kids 2>/dev/null <"/proc/$watched/task/$watched/children" || true
        proc_ticks "${kids%% *}"
        client="$REPLY"
        proc_ticks "$proxy_pid"
        proxy="$REPLY"
        proc_ticks "${T_MINIO_PID-$MINIO_PID}"
        minio="$REPLY"
        if [[ -n "$client" ]]; then
            printf '%s %s %s %s\n' "$EPOCHREALTIME" "${proxy:--}" "${minio:--}" "$client" >>"$out"
        fi
        sleep 0.2
    done
}

# cpu_window SAMPLES T0 T1 OPS — sets R_CPU_CLIENT R_CPU_PROXY R_CPU_MINIO (ms per operation)
# from the samples, linearly interpolated at T0 and T1 (epoch seconds: the measured window).
cpu_window() {
    local samples="$1" t0="$2" t1="$3" ops="$4"
    R_CPU_CLIENT="-" R_CPU_PROXY="-" R_CPU_MINIO="-"
    [[ -s "$samples" && "$ops" =~ ^[0-9]+$ && "$ops" -gt 0 ]] || return 0
    read -r R_CPU_PROXY R_CPU_MINIO R_CPU_CLIENT < <(awk -v t0="$t0" -v t1="$t1" -v ops="$ops" -v hz="$CLK_TCK" '
        { t[NR] = $1; for (c = 2; c <= 4; c++) v[NR, c] = $c }
        function at(x, c,    i) {
            if (x <= t[1]) return v[1, c]
            for (i = 2; i <= NR; i++) if (t[i] >= x) {
                if (v[i, c] == "-" || v[i - 1, c] == "-") return "-"
                return v[i - 1, c] + (v[i, c] - v[i - 1, c]) * (x - t[i - 1]) / (t[i] - t[i - 1]) }
            return v[NR, c]
        }
        END {
            if (NR < 2) { print "- - -"; exit }
            for (c = 2; c <= 4; c++) {
                a = at(t0, c); b = at(t1, c)
                printf "%s ", (a == "-" || b == "-") ? "-" : sprintf("%.3f", (b - a) * 1000 / hz / ops)
            }
            print ""
        }' "$samples")
}

# For the curl cells (no prepare phase): CPU of the whole run. cpu_begin / cpu_end OPS.
cpu_begin() {
    proc_ticks "${T_PID:-$PROXY_PID}"
    CPU0_PROXY="$REPLY"
    proc_ticks "${T_MINIO_PID-$MINIO_PID}"
    CPU0_MINIO="$REPLY"
    CPU0_SELF="$(self_ticks)"
}

cpu_end() {
    local ops="$1"
    R_CPU_CLIENT="-" R_CPU_PROXY="-" R_CPU_MINIO="-"
    [[ "$ops" =~ ^[0-9]+$ && "$ops" -gt 0 ]] || return 0
    proc_ticks "${T_PID:-$PROXY_PID}"
    if [[ -n "$REPLY" && -n "$CPU0_PROXY" ]]; then
        R_CPU_PROXY="$(awk -v d="$((REPLY - CPU0_PROXY))" -v hz="$CLK_TCK" -v n="$ops" 'BEGIN { printf "%.3f", d * 1000 / hz / n }')"
    fi
    proc_ticks "${T_MINIO_PID-$MINIO_PID}"
    if [[ -n "$REPLY" && -n "$CPU0_MINIO" ]]; then
        R_CPU_MINIO="$(awk -v d="$((REPLY - CPU0_MINIO))" -v hz="$CLK_TCK" -v n="$ops" 'BEGIN { printf "%.3f", d * 1000 / hz / n }')"
    fi
    R_CPU_CLIENT="$(awk -v d="$(($(self_ticks) - CPU0_SELF))" -v hz="$CLK_TCK" -v n="$ops" 'BEGIN { printf "%.3f", d * 1000 / hz / n }')"
}
