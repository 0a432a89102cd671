#!/usr/bin/env bash
# System packages the tests need, from Debian: flac (restore.sh), headless Chromium (report test),
# fonts for rendered figures. Idempotent; needs root (or sudo) on a fresh machine.
set -euo pipefail
need=()
command -v flac >/dev/null || need+=(flac)
command -v chromium >/dev/null || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
