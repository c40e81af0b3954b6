#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the relay's PostgreSQL tests (and the scale-out tests).
#   Listens on 127.0.0.1 only, on a free port; its unix socket lives in the cluster's temporary directory.
#   Trust authentication, loopback only (initdb's default pg_hba.conf: local socket, 127.0.0.1/32, ::1/128):
#   nothing outside this machine can connect, and there is no password to keep.
#   Uses PostgreSQL from /usr/lib/postgresql/<newest>/bin; installs Debian's `postgresql` package when missing
#   (apt-get; sudo when not root). PostgreSQL refuses to run as root: when run as root the cluster runs as the
#   `postgres` user (created by the Debian package) or, failing that, `nobody`.
#   Idempotent: a running cluster started by this script (same ENIGM_POSTGRES_RUN_DIR) is reused.
#   postgres-stop.sh stops it and removes every file.
# Prints the Npgsql connection string on the last line, e.g.
#   export ENIGM_POSTGRES="$(scripts/postgres-start.sh | tail -n1)"
set -euo pipefail

run_dir="${ENIGM_POSTGRES_RUN_DIR:-${TMPDIR:-/tmp}/enigm-postgres}"

log() { echo "postgres-start: $*" >&2; }

find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_postgres() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "need root or sudo to install postgresql"; exit 2; }
    sudo=(sudo)
  fi
  log "installing postgresql"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends postgresql >&2 \
    || { "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update >&2 \
         && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends postgresql >&2; }
}

bin="$(find_bin || true)"
if [ -z "$bin" ]; then
  install_postgres
  bin="$(find_bin || true)"
  [ -n "$bin" ] || { log "no initdb under /usr/lib/postgresql/*/bin after installing"; exit 1; }
fi

# Who runs the server: this user, or an unprivileged one when this is root.
as_user=()
owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  as_user=(runuser -u "$owner" --)
fi

if [ -f "$run_dir/connection" ] && [ -f "$run_dir/cluster-dir" ] \
   && "${as_user[@]}" "$bin/pg_ctl" status -D "$(cat "$run_dir/cluster-dir")/data" >/dev/null 2>&1; then
  log "already running ($(cat "$run_dir/cluster-dir"))"
  cat "$run_dir/connection"
  exit 0
fi

mkdir -p "$run_dir"
chmod 0700 "$run_dir"
cluster_dir="$(mktemp -d /tmp/enigm-postgres-cluster.XXXXXX)"
echo "$cluster_dir" >"$run_dir/cluster-dir"
echo "$owner" >"$run_dir/owner"
[ ${#as_user[@]} -eq 0 ] || chown "$owner" "$cluster_dir"

"${as_user[@]}" "$bin/initdb" -D "$cluster_dir/data" -U enigm --auth=trust --encoding=UTF8 --no-instructions >"$run_dir/initdb.log" 2>&1 \
  || { log "initdb failed; see $run_dir/initdb.log"; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for attempt in 1 2 3 4 5; do
  port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  port_in_use "$port" && continue
  # fsync and synchronous_commit stay at their durable defaults: the tests check acknowledged writes survive.
  if "${as_user[@]}" "$bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w -t 60 start \
       -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$cluster_dir -c max_connections=300" >&2; then
    connection="Host=127.0.0.1;Port=$port;Username=enigm;Database=enigm"
    "${as_user[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U enigm enigm
    echo "$connection" >"$run_dir/connection"
    log "started on 127.0.0.1:$port (cluster $cluster_dir, running as $owner, attempt $attempt)"
    echo "$connection"
    exit 0
  fi
  log "start on port $port failed (attempt $attempt); see $cluster_dir/server.log"
done
log "could not start PostgreSQL"
exit 1
