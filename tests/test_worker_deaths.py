"""Deaths the worker pool must survive without hanging: a worker killed while it sends its
result, and a parent killed under its workers (kelisim.workers)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PARENT = textwrap.dedent("""
    import os, sys, time
    from kelisim import workers

    def nap(seconds):
        time.sleep(seconds)
        return os.getpid()

    executor = workers.pool(2)
    futures = [executor.submit(nap, 0.2) for _ in range(2)]  # both workers started
    pids = {f.result() for f in futures} | {p.pid for p in executor._processes.values()}
    executor.submit(nap, 600)  # one worker busy, one waiting on the queue
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    """Running, not gone and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_workers_of_a_killed_parent_die_with_it():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    pids: list[int] = []
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(map(_alive, pids))
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30  # a safeguard: the kernel kills them at once
        while any(map(_alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, pids)), f"workers outlived their parent: {pids}"
    finally:
        parent.kill()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


TORN = textwrap.dedent("""
    import os, signal, struct, sys
    from kelisim import workers

    def tear(_):
        # What a worker SIGKILLed in the middle of sending a result leaves in the result pipe:
        # a length header and part of the message (a pool inherited over fork holds the pipe).
        os.write(EXECUTOR._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"abc")
        os.kill(os.getpid(), signal.SIGKILL)

    EXECUTOR = workers.pool(2)
    try:
        workers.result(workers.submit(EXECUTOR, tear, 0), EXECUTOR)
        print("no error")
    except workers.WorkerLost as error:
        print("lost:", error)
    finally:
        workers.close(EXECUTOR)
    print("closed", flush=True)
""")


def test_a_worker_killed_while_sending_its_result_stops_the_run_instead_of_hanging_it():
    # Without the check, CPython's pool waits for the rest of the torn message for ever, and
    # so did `kelisim ingest` when a test killed a worker at that moment.
    done = subprocess.run([sys.executable, "-c", TORN], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "lost: a worker process died (killed or out of memory); everything stored so far is kept: "
        "run the command again to continue", "closed"]
