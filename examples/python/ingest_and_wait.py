#!/usr/bin/env python3
"""Submit a document to Platform over RabbitMQ alone and wait for its outcome.

Publishes an IngestDocument command in MassTransit's JSON envelope to the `ingest-document` exchange, follows
JobProgressed and the outcome event (JobSucceeded, JobFailed, JobCancelled) on a queue of its own, matched by
the correlation id it chose. Needs only pika (Debian: python3-pika).

  python3 ingest_and_wait.py --url amqp://guest:guest@127.0.0.1:5672/%2F --tenant acme --api-key KEY --text-file notes.md
  python3 ingest_and_wait.py ... --blob-key incoming/acme/report.pdf --file-name report.pdf

Prints one JSON line per event received for this command. Exit code: 0 succeeded, 1 failed or cancelled,
2 no outcome within --timeout, 3 could not submit.
"""
import argparse
import datetime
import json
import sys
import time
import uuid

import pika

EVENTS = ["JobSucceeded", "JobFailed", "JobCancelled", "JobProgressed"]
OUTCOMES = {"JobSucceeded": 0, "JobFailed": 1, "JobCancelled": 1}
COMMAND_EXCHANGE = "ingest-document"  # MassTransit binds the exchange of this name to the queue of this name


def urn(message_type):
    return f"urn:message:Platform.Messages:{message_type}"


def envelope(args, correlation_id):
    """The MassTransit envelope (content type application/vnd.masstransit+json), camelCase, ids as GUID strings."""
    message = {"tenantId": args.tenant, "fileName": args.file_name, "correlationId": correlation_id}
    if args.api_key:
        message["apiKey"] = args.api_key
    if args.blob_key:
        message["blobKey"] = args.blob_key
    else:
        with open(args.text_file, encoding="utf-8") as f:
            message["text"] = f.read()
    return {
        "messageId": str(uuid.uuid4()),
        "correlationId": correlation_id,
        "conversationId": correlation_id,
        "sourceAddress": "rabbitmq://localhost/python-ingest-example",
        "destinationAddress": f"rabbitmq://localhost/{COMMAND_EXCHANGE}",
        "messageType": [urn("IngestDocument")],
        "message": message,
        "sentTime": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "headers": {},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="amqp://guest:guest@127.0.0.1:5672/%2F")
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--api-key")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--text-file", help="send this UTF-8 file inline (at most 256 KiB)")
    source.add_argument("--blob-key", help="a key under incoming/<tenant>/ in the platform's blob store")
    parser.add_argument("--file-name", help="the document's name (default: the text file's name)")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--capture", help="append every received envelope for this command to this file (JSON lines)")
    args = parser.parse_args()
    args.file_name = args.file_name or (args.text_file and args.text_file.replace("\\", "/").split("/")[-1])
    if not args.file_name:
        parser.error("--file-name is required with --blob-key")

    connection = pika.BlockingConnection(pika.URLParameters(args.url))
    channel = connection.channel()
    try:
        channel.exchange_declare(COMMAND_EXCHANGE, passive=True)
    except pika.exceptions.ChannelClosedByBroker:
        print(f"exchange '{COMMAND_EXCHANGE}' does not exist: start the ingest worker once", file=sys.stderr)
        return 3
    channel = connection.channel()

    # Bind our own queue before publishing, so no event can be missed. MassTransit declares event exchanges
    # as durable fanout; declaring them the same way is harmless and lets us bind before the first publish.
    queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
    for event in EVENTS:
        exchange = f"Platform.Messages:{event}"
        channel.exchange_declare(exchange, exchange_type="fanout", durable=True)
        channel.queue_bind(queue, exchange)

    correlation_id = str(uuid.uuid4())
    body = envelope(args, correlation_id)
    channel.confirm_delivery()
    channel.basic_publish(COMMAND_EXCHANGE, "", json.dumps(body).encode("utf-8"),
                          pika.BasicProperties(content_type="application/vnd.masstransit+json", delivery_mode=2,
                                               message_id=body["messageId"]),
                          mandatory=True)
    print(json.dumps({"submitted": body["messageId"], "correlationId": correlation_id}), flush=True)

    deadline = time.monotonic() + args.timeout
    for method, properties, raw in channel.consume(queue, auto_ack=True, inactivity_timeout=1):
        if method is None:
            if time.monotonic() > deadline:
                print(json.dumps({"timeout": args.timeout}), flush=True)
                return 2
            continue
        received = json.loads(raw)
        event = received.get("message", {})
        if event.get("correlationId") != correlation_id:
            continue  # someone else's job
        event_type = received["messageType"][0].rsplit(":", 1)[-1]
        if args.capture:
            with open(args.capture, "a", encoding="utf-8") as f:
                f.write(json.dumps({"contentType": properties.content_type, "envelope": received}) + "\n")
        print(json.dumps({"event": event_type, **event}), flush=True)
        if event_type in OUTCOMES:
            return OUTCOMES[event_type]
    return 2


if __name__ == "__main__":
    sys.exit(main())
