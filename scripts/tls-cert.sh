#!/usr/bin/env bash
# tls-cert.sh DIR — make sure DIR/tls/cert.pem and DIR/tls/key.pem exist: a self-signed certificate
# for localhost, *.localhost (virtual-hosted-style buckets) and 127.0.0.1, valid 825 days. Used by
# run.sh and the tests for the S3-over-TLS port (8443). Production installs bring their own
# certificate (SSE_PROXY_TLS_CERT / SSE_PROXY_TLS_KEY). Prints the two paths.
set -euo pipefail
dir="${1:?usage: tls-cert.sh DATA_DIR}/tls"
mkdir -p "$dir"
if [[ ! -s "$dir/cert.pem" || ! -s "$dir/key.pem" ]]; then
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,DNS:*.localhost,DNS:*.s3.localhost,IP:127.0.0.1" \
        -keyout "$dir/key.pem.tmp" -out "$dir/cert.pem.tmp" 2>/dev/null
    mv "$dir/key.pem.tmp" "$dir/key.pem"
    mv "$dir/cert.pem.tmp" "$dir/cert.pem"
fi
printf '%s\n%s\n' "$dir/cert.pem" "$dir/key.pem"
