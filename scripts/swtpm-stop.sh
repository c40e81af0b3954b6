#!/usr/bin/env bash
# Stops the swtpm started by swtpm-start.sh (same ENIGM_SWTPM_PORT / ENIGM_SWTPM_RUN_DIR) and removes its state.
set -euo pipefail

port="${ENIGM_SWTPM_PORT:-2321}"
run_dir="${ENIGM_SWTPM_RUN_DIR:-${TMPDIR:-/tmp}/enigm-swtpm-$port}"
pid_file="$run_dir/swtpm.pid"

if [ -f "$pid_file" ]; then
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
fi

if [ -f "$run_dir/state-dir" ]; then
  state_dir="$(cat "$run_dir/state-dir")"
  case "$state_dir" in
    */enigm-swtpm-state.*) rm -rf -- "$state_dir" ;;
  esac
fi
rm -rf -- "$run_dir"
echo "swtpm-stop: stopped" >&2
