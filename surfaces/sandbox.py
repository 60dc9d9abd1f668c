"""Bounded calls: a function run in a separate Python process, with a time limit.

Work on user text (SymPy on a typed formula) can be slow in ways no parser check
foresees, and pure-Python big-number arithmetic holds the interpreter lock: in the
server's own process it would stop every other session. Here it runs in a small
pool of long-lived worker processes; the caller waits without holding the lock,
and a worker that overruns its time is killed (and replaced on the next call).

    call("surfaces.formula:compile_formula", text, bounds, timeout=2.0)

Arguments and results travel as JSON. An exception in the worker comes back as
`Failed(name, args)`; an overrun as `Timeout`; a full pool as `Busy`.
"""

from __future__ import annotations

import atexit
import importlib
import json
import math
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

WORKERS = 2  # at most this many calls run at once; more wait for a free worker
QUEUE_TIMEOUT = 10.0  # how long a call waits for a free worker before `Busy`
STARTUP_TIMEOUT = 60.0  # importing SymPy on a busy machine; not part of a call's budget
MEMORY_LIMIT = 2 << 30  # bytes of address space per worker

ROOT = Path(__file__).resolve().parents[1]


class Timeout(Exception):
    """The call did not finish within its time limit; its worker was killed."""


class Busy(Exception):
    """Every worker stayed busy for QUEUE_TIMEOUT seconds."""


class Failed(Exception):
    """The function raised in the worker: the exception's class name and its JSON-able args."""

    def __init__(self, name: str, args: list):
        super().__init__(name, args)
        self.name, self.error_args = name, args


class _Worker:
    def __init__(self, preload: str):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "surfaces.sandbox", preload], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            self._read(STARTUP_TIMEOUT)
        except BaseException:
            self.kill()
            raise

    def call(self, target: str, args: tuple, timeout: float):
        self.proc.stdin.write(json.dumps([target, list(args), timeout]).encode() + b"\n")
        self.proc.stdin.flush()
        reply = self._read(timeout)
        if "error" in reply:
            raise Failed(reply["error"], reply.get("args", []))
        return reply["ok"]

    def _read(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise Timeout(f"no answer within {timeout:g} s")
        line = self.proc.stdout.readline()
        if not line:
            raise Failed("WorkerDied", [])
        return json.loads(line)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()


_idle: list[_Worker] = []
_idle_lock = threading.Lock()
_slots = threading.BoundedSemaphore(WORKERS)


def call(target: str, *args, timeout: float):
    """`module:function`(*args) in a worker process; at most `timeout` seconds of waiting for it."""
    if not _slots.acquire(timeout=QUEUE_TIMEOUT):
        raise Busy("every worker is busy")
    try:
        with _idle_lock:
            worker = _idle.pop() if _idle else None
        if worker is None or worker.proc.poll() is not None:
            if worker is not None:
                worker.kill()
            worker = _Worker(preload=target.partition(":")[0])
        healthy = False
        try:
            result = worker.call(target, args, timeout)
            healthy = True
            return result
        except Failed as failed:
            healthy = failed.name != "WorkerDied"  # the function raised; the worker is fine
            raise
        finally:
            if healthy:
                with _idle_lock:
                    _idle.append(worker)
            else:
                worker.kill()
    finally:
        _slots.release()


@atexit.register
def _shutdown() -> None:
    with _idle_lock:
        while _idle:
            _idle.pop().kill()


# --- the worker's side ------------------------------------------------------------------


def _serve(preload: str) -> None:
    import resource
    import signal

    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):
        pass
    module = importlib.import_module(preload)
    getattr(module, "warm_up", lambda: None)()
    out = sys.stdout.buffer
    out.write(b'{"ready": true}\n')
    out.flush()
    for line in sys.stdin.buffer:
        try:
            target, args, timeout = json.loads(line)
            name, _, function = target.partition(":")
            # past its time the kernel ends this process, even inside one long C call and
            # even when the server is gone (the server kills it sooner when it is there)
            signal.alarm(math.ceil(timeout) + 1)
            reply = {"ok": getattr(importlib.import_module(name), function)(*args)}
        except Exception as err:  # noqa: BLE001 - every failure goes back to the caller
            reply = {"error": type(err).__name__, "args": [a for a in err.args if _jsonable(a)]}
        finally:
            signal.alarm(0)
        out.write(json.dumps(reply).encode() + b"\n")
        out.flush()


def _jsonable(value) -> bool:
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False


if __name__ == "__main__":
    _serve(sys.argv[1])
