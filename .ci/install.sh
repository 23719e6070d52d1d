#!/usr/bin/env bash
# Install what the quality gates need: Chromium, nginx, a Java runtime, and the npm checkers.
# Idempotent; run as root from any directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)

if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
fi

cd "$ROOT"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.package-lock.sha256"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ] \
    || [ ! -f node_modules/axe-core/axe.min.js ] \
    || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
    # --ignore-scripts: vnu-jar's postinstall would fetch a Java build; the apt one is used.
    npm ci --ignore-scripts --no-audit --no-fund
    echo "$lock_hash" > "$stamp"
fi
