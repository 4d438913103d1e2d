# bench/lib/report.sh — medians per cell, the target verdicts, the Markdown report and the chart.
# Sourced by run.sh.
# shellcheck shell=bash

# Values of column COL of the successful runs of WORKLOAD against target label LABEL, one per line
# prefixed by the round: "round value".
runs_col() {
    awk -F'\t' -v w="$1" -v m="$2" -v c="$3" 'NR > 1 && $2 == w && $4 == m && $15 == "ok" && $c != "-" { print $1, $c }' \
        "$RUN_DIR/runs.tsv"
}

cell_median() { runs_col "$1" "$2" "$3" | awk '{ print $2 }' | median; }

# paired_ratio WORKLOAD MODE COL [BASE]: median over rounds of MODE/BASE (BASE: direct MinIO, or
# another mode of the proxy), both measured in the same round (that is what the interleaving buys).
paired_ratio() {
    local wl="$1" mode="$2" col="$3" base="${4:-minio}"
    join <(runs_col "$wl" "$base" "$col" | sort -k1,1) <(runs_col "$wl" "$mode" "$col" | sort -k1,1) |
        awk '$2 > 0 { printf "%.6g\n", $3 / $2 }' | median
}

cell_count() {
    awk -F'\t' -v w="$1" -v m="$2" -v s="$3" 'NR > 1 && $2 == w && $4 == m && $15 == s { n++ } END { print n + 0 }' \
        "$RUN_DIR/runs.tsv"
}

cell_sum() {
    awk -F'\t' -v w="$1" -v m="$2" -v c="$3" '
        NR > 1 && $2 == w && $4 == m && $15 == "ok" { if ($c == "-") na = 1; else s += $c; n++ }
        END { if (n == 0 || na) print "-"; else print s }' "$RUN_DIR/runs.tsv"
}

fmt_mib() { awk -v v="$1" 'BEGIN { if (v == "-" || v == "") { print "-"; exit } m = v / 1048576; printf (m < 10 ? "%.2f" : "%.1f"), m }'; }
fmt_ops() { awk -v v="$1" 'BEGIN { if (v == "-" || v == "") { print "-"; exit } printf (v < 100 ? "%.2f" : (v < 1000 ? "%.1f" : "%.0f")), v }'; }
fmt_ms() { awk -v v="$1" 'BEGIN { if (v == "-" || v == "") { print "-"; exit } m = v / 1e6; printf (m < 10 ? "%.2f" : (m < 100 ? "%.1f" : "%.0f")), m }'; }
fmt_cpu() { awk -v v="$1" 'BEGIN { if (v == "-" || v == "") { print "-"; exit } printf (v < 10 ? "%.2f" : "%.1f"), v }'; }
fmt_ratio() { awk -v v="$1" 'BEGIN { if (v == "-" || v == "") { print "-"; exit } printf "%.2f", v }'; }

# Aggregates runs.tsv into cells.tsv (one line per workload and mode measured through the proxy).
aggregate_cells() {
    local out="$RUN_DIR/cells.tsv"
    printf 'workload\tmode\trounds\ta_bps\tb_bps\tratio\ta_ops\tb_ops\ta_p50\tb_p50\ta_p99\tb_p99\tp99_ratio\tkms_per_10k\tpeak_rss_kb\theap_after_gc\terrors_a\terrors_b\tfailed_runs\tsources\tmin_ops\ta_cpu_client\ta_cpu_minio\tb_cpu_client\tb_cpu_proxy\tb_cpu_minio\tbaseline\ts_bps\ts_ops\tsse_ratio\ts_p50\ts_p99\tsse_p99_ratio\ts_cpu_client\ts_cpu_minio\n' >"$out"
    local wl mode base
    for wl in "${WORKLOADS[@]}"; do
        local cell_modes=()
        mapfile -t cell_modes < <(awk -F'\t' -v w="$wl" 'NR > 1 && $2 == w && $3 == "B" && !seen[$4]++ { print $4 }' "$RUN_DIR/runs.tsv")
        for mode in "${cell_modes[@]}"; do
            # the mode's baseline (modes.tsv); A columns are that MinIO's, s_ columns MinIO SSE-S3's
            base="${MODE_BASELINE[$mode]:-minio}"
            local kms ops kms10k
            kms="$(cell_sum "$wl" "$mode" 11)"
            ops="$(cell_sum "$wl" "$mode" 5)"
            kms10k="-"
            if [[ "$kms" != "-" && "$ops" != "-" && "$ops" != 0 ]]; then
                kms10k="$(awk -v k="$kms" -v o="$ops" 'BEGIN { printf "%.1f", k / o * 10000 }')"
            fi
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
                "$wl" "$mode" "$(cell_count "$wl" "$mode" ok)" \
                "$(cell_median "$wl" "$base" 7)" "$(cell_median "$wl" "$mode" 7)" "$(paired_ratio "$wl" "$mode" 7 "$base")" \
                "$(cell_median "$wl" "$base" 8)" "$(cell_median "$wl" "$mode" 8)" \
                "$(cell_median "$wl" "$base" 9)" "$(cell_median "$wl" "$mode" 9)" \
                "$(cell_median "$wl" "$base" 10)" "$(cell_median "$wl" "$mode" 10)" "$(paired_ratio "$wl" "$mode" 10 "$base")" \
                "$kms10k" "$(runs_col "$wl" "$mode" 12 | awk '{ print $2 }' | max_of)" \
                "$(runs_col "$wl" "$mode" 13 | awk '{ print $2 }' | max_of)" \
                "$(cell_sum "$wl" "$base" 6)" "$(cell_sum "$wl" "$mode" 6)" \
                "$(($(cell_count "$wl" "$base" fail) + $(cell_count "$wl" "$mode" fail)))" \
                "$(awk -F'\t' -v w="$wl" 'NR > 1 && $2 == w && $15 == "ok" { print $14 }' "$RUN_DIR/runs.tsv" | sort -u | paste -sd, -)" \
                "$(awk -F'\t' -v w="$wl" 'NR > 1 && $2 == w && $15 == "ok" { print $5 }' "$RUN_DIR/runs.tsv" | sort -n | head -n 1)" \
                "$(cell_median "$wl" "$base" 16)" "$(cell_median "$wl" "$base" 18)" \
                "$(cell_median "$wl" "$mode" 16)" "$(cell_median "$wl" "$mode" 17)" "$(cell_median "$wl" "$mode" 18)" \
                "$base" "$(cell_median "$wl" minio-sse 7)" "$(cell_median "$wl" minio-sse 8)" \
                "$(paired_ratio "$wl" "$mode" 7 minio-sse)" \
                "$(cell_median "$wl" minio-sse 9)" "$(cell_median "$wl" minio-sse 10)" \
                "$(paired_ratio "$wl" "$mode" 10 minio-sse)" \
                "$(cell_median "$wl" minio-sse 16)" "$(cell_median "$wl" minio-sse 18)" \
                >>"$out"
        done
    done
}

cell_field() {
    awk -F'\t' -v w="$1" -v m="$2" -v f="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 == w && $2 == m { print $(c[f]); found = 1; exit }
        END { if (!found) print "-" }' "$RUN_DIR/cells.tsv"
}

# T6 = the larger heap after GC in the middle of the BIG transfers / the same with SMALL.
t6_value() {
    local f="$RUN_DIR/t6.tsv"
    [[ -f "$f" ]] || {
        echo "-"
        return 0
    }
    awk -F'\t' -v s="$T6_SMALL" -v b="$T6_BIG" '
        NR == 1 { next }
        $5 != "ok" { bad = 1 }
        $3 ~ /^mid-/ && $4 != "-" { if ($2 == s && $4 > ms) ms = $4; if ($2 == b && $4 > mb) mb = $4 }
        END { if (bad || ms <= 0 || mb <= 0) print "-"; else printf "%.3f\n", mb / ms }' "$f"
}

t6_failed() {
    [[ -f "$RUN_DIR/t6.tsv" ]] && awk -F'\t' 'NR > 1 && $5 != "ok" { bad = 1 } END { exit !bad }' "$RUN_DIR/t6.tsv"
}

verdict() {
    local value="$1" must="$2" goal="$3" dir="$4"
    if [[ "$value" == "-" ]]; then
        echo "n/a"
        return 0
    fi
    awk -v v="$value" -v m="$must" -v g="$goal" -v d="$dir" 'BEGIN {
        if (d == "ge") r = (v >= g ? "PASS-goal" : (v >= m ? "PASS-must" : "FAIL"))
        else r = (v <= g ? "PASS-goal" : (v <= m ? "PASS-must" : "FAIL"))
        print r }'
}

# Markdown table of the targets; also sets TARGET_SUMMARY (one line per id: worst verdict).
# A target's mode "MODE/BASE" is the ratio of the proxy in MODE to the proxy in BASE (per round,
# median over the rounds) instead of the proxy in MODE to direct MinIO.
targets_table() {
    local id measure wl mode metric must goal dir value cell why v base m
    declare -A worst=()
    local order=()
    echo "| target | measure | cell | value | must | goal | result |"
    echo "|---|---|---|---|---|---|---|"
    while IFS='|' read -r id measure wl mode metric must goal dir; do
        why=""
        base=""
        if [[ "$mode" == */* ]]; then
            base="${mode#*/}"
            mode="${mode%%/*}"
        fi
        case "$metric:${base:+pair}" in
            tput:) value="$(cell_field "$wl" "$mode" ratio)" ;;
            p99:) value="$(cell_field "$wl" "$mode" p99_ratio)" ;;
            tput:pair) value="$(paired_ratio "$wl" "$mode" 7 "$base")" ;;
            p99:pair) value="$(paired_ratio "$wl" "$mode" 10 "$base")" ;;
            p50:pair) value="$(paired_ratio "$wl" "$mode" 9 "$base")" ;;
            heap:) value="$(t6_value)" ;;
            *) value="-" ;;
        esac
        if [[ "$metric" == heap ]]; then
            cell="heap after GC while streaming $T6_BIG vs $T6_SMALL objects, -Xmx$T6_HEAP"
            if t6_failed; then why=" (a transfer failed or the proxy died)"; fi
        else
            cell="$wl, $mode${base:+ / $base}"
        fi
        if [[ "$value" == "-" && -z "$why" ]]; then
            for m in "$mode" $base; do
                if [[ -z "$why" && -n "${MODE_STATUS[$m]:-}" && "${MODE_STATUS[$m]}" != available ]]; then
                    why=" ($m ${MODE_STATUS[$m]})"
                fi
            done
            if [[ -z "$why" && "$metric" != heap ]]; then
                why=" (not measured in this run)"
            fi
        fi
        if [[ -n "$why" && "$why" == *"failed"* ]]; then
            v="FAIL"
        else
            v="$(verdict "$value" "$must" "$goal" "$dir")"
        fi
        local op="≥"
        [[ "$dir" == le ]] && op="≤"
        local shown="$value"
        [[ "$value" != "-" ]] && shown="$(awk -v x="$value" 'BEGIN { printf "%.3f", x }')"
        [[ "$metric" == heap || "$metric" == p99 || "$metric" == p50 ]] && [[ "$value" != "-" ]] && shown="${shown}×"
        local caveat=""
        if [[ -n "$base" ]] && pair_base_colder "$wl" "$mode" "$base"; then
            caveat=" ($base less warmed up: see Mode against mode)"
        fi
        echo "| $id | $measure | $cell | $shown | $op $must | $op $goal | $v$why$caveat |"
        if [[ -z "${worst[$id]:-}" ]]; then order+=("$id"); fi
        worst[$id]="$(worse "${worst[$id]:-}" "$v")"
    done < <(table_rows "$BENCH_DIR/targets.tsv")
    TARGET_SUMMARY=""
    for id in "${order[@]}"; do
        TARGET_SUMMARY+="$id ${worst[$id]}; "
    done
    TARGET_SUMMARY="${TARGET_SUMMARY%; }"
}

# The worse of two verdicts (FAIL < PASS-must < PASS-goal; n/a only when nothing else).
worse() {
    local a="$1" b="$2"
    rank() { case "$1" in FAIL) echo 0 ;; PASS-must) echo 1 ;; PASS-goal) echo 2 ;; *) echo 3 ;; esac }
    if [[ -z "$a" ]]; then
        echo "$b"
    elif (($(rank "$b") < $(rank "$a"))); then
        echo "$b"
    else
        echo "$a"
    fi
}

# The pairs of proxy modes that targets.tsv compares ("WORKLOAD MODE BASE" per line), once each.
mode_pairs() {
    table_rows "$BENCH_DIR/targets.tsv" | awk -F'|' '$4 ~ /\// { split($4, m, "/"); k = $3 " " m[1] " " m[2]; if (!seen[k]++) print k }'
}

# Both modes of each pair side by side (medians over the rounds) with the paired ratios: what the
# targets of a pair (T8: audit trail on / off) are read from.
pairs_table() {
    local wl mode base
    echo "| workload | mode / base | rounds | MiB/s | throughput ratio | obj/s | p50 ms | p99 ms | p99 ratio | proxy CPU ms/op |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    while read -r wl mode base; do
        # a pair this run did not measure on both sides (--quick, --modes, a mode not available) is
        # left out: its target says why
        (($(cell_count "$wl" "$mode" ok) > 0 && $(cell_count "$wl" "$base" ok) > 0)) || continue
        echo "| $wl | $mode / $base | $(cell_count "$wl" "$mode" ok) / $(cell_count "$wl" "$base" ok)" \
            "| $(fmt_mib "$(cell_median "$wl" "$mode" 7)") / $(fmt_mib "$(cell_median "$wl" "$base" 7)")" \
            "| **$(fmt_ratio "$(paired_ratio "$wl" "$mode" 7 "$base")")**" \
            "| $(fmt_ops "$(cell_median "$wl" "$mode" 8)") / $(fmt_ops "$(cell_median "$wl" "$base" 8)")" \
            "| $(fmt_ms "$(cell_median "$wl" "$mode" 9)") / $(fmt_ms "$(cell_median "$wl" "$base" 9)")" \
            "| $(fmt_ms "$(cell_median "$wl" "$mode" 10)") / $(fmt_ms "$(cell_median "$wl" "$base" 10)")" \
            "| **$(fmt_ratio "$(paired_ratio "$wl" "$mode" 10 "$base")")**" \
            "| $(fmt_cpu "$(cell_median "$wl" "$mode" 17)") / $(fmt_cpu "$(cell_median "$wl" "$base" 17)") |"
    done < <(mode_pairs)
}

# pair_base_colder WORKLOAD MODE BASE: whether BASE used over 5% more proxy CPU per operation than
# MODE (medians). The audit-off proxy leaves work out, so when it costs more per operation it was
# less warmed up (the JIT: it serves only its own cells) and the pair's ratios flatter the audit
# trail.
pair_base_colder() {
    local a b
    a="$(cell_median "$1" "$2" 17)"
    b="$(cell_median "$1" "$3" 17)"
    [[ "$a" != "-" && "$b" != "-" ]] && awk -v a="$a" -v b="$b" 'BEGIN { exit !(b > a * 1.05) }'
}

# Warnings under the pairs table, one per pair_base_colder pair.
pairs_warnings() {
    local wl mode base
    while read -r wl mode base; do
        if pair_base_colder "$wl" "$mode" "$base"; then
            echo "- **$wl**: $base used more proxy CPU per operation than $mode ($(fmt_cpu "$(cell_median "$wl" "$base" 17)") vs $(fmt_cpu "$(cell_median "$wl" "$mode" 17)") ms). A base that only leaves work out (the audit-off proxy) was then less warmed up than the mode's proxy, and this pair's ratios flatter $mode."
        fi
    done < <(mode_pairs)
}

# mode_is_sse_s3 MODE: the measured proxy encrypting with SSE-S3 (its default, or a bucket default
# of AES256) over plain HTTP: what the MinIO SSE-S3 comparison reads
mode_is_sse_s3() {
    [[ "${MODE_ENDPOINT[$1]:-}" == http && ( -z "${MODE_BUCKET[$1]:-}" || "${MODE_BUCKET[$1]}" == AES256 ) ]]
}

results_table() {
    echo "| workload | mode | MinIO MiB/s | proxy MiB/s | ratio | ratio to MinIO SSE-S3 | MinIO obj/s | proxy obj/s | p50 ms MinIO / proxy | p99 ms MinIO / proxy | p99 ratio | KMS calls / 10k ops | proxy peak RSS MiB | proxy heap after GC MiB |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    local wl mode a_bps b_bps ratio a_ops b_ops a_p50 b_p50 a_p99 b_p99 p99r kms rss heap ea eb failed sources minops base sse_ratio
    while IFS=$'\t' read -r wl mode _ a_bps b_bps ratio a_ops b_ops a_p50 b_p50 a_p99 b_p99 p99r kms rss heap ea eb failed sources minops _ _ _ _ _ base _ _ sse_ratio _; do
        local notes=""
        [[ "$sources" == *raw* ]] && notes+=" †"
        [[ "$ea" != 0 && "$ea" != "-" || "$eb" != 0 && "$eb" != "-" ]] && notes+=" (errors: MinIO $ea, proxy $eb)"
        [[ "$failed" != 0 ]] && notes+=" ($failed failed runs)"
        local p99a p99b
        p99a="$(fmt_ms "$a_p99")"
        p99b="$(fmt_ms "$b_p99")"
        if [[ "$minops" =~ ^[0-9]+$ ]] && ((minops < 20)); then
            p99a="–"
            p99b="–"
            p99r="-"
        fi
        [[ "$kms" == "-" ]] && kms="n/a"
        local rssm="-" heapm="-"
        [[ "$rss" != "-" ]] && rssm="$(awk -v v="$rss" 'BEGIN { printf "%.0f", v / 1024 }')"
        [[ "$heap" != "-" ]] && heapm="$(awk -v v="$heap" 'BEGIN { printf "%.1f", v / 1048576 }')"
        local shown_mode="$mode"
        [[ "$base" == minio ]] || shown_mode+=" (vs ${BASE_TITLE[$base]:-$base})"
        echo "| $wl$notes | $shown_mode | $(fmt_mib "$a_bps") | $(fmt_mib "$b_bps") | **$(fmt_ratio "$ratio")** | $(fmt_ratio "$sse_ratio") | $(fmt_ops "$a_ops") | $(fmt_ops "$b_ops") | $(fmt_ms "$a_p50") / $(fmt_ms "$b_p50") | $p99a / $p99b | $(fmt_ratio "$p99r") | $kms | $rssm | $heapm |"
    done < <(tail -n +2 "$RUN_DIR/cells.tsv")
}

# sse-proxy SSE-S3 against MinIO encrypting by itself (MinIO SSE-S3), per workload, from the same
# interleaved rounds: one row per workload and SSE-S3 mode (mode_is_sse_s3).
sse_table() {
    echo "| workload | sse-proxy mode | MinIO MiB/s | MinIO SSE-S3 MiB/s | MinIO SSE-S3 / MinIO | sse-proxy MiB/s | **sse-proxy / MinIO SSE-S3** | p99 ms MinIO SSE-S3 / sse-proxy | p99 ratio | CPU ms/op, MinIO SSE-S3 run: client + MinIO = total | CPU ms/op, sse-proxy run: client + proxy + MinIO = total |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' '
        function f(v) { return (v == "-" || v == "") ? "-" : sprintf(v < 10 ? "%.2f" : (v < 100 ? "%.1f" : "%.0f"), v) }
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { print $1 "\t" $2 "\t" $(c["s_bps"]) "\t" $(c["b_bps"]) "\t" $(c["sse_ratio"]) "\t" $(c["s_p99"]) "\t" $(c["b_p99"]) "\t" $(c["sse_p99_ratio"]) "\t" $(c["s_cpu_client"]) "\t" $(c["s_cpu_minio"]) "\t" $(c["b_cpu_client"]) "\t" $(c["b_cpu_proxy"]) "\t" $(c["b_cpu_minio"]) }' \
        "$RUN_DIR/cells.tsv" | while IFS=$'\t' read -r wl mode s_bps b_bps r s_p99 b_p99 p99r sc sm bc bp bm; do
        mode_is_sse_s3 "$mode" || continue
        [[ "$s_bps" != "-" ]] || continue
        local cpu
        cpu="$(awk -v sc="$sc" -v sm="$sm" -v bc="$bc" -v bp="$bp" -v bm="$bm" '
            function f(v) { return (v == "-" || v == "") ? "-" : sprintf(v < 10 ? "%.2f" : (v < 100 ? "%.1f" : "%.0f"), v) }
            BEGIN {
                st = (sc == "-" || sm == "-") ? "-" : sc + sm
                bt = (bc == "-" || bp == "-" || bm == "-") ? "-" : bc + bp + bm
                printf "%s + %s = **%s** | %s + %s + %s = **%s**", f(sc), f(sm), f(st), f(bc), f(bp), f(bm), f(bt) }')"
        echo "| $wl | $mode | $(fmt_mib "$(cell_median "$wl" minio 7)") | $(fmt_mib "$s_bps") | $(fmt_ratio "$(paired_ratio "$wl" minio-sse 7 minio)") | $(fmt_mib "$b_bps") | **$(fmt_ratio "$r")** | $(fmt_ms "$s_p99") / $(fmt_ms "$b_p99") | $(fmt_ratio "$p99r") | $cpu |"
    done
}

modes_table() {
    echo "| mode | endpoint | bucket default | baseline | status |"
    echo "|---|---|---|---|---|"
    local m
    # shellcheck disable=SC2153  # MODES is the mode table, loaded by load_modes (measure.sh)
    for m in "${MODES[@]}"; do
        echo "| $m | ${MODE_ENDPOINT[$m]} | ${MODE_BUCKET[$m]:-none} | ${BASE_TITLE[${MODE_BASELINE[$m]}]} | ${MODE_STATUS[$m]:-not probed} |"
    done
}

t6_table() {
    [[ -f "$RUN_DIR/t6.tsv" ]] || {
        echo "T6 was not measured."
        return 0
    }
    echo "| object | moment | heap after GC MiB | status |"
    echo "|---|---|---|---|"
    awk -F'\t' 'NR > 1 {
        v = $4
        if ($3 == "peak-rss-kb") { printf "| – | proxy peak RSS (MiB) | %s | %s |\n", (v == "-" ? "-" : sprintf("%.0f", v / 1024)), $5; next }
        printf "| %s | %s | %s | %s |\n", $2, $3, (v == "-" ? "-" : sprintf("%.1f", v / 1048576)), $5 }' "$RUN_DIR/t6.tsv"
}

# The chart: throughput ratio proxy/MinIO per workload, one bar per mode, T0's must and goal lines.
draw_chart() {
    local png="$1" title="$2"
    local data="$RUN_DIR/chart.dat" gp="$RUN_DIR/chart.gp"
    local modes=() m wl k=0 xt="" i
    mapfile -t modes < <(awk -F'\t' 'NR > 1 && $6 != "-" && !seen[$2]++ { print $2 }' "$RUN_DIR/cells.tsv")
    ((${#modes[@]} > 0)) || {
        log "no ratios to chart"
        return 1
    }
    # one series per mode (ratio to its baseline), then one per SSE-S3 mode against MinIO SSE-S3
    local fields=() titles=()
    for m in "${modes[@]}"; do
        fields+=(ratio)
        if [[ "${MODE_BASELINE[$m]:-minio}" == minio ]]; then titles+=("$m"); else titles+=("$m / ${BASE_TITLE[${MODE_BASELINE[$m]}]}"); fi
    done
    local sse_modes=()
    mapfile -t sse_modes < <(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $(c["sse_ratio"]) != "-" && !seen[$2]++ { print $2 }' "$RUN_DIR/cells.tsv")
    for m in "${sse_modes[@]}"; do
        if mode_is_sse_s3 "$m"; then
            modes+=("$m")
            fields+=(sse_ratio)
            titles+=("$m / MinIO SSE-S3")
        fi
    done
    local wls=()
    mapfile -t wls < <(awk -F'\t' 'NR > 1 && $6 != "-" && !seen[$1]++ { print $1 }' "$RUN_DIR/cells.tsv")
    for wl in "${wls[@]}"; do
        xt+="\"$wl\" $k, "
        k=$((k + 1))
    done
    : >"$data"
    for ((i = 0; i < ${#modes[@]}; i++)); do
        echo "# ${titles[$i]}" >>"$data"
        k=0
        for wl in "${wls[@]}"; do
            printf '%d %s\n' "$k" "$(cell_field "$wl" "${modes[$i]}" "${fields[$i]}")" >>"$data"
            k=$((k + 1))
        done
        printf '\n\n' >>"$data"
    done
    local n=${#modes[@]} ymax
    ymax="$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { for (j = 6; j; j = (j == 6 ? c["sse_ratio"] : 0)) if ($j != "-" && $j > m) m = $j }
        END { m = m * 1.15; print (m < 1.2 ? 1.2 : m) }' "$RUN_DIR/cells.tsv")"
    {
        echo "set terminal pngcairo size 1100,520 font 'sans,10'"
        echo "set output '$png'"
        echo "set title \"$title\" noenhanced"
        echo "set ylabel 'proxy / MinIO baseline (throughput)'"
        echo "set yrange [0:$ymax]"
        echo "set xrange [-0.6:$((${#wls[@]} - 1)).6]"
        echo "set xtics (${xt%, }) noenhanced rotate by -30"
        echo "set grid ytics"
        echo "set style fill solid 0.8 border -1"
        echo "set key top left noenhanced"
        echo "set arrow from graph 0, first 1 to graph 1, first 1 nohead front lc rgb '#444444' lw 1"
        echo "set arrow from graph 0, first 0.8 to graph 1, first 0.8 nohead front dt 2 lc rgb '#cc0000' lw 1.5"
        echo "set arrow from graph 0, first 0.9 to graph 1, first 0.9 nohead front dt 3 lc rgb '#008800' lw 1.5"
        echo "set rmargin 12"
        echo "set label 'T0 must 0.8' at graph 1.01, first 0.8 left front tc rgb '#cc0000' font 'sans,8'"
        echo "set label 'T0 goal 0.9' at graph 1.01, first 0.9 left front tc rgb '#008800' font 'sans,8'"
        echo "w = 0.8 / $n"
        printf 'plot '
        for ((i = 0; i < n; i++)); do
            ((i > 0)) && printf ', \\\n     '
            printf "'%s' index %d using (\$1 - 0.4 + w * (%d + 0.5)):2:(w) with boxes title '%s', " "$data" "$i" "$i" "${titles[$i]}"
            printf "'' index %d using (\$1 - 0.4 + w * (%d + 0.5)):2:(sprintf('%%.2f', \$2)) with labels offset 0,0.7 font 'sans,8' notitle" "$i" "$i"
        done
        echo
    } >"$gp"
    gnuplot "$gp" 2>"$RUN_DIR/chart.err" || {
        cat "$RUN_DIR/chart.err" >&2
        return 1
    }
    [[ -s "$png" ]]
}

# T6 without numbers although the proxy answered: the harness (jcmd, parsing) broke.
t6_failed_harness() {
    [[ -f "$RUN_DIR/t6.tsv" ]] || return 0
    awk -F'\t' 'NR > 1 && $5 == "ok" && $4 == "-" { bad = 1 } END { exit !bad }' "$RUN_DIR/t6.tsv"
}

# The body of the "## TITLE" section of a report (up to the next "## "), without leading blank lines.
report_section() {
    awk -v t="## $2" '$0 == t { on = 1; next } on && /^## / { exit } on { print }' "$1" | sed -e '/./,$!d'
}

# Replaces README's block between "<!-- bench:begin -->" and "<!-- bench:end -->" with the
# report's header lines, results table, targets table and chart link.
readme_update() {
    local report="$1" name="$2" readme="$ROOT_DIR/README.md"
    if ! grep -q '^<!-- bench:begin -->$' "$readme" || ! grep -q '^<!-- bench:end -->$' "$readme"; then
        log "README.md has no <!-- bench:begin --> / <!-- bench:end --> block; not updated"
        return 0
    fi
    local block="$RUN_DIR/readme-block.md"
    {
        echo "<!-- bench:begin -->"
        echo "Latest full run: [bench/results/$name.md](bench/results/$name.md)"
        echo
        sed -n '/^- command:/p; /^- commit:/p; /^- machine:/p; /^- load:/p; /^- software:/p; /^- warm-up:/p' "$report"
        echo
        report_section "$report" "Results" | grep -v '^!\['
        echo "![throughput ratio proxy / direct MinIO per workload](bench/results/$name.png)"
        echo
        echo "### Targets"
        echo
        report_section "$report" "Targets (issues 3 and 6)"
        if [[ -n "$(report_section "$report" "Mode against mode")" ]]; then
            echo "### Mode against mode"
            echo
            report_section "$report" "Mode against mode"
        fi
        echo "### Where the CPU goes (ms of CPU per operation)"
        echo
        report_section "$report" "Where the CPU goes (ms of CPU per operation, medians over the rounds)"
        echo "<!-- bench:end -->"
    } >"$block"
    awk -v blockfile="$block" '
        $0 == "<!-- bench:begin -->" { while ((getline l < blockfile) > 0) print l; skip = 1; next }
        $0 == "<!-- bench:end -->" { skip = 0; next }
        !skip { print }' "$readme" >"$readme.tmp" && mv -f "$readme.tmp" "$readme"
    log "README.md Performance block updated from $report"
}

# Where the CPU goes: ms of CPU per operation of the load generator, the proxy and MinIO, from
# the direct-MinIO run and from the proxy run. With every core busy, throughput follows the
# total, so total(MinIO run) / total(proxy run) is the ratio a CPU-bound run would show.
cpu_table() {
    echo "| workload | mode | MinIO run: client + MinIO = total | proxy run: client + proxy + MinIO = total | CPU-bound ratio (total A / total B) | measured ratio |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' '
        function f(v) { return (v == "-" || v == "") ? "-" : sprintf(v < 10 ? "%.2f" : (v < 100 ? "%.1f" : "%.0f"), v) }
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        {
            ac = $(c["a_cpu_client"]); am = $(c["a_cpu_minio"])
            bc = $(c["b_cpu_client"]); bp = $(c["b_cpu_proxy"]); bm = $(c["b_cpu_minio"])
            at = (ac == "-" || am == "-") ? "-" : ac + am
            bt = (bc == "-" || bp == "-" || bm == "-") ? "-" : bc + bp + bm
            pr = (at == "-" || bt == "-" || bt == 0) ? "-" : sprintf("%.2f", at / bt)
            r = $(c["ratio"]); r = (r == "-") ? "-" : sprintf("%.2f", r)
            printf "| %s | %s | %s + %s = **%s** | %s + %s + %s = **%s** | %s | %s |\n", $1, $2, f(ac), f(am), f(at), f(bc), f(bp), f(bm), f(bt), pr, r
        }' "$RUN_DIR/cells.tsv"
}
