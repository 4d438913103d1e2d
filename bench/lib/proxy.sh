# bench/lib/proxy.sh — build, start and stop the benchmark's own sse-proxy; read its metrics and
# memory. Sourced by run.sh.
# shellcheck shell=bash

PROXY_PID=""

# Builds the jar when it is missing or older than the sources (as ./run.sh does).
proxy_build() {
    local jar="$ROOT_DIR/target/quarkus-app/quarkus-run.jar"
    if [[ -f "$jar" && -z "$(cd "$ROOT_DIR" && find src pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]]; then
        log "reusing $jar (newer than the sources)"
        return 0
    fi
    log "building sse-proxy (mvn -B -q -ntp -DskipTests package)"
    (cd "$ROOT_DIR" && mvn -B -q -ntp -DskipTests package) || die "mvn package failed"
    [[ -f "$jar" ]] || die "mvn package did not produce $jar"
}

# A self-signed certificate for the proxy's TLS port (SSE-C needs TLS), made once per work dir.
proxy_tls_cert() {
    local dir="$WORK_DIR/tls"
    if [[ ! -s "$dir/cert.pem" || ! -s "$dir/key.pem" ]]; then
        mkdir -p "$dir"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
            -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
            -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || die "openssl could not make a certificate"
    fi
    TLS_CERT="$dir/cert.pem"
    TLS_KEY="$dir/key.pem"
}

# A process we may stop: alive, and its command line is the benchmark proxy on our S3 port.
proxy_is_ours() {
    local pid="$1"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
        tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "-Dquarkus.http.port=$PROXY_PORT .*quarkus-run.jar"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# proxy_start HEAP LOG
proxy_start() {
    local heap="$1" logfile="$2"
    local pidfile="$WORK_DIR/proxy.pid"
    if [[ -f "$pidfile" ]] && proxy_is_ours "$(cat "$pidfile")"; then
        log "stopping a benchmark proxy left by an earlier run (pid $(cat "$pidfile"))"
        PROXY_PID="$(cat "$pidfile")"
        proxy_stop
    fi
    local p
    for p in "$PROXY_PORT" "$PROXY_MGMT_PORT" "$PROXY_TLS_PORT"; do
        ! port_in_use "$p" || die "port $p is in use by another process; set BENCH_PROXY_PORT / BENCH_PROXY_MGMT_PORT / BENCH_PROXY_TLS_PORT"
    done
    mkdir -p "$WORK_DIR/proxy-data"
    local tls_args=()
    # shellcheck disable=SC2206  # BENCH_PROXY_TLS_ARGS is a list of JVM options, split on spaces
    tls_args=(${BENCH_PROXY_TLS_ARGS:-"-Dquarkus.http.ssl-port=$PROXY_TLS_PORT" "-Dquarkus.http.ssl.certificate.files=$TLS_CERT" "-Dquarkus.http.ssl.certificate.key-files=$TLS_KEY"})
    local java_opts=()
    # shellcheck disable=SC2206  # BENCH_JAVA_OPTS is a list of JVM options, split on spaces
    java_opts=(${BENCH_JAVA_OPTS:-})
    log "starting sse-proxy -Xmx$heap on 127.0.0.1:$PROXY_PORT (TLS $PROXY_TLS_PORT, management $PROXY_MGMT_PORT), db $PROXY_DB, log $logfile"
    DB_URL="postgresql://127.0.0.1:5432/$PROXY_DB" \
        DB_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$PROXY_DB" \
        DB_USER=sseproxy DB_PASSWORD=sseproxy \
        SSE_PROXY_ROOT_ACCESS_KEY="$PROXY_AK" SSE_PROXY_ROOT_SECRET_KEY="$PROXY_SK" \
        SSE_PROXY_BACKEND_ENDPOINT="http://127.0.0.1:$MINIO_PORT" \
        SSE_PROXY_BACKEND_ACCESS_KEY="$MINIO_AK" SSE_PROXY_BACKEND_SECRET_KEY="$MINIO_SK" \
        SSE_PROXY_DATA_DIR="$WORK_DIR/proxy-data" \
        java "-Xmx$heap" -XX:+UseG1GC "${java_opts[@]}" \
        "-Dquarkus.http.port=$PROXY_PORT" "-Dquarkus.management.port=$PROXY_MGMT_PORT" "${tls_args[@]}" \
        -jar "$APP_DIR/quarkus-run.jar" </dev/null >"$logfile" 2>&1 7>&- &
    PROXY_PID=$!
    printf '%s\n' "$PROXY_PID" >"$pidfile"
    local deadline=$((SECONDS + 120))
    while ((SECONDS < deadline)); do
        if [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PROXY_MGMT_PORT/q/health/ready" || true)" == 200 ]]; then
            log "sse-proxy ready (pid $PROXY_PID)"
            return 0
        fi
        kill -0 "$PROXY_PID" 2>/dev/null || {
            tail -n 30 "$logfile" >&2
            die "sse-proxy exited during startup; see $logfile"
        }
        sleep 0.5
    done
    die "sse-proxy not ready within 120 s; see $logfile"
}

proxy_stop() {
    local pid="$PROXY_PID"
    PROXY_PID=""
    [[ -n "$pid" ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "sse-proxy (pid $pid) did not stop within 30 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    rm -f "$WORK_DIR/proxy.pid"
}

proxy_alive() {
    [[ -n "$PROXY_PID" ]] && kill -0 "$PROXY_PID" 2>/dev/null
}

# Sum of every series of the KMS request counter on /q/metrics, or "-" when the proxy does not
# export it (no KMS yet).
proxy_kms_count() {
    curl -s -m 5 "http://127.0.0.1:$PROXY_MGMT_PORT/q/metrics" 2>/dev/null |
        awk -v m="$KMS_METRIC" '
            index($0, m) == 1 && (substr($0, length(m) + 1, 1) == "{" || substr($0, length(m) + 1, 1) == " ") {
                found = 1
                # limiter rejections never reached the KMS
                if ($0 !~ /outcome="throttled"/) sum += $NF }
            END { if (found) printf "%.0f\n", sum; else print "-" }'
}

# Resets the kernel's peak-RSS mark (VmHWM) to the current RSS, so that the next read is the
# peak of one cell. Fails silently where the kernel does not allow it (then the peak is since start).
proxy_reset_peak_rss() {
    echo 5 >"/proc/$PROXY_PID/clear_refs" 2>/dev/null || true
}

# Peak RSS in KiB (VmHWM).
proxy_peak_rss_kb() {
    awk '/^VmHWM:/ { print $2 }' "/proc/$PROXY_PID/status" 2>/dev/null || echo "-"
}

# Heap in use after a full GC, in bytes: the total of a class histogram, which jcmd takes right
# after a full GC, so it counts live objects only. (GC.run followed by GC.heap_info would also
# count whatever was allocated between the two commands: under load, tens of MiB.)
proxy_heap_after_gc() {
    local pid="${1:-$PROXY_PID}"
    jcmd "$pid" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { print $3; found = 1 } END { if (!found) print "-" }'
}
