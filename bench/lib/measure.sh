# bench/lib/measure.sh — targets (direct MinIO "A", the proxy in one mode "B"), mode probes, one
# measured run of a workload, and the T6 heap measurement. Sourced by run.sh.
# shellcheck shell=bash disable=SC2034  # the R_* results and tables are read by run.sh and the other libs

declare -A MODE_ENDPOINT MODE_BUCKET MODE_WARP MODE_HEADERS MODE_EXPECT MODE_GETFROM MODE_STATUS MODE_BASELINE
MODES=()
AVAILABLE_MODES=()

load_modes() {
    local name endpoint bucket warp headers expect getfrom baseline
    while IFS='|' read -r name endpoint bucket warp headers expect getfrom baseline; do
        case "$endpoint" in
            http | https | http-noaudit | https-noaudit) ;;
            *) die "modes.tsv: mode $name has endpoint '$endpoint' (http, https, http-noaudit or https-noaudit)" ;;
        esac
        MODES+=("$name")
        MODE_ENDPOINT[$name]="$endpoint"
        MODE_BUCKET[$name]="$(dash_empty "$bucket")"
        MODE_WARP[$name]="$(dash_empty "$warp")"
        MODE_HEADERS[$name]="$(dash_empty "$headers")"
        MODE_EXPECT[$name]="$(dash_empty "$expect")"
        MODE_GETFROM[$name]="$getfrom"
        baseline="$(dash_empty "$baseline")"
        MODE_BASELINE[$name]="${baseline:-minio}"
        is_baseline "${MODE_BASELINE[$name]}" && [[ "${MODE_BASELINE[$name]}" != minio-sse ]] ||
            die "modes.tsv: mode $name has baseline '$baseline' (minio or minio-tls)"
    done < <(table_rows "$BENCH_DIR/modes.tsv")
    ((${#MODES[@]} > 0)) || die "no modes in $BENCH_DIR/modes.tsv"
}

# An SSE-C customer key for this run (curl only; warp --encrypt makes its own per process).
make_ssec_key() {
    SSEC_KEY="$(openssl rand -base64 32)"
    SSEC_KEY_MD5="$(printf '%s' "$SSEC_KEY" | base64 -d | openssl md5 -binary | base64)"
}

# mode_uses_noaudit MODE: whether the mode is served by the audit-off proxy.
mode_uses_noaudit() { [[ "${MODE_ENDPOINT[$1]}" == *-noaudit ]]; }

# target_select A [BASELINE]  a MinIO baseline (lib/baselines.sh; default: minio, the run's plain one)
# target_select B MODE       the proxy in MODE
# Sets T_LABEL T_ENDPOINT T_HOSTPORT T_TLS T_AK T_SK T_BUCKET T_WARP (array) T_HDRS (curl args)
# T_GETFROM, the proxy that serves the target: T_PID T_MGMT_PORT T_PROXY_LOG (for A: the
# measured proxy, idle meanwhile), and the MinIO whose CPU counts: T_MINIO_PID.
target_select() {
    T_WARP=()
    T_HDRS=()
    T_PID="$PROXY_PID"
    T_MGMT_PORT="$PROXY_MGMT_PORT"
    T_PROXY_LOG="$RUN_DIR/proxy.log"
    T_MINIO_PID="$MINIO_PID"
    if [[ "$1" == A ]]; then
        T_LABEL="${2:-minio}"
        T_TLS="${BASE_TLS[$T_LABEL]}"
        T_HOSTPORT="127.0.0.1:${BASE_PORT[$T_LABEL]}"
        T_AK="$MINIO_AK"
        T_SK="$MINIO_SK"
        T_BUCKET="hbench-$T_LABEL"
        T_GETFROM="${BASE_GETFROM[$T_LABEL]}"
        T_MINIO_PID="${BASE_PID[$T_LABEL]}"
    else
        local mode="$2"
        T_LABEL="$mode"
        T_AK="$PROXY_AK"
        T_SK="$PROXY_SK"
        T_BUCKET="hbench-$mode"
        T_GETFROM="${MODE_GETFROM[$mode]}"
        local port="$PROXY_PORT" tls_port="$PROXY_TLS_PORT"
        if mode_uses_noaudit "$mode"; then
            port="$NOAUDIT_PORT"
            tls_port="$NOAUDIT_TLS_PORT"
            T_PID="$NOAUDIT_PID"
            T_MGMT_PORT="$NOAUDIT_MGMT_PORT"
            T_PROXY_LOG="$RUN_DIR/proxy-noaudit.log"
        fi
        if [[ "${MODE_ENDPOINT[$mode]}" == https* ]]; then
            T_TLS=1
            T_HOSTPORT="127.0.0.1:$tls_port"
        else
            T_TLS=0
            T_HOSTPORT="127.0.0.1:$port"
        fi
        local f h
        for f in ${MODE_WARP[$mode]}; do T_WARP+=("$f"); done
        for h in ${MODE_HEADERS[$mode]}; do
            if [[ "$h" == "@sse-c" ]]; then
                T_HDRS+=(-H "x-amz-server-side-encryption-customer-algorithm: AES256"
                    -H "x-amz-server-side-encryption-customer-key: $SSEC_KEY"
                    -H "x-amz-server-side-encryption-customer-key-MD5: $SSEC_KEY_MD5")
            else
                T_HDRS+=(-H "${h%%:*}: ${h#*:}")
            fi
        done
    fi
    if ((T_TLS)); then
        T_ENDPOINT="https://$T_HOSTPORT"
    else
        T_ENDPOINT="http://$T_HOSTPORT"
    fi
}

# tcurl METHOD PATH [curl args...]: a signed request to the selected target.
tcurl() {
    local method="$1" path="$2"
    shift 2
    s3_curl "$T_ENDPOINT" "$T_AK" "$T_SK" "$method" "$path" "$@"
}

# The S3 error code in an error document, or "".
s3_code() { sed -n 's:.*<Code>\([^<]*\)</Code>.*:\1:p' "$1" 2>/dev/null | head -n 1; }

# A bucket policy of 20 statements for BUCKET that a real tenant might write: 18 that do not apply
# to the bench's PUTs and GETs (other prefixes, other accounts, conditions that do not hold) and two
# that do (the S3 guide's deny of SSE-C, which the bench never sends, and an allow of the root
# account), so each request is weighed against every statement. T9 compares it with "plain".
policy20_json() {
    local b="$1" acct="${BENCH_ROOT_ACCOUNT:-000000000001}" i
    printf '{"Version":"2012-10-17","Id":"bench-20","Statement":['
    for i in $(seq 1 9); do
        printf '{"Sid":"DenyOtherPrefix%d","Effect":"Deny","Principal":"*","Action":["s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::%s/archive-%d/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}},' "$i" "$b" "$i"
        printf '{"Sid":"AllowPartner%d","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1111111111%02d:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/shared-%d/*"],"Condition":{"IpAddress":{"aws:SourceIp":["10.%d.0.0/16","192.168.%d.0/24"]}}},' "$i" "$i" "$b" "$b" "$i" "$i" "$i"
    done
    printf '{"Sid":"DenySseC","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::%s/*","Condition":{"Null":{"s3:x-amz-server-side-encryption-customer-algorithm":"false"}}},' "$b"
    printf '{"Sid":"AllowOwner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"s3:*","Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"]}' "$acct" "$b" "$b"
    printf ']}'
}

encryption_config_xml() {
    if [[ "$1" == allow-sse-c ]]; then
        # a rule with only a block list: SSE-C writes allowed (the default era blocks them)
        printf '<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>'
        printf '<BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType></BlockedEncryptionTypes>'
        printf '</Rule></ServerSideEncryptionConfiguration>'
        return
    fi
    local alg="${1%%+*}" bk="false"
    [[ "$1" == *+bucket-key ]] && bk="true"
    printf '<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>'
    printf '<ApplyServerSideEncryptionByDefault><SSEAlgorithm>%s</SSEAlgorithm></ApplyServerSideEncryptionByDefault>' "$alg"
    if [[ "$alg" == aws:kms ]]; then
        printf '<BucketKeyEnabled>%s</BucketKeyEnabled>' "$bk"
    fi
    printf '</Rule></ServerSideEncryptionConfiguration>'
}

# probe_target A | probe_target B MODE
# bucket_adopted CODE CREATE_OUT ADOPT_OUT: after a CreateBucket of T_BUCKET on the proxy that
# answered CODE (body in CREATE_OUT): when it was 409 BucketAlreadyExists (MinIO holds the bucket
# but this proxy's catalog does not: its database was made anew while MinIO kept its data; since
# issue 10 CreateBucket never adopts such a bucket), root adopts it for the root account through
# the admin API. Succeeds when the bucket is now the root account's.
bucket_adopted() {
    local code="$1" created="$2" out="$3"
    [[ "$code" == 409 && "$(s3_code "$created")" == BucketAlreadyExists ]] || return 1
    code="$(curl -sS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$PROXY_AK:$PROXY_SK" -X POST \
        -H 'content-type: application/json' -d "{\"account\":\"${BENCH_ROOT_ACCOUNT:-000000000001}\"}" \
        -o "$out" -w '%{http_code}' -m 600 "http://127.0.0.1:$T_MGMT_PORT/admin/buckets/$T_BUCKET/adopt" 2>/dev/null || true)"
    if [[ "$code" == 201 ]]; then
        log "adopted bucket $T_BUCKET, which MinIO held but the proxy's catalog did not: $(cat "$out")"
        return 0
    fi
    log "could not adopt bucket $T_BUCKET: $code $(cat "$out" 2>/dev/null)"
    return 1
}

# One small round trip through the target in its mode: create the bucket, set the bucket default
# encryption, PUT 4 KiB (with the mode's headers; the expected response header must be there),
# GET it back byte for byte, DELETE it. Sets PROBE_RESULT ("available" or the reason) and
# returns 1 when the target cannot be used.
probe_target() {
    target_select "$@"
    local tmp="$RUN_DIR/probe-$T_LABEL"
    mkdir -p "$tmp"
    if [[ "$1" == A ]]; then
        # a text that a look at the data dir can find (lib/baselines.sh: baseline_at_rest_plain)
        yes "$BASE_CANARY" | head -c 4096 >"$tmp/object" || true
    else
        head -c 4096 /dev/urandom >"$tmp/object"
    fi
    local bucket_sse=""
    if [[ "$1" == A ]]; then
        bucket_sse="${BASE_BUCKET[$T_LABEL]}"
    elif [[ -n "${MODE_BUCKET[$2]}" && "${MODE_BUCKET[$2]}" != policy20 ]]; then
        bucket_sse="${MODE_BUCKET[$2]}"
    fi
    local code
    code="$(tcurl PUT "/$T_BUCKET" -o "$tmp/bucket.out" -w '%{http_code}' -m 20 2>/dev/null || true)"
    if [[ "$code" == 000 ]]; then
        PROBE_RESULT="not available (nothing answers on $T_ENDPOINT)"
        return 1
    fi
    if [[ "$1" == B ]] && bucket_adopted "$code" "$tmp/bucket.out" "$tmp/adopt.out"; then
        code=200
    fi
    if [[ "$code" != 200 && "$(s3_code "$tmp/bucket.out")" != BucketAlreadyOwnedByYou ]]; then
        PROBE_RESULT="not available (CreateBucket: $code $(s3_code "$tmp/bucket.out"))"
        return 1
    fi
    if [[ "$1" == B && "${MODE_BUCKET[$2]}" == policy20 ]]; then
        policy20_json "$T_BUCKET" >"$tmp/policy.json"
        code="$(tcurl PUT "/$T_BUCKET?policy=" --data-binary "@$tmp/policy.json" \
            -H "x-amz-content-sha256: $(sha256sum "$tmp/policy.json" | cut -d' ' -f1)" \
            -o "$tmp/policy.out" -w '%{http_code}' -m 20 2>/dev/null || true)"
        if [[ "$code" != 204 && "$code" != 200 ]]; then
            PROBE_RESULT="not available ($code $(s3_code "$tmp/policy.out") on PutBucketPolicy)"
            return 1
        fi
    elif [[ -n "$bucket_sse" ]]; then
        encryption_config_xml "$bucket_sse" >"$tmp/encryption.xml"
        code="$(tcurl PUT "/$T_BUCKET?encryption=" --data-binary "@$tmp/encryption.xml" \
            -H "x-amz-content-sha256: $(sha256sum "$tmp/encryption.xml" | cut -d' ' -f1)" \
            -H "Content-MD5: $(openssl md5 -binary "$tmp/encryption.xml" | base64)" \
            -o "$tmp/encryption.out" -w '%{http_code}' -m 20 2>/dev/null || true)"
        if [[ "$code" != 200 ]]; then
            PROBE_RESULT="not available ($code $(s3_code "$tmp/encryption.out") on PutBucketEncryption $bucket_sse)"
            return 1
        fi
    fi
    code="$(tcurl PUT "/$T_BUCKET/hbench-probe" "${T_HDRS[@]}" -T "$tmp/object" -D "$tmp/put.headers" \
        -o "$tmp/put.out" -w '%{http_code}' -m 20 2>/dev/null || true)"
    if [[ "$code" != 200 ]]; then
        PROBE_RESULT="not available ($code $(s3_code "$tmp/put.out") on PutObject)"
        return 1
    fi
    local expect=""
    if [[ "$1" == B ]]; then expect="${MODE_EXPECT[$2]}"; fi
    if [[ "$1" == A && "$bucket_sse" == AES256 ]]; then expect="x-amz-server-side-encryption:AES256"; fi
    if [[ -n "$expect" ]] && ! tr -d '\r' <"$tmp/put.headers" | grep -qix "${expect%%:*}: *${expect#*:}"; then
        PROBE_RESULT="not available (PutObject answered 200 without '${expect%%:*}: ${expect#*:}')"
        return 1
    fi
    code="$(tcurl GET "/$T_BUCKET/hbench-probe" "${T_HDRS[@]}" -o "$tmp/get.out" -w '%{http_code}' -m 20 2>/dev/null || true)"
    if [[ "$code" != 200 ]] || ! cmp -s "$tmp/object" "$tmp/get.out"; then
        PROBE_RESULT="broken (GetObject: $code, or not the bytes written)"
        return 1
    fi
    # at rest: an encrypting baseline must not hold the canary's plaintext; a plain one of this run
    # must (else the look at its data dir could not see plaintext and proves nothing)
    if [[ "$1" == A && -n "${BASE_DATA[$T_LABEL]}" ]]; then
        if [[ "$bucket_sse" == AES256 ]] && baseline_at_rest_plain "$T_LABEL"; then
            PROBE_RESULT="broken (the object's plaintext is in its data dir: MinIO did not encrypt it)"
            return 1
        elif [[ -z "$bucket_sse" ]] && ! baseline_at_rest_plain "$T_LABEL"; then
            PROBE_RESULT="broken (the unencrypted object's plaintext is not in its data dir: the at-rest check cannot see plaintext)"
            return 1
        fi
    fi
    tcurl DELETE "/$T_BUCKET/hbench-probe" -o /dev/null -m 20 2>/dev/null || true
    PROBE_RESULT="available"
}

# A file of SIZE random bytes in the work dir (made once, reused by later runs).
blob_file() {
    local size="$1" f="$WORK_DIR/blob-$1"
    local want
    want="$(size_bytes "$size")"
    if [[ ! -f "$f" || "$(stat -c %s "$f")" != "$want" ]]; then
        log "generating $size of random data: $f"
        head -c "$want" /dev/urandom >"$f.tmp" && mv -f "$f.tmp" "$f"
    fi
    printf '%s\n' "$f"
}

# Columns of runs.tsv (one line per measured run).
RUNS_HEADER="round	workload	target	mode	ops	errors	bytes_per_s	ops_per_s	p50_ns	p99_ns	kms_calls	peak_rss_kb	heap_after_gc	source	status	cpu_client_ms	cpu_proxy_ms	cpu_minio_ms"

# record ROUND WL TARGET MODE STATUS — appends the R_* results of one run to runs.tsv.
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" \
        "${R_OPS:--}" "${R_ERRS:--}" "${R_BPS:--}" "${R_OPSS:--}" "${R_P50:--}" "${R_P99:--}" \
        "${R_KMS:--}" "${R_RSS:--}" "${R_HEAP:--}" "${R_SRC:--}" "$5" \
        "${R_CPU_CLIENT:--}" "${R_CPU_PROXY:--}" "${R_CPU_MINIO:--}" >>"$RUN_DIR/runs.tsv"
}

reset_results() {
    R_OPS="-" R_ERRS="-" R_BPS="-" R_OPSS="-" R_P50="-" R_P99="-" R_KMS="-" R_RSS="-" R_HEAP="-" R_SRC="-"
    R_CPU_CLIENT="-" R_CPU_PROXY="-" R_CPU_MINIO="-" R_T0="" R_T1=""
}

# run_cell ROUND WORKLOAD A|B MODE LAST_ROUND(0|1)
# One measured run of a workload against a target; appends a line to runs.tsv. Returns 1 when the
# harness could not get numbers (tool failure, unreadable data, no successful operation).
run_cell() {
    local round="$1" wl="$2" tgt="$3" mode="$4" last="$5"
    if [[ "$tgt" == A ]]; then target_select A "$mode"; else target_select B "$mode"; fi
    reset_results
    local base="$RUN_DIR/raw/r$round-$wl-$T_LABEL"
    if [[ "$tgt" == B ]]; then
        proxy_alive "$T_PID" || {
            log "the proxy (pid $T_PID) is gone; see $T_PROXY_LOG"
            record "$round" "$wl" "$tgt" "$T_LABEL" fail
            return 1
        }
        R_KMS_BEFORE="$(proxy_kms_count "$T_MGMT_PORT")"
        proxy_reset_peak_rss "$T_PID"
    fi
    local ok=0
    if [[ "${WL_TOOL[$wl]}" == warp ]]; then
        run_warp "$base" "$wl" && ok=1
    else
        run_curl "$base" "$wl" && ok=1
    fi
    if [[ "$tgt" == B ]] && proxy_alive "$T_PID"; then
        R_RSS="$(proxy_peak_rss_kb "$T_PID")"
        local after
        after="$(proxy_kms_count "$T_MGMT_PORT")"
        if [[ "$after" != "-" && "$R_KMS_BEFORE" != "-" ]]; then
            R_KMS=$((after - R_KMS_BEFORE))
        fi
        if ((last)); then
            R_HEAP="$(proxy_heap_after_gc "$T_PID")"
        fi
    fi
    if ((ok)); then
        record "$round" "$wl" "$tgt" "$T_LABEL" ok
        log "  $(printf '%-11s %-13s' "$wl" "$T_LABEL") $(awk -v b="$R_BPS" -v o="$R_OPSS" -v p="$R_P50" -v q="$R_P99" -v e="$R_ERRS" \
            'BEGIN { printf "%9.2f MiB/s %9.1f obj/s  p50 %8.2f ms  p99 %8.2f ms  errors %s", b / 1048576, o, p / 1e6, q / 1e6, e }')"
        return 0
    fi
    record "$round" "$wl" "$tgt" "$T_LABEL" fail
    return 1
}

run_warp() {
    local base="$1" wl="$2"
    local op="${WL_OP[$wl]}" secs
    secs="$(duration_seconds "${WL_DUR[$wl]}")"
    # WARM_ONLY=SECONDS: a warm-up run of that length, neither parsed nor recorded
    if [[ -n "${WARM_ONLY:-}" ]]; then secs="$WARM_ONLY"; fi
    local args=(--host "$T_HOSTPORT" --access-key "$T_AK" --secret-key "$T_SK" --region us-east-1
        --bucket "$T_BUCKET" --obj.size "${WL_SIZE[$wl]}" --concurrent "${WL_CONC[$wl]}"
        --duration "${secs}s" --disable-multipart "${T_WARP[@]}")
    if ((T_TLS)); then args+=(--tls --insecure); fi
    case "$op" in
        put) args+=(--keep-data) ;; # the group's GET reads these; the next PUT run clears the bucket
        get)
            if [[ "$T_GETFROM" == put ]]; then
                args+=(--list-existing --noclear)
            else
                args+=(--objects "${WL_OBJECTS[$wl]}")
            fi
            ;;
        mixed) args+=(--objects "${WL_OBJECTS[$wl]}") ;;
    esac
    warp_bench "$base" "$secs" "$op" "${args[@]}" || return 1
    [[ -z "${WARM_ONLY:-}" ]] || return 0
    local want="${op^^}"
    [[ "$op" == mixed ]] && want="*"
    warp_parse "$base" "$want" || return 1
    cpu_window "$base.cpu" "$R_T0" "$R_T1" "$R_OPS"
}

# A single-object stream with curl: PUT from a random file, GET to /dev/null (size checked).
run_curl() {
    local base="$1" wl="$2"
    local op="${WL_OP[$wl]}" count="${WL_DUR[$wl]}" size="${WL_SIZE[$wl]}"
    local bytes blob i line code t n
    bytes="$(size_bytes "$size")"
    blob="$(blob_file "$size")"
    : >"$base.times"
    R_ERRS=0
    cpu_begin
    for ((i = 0; i < count; i++)); do
        local key="/$T_BUCKET/hbench-stream-$size-$i"
        if [[ "$op" == put ]]; then
            line="$(tcurl PUT "$key" "${T_HDRS[@]}" -T "$blob" -o "$base.out" \
                -w '%{http_code} %{time_total} %{size_upload}' -m 600 2>>"$base.log" || true)"
        else
            line="$(tcurl GET "$key" "${T_HDRS[@]}" -o /dev/null \
                -w '%{http_code} %{time_total} %{size_download}' -m 600 2>>"$base.log" || true)"
        fi
        read -r code t n <<<"$line"
        printf '%s\n' "$line" >>"$base.log"
        if [[ "$code" == 200 && "$n" == "$bytes" ]]; then
            printf '%s\n' "$t" >>"$base.times"
        else
            R_ERRS=$((R_ERRS + 1))
        fi
        if [[ "$op" == get ]]; then
            tcurl DELETE "$key" -o /dev/null -m 60 2>/dev/null || true
        fi
    done
    R_OPS="$(wc -l <"$base.times")"
    cpu_end "$R_OPS"
    if ((R_OPS == 0)); then
        log "no successful $op of $size in $wl; see $base.log"
        return 1
    fi
    read -r R_BPS R_OPSS R_P50 R_P99 < <(sort -g "$base.times" | awk -v b="$bytes" '
        { v[NR] = $1; s += $1 }
        END {
            i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++; if (i50 < 1) i50 = 1
            i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++; if (i99 < 1) i99 = 1
            printf "%.1f %.3f %.0f %.0f\n", NR * b / s, NR / s, v[i50] * 1e9, v[i99] * 1e9 }')
    R_SRC="curl"
}

# t6_measure HEAP SMALL BIG SECONDS
# T6 on a proxy of its own at -Xmx<HEAP>: the heap after a full GC taken while the proxy streams,
# at full speed, either back-to-back objects of SMALL bytes (curl in a loop for SECONDS) or one
# object of BIG bytes; the GC runs SECONDS/2 after the start, PUT and GET separately. Both run at
# the rate the proxy sustains, so only the object size differs: T6 = the larger heap with BIG /
# the larger heap with SMALL. Heap after GC when idle and after each size is recorded too.
# Writes t6.tsv.
t6_measure() {
    local heap="$1" small="$2" big="$3" secs="$4"
    local out="$RUN_DIR/t6.tsv"
    printf 'heap\tsize\tphase\theap_after_gc\tstatus\n' >"$out"
    proxy_start "$heap" "$RUN_DIR/proxy-t6.log"
    target_select B plain
    T_BUCKET="hbench-t6"
    local code
    code="$(tcurl PUT "/$T_BUCKET" -o "$RUN_DIR/t6-bucket.out" -w '%{http_code}' -m 20 2>/dev/null || true)"
    bucket_adopted "$code" "$RUN_DIR/t6-bucket.out" "$RUN_DIR/t6-adopt.out" || true
    local sblob bblob
    sblob="$(blob_file "$small")"
    bblob="$(blob_file "$big")"
    # warm up the data path (JIT, pools) with the small object
    local i
    for i in 1 2 3; do
        tcurl PUT "/$T_BUCKET/t6-$small" -T "$sblob" -o /dev/null -m 120 2>/dev/null || true
        tcurl GET "/$T_BUCKET/t6-$small" -o /dev/null -m 120 2>/dev/null || true
    done
    printf '%s\t-\tidle\t%s\tok\n' "$heap" "$(proxy_heap_after_gc)" >>"$out"
    proxy_reset_peak_rss
    local size phase pid h status
    for size in "$small" "$big"; do
        for phase in put get; do
            t6_transfers "$size" "$phase" "$secs" &
            pid=$!
            sleep "$(awk -v s="$secs" 'BEGIN { print s / 2 }')"
            h="$(proxy_heap_after_gc)"
            wait "$pid" || true
            status="$(cat "$RUN_DIR/t6-$size-$phase.status" 2>/dev/null || echo "failed:none")"
            printf '%s\t%s\t%s\t%s\t%s\n' "$heap" "$size" "mid-$phase" "$h" "$status" >>"$out"
        done
        printf '%s\t%s\t%s\t%s\tok\n' "$heap" "$size" "after" "$(proxy_heap_after_gc)" >>"$out"
        tcurl DELETE "/$T_BUCKET/t6-$size" -o /dev/null -m 60 2>/dev/null || true
    done
    printf '%s\t-\tpeak-rss-kb\t%s\tok\n' "$heap" "$(proxy_peak_rss_kb)" >>"$out"
    proxy_alive || printf '%s\t-\tprocess\t-\tdied\n' "$heap" >>"$out"
    proxy_stop
}

# t6_transfers SIZE put|get SECONDS: one transfer of SIZE, repeated until SECONDS have passed
# (one transfer when it takes longer); writes "ok" or "failed:<status>" to t6-SIZE-PHASE.status.
t6_transfers() {
    local size="$1" phase="$2" secs="$3"
    local blob code status="ok" end=$((SECONDS + secs)) n=0
    blob="$WORK_DIR/blob-$size"
    while ((n == 0 || SECONDS < end)); do
        if [[ "$phase" == put ]]; then
            code="$(tcurl PUT "/$T_BUCKET/t6-$size" -T "$blob" -o /dev/null -w '%{http_code}' -m 300 2>/dev/null || true)"
        else
            code="$(tcurl GET "/$T_BUCKET/t6-$size" -o /dev/null -w '%{http_code}' -m 300 2>/dev/null || true)"
        fi
        n=$((n + 1))
        if [[ "$code" != 200 ]]; then
            status="failed:${code:-none}"
            break
        fi
    done
    printf '%s\n' "$status" >"$RUN_DIR/t6-$size-$phase.status"
}
