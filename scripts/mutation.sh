#!/usr/bin/env bash
# Mutation testing (Stryker.NET, pinned in .config/dotnet-tools.json) of the security-critical files:
# the device-log replay and verifier, the TUF trusted metadata set, the key state machine, the row
# authenticator, the composite signature's verification (and SecondCore, which runs its halves), and the
# PQXDH initiator's bundle check. One Stryker run per test project, mutating only those files; prints and records the
# score of each file. Slow (minutes per file on 2 cores), so it is not part of .ci/run; see
# docs/testing.md for the scores and the survivors that remain.
#
# Usage: scripts/mutation.sh [keys|trust|ota|crypto|messaging]...   (default: all five)
# Output: StrykerOutput/<target>/reports/mutation-report.{json,html}, and StrykerOutput/scores.tsv
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet tool restore >/dev/null

# target -> test project, source project, files to mutate (globs relative to the source project).
declare -A test_project=(
  [keys]=tests/Enigm.Keys.Tests
  [trust]=tests/Enigm.Trust.Tests
  [ota]=tests/Enigm.Ota.Tests
  [crypto]=tests/Enigm.Crypto.Tests
  [messaging]=tests/Enigm.Messaging.Tests
)
declare -A source_project=(
  [keys]=Enigm.Keys.csproj
  [trust]=Enigm.Trust.csproj
  [ota]=Enigm.Ota.csproj
  [crypto]=Enigm.Crypto.csproj
  [messaging]=Enigm.Messaging.csproj
)
# The row authenticator is matched by name, not path, so the run still finds it if it moves.
declare -A mutate=(
  [keys]='**/Model/KeyStateMachine.cs **/RowAuthenticator.cs'
  [trust]='**/DeviceLog/DeviceLogReplay.cs **/DeviceLog/DeviceLogVerifier.cs'
  [ota]='**/Client/TrustedMetadataSet.cs'
  [crypto]='**/Hybrid/CompositeSignature.cs **/Primitives/SecondCore.cs'
  [messaging]='**/Prekeys/PrekeyBundleVerifier.cs **/Setup/PqxdhInitiator.cs'
)
# The crypto test project is mostly known-answer vectors of other primitives: only the signature, SecondCore and
# known-answer tests run for it, so a run takes minutes (a mutant these miss is still a missing test). The messaging
# target runs every test of its project.
declare -A scope=(
  [crypto]='&(FullyQualifiedName~Signature|FullyQualifiedName~SecondCore|FullyQualifiedName~KnownAnswer)'
)
# Left out: tests that start the enigm CLI or node as a child process (they cannot see Stryker's active
# mutant, which is switched in-process, and take most of the run time), and the TPM and tuf-js interop
# tests, which skip without swtpm or node (Stryker counts a skipped test as a failed initial run), and
# theories whose byte[] rows xunit cannot serialise (vstest reports them under new ids, which Stryker
# takes for tests that never finished: "Initial test run could not be completed").
filter='FullyQualifiedName!~.Cli.&FullyQualifiedName!~.Interop.&FullyQualifiedName!~TpmProtectorTests&FullyQualifiedName!~Rejects_a_corrupt_descriptor'
# MUTATION_EXTRA_FILTER adds conditions, e.g. to leave out test classes and measure the score without them.
[ -n "${MUTATION_EXTRA_FILTER:-}" ] && filter="$filter&$MUTATION_EXTRA_FILTER"

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(keys trust ota crypto messaging)

mkdir -p StrykerOutput
scores=StrykerOutput/scores.tsv
[ -f "$scores" ] || printf 'date\ttarget\tfile\tscore\tkilled\tsurvived\ttimeout\tno_coverage\tignored\tcompile_error\n' >"$scores"

for target in "${targets[@]}"; do
  [ -n "${test_project[$target]:-}" ] || { echo "unknown target '$target' (keys, trust, ota, crypto, messaging)" >&2; exit 2; }
  out="$root/StrykerOutput/$target"
  rm -rf "$out"
  args=()
  for glob in ${mutate[$target]}; do args+=(--mutate "$glob"); done
  echo "=== stryker: $target (${mutate[$target]}) ==="
  (
    cd "${test_project[$target]}"
    dotnet dotnet-stryker \
      --project "${source_project[$target]}" \
      "${args[@]}" \
      --concurrency 1 \
      --configuration Release \
      --test-case-filter "$filter${scope[$target]:-}" \
      --reporter progress --reporter json --reporter html \
      --skip-version-check \
      --output "$out"
  )

  report="$out/reports/mutation-report.json"
  # Mutation score as Stryker computes it: detected (killed + timeout) over valid mutants
  # (everything except compile errors and ignored ones), no-coverage counting as undetected.
  jq -r --arg date "$(date -u +%F)" --arg target "$target" '
    .files | to_entries[] |
    (.value.mutants | group_by(.status) | map({key: .[0].status, value: length}) | from_entries) as $c |
    ($c.Killed // 0) as $k | ($c.Survived // 0) as $s | ($c.Timeout // 0) as $t |
    ($c.NoCoverage // 0) as $n | ($c.Ignored // 0) as $i | ($c.CompileError // 0) as $e |
    select($k + $s + $t + $n > 0) |
    [$date, $target, (.key | sub(".*/src/"; "src/")),
     (((($k + $t) * 1000 / ($k + $s + $t + $n) | floor) / 10 | tostring) + "%"),
     $k, $s, $t, $n, $i, $e] | @tsv' "$report" | tee -a "$scores"

  # Survivors and untested mutants, with their line, for the next test to write.
  jq -r '.files | to_entries[] | .key as $f | .value.mutants[] | select(.status == "Survived" or .status == "NoCoverage") |
    "  \(.status) \($f | sub(".*/src/"; "src/")):\(.location.start.line) \(.mutatorName): \(.replacement // "")"' "$report"
done

echo
echo "Scores recorded in StrykerOutput/scores.tsv; survivors in StrykerOutput/<target>/reports/mutation-report.html"
