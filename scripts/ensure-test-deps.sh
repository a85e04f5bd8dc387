#!/usr/bin/env bash
# Runs before `npm test`: the suite needs a real redis-server and Debian's Chromium (with a CJK
# font so screenshots show Chinese). Installs what is missing from Debian's packages when it
# can (root, or sudo without a password); otherwise says exactly what to install and fails.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }; then
  missing+=(fonts-wqy-microhei)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "test dependencies missing: ${missing[*]} — installing from Debian packages" >&2
if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt_get=(sudo apt-get)
else
  echo "cannot install them without root: run 'apt-get install -y ${missing[*]}' and try again" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
