#!/usr/bin/env bash
# The long chaos and fuzz runs (bounded, loopback only; each stops by itself). CI runs the same tests at small sizes.
# Each run prints one summary line, e.g. "worker-kill: runs=5 kills=40 jobs=1000 lost=0 duplicated=0".
# Sizes: PLATFORM_CHAOS_JOBS (per round), PLATFORM_CHAOS_KILLS (per round), PLATFORM_CHAOS_ROUNDS, PLATFORM_FUZZ_REQUESTS.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLATFORM_CHAOS_JOBS=${PLATFORM_CHAOS_JOBS:-200}
export PLATFORM_CHAOS_KILLS=${PLATFORM_CHAOS_KILLS:-10}
export PLATFORM_CHAOS_ROUNDS=${PLATFORM_CHAOS_ROUNDS:-5}
export PLATFORM_FUZZ_REQUESTS=${PLATFORM_FUZZ_REQUESTS:-10000}
export PLATFORM_CHAOS_BROKER_DROPS=1 # the broker-drop outage case, which CI skips (known MassTransit reconnect defect)
scripts/services.sh up
rm -f artifacts/chaos/summary.txt
dotnet build Platform.sln -c Release -nologo -clp:ErrorsOnly || exit 1
timeout 3600 dotnet test tests/Platform.Tests -c Release --no-build -nologo \
  --filter "Category=Chaos|FullyQualifiedName~CrossTenantTests" --logger "console;verbosity=minimal"
status=$?
echo "--- summaries ---"
cat artifacts/chaos/summary.txt 2>/dev/null
exit $status
