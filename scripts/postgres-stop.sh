#!/usr/bin/env bash
# Stops the cluster started by postgres-start.sh (same ENIGM_POSTGRES_RUN_DIR) and removes all its files.
set -euo pipefail

run_dir="${ENIGM_POSTGRES_RUN_DIR:-${TMPDIR:-/tmp}/enigm-postgres}"

if [ -f "$run_dir/cluster-dir" ]; then
  cluster_dir="$(cat "$run_dir/cluster-dir")"
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  as_user=()
  if [ "$(id -u)" -eq 0 ] && [ -f "$run_dir/owner" ]; then as_user=(runuser -u "$(cat "$run_dir/owner")" --); fi
  if [ -n "$bin" ] && [ -d "$cluster_dir/data" ]; then
    "${as_user[@]}" "$bin/pg_ctl" -D "$cluster_dir/data" -m fast -w stop >&2 || true
  fi
  case "$cluster_dir" in
    /tmp/enigm-postgres-cluster.*) rm -rf -- "$cluster_dir" ;;
  esac
fi
rm -rf -- "$run_dir"
echo "postgres-stop: stopped" >&2
