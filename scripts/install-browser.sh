#!/usr/bin/env bash
# Install what the web app's end-to-end tests need, quickly when it is already there:
# Debian's chromium (driven by Playwright for Python through executable_path, never a
# browser downloaded by `playwright install`) and the map library (scripts/build-web.sh).
# Idempotent; run as root (CI and the dev machines are) or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
command -v npm >/dev/null || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/chromium --version

bash scripts/build-web.sh
