#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/Enigm.Center.Tests, Playwright .NET), when missing.
#   Playwright's own browser download does not work here (closed network): the tests launch /usr/bin/chromium
#   (ExecutablePath) instead. Installs the `chromium` package with apt-get (sudo when not root), as
#   scripts/postgres-start.sh installs PostgreSQL. Idempotent: does nothing when /usr/bin/chromium exists.
# Prints the browser's path on the last line, e.g.
#   export ENIGM_CHROMIUM="$(scripts/chromium-install.sh | tail -n1)"
set -euo pipefail

browser=/usr/bin/chromium
log() { echo "chromium-install: $*" >&2; }

if [ ! -x "$browser" ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "need root or sudo to install chromium"; exit 2; }
    sudo=(sudo)
  fi
  log "installing chromium"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium fonts-dejavu-core >&2 \
    || { "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update >&2 \
         && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium fonts-dejavu-core >&2; }
fi

[ -x "$browser" ] || { log "chromium is still missing after the install"; exit 2; }
"$browser" --version >&2 || true
echo "$browser"
