# bench/lib/reencrypt.sh — re-encryption throughput (issue 13): existing plaintext objects written
# straight to MinIO, adopted, then re-encrypted in place to SSE-KMS with a bucket key by an S3 Batch
# Operations job (generated manifest of the whole bucket: every object in it is NOT-SSE; the Debian
# AWS CLI 2.9's model predates the generator's MatchAnyObjectEncryption filter, which ExistingDataIT
# uses through the SDK v2), against `aws s3 cp --recursive` of the same
# files through the proxy into a bucket whose default is the same encryption. Both figures come from
# the same proxy in the same run; the job's time runs from CreateJob to the state Complete (it includes
# the Preparing scan). Sets REENC_ROW (a markdown table row) and REENC_NOTE; never fails the bench run
# (a failure is reported in the row).

REENC_OBJECTS="${BENCH_REENC_OBJECTS:-2000}"
REENC_ROW=""
REENC_NOTE=""

# reenc_cli ARGS...: the AWS CLI v2 as the bench root, against the proxy, the proxy as its own HTTP
# proxy (S3 Control puts the account id in front of the host name, which does not resolve here)
reenc_cli() {
    AWS_ACCESS_KEY_ID="$PROXY_AK" AWS_SECRET_ACCESS_KEY="$PROXY_SK" AWS_DEFAULT_REGION=us-east-1 \
        HTTP_PROXY="http://127.0.0.1:$PROXY_PORT" NO_PROXY="" AWS_PAGER="" \
        /usr/bin/aws --endpoint-url "http://localhost:$PROXY_PORT" "$@"
}

# reenc_minio ARGS...: the AWS CLI v2 straight at MinIO
reenc_minio() {
    AWS_ACCESS_KEY_ID="$MINIO_AK" AWS_SECRET_ACCESS_KEY="$MINIO_SK" AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" \
        /usr/bin/aws --endpoint-url "http://127.0.0.1:$MINIO_PORT" "$@"
}

reencrypt_measure() {
    local n="$1" dir="$RUN_DIR/reenc-data" stamp src dst acct bytes i size t0 t1 job state out
    acct="${BENCH_ROOT_ACCOUNT:-000000000001}"
    stamp="$(date -u +%H%M%S)"
    src="hbench-reenc-$stamp"
    dst="hbench-reenc-cp-$stamp"
    rm -rf "$dir" && mkdir -p "$dir"
    # mixed sizes, 1 B to 64 KiB, reproducible
    for ((i = 0; i < n; i++)); do
        size=$(((i * 7919) % 65536 + 1))
        head -c "$size" /dev/urandom >"$dir/o$i"
    done
    bytes="$(du -sb "$dir" | cut -f1)"
    if ! reenc_minio s3 mb "s3://$src" >/dev/null 2>"$RUN_DIR/reenc.err" ||
        ! reenc_minio s3 cp --recursive --quiet "$dir" "s3://$src/" 2>>"$RUN_DIR/reenc.err"; then
        REENC_ROW="| $n | - | - | - | failed to seed MinIO: $(tail -c 200 "$RUN_DIR/reenc.err" | tr '\n|' '  ') |"
        return 0
    fi
    out="$(curl -sS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$PROXY_AK:$PROXY_SK" -X POST \
        -H 'content-type: application/json' -d "{\"account\":\"$acct\"}" \
        "http://127.0.0.1:$PROXY_MGMT_PORT/admin/buckets/$src/adopt" 2>&1)"
    log "re-encryption: seeded $n objects ($bytes bytes) in MinIO bucket $src; adopted: $out"

    # the baseline: the same files through the proxy into a bucket encrypted the same way
    reenc_cli s3api create-bucket --bucket "$dst" >/dev/null 2>>"$RUN_DIR/reenc.err"
    reenc_cli s3api put-bucket-encryption --bucket "$dst" --server-side-encryption-configuration \
        '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}' \
        >/dev/null 2>>"$RUN_DIR/reenc.err"
    t0=$EPOCHREALTIME
    reenc_cli s3 cp --recursive --quiet "$dir" "s3://$dst/" 2>>"$RUN_DIR/reenc.err" || log "re-encryption: the cp baseline failed"
    t1=$EPOCHREALTIME
    local cp_s
    cp_s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"

    # the job: every NOT-SSE object of the bucket, copied onto itself as SSE-KMS with a bucket key
    t0=$EPOCHREALTIME
    job="$(reenc_cli s3control create-job --account-id "$acct" --no-confirmation-required --priority 10 \
        --role-arn "arn:aws:iam::$acct:role/bench-batch" --client-request-token "bench-$stamp" \
        --operation '{"S3PutObjectCopy":{"TargetResource":"arn:aws:s3:::'"$src"'","MetadataDirective":"COPY","NewObjectMetadata":{"SSEAlgorithm":"KMS"},"BucketKeyEnabled":true}}' \
        --report '{"Enabled":false}' \
        --manifest-generator '{"S3JobManifestGenerator":{"SourceBucket":"arn:aws:s3:::'"$src"'","EnableManifestOutput":false}}' \
        --query JobId --output text 2>>"$RUN_DIR/reenc.err")" || job=""
    if [[ -z "$job" ]]; then
        REENC_ROW="| $n | $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') | $cp_s | - | CreateJob failed: $(tail -c 300 "$RUN_DIR/reenc.err" | tr '\n|' '  ') |"
        return 0
    fi
    state=""
    for ((i = 0; i < 1200; i++)); do
        state="$(reenc_cli s3control describe-job --account-id "$acct" --job-id "$job" --query Job.Status --output text 2>/dev/null || true)"
        [[ "$state" == Complete || "$state" == Failed || "$state" == Cancelled ]] && break
        sleep 0.25
    done
    t1=$EPOCHREALTIME
    reenc_cli s3control describe-job --account-id "$acct" --job-id "$job" >"$RUN_DIR/reenc-job.json" 2>&1 || true
    local job_s done failed
    job_s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
    done="$(jq -r '.Job.ProgressSummary.NumberOfTasksSucceeded // "-"' "$RUN_DIR/reenc-job.json" 2>/dev/null || echo -)"
    failed="$(jq -r '.Job.ProgressSummary.NumberOfTasksFailed // "-"' "$RUN_DIR/reenc-job.json" 2>/dev/null || echo -)"
    REENC_ROW="$(awk -v n="$n" -v b="$bytes" -v c="$cp_s" -v j="$job_s" -v st="$state" -v ok="$done" -v f="$failed" 'BEGIN {
        mib = b / 1048576
        printf "| %d | %.1f | %.2f s: %.0f obj/s, %.1f MiB/s | %.2f s: %.0f obj/s, %.1f MiB/s | %s, %s succeeded, %s failed | %.2f |",
            n, mib, c, n / c, mib / c, j, n / j, mib / j, st, ok, f, c / j }')"
    REENC_NOTE="job $job; bucket $src (seeded at MinIO, adopted), baseline bucket $dst; describe-job output in \`$RUN_DIR/reenc-job.json\`"
    log "re-encryption: $REENC_ROW"
}

reencrypt_table() {
    echo "| objects | MiB | \`aws s3 cp --recursive\` through the proxy (SSE-KMS + bucket key default) | Batch Operations job (NOT-SSE → SSE-KMS + bucket key, in place) | job outcome | job speed / cp speed |"
    echo "|---|---|---|---|---|---|"
    echo "${REENC_ROW:-| - | - | - | - | not measured | - |}"
}
