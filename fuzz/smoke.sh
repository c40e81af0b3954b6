#!/usr/bin/env bash
# CI smoke (called from .ci/run): replays the committed corpus with deterministic mutations, then
# runs every target under afl-fuzz for FUZZ_SMOKE_SECONDS (default 7; 14 targets) each. Non-interactive;
# about 3-4 minutes in all on 2 cores. Exits 1 on any crash.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds="${FUZZ_SMOKE_SECONDS:-7}"
started=$(date +%s)
fuzz_build
export FUZZ_SKIP_BUILD=1

echo "== replaying fuzz/corpus with mutations"
for target in $(fuzz_targets); do
    if [ -d "$FUZZ_DIR/corpus/$target" ]; then
        dotnet "$HARNESS" "$target" --replay "$FUZZ_DIR/corpus/$target" --mutate
    fi
done

echo "== afl-fuzz, ${seconds}s per target"
bash "$FUZZ_DIR/run-all.sh" "$seconds"
echo "fuzz smoke finished in $(( $(date +%s) - started ))s"
