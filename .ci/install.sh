#!/usr/bin/env bash
# Install the system packages the tests need: Chromium, nginx and a Java runtime.
# Idempotent; run as root from any directory.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)

if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
fi

# The npm checkers (axe-core, vnu-jar) are project packages: `make test` installs them with `npm ci`.
