#!/usr/bin/env bash
# The libsignal anchor of issue 12 (docs/benchmarks.md, "Side by side with libsignal 0.103 on this machine").
# Installs @signalapp/libsignal-client exactly as package-lock.json pins it (npm ci; the package ships its
# prebuilt linux-x64 native library) when node_modules is missing, then runs the benchmark.
#   bench/libsignal-anchor/run.sh [rounds] [--json FILE]
#   bench/libsignal-anchor/run.sh --install      install only
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/@signalapp/libsignal-client ]; then
  npm ci --no-audit --no-fund >&2
fi
[ "${1:-}" = --install ] && exit 0
exec node bench.mjs "$@"
