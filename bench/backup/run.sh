#!/usr/bin/env bash
# Backup benchmark: the backup job's wall time against raw `pg_dump -Fc` of the same database in the same run,
# and the verification (restore into a scratch database) time per GB. Bounded: one database of about
# BENCH_ROWS rows (default ~1.1 GB), one backup, one raw dump, one verification; everything is dropped at the end.
# Usage: bench/backup/run.sh   (needs PostgreSQL on 127.0.0.1:5432, pg_dump/pg_restore, a Release build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROWS="${BENCH_ROWS:-3400000}"
PGURL_ADMIN="${BENCH_PG_ADMIN:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}"
DB="bench_backup_$(date +%s)"
WORK="$(mktemp -d /tmp/platform-bench-backup.XXXXXX)"
PORT="${BENCH_PORT:-18391}"
API_PID=""
cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null || true
  psql "$PGURL_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
PGURL="${PGURL_ADMIN%/*}/$DB"

echo "creating $DB with $ROWS rows..." >&2
psql "$PGURL_ADMIN" -qc "CREATE DATABASE $DB"
psql "$PGURL" -qc "CREATE TABLE bench_rows AS SELECT g AS id, now() - g * interval '1 second' AS at,
  md5(g::text) || repeat(md5(random()::text), 8) AS payload FROM generate_series(1, $ROWS) g;
  ALTER TABLE bench_rows ADD PRIMARY KEY (id);"
SIZE=$(psql "$PGURL" -tAc "SELECT pg_database_size(current_database())")
echo "database size: $SIZE bytes" >&2

# Single-process mode (src/Standalone): PostgreSQL, in-memory bus, workers in process, local blobs under $WORK.
Database__Provider=PostgreSql Database__ConnectionString="Host=127.0.0.1;Username=postgres;Password=postgres;Database=$DB" \
Blobs__Root="$WORK/blobs" Scheduler__Enabled=false \
  dotnet "$ROOT/src/Standalone/bin/Release/net10.0/Platform.Standalone.dll" --urls "http://127.0.0.1:$PORT" > "$WORK/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

wait_job() { # prints the finished job's JSON
  while true; do
    JOB=$(curl -fs "http://127.0.0.1:$PORT/api/v1/jobs/$1")
    case "$(echo "$JOB" | python3 -c 'import sys,json; print(json.load(sys.stdin)["status"])')" in
      succeeded) echo "$JOB"; return 0;; failed|cancelled) echo "$JOB" >&2; return 1;; esac
    sleep 0.5
  done
}
seconds() { python3 -c 'import sys,json,datetime as d; j=json.load(sys.stdin); f=lambda s: d.datetime.fromisoformat(s.replace("Z","+00:00")); print((f(j["finishedAt"])-f(j["startedAt"])).total_seconds())'; }

# Raw pg_dump first and the job second, then raw again: the mean of the two raw runs brackets the job.
raw() { local s; s=$(date +%s.%N); pg_dump -Fc --no-password -h 127.0.0.1 -U postgres -d "$DB" -f "$WORK/raw.dump"; python3 -c "import time; print(time.time()-$s)"; }
RAW1=$(raw)
JOB_ID=$(curl -fs -XPOST -H 'content-type: application/json' -d '{}' "http://127.0.0.1:$PORT/api/v1/backups" | python3 -c 'import sys,json; print(json.load(sys.stdin)["jobId"])')
BACKUP_JOB=$(wait_job "$JOB_ID")
JOB_S=$(echo "$BACKUP_JOB" | seconds)
RAW2=$(raw)
RAW_SIZE=$(stat -c %s "$WORK/raw.dump")
BACKUP_ID=$(echo "$BACKUP_JOB" | python3 -c 'import sys,json; print(json.load(sys.stdin)["result"]["backupId"])')
DUMP_SIZE=$(echo "$BACKUP_JOB" | python3 -c 'import sys,json; print(json.load(sys.stdin)["result"]["sizeBytes"])')

VERIFY_ID=$(curl -fs -XPOST -H 'content-type: application/json' -d '{}' "http://127.0.0.1:$PORT/api/v1/backups/$BACKUP_ID/verify" | python3 -c 'import sys,json; print(json.load(sys.stdin)["jobId"])')
VERIFY_JOB=$(wait_job "$VERIFY_ID")
RESTORE_MS=$(echo "$VERIFY_JOB" | python3 -c 'import sys,json; print(json.load(sys.stdin)["result"]["restoreMs"])')

python3 - "$SIZE" "$RAW1" "$RAW2" "$JOB_S" "$RAW_SIZE" "$DUMP_SIZE" "$RESTORE_MS" <<'PY'
import sys
size, raw1, raw2, job, raw_size, dump_size, restore_ms = map(float, sys.argv[1:])
raw = (raw1 + raw2) / 2
gb = size / 1e9
print(f"| database size | {size/1e9:.2f} GB |")
print(f"| raw pg_dump -Fc (mean of 2, before and after) | {raw:.1f} s ({raw1:.1f} / {raw2:.1f}); {raw_size/1e6:.0f} MB |")
print(f"| backup job (queued command to recorded manifest) | {job:.1f} s; {dump_size/1e6:.0f} MB stored |")
print(f"| ratio job / raw | {job/raw:.3f} (goal <= 1.10) |")
print(f"| verification restore (pg_restore into scratch DB + row counts) | {restore_ms/1000:.1f} s = {restore_ms/1000/gb:.1f} s per GB of database |")
PY
