#!/usr/bin/env bash
# Usage: fuzz/run.sh <target> <seconds>
# Builds and instruments the harness, seeds fuzz/out/<target>/seeds from the committed corpus
# (fuzz/corpus/<target>/) plus freshly generated valid encodings, runs afl-fuzz for <seconds>, prints
# executions and crashes from fuzzer_stats, and exits 1 if afl saved any crash (each one is replayed to
# show its exception and stack). FUZZ_MAX_EXECS=N also stops after N executions (afl-fuzz -E).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ $# -ne 2 ]; then
    echo "usage: $0 <target> <seconds>" >&2
    exit 2
fi
target="$1"
seconds="$2"

fuzz_build
if ! fuzz_targets | grep -qx "$target"; then
    echo "unknown target '$target'; targets: $(fuzz_targets | tr '\n' ' ')" >&2
    exit 2
fi

work="$FUZZ_OUT/$target"
rm -rf "$work"
mkdir -p "$work/seeds"
if [ -d "$FUZZ_DIR/corpus/$target" ]; then cp "$FUZZ_DIR/corpus/$target"/* "$work/seeds/" 2>/dev/null || true; fi
dotnet "$HARNESS" --write-seeds "$work/generated" "$target" >/dev/null
# Fresh seeds add what the committed corpus lacks (valid keys and signatures of providers added since).
for f in "$work/generated/$target"/*; do
    if ! cmp -s "$f" "$work/seeds/$(basename "$f")"; then cp "$f" "$work/seeds/gen-$(basename "$f")"; fi
done

limits=(-V "$seconds")
if [ -n "${FUZZ_MAX_EXECS:-}" ]; then limits+=(-E "$FUZZ_MAX_EXECS"); fi

fuzz_custom_mutator "$target"
echo "== afl-fuzz $target for ${seconds}s ($(ls "$work/seeds" | wc -l) seeds)"
set +e
afl-fuzz -i "$work/seeds" -o "$work/findings" "${limits[@]}" -t "${FUZZ_TIMEOUT_MS:-5000}" -m none \
    -- "$(command -v dotnet)" "$HARNESS" "$target" >"$work/afl.log" 2>&1
status=$?
set -e

stats="$work/findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
    echo "afl-fuzz did not start (exit $status); last lines of $work/afl.log:" >&2
    tail -n 30 "$work/afl.log" >&2
    exit 1
fi

execs=$(fuzz_stat "$stats" execs_done)
rate=$(fuzz_stat "$stats" execs_per_sec)
crashes=$(fuzz_stat "$stats" saved_crashes)
hangs=$(fuzz_stat "$stats" saved_hangs)
corpus=$(fuzz_stat "$stats" corpus_count)
elapsed=$(( $(fuzz_stat "$stats" last_update) - $(fuzz_stat "$stats" start_time) ))
echo "target=$target seconds=$elapsed execs=$execs execs_per_sec=$rate corpus=$corpus crashes=$crashes hangs=$hangs"

if [ "$crashes" != "0" ]; then
    echo "CRASHES in $work/findings/default/crashes:" >&2
    dotnet "$HARNESS" "$target" --replay "$work/findings/default/crashes" >&2 || true
    exit 1
fi
