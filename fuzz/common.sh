#!/usr/bin/env bash
# Shared by run.sh, run-all.sh and smoke.sh: paths, afl-fuzz environment, build + instrumentation.
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$FUZZ_DIR/.." && pwd)"
FUZZ_OUT="${FUZZ_OUT:-$FUZZ_DIR/out}"
FUZZ_BIN="$FUZZ_OUT/bin"
HARNESS="$FUZZ_BIN/Enigm.Fuzz.dll"
SHARPFUZZ="$FUZZ_DIR/.tools/sharpfuzz"

# Non-interactive afl-fuzz: no curses UI, no CPU-governor or core_pattern checks (CI machines and shared
# developer machines cannot change those), no CPU pinning (other work shares the cores), and a generous
# start-up allowance because the target is a .NET process.
export AFL_NO_UI=1
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1
export AFL_SKIP_BIN_CHECK=1
export AFL_FORKSRV_INIT_TMOUT="${AFL_FORKSRV_INIT_TMOUT:-60000}"
export AFL_SKIP_CRASHES=0
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

# The harness's assembly list to instrument: Enigm.Crypto (the decoders), Enigm.Keys (audit export,
# revocation statements, protector descriptors) and System.Formats.Cbor (so coverage also guides the fuzzer
# through CBOR structure); Enigm.Server for the relay request validation; Enigm.Client for the client's content
# decoding. Provider libraries and the shared framework (System.Text.Json) stay uninstrumented.
FUZZ_INSTRUMENT="${FUZZ_INSTRUMENT:-Enigm.Crypto.dll Enigm.Keys.dll Enigm.Ota.dll Enigm.Trust.dll Enigm.Messaging.dll Enigm.Server.dll Enigm.Client.dll System.Formats.Cbor.dll}"

# The relay's request bodies are JSON with base64 fields, and System.Text.Json is not instrumented: byte-level havoc
# rarely gets past it, so their corpora stopped at the seeds. For relay-* targets afl-fuzz also runs the
# structure-aware mutator fuzz/json_base64_mutator.py (mutates a base64 field's decoded bytes and re-wraps them).
# FUZZ_JSON_MUTATOR=0 turns it off.
fuzz_custom_mutator() {
    local target="$1"
    if [ "${FUZZ_JSON_MUTATOR:-1}" = "1" ] && [[ "$target" == relay-* ]]; then
        export PYTHONPATH="$FUZZ_DIR${PYTHONPATH:+:$PYTHONPATH}"
        export AFL_PYTHON_MODULE=json_base64_mutator
    fi
}

fuzz_targets() {
    dotnet "$HARNESS" list | awk '{print $1}'
}

# Publishes the harness (Release) into $FUZZ_BIN and instruments the decoder assemblies in place.
# FUZZ_SKIP_BUILD=1 reuses an earlier build (run-all.sh and smoke.sh build once).
fuzz_build() {
    if [ "${FUZZ_SKIP_BUILD:-0}" = "1" ] && [ -f "$FUZZ_BIN/.instrumented" ]; then return 0; fi
    [ -x "$SHARPFUZZ" ] && command -v afl-fuzz >/dev/null 2>&1 || bash "$FUZZ_DIR/install.sh"
    rm -rf "$FUZZ_BIN"
    echo "== publishing harness to $FUZZ_BIN"
    dotnet publish "$FUZZ_DIR/Enigm.Fuzz/Enigm.Fuzz.csproj" -c Release -o "$FUZZ_BIN" --nologo -v quiet >/dev/null
    for assembly in $FUZZ_INSTRUMENT; do
        echo "== instrumenting $assembly"
        "$SHARPFUZZ" "$FUZZ_BIN/$assembly" >/dev/null
    done
    touch "$FUZZ_BIN/.instrumented"
}

# A field of afl's fuzzer_stats (0 when missing).
fuzz_stat() {
    local stats="$1" key="$2"
    awk -F' *: *' -v k="$key" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$stats"
}
