#!/usr/bin/env bash
# Installs what fuzz/run.sh needs: afl++ from Debian and the SharpFuzz instrumentation tool (into
# fuzz/.tools, git-ignored). Idempotent: a second run only checks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v afl-fuzz >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq afl++ >/dev/null
fi
echo "afl-fuzz: $(command -v afl-fuzz)"

if [ ! -x "$here/.tools/sharpfuzz" ]; then
    dotnet tool install --tool-path "$here/.tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi
echo "sharpfuzz: $here/.tools/sharpfuzz"
