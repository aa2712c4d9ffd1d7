#!/usr/bin/env bash
# Checks the sample reverse proxy configuration (docs/scaling/nginx.conf) with nginx's own
# configuration test, `nginx -t`, without touching the system's nginx: the prefix is a throw-away
# directory, so the sample's relative pid and log files are created there, and the error log
# nginx opens before reading the file goes to standard error.
#
# `nginx -t` binds the ports it would listen on, so port 80 would need root and fail wherever a
# web server already runs. The test therefore runs on a copy whose `listen 80;` lines listen on a
# unix socket in the throw-away directory instead; every other line is tested as written.
#
#   scripts/check-proxy-config.sh [CONF]     (default docs/scaling/nginx.conf)
#
# Exits non-zero when the test fails. Without nginx: fails when CI=true, else says it skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

conf=$(realpath "${1:-docs/scaling/nginx.conf}")
nginx=${NGINX:-nginx}
if ! command -v "$nginx" >/dev/null 2>&1 && [ -x "/usr/sbin/$nginx" ]; then
    nginx=/usr/sbin/$nginx   # Debian installs it outside a normal user's PATH
fi

if ! command -v "$nginx" >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
        echo "check-proxy-config: FAILED: nginx is not installed (CI=true; the CI installs the Debian package nginx)" >&2
        exit 1
    fi
    echo "check-proxy-config: skipped: nginx not installed (install the nginx package to check $conf)" >&2
    exit 0
fi

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

copy=$prefix/nginx.conf
sed -E "s|^([[:space:]]*)listen 80;|\\1listen unix:$prefix/http.sock;|" "$conf" > "$copy"
if ! grep -q "listen unix:$prefix/http.sock;" "$copy"; then
    echo "check-proxy-config: FAILED: $conf has no \`listen 80;\` line to move to a unix socket for the test" >&2
    exit 1
fi

if output=$("$nginx" -t -q -p "$prefix/" -e stderr -c "$copy" 2>&1); then
    echo "check-proxy-config: ok: nginx -t accepts $conf ($("$nginx" -v 2>&1))"
else
    # Name the sample, not the copy (its lines are the sample's lines).
    echo "${output//$copy/$conf}" >&2
    echo "check-proxy-config: FAILED: nginx -t rejects $conf (see above)" >&2
    exit 1
fi
