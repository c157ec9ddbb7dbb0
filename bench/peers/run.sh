#!/usr/bin/env bash
# Side-by-side job systems (issue #23): the platform, raw RabbitMQ.Client, Celery (RabbitMQ + Redis / PostgreSQL
# results) and Hangfire.PostgreSql, rotated rounds, medians. Bounded and loopback only: every round uses a PostgreSQL
# database and RabbitMQ vhost of its own and removes them; the processes it starts are stopped by pid.
# Installs what it needs on a fresh Debian machine (python3-celery and its Redis/PostgreSQL clients from apt; Hangfire
# from NuGet through the build).
# Usage: bench/peers/run.sh [--quick] [--rounds 3] [--seconds 15] [--systems platform,raw-rabbitmq,celery-redis,celery-pg,hangfire-pg]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
scripts/services.sh up
if ! /usr/bin/python3 -c "import celery, redis, sqlalchemy, psycopg2" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-celery python3-redis python3-sqlalchemy python3-psycopg2 >/dev/null
fi
dotnet build Platform.sln -c Release -clp:ErrorsOnly -v q >/dev/null
dotnet build bench/peers/hangfire -c Release -clp:ErrorsOnly -v q >/dev/null
dotnet build bench/peers -c Release -clp:ErrorsOnly -v q >/dev/null
exec dotnet bench/peers/bin/Release/net10.0/Platform.Bench.Peers.dll "$@"
