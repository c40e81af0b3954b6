#!/usr/bin/env bash
# Starts a software TPM 2.0 (swtpm) on loopback for the TpmProtector tests and the demo.
#   TPM command port 127.0.0.1:${ENIGM_SWTPM_PORT:-2321}, control port +1.
#   Installs the Debian packages swtpm, swtpm-tools, tpm2-tools and libtss2-tcti-swtpm0 when missing
#   (apt-get; sudo when not root). Idempotent: a running instance started by this script is reused.
#   State lives in a fresh temporary directory recorded in the run directory, which swtpm-stop.sh removes.
# Prints the TCTI string to use, e.g. `export ENIGM_TPM_TCTI=$(scripts/swtpm-start.sh | tail -n1)`.
set -euo pipefail

port="${ENIGM_SWTPM_PORT:-2321}"
ctrl_port=$((port + 1))
run_dir="${ENIGM_SWTPM_RUN_DIR:-${TMPDIR:-/tmp}/enigm-swtpm-$port}"
pid_file="$run_dir/swtpm.pid"
tcti="swtpm:host=127.0.0.1,port=$port"

log() { echo "swtpm-start: $*" >&2; }

install_packages() {
  local missing=()
  for pkg in swtpm swtpm-tools tpm2-tools libtss2-tcti-swtpm0; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "need root or sudo to install: ${missing[*]}"; exit 2; }
    sudo=(sudo)
  fi
  log "installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >&2 \
    || { "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update >&2 \
         && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >&2; }
}

install_packages

if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  log "already running (pid $(cat "$pid_file"))"
  echo "$tcti"
  exit 0
fi

mkdir -p "$run_dir"
chmod 0700 "$run_dir"
state_dir="$(mktemp -d "${TMPDIR:-/tmp}/enigm-swtpm-state.XXXXXX")"
echo "$state_dir" >"$run_dir/state-dir"
rm -f "$pid_file"

swtpm socket --tpm2 \
  --tpmstate "dir=$state_dir" \
  --server "type=tcp,bindaddr=127.0.0.1,port=$port" \
  --ctrl "type=tcp,bindaddr=127.0.0.1,port=$ctrl_port" \
  --flags not-need-init \
  --pid "file=$pid_file" \
  --log "file=$run_dir/swtpm.log" \
  --daemon

for _ in $(seq 1 50); do
  [ -s "$pid_file" ] && break
  sleep 0.1
done
[ -s "$pid_file" ] || { log "swtpm did not start; see $run_dir/swtpm.log"; exit 1; }

# TPM2_Startup(CLEAR): a fresh TPM answers nothing else until it has run.
for _ in $(seq 1 50); do
  if tpm2_startup -c -T "$tcti" 2>/dev/null; then
    log "started (pid $(cat "$pid_file"), state $state_dir)"
    echo "$tcti"
    exit 0
  fi
  sleep 0.1
done
log "tpm2_startup failed against $tcti"
exit 1
