# bench/lib/proxy.sh — build, start and stop the benchmark's own sse-proxy instances; read their
# metrics and memory. Sourced by run.sh.
#
# Two instances of the same jar can run: the measured proxy (PROXY_PID; modes with endpoint http
# or https, later T6's proxy) and, when a selected mode has endpoint http-noaudit or
# https-noaudit, a second one with the audit trail off (NOAUDIT_PID) for T8. The second one is
# an installation of its own: its own ports, database and data dir. It cannot share the data
# dir, which holds master.key and the local KMS keystore file (two processes must not write one
# keystore), and then it cannot share the database either, whose key registry and bucket keys
# refer to that keystore and master key. With the audit off it writes no events anyway.
# shellcheck shell=bash disable=SC2034  # NOAUDIT_NOTE is read by run.sh

PROXY_PID=""
NOAUDIT_PID=""

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

# proxy_is_ours PID PORT: a process we may stop: alive, and its command line is a benchmark
# proxy on that S3 port.
proxy_is_ours() {
    local pid="$1" port="$2"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
        tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "-Dquarkus.http.port=$port .*quarkus-run.jar"
}

# Only a listener counts. The CI run of stop 19 died at start with "Address already in use" while
# nothing listened on 58080: that port lay inside Linux's ephemeral range (32768-60999), where a
# client connection's local port can take it. The default ports are now below that range, where no
# client socket gets one. Counting every socket on the port instead (tried) also counts the
# TIME_WAIT and FIN_WAIT sockets a stopped proxy leaves, which do not block the next bind (Vert.x
# binds with SO_REUSEADDR), and failed T6's restart on the same ports in CI.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# proxy_start HEAP LOG: the measured proxy (PROXY_PID), ready when this returns.
proxy_start() {
    proxy_launch PROXY_PID "$1" "$2" "$PROXY_PORT" "$PROXY_MGMT_PORT" "$PROXY_TLS_PORT" "$PROXY_DB" \
        "$WORK_DIR/proxy-data" "$WORK_DIR/proxy.pid"
    proxy_wait_ready "$PROXY_PID" "$PROXY_MGMT_PORT" "$2"
}

# noaudit_start HEAP LOG: the audit-off proxy (NOAUDIT_PID), ready when this returns. Its database
# is made anew here (empty: Flyway migrates it at start), as the measured proxy's is by run.sh. Fails (returns 1,
# NOAUDIT_NOTE says why) when the proxy did not log that its audit trail is off: a jar from before
# the audit trail (--jar DIR) ignores the switch, and comparing it with itself would give a ratio
# of 1 that means nothing.
# (Not started at the same time as the measured proxy: that saved a few seconds on a quiet
# machine, but on a loaded one the two starts together made Flyway's first database connection
# miss its 5 s acquisition timeout.)
noaudit_start() {
    local heap="$1" logfile="$2"
    bash "$ROOT_DIR/scripts/postgres.sh" recreatedb "$NOAUDIT_DB"
    proxy_launch NOAUDIT_PID "$heap" "$logfile" "$NOAUDIT_PORT" "$NOAUDIT_MGMT_PORT" "$NOAUDIT_TLS_PORT" \
        "$NOAUDIT_DB" "$WORK_DIR/proxy-noaudit-data" "$WORK_DIR/proxy-noaudit.pid" SSE_PROXY_AUDIT_ENABLED=false
    proxy_wait_ready "$NOAUDIT_PID" "$NOAUDIT_MGMT_PORT" "$logfile"
    # AuditWriter is a @Startup bean: the line is there once the proxy is ready
    if ! grep -q 'audit trail: off' "$logfile"; then
        NOAUDIT_NOTE="the proxy did not log 'audit trail: off' (a build without the switch?); see $logfile"
        return 1
    fi
    NOAUDIT_NOTE="audit trail off (SSE_PROXY_AUDIT_ENABLED=false), 127.0.0.1:$NOAUDIT_PORT, db $NOAUDIT_DB"
}

# proxy_launch PIDVAR HEAP LOG PORT MGMT_PORT TLS_PORT DB DATA_DIR PIDFILE [NAME=VALUE...]
# Starts one sse-proxy in the background (extra environment NAME=VALUE) and stores its pid in the
# variable PIDVAR at once, so that the EXIT trap stops it even when it never becomes ready.
# The JDBC pool waits up to 60 s for a connection instead of 5 s: on a busy machine Flyway's first
# connection at start missed the 5 s (the audit-off proxy died at start in 2 of 3 --quick runs
# while other builds ran). Only Flyway uses the JDBC pool; requests use the reactive one.
proxy_launch() {
    local pidvar="$1" heap="$2" logfile="$3" port="$4" mgmt="$5" tls="$6" db="$7" data="$8" pidfile="$9"
    shift 9
    if [[ -f "$pidfile" ]] && proxy_is_ours "$(cat "$pidfile")" "$port"; then
        log "stopping a benchmark proxy left by an earlier run (pid $(cat "$pidfile"))"
        pid_stop "$(cat "$pidfile")" "$pidfile"
    fi
    local p
    for p in "$port" "$mgmt" "$tls"; do
        ! port_in_use "$p" || die "port $p is in use by another process; set BENCH_PROXY_PORT / BENCH_PROXY_MGMT_PORT / BENCH_PROXY_TLS_PORT (the audit-off proxy uses each + 1)"
    done
    mkdir -p "$data"
    local tls_args=()
    # shellcheck disable=SC2206  # BENCH_PROXY_TLS_ARGS is a list of JVM options, split on spaces
    tls_args=(${BENCH_PROXY_TLS_ARGS:-"-Dquarkus.http.ssl-port=$tls" "-Dquarkus.http.ssl.certificate.files=$TLS_CERT" "-Dquarkus.http.ssl.certificate.key-files=$TLS_KEY"})
    local java_opts=()
    # shellcheck disable=SC2206  # BENCH_JAVA_OPTS is a list of JVM options, split on spaces
    java_opts=(${BENCH_JAVA_OPTS:-})
    log "starting sse-proxy -Xmx$heap on 127.0.0.1:$port (TLS $tls, management $mgmt), db $db${*:+, $*}, log $logfile"
    env "$@" \
        DB_URL="postgresql://127.0.0.1:5432/$db" \
        DB_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
        DB_USER=sseproxy DB_PASSWORD=sseproxy \
        SSE_PROXY_ROOT_ACCESS_KEY="$PROXY_AK" SSE_PROXY_ROOT_SECRET_KEY="$PROXY_SK" \
        SSE_PROXY_BACKEND_ENDPOINT="http://127.0.0.1:$MINIO_PORT" \
        SSE_PROXY_BACKEND_ACCESS_KEY="$MINIO_AK" SSE_PROXY_BACKEND_SECRET_KEY="$MINIO_SK" \
        SSE_PROXY_DATA_DIR="$data" \
        java "-Xmx$heap" -XX:+UseG1GC -Dquarkus.datasource.jdbc.acquisition-timeout=60S "${java_opts[@]}" \
        "-Dquarkus.http.port=$port" "-Dquarkus.management.port=$mgmt" "${tls_args[@]}" \
        -jar "$APP_DIR/quarkus-run.jar" </dev/null >"$logfile" 2>&1 7>&- &
    printf -v "$pidvar" '%s' "$!"
    printf '%s\n' "$!" >"$pidfile"
}

# proxy_wait_ready PID MGMT_PORT LOG
proxy_wait_ready() {
    local pid="$1" mgmt="$2" logfile="$3"
    local deadline=$((SECONDS + 120))
    while ((SECONDS < deadline)); do
        if [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$mgmt/q/health/ready" || true)" == 200 ]]; then
            log "sse-proxy ready (pid $pid)"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || {
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
    pid_stop "$pid" "$WORK_DIR/proxy.pid"
}

noaudit_stop() {
    local pid="$NOAUDIT_PID"
    NOAUDIT_PID=""
    pid_stop "$pid" "$WORK_DIR/proxy-noaudit.pid"
}

# pid_stop PID PIDFILE: SIGTERM (a graceful stop: the audit writer flushes its queue), SIGKILL
# after 30 s.
pid_stop() {
    local pid="$1" pidfile="$2"
    [[ -n "$pid" ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
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
    fi
    rm -f "$pidfile"
}

# proxy_alive [PID] (no argument: the measured proxy; an empty one is no proxy)
proxy_alive() {
    local pid="${1-$PROXY_PID}"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# proxy_kms_count [MGMT_PORT]: sum of every series of the KMS request counter on /q/metrics, or
# "-" when the proxy does not export it (no KMS yet).
proxy_kms_count() {
    curl -s -m 5 "http://127.0.0.1:${1:-$PROXY_MGMT_PORT}/q/metrics" 2>/dev/null |
        awk -v m="$KMS_METRIC" '
            index($0, m) == 1 && (substr($0, length(m) + 1, 1) == "{" || substr($0, length(m) + 1, 1) == " ") {
                found = 1
                # limiter rejections never reached the KMS
                if ($0 !~ /outcome="throttled"/) sum += $NF }
            END { if (found) printf "%.0f\n", sum; else print "-" }'
}

# proxy_s3_requests [MGMT_PORT]: S3 requests the proxy has served so far (every series of
# http_server_requests_seconds_count: the management port's own requests are not counted there),
# or 0 when the metric is missing.
proxy_s3_requests() {
    curl -s -m 5 "http://127.0.0.1:${1:-$PROXY_MGMT_PORT}/q/metrics" 2>/dev/null |
        awk '/^http_server_requests_seconds_count[{ ]/ { sum += $NF } END { printf "%.0f\n", sum }'
}

# proxy_reset_peak_rss [PID]: resets the kernel's peak-RSS mark (VmHWM) to the current RSS, so
# that the next read is the peak of one cell. Fails silently where the kernel does not allow it
# (then the peak is since start).
proxy_reset_peak_rss() {
    echo 5 >"/proc/${1-$PROXY_PID}/clear_refs" 2>/dev/null || true
}

# proxy_peak_rss_kb [PID]: peak RSS in KiB (VmHWM).
proxy_peak_rss_kb() {
    awk '/^VmHWM:/ { print $2 }' "/proc/${1-$PROXY_PID}/status" 2>/dev/null || echo "-"
}

# Heap in use after a full GC, in bytes: the total of a class histogram, which jcmd takes right
# after a full GC, so it counts live objects only. (GC.run followed by GC.heap_info would also
# count whatever was allocated between the two commands: under load, tens of MiB.)
proxy_heap_after_gc() {
    local pid="${1:-$PROXY_PID}"
    jcmd "$pid" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { print $3; found = 1 } END { if (!found) print "-" }'
}
