#!/usr/bin/env bash
# The long chaos and fuzz runs (bounded, loopback only; each stops by itself). CI runs the same tests at small sizes.
# Each run prints one summary line, e.g. "worker-kill: runs=5 kills=40 jobs=1000 lost=0 duplicated=0".
# Sizes: PLATFORM_CHAOS_JOBS (per round), PLATFORM_CHAOS_KILLS (per round), PLATFORM_CHAOS_ROUNDS, PLATFORM_FUZZ_REQUESTS,
# PLATFORM_CHAOS_BROKER_DROPS (forced-close rounds), PLATFORM_CHAOS_BROKER_RESTARTS (broker application restarts).
# `scripts/chaos.sh broker` runs only the broker outage cases: the reliability goal of docs/benchmarks.md.
# The broker-restart case restarts the RabbitMQ application of the node the tests use: run it where nothing else shares it.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLATFORM_CHAOS_JOBS=${PLATFORM_CHAOS_JOBS:-200}
export PLATFORM_CHAOS_KILLS=${PLATFORM_CHAOS_KILLS:-10}
export PLATFORM_CHAOS_ROUNDS=${PLATFORM_CHAOS_ROUNDS:-5}
export PLATFORM_FUZZ_REQUESTS=${PLATFORM_FUZZ_REQUESTS:-10000}
filter="Category=Chaos|FullyQualifiedName~CrossTenantTests"
if [ "${1:-}" = broker ]; then
  # 100 forced-close rounds and 10 restarts, 10 uploads and a question before and after each.
  export PLATFORM_CHAOS_JOBS=${PLATFORM_CHAOS_JOBS_BROKER:-40}
  export PLATFORM_CHAOS_BROKER_DROPS=${PLATFORM_CHAOS_BROKER_DROPS:-100}
  export PLATFORM_CHAOS_BROKER_RESTARTS=${PLATFORM_CHAOS_BROKER_RESTARTS:-10}
  filter="FullyQualifiedName~OutageTests&Name!~database_outages"
fi
export PLATFORM_CHAOS_BROKER_DROPS=${PLATFORM_CHAOS_BROKER_DROPS:-10}
export PLATFORM_CHAOS_BROKER_RESTARTS=${PLATFORM_CHAOS_BROKER_RESTARTS:-2}
scripts/services.sh up
rm -f artifacts/chaos/summary.txt
dotnet build Platform.sln -c Release -nologo -clp:ErrorsOnly || exit 1
timeout 3600 dotnet test tests/Platform.Tests -c Release --no-build -nologo \
  --filter "$filter" --logger "console;verbosity=minimal"
status=$?
echo "--- summaries ---"
cat artifacts/chaos/summary.txt 2>/dev/null
exit $status
