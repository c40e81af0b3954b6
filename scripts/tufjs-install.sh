#!/usr/bin/env bash
# Installs the tuf-js interop client (tests/interop/tufjs) from its package-lock.json if node_modules
# is missing. The tuf-js interop test runs this itself; CI runs it before the tests.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop/tufjs"
if ! command -v npm >/dev/null 2>&1; then
  echo "tufjs-install: npm not found; the tuf-js interop test will not run" >&2
  exit 0
fi
if [ ! -d node_modules/tuf-js ] || [ ! -d node_modules/@tufjs/models ]; then
  npm ci --no-audit --no-fund
fi
