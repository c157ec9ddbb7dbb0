# Submits COUNT no-op tasks numbered FROM.. from THREADS threads (apply_async, Celery's producer pool), then exits.
# Usage: python3 submit.py FROM COUNT THREADS
import os
import sys
import threading

from peertasks import noop

first, count, threads = (int(a) for a in sys.argv[1:4])
lock = threading.Lock()
state = {"next": first}


def publish():
    while True:
        with lock:
            number = state["next"]
            state["next"] += 1
        if number >= first + count:
            return
        noop.apply_async((number,))


def cpu():
    t = os.times()
    return t.user + t.system


start = cpu()
workers = [threading.Thread(target=publish) for _ in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
# For the orchestrator: CPU spent publishing, start-up (imports) excluded.
print("cpu %.3f %.3f" % (start, cpu()), flush=True)
