#!/usr/bin/env bash
# Usage: fuzz/run-all.sh <seconds>   runs every target for <seconds>, one after another.
# Exits 1 if any target crashed; prints one summary line per target.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ $# -ne 1 ]; then
    echo "usage: $0 <seconds>" >&2
    exit 2
fi

fuzz_build
export FUZZ_SKIP_BUILD=1
failed=()
summary=()
for target in $(fuzz_targets); do
    if line=$(bash "$FUZZ_DIR/run.sh" "$target" "$1" | tail -n 1); then
        summary+=("$line")
    else
        summary+=("$line")
        failed+=("$target")
    fi
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashed or failed: ${failed[*]}" >&2
    exit 1
fi
echo "all targets: no crashes"
