# The Celery peer of bench/peers: one no-op task on RabbitMQ, results in Redis or PostgreSQL (PEERS_BACKEND).
# Each execution appends its number to a file of its worker process, so the orchestrator can count lost and
# duplicated executions; the task's result (stored by the backend) is what the orchestrator counts as completion.
import os

from celery import Celery

app = Celery("peertasks", broker=os.environ["PEERS_BROKER"], backend=os.environ["PEERS_BACKEND"])
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_default_queue=os.environ.get("PEERS_QUEUE", "peers"),
    worker_prefetch_multiplier=int(os.environ.get("PEERS_PREFETCH_MULTIPLIER", "4")),
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)

_ledger = None


@app.task(name="noop")
def noop(number):
    global _ledger
    if _ledger is None:
        path = os.path.join(os.environ["PEERS_LEDGER_DIR"], "%d.txt" % os.getpid())
        _ledger = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.write(_ledger, b"%d\n" % number)
    return number
