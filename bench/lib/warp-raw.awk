# bench/lib/warp-raw.awk — one pass over warp's raw benchmark data (tab-separated, one line per
# operation, header line first; columns found by name). Variables: op (PUT, GET, ... or * for
# all), durfile (where the duration in ns of every successful matching operation is written).
# Prints: successful-ops failed-ops bytes span-seconds first-start last-end (epoch seconds).
BEGIN { FS = "\t"; n = 0; errs = 0; bytes = 0; first = -1; last = -1 }

NR == 1 {
    for (i = 1; i <= NF; i++) col[$i] = i
    split("op bytes error start end duration_ns", need, " ")
    for (k in need) if (!(need[k] in col)) { print "warp data lacks column " need[k] > "/dev/stderr"; bad = 1; exit 1 }
    next
}

{
    o = $(col["op"])
    if (o == "" || substr($1, 1, 1) == "#") next
    if (op != "*" && o != op) next
    if ($(col["error"]) != "") { errs++; next }
    n++
    bytes += $(col["bytes"])
    print $(col["duration_ns"]) > durfile
    s = epoch($(col["start"])); e = epoch($(col["end"]))
    if (first < 0 || s < first) first = s
    if (e > last) last = e
}

END {
    if (bad) exit 1
    if (n == 0) printf "" > durfile
    printf "%d %d %.0f %.6f %.6f %.6f\n", n, errs, bytes, (n > 0 ? last - first : 0), first, last
}

# Seconds since 1970 for an RFC 3339 time (2026-11-27T01:48:26.883252791Z or ...+01:00).
function epoch(t,    y, m, d, H, M, S, rest, off, sign, era, yoe, doy, doe, days) {
    y = substr(t, 1, 4) + 0; m = substr(t, 6, 2) + 0; d = substr(t, 9, 2) + 0
    H = substr(t, 12, 2) + 0; M = substr(t, 15, 2) + 0
    rest = substr(t, 18)
    off = 0
    if (match(rest, /[Zz+-]/)) {
        sign = substr(rest, RSTART, 1)
        if (sign == "+" || sign == "-") {
            off = (substr(rest, RSTART + 1, 2) * 3600 + substr(rest, RSTART + 4, 2) * 60) * (sign == "-" ? -1 : 1)
        }
        rest = substr(rest, 1, RSTART - 1)
    }
    S = rest + 0
    # days from civil (Howard Hinnant)
    if (m <= 2) y--
    era = int((y >= 0 ? y : y - 399) / 400)
    yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    days = era * 146097 + doe - 719468
    return days * 86400 + H * 3600 + M * 60 + S - off
}
