#!/usr/bin/env bash
# Installs (Debian, as root) and starts the services the tests need, on loopback only:
# PostgreSQL 15 on 5432, RabbitMQ on 5672 (management API on 15672), Redis on 6379.
# Usage: scripts/services.sh up | down | status
# "up" is idempotent: a service already answering on its port is left alone. "down" stops only what "up" started.
set -euo pipefail

STATE=${PLATFORM_SERVICES_DIR:-/tmp/platform-services}
PG_BIN=/usr/lib/postgresql/15/bin
mkdir -p "$STATE"

log() { echo "services: $*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install_packages() {
  local missing=()
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v pg_dump >/dev/null || missing+=(postgresql-client)
  [ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v tesseract >/dev/null || missing+=(tesseract-ocr tesseract-ocr-chi-sim)
  [ -x /usr/bin/chromium ] || missing+=(chromium) # browser tests (Playwright drives it; never `playwright install`)
  # Outside AMQP clients of the broker integration tests: Debian's python3 with pika, and amqp-tools' amqp-publish/amqp-consume.
  /usr/bin/python3 -c 'import pika' 2>/dev/null || missing+=(python3-pika)
  command -v amqp-publish >/dev/null || missing+=(amqp-tools)
  # Deploy-file checks (DeployCheckTests): docker-compose 1.x parses the compose file (no engine needed), yamllint.
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v yamllint >/dev/null || missing+=(yamllint)
  [ -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || [ -f /usr/share/tesseract-ocr/4.00/tessdata/chi_sim.traineddata ] \
    || missing+=(tesseract-ocr-chi-sim)
  # PDFs with an outline for the PDF heading tests: LibreOffice Writer converts HTML headings (no GUI needed).
  [ -f /usr/lib/libreoffice/program/libswlo.so ] || missing+=(libreoffice-writer-nogui)
  # A real tab-separated file with # comment lines for the ingest hygiene tests.
  [ -f /usr/share/zoneinfo/zone1970.tab ] || missing+=(tzdata)
  # Ingest test fixtures: Liberation Sans for Latin PDFs, Droid Sans Fallback (one .ttf) for Chinese PDFs.
  [ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing+=(fonts-liberation)
  [ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || missing+=(fonts-droid-fallback)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      log "missing packages: ${missing[*]} (run as root, or install them with apt-get)"; exit 1
    fi
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # Kubernetes, KEDA and Prometheus-operator schemas for the rendered chart (npm, pinned by deploy/check/package-lock.json).
  local check; check="$(cd "$(dirname "$0")/.." && pwd)/deploy/check"
  if [ ! -d "$check/node_modules" ]; then
    log "installing deploy/check (npm ci)"
    (cd "$check" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

start_postgres() {
  if port_open 5432; then log "postgresql already on 5432"; return; fi
  local data="$STATE/pg"
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"; mkdir -p "$data"; chown postgres "$data"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -A trust -U postgres >/dev/null
  fi
  chown -R postgres "$data"; touch "$STATE/pg.log"; chown postgres "$STATE/pg.log"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -o "-k /tmp -p 5432 -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" \
    -l "$STATE/pg.log" -w start >/dev/null
  echo "$data" > "$STATE/pg.started"
  log "postgresql started"
}

start_rabbitmq() {
  if port_open 5672; then log "rabbitmq already on 5672"; else
    (cd "$STATE" && RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
      setsid rabbitmq-server > "$STATE/rabbitmq.log" 2>&1 &
     echo $! > "$STATE/rabbitmq.pid")
    for _ in $(seq 1 90); do
      rabbitmq-diagnostics -n rabbit@localhost -q check_running >/dev/null 2>&1 && break
      sleep 1
    done
    rabbitmq-diagnostics -n rabbit@localhost -q check_running >/dev/null || { log "rabbitmq did not start"; tail -20 "$STATE/rabbitmq.log"; exit 1; }
    log "rabbitmq started"
  fi
  if ! port_open 15672; then
    rabbitmq-plugins -n rabbit@localhost enable rabbitmq_management rabbitmq_prometheus >/dev/null
    for _ in $(seq 1 30); do port_open 15672 && break; sleep 1; done
  fi
}

start_redis() {
  if port_open 6379; then log "redis already on 6379"; return; fi
  redis-server --port 6379 --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
  for _ in $(seq 1 20); do port_open 6379 && break; sleep 0.5; done
  log "redis started"
}

case "${1:-up}" in
  up)
    install_packages
    start_postgres
    start_rabbitmq
    start_redis
    ;;
  down)
    if [ -f "$STATE/pg.started" ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$(cat "$STATE/pg.started")" -m fast stop >/dev/null || true; rm -f "$STATE/pg.started"; fi
    if [ -f "$STATE/rabbitmq.pid" ]; then rabbitmqctl -n rabbit@localhost stop >/dev/null 2>&1 || kill "$(cat "$STATE/rabbitmq.pid")" 2>/dev/null || true; rm -f "$STATE/rabbitmq.pid"; fi
    if [ -f "$STATE/redis.pid" ]; then kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true; rm -f "$STATE/redis.pid"; fi
    ;;
  status)
    for p in 5432 5672 15672 6379; do port_open $p && echo "$p open" || echo "$p closed"; done
    ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
