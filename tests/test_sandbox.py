"""Bounded calls in worker processes: a call past its time is cut off, the others go on."""

import subprocess
import threading
import time

import pytest

from surfaces import from_formula, sandbox


def test_a_slow_call_is_cut_off_and_the_next_one_works():
    t0 = time.perf_counter()
    with pytest.raises(sandbox.Timeout):
        sandbox.call("time:sleep", 30, timeout=0.5)
    assert time.perf_counter() - t0 < 5
    assert from_formula("x1^4 + x2").latex == "f(x) = x_1^{4} + x_2"


def test_other_callers_go_on_while_one_worker_is_stuck():
    """A formula is analysed while another call holds a worker: it does not queue behind it."""
    stuck = threading.Thread(target=lambda: pytest.raises(sandbox.Timeout, sandbox.call, "time:sleep", 60, timeout=10))
    stuck.start()
    time.sleep(0.2)  # the stuck call has its worker
    assert from_formula("x1^6 + x2^2").bounds == ((-5.0, 5.0), (-5.0, 5.0))
    assert stuck.is_alive()  # answered by a second worker while the first was still stuck
    stuck.join()


def test_a_worker_left_alone_ends_itself_at_its_time_limit():
    """Even with nobody to kill it (the server gone), a stuck worker ends: the kernel's alarm."""
    worker = sandbox._Worker(preload="time")
    worker.proc.stdin.write(b'["time:sleep", [60], 1.0]\n')
    worker.proc.stdin.flush()
    try:
        assert worker.proc.wait(timeout=10) != 0
    except subprocess.TimeoutExpired:
        pytest.fail("the worker outlived its time limit")
    finally:
        worker.kill()


def test_a_failure_in_the_worker_comes_back_as_its_name_and_the_worker_stays():
    with pytest.raises(sandbox.Failed) as failed:
        sandbox.call("math:sqrt", -1, timeout=2)
    assert failed.value.name == "ValueError"
    assert sandbox.call("math:sqrt", 4, timeout=2) == 2.0
