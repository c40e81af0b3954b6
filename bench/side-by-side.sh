#!/usr/bin/env bash
# Issue 12's side-by-side run: Enigm's `cputime RatchetBenchmarks`, `walltime SessionSetup` and the libsignal
# 0.103 anchor (bench/libsignal-anchor) one after the other in one sitting, then tables with the ratios
# Enigm / libsignal; the whole sequence twice, so the spread between sittings shows. Session setup is compared
# by wall clock (Enigm's first contact uses the second core; libsignal's runs on one thread), with both sides'
# process CPU time printed next to it; the ratchet pairs by CPU time. About a minute on 2 cores after the
# build; run it on a quiet machine.
#   bench/side-by-side.sh [rounds] [repeats]  rounds per case (default 21), sequences (default 2)
#   SIDE_BY_SIDE_NO_BUILD=1                   use the bench as built (bin/Release) instead of building it
#   SIDE_BY_SIDE_OUT=DIR                      keep the raw outputs there (default: a new temporary directory)
# A benchmark, not a test: CI does not run it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-21}
repeats=${2:-2}
out=${SIDE_BY_SIDE_OUT:-$(mktemp -d /tmp/side-by-side.XXXXXX)}
mkdir -p "$out"
dll=$root/bench/Enigm.Benchmarks/bin/Release/net10.0/Enigm.Benchmarks.dll

if [ -z "${SIDE_BY_SIDE_NO_BUILD:-}" ]; then
  echo "building bench/Enigm.Benchmarks (log: $out/build.log)"
  dotnet build "$root/bench/Enigm.Benchmarks" -c Release >"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log"; exit 1; }
fi
# Install the anchor before the sitting starts, so npm does not run between the measurements.
"$root/bench/libsignal-anchor/run.sh" --install

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r), .NET $(dotnet --version), node $(node --version)"
echo "before: $(uptime)"
for run in $(seq 1 "$repeats"); do
  echo "== sequence $run of $repeats"
  dotnet "$dll" cputime RatchetBenchmarks "$rounds" | tee "$out/enigm-ratchet-$run.txt"
  echo "uptime: $(uptime)"
  "$root/bench/libsignal-anchor/run.sh" "$rounds" --json "$out/libsignal-$run.json" | tee "$out/libsignal-$run.txt"
  echo "uptime: $(uptime)"
  dotnet "$dll" walltime SessionSetup "$rounds" | tee "$out/enigm-setup-$run.txt"
  echo "uptime: $(uptime)"
done
for run in $(seq 1 "$repeats"); do
  echo
  echo "== sequence $run"
  node "$root/bench/libsignal-anchor/side-by-side.mjs" "$out/enigm-ratchet-$run.txt" "$out/enigm-setup-$run.txt" "$out/libsignal-$run.json"
done | tee "$out/table.txt"
echo "after: $(uptime)"
echo "raw outputs: $out"
