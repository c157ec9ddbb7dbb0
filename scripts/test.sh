#!/usr/bin/env bash
# The test command (README, and what .ci/run calls): starts PostgreSQL, RabbitMQ and Redis on loopback
# (installing them first on a fresh Debian machine), builds, runs every test, and ends with "N passed, N failed".
# Extra arguments go to dotnet test, e.g. scripts/test.sh --filter Category=EndToEnd
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/services.sh up || { echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results" "$results.stderr"
mkdir -p artifacts
dotnet build Platform.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
dotnet test tests/Platform.Tests -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" \
  2> >(tee "$results.stderr" >&2)
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
errors=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
timeouts=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
# Errors outside any test (a fixture's OneTimeTearDown that threw, an adapter error) fail the run without failing a
# test; print them and count each as a failure so the last line and the exit code agree.
run_errors=$(python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
infos = ET.parse(sys.argv[1]).getroot().findall(".//t:RunInfos/t:RunInfo", ns)
errors = [i for i in infos if i.get("outcome") == "Error"]
for i in errors:
    text = i.findtext("t:Text", default="", namespaces=ns).strip()
    print("run-level error: " + text[:2000], file=sys.stderr)
print(len(errors))
PY
)
failed=$(( ${failed:-0} + ${errors:-0} + ${timeouts:-0} + ${run_errors:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status although no test failed; counted as one failure. Its last errors:" >&2
  tail -n 40 "$results.stderr" >&2
  failed=1
fi
echo "${passed:-0} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
