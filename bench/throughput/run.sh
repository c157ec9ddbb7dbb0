#!/usr/bin/env bash
# Throughput benchmarks (issue #8): raw RabbitMQ vs the platform's probe pipeline, API submissions under wrk,
# drain of a backlog by 1/2/4 worker processes, CPU and allocations per job, the API's GC with and without DATAS.
# Loopback only and bounded: each scenario uses its own PostgreSQL database and RabbitMQ vhost and removes them; the hosts it starts are stopped by pid.
# Usage: bench/throughput/run.sh [bus|submit|drain|prepare|gc|all] [--jobs 10000] [--bus-messages 10000] [--rounds 3]
#        [--concurrency 32] [--wrk-seconds 15] [--wrk-connections 32] [--workers 1,2,4]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
scripts/services.sh up
if ! command -v wrk >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
dotnet build Platform.sln -c Release -clp:ErrorsOnly -v q >/dev/null
dotnet build bench/throughput -c Release -clp:ErrorsOnly -v q >/dev/null
exec dotnet bench/throughput/bin/Release/net10.0/Platform.Bench.Throughput.dll "$@"
