#!/bin/sh
# Submit a document to Platform with amqp-tools alone (Debian: amqp-tools) and wait for its outcome.
#
#   ingest_and_wait.sh URL TENANT API_KEY FILE_NAME (--blob-key KEY | --text-file PATH) [TIMEOUT_SECONDS]
#   ingest_and_wait.sh amqp://guest:guest@127.0.0.1:5672/%2F acme "$KEY" notes.md --text-file notes.md
#
# Publishes an IngestDocument command in MassTransit's JSON envelope to the ingest-document exchange, listens on
# three exclusive queues bound to the outcome exchanges (Platform.Messages:JobSucceeded, :JobFailed, :JobCancelled),
# and prints the outcome whose correlationId is ours. Exit: 0 succeeded, 1 failed or cancelled, 2 timed out.
# The outcome exchanges exist once the platform has published an event of that type (or after
# examples/python/ingest_and_wait.py ran once, which declares them); amqp-tools cannot declare exchanges.
set -eu
url=$1 tenant=$2 api_key=$3 file_name=$4 mode=$5 source=$6 timeout=${7:-120}

work=$(mktemp -d)
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

correlation_id=$(cat /proc/sys/kernel/random/uuid)
message_id=$(cat /proc/sys/kernel/random/uuid)

# JSON-escape a text file with POSIX tools: backslash, quote, tab, carriage return; lines joined with \n.
json_text() {
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r/\\r/g' "$1" | awk 'BEGIN { ORS = "" } NR > 1 { print "\\n" } { print }'
}

case $mode in
    --blob-key) content="\"blobKey\": \"$source\"" ;;
    --text-file) content="\"text\": \"$(json_text "$source")\"" ;;
    *) echo "mode must be --blob-key or --text-file" >&2; exit 3 ;;
esac

# Bind first, so the outcome cannot be published before we listen. amqp-consume runs the command once per
# message with the body on stdin; each body becomes a file in the folder of its event type. (-r matters: amqp-consume
# 0.11 crashes on -e without -r and does not bind with -r ""; a fanout exchange ignores the key anyway.)
for event in JobSucceeded JobFailed JobCancelled; do
    mkdir "$work/$event"
    amqp-consume -u "$url" -e "Platform.Messages:$event" -r "#" -x -A -- sh -c 'cat > "$0/$(cat /proc/sys/kernel/random/uuid)"' "$work/$event" \
        2>> "$work/consume.log" &
    pids="$pids $!"
done
sleep 1 # amqp-consume gives no signal that its binding is in place

amqp-publish -u "$url" -e ingest-document -r "" -C application/vnd.masstransit+json -p -b "{
  \"messageId\": \"$message_id\",
  \"correlationId\": \"$correlation_id\",
  \"conversationId\": \"$correlation_id\",
  \"sourceAddress\": \"rabbitmq://localhost/amqp-tools-example\",
  \"destinationAddress\": \"rabbitmq://localhost/ingest-document\",
  \"messageType\": [\"urn:message:Platform.Messages:IngestDocument\"],
  \"message\": {
    \"tenantId\": \"$tenant\",
    \"apiKey\": \"$api_key\",
    \"fileName\": \"$file_name\",
    $content,
    \"correlationId\": \"$correlation_id\"
  },
  \"sentTime\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",
  \"headers\": {}
}"
echo "submitted $message_id correlationId $correlation_id"

waited=0
while [ "$waited" -lt "$timeout" ]; do
    for event in JobSucceeded JobFailed JobCancelled; do
        match=$(grep -l "\"correlationId\": *\"$correlation_id\"" "$work/$event"/* 2>/dev/null | head -n 1)
        if [ -n "$match" ]; then
            cat "$match"
            echo
            echo "$event"
            [ "$event" = JobSucceeded ] && exit 0 || exit 1
        fi
    done
    for pid in $pids; do
        if ! kill -0 "$pid" 2>/dev/null; then # a listener died, e.g. its exchange does not exist yet
            cat "$work/consume.log" >&2
            exit 3
        fi
    done
    sleep 1
    waited=$((waited + 1))
done
echo "no outcome within $timeout s" >&2
exit 2
