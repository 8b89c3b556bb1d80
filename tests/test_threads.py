"""The helpers that run derived work beside the calling thread (scholkg.threads)."""

from __future__ import annotations

import gc
import threading
from concurrent.futures import CancelledError

import pytest

from scholkg.threads import Ahead, Beside


def test_ahead_runs_tasks_in_order_and_hands_back_results():
    ahead, seen = Ahead(), []
    futures = [ahead.put(lambda n=n: seen.append(n) or n * n) for n in range(5)]
    ahead.finish()
    assert seen == [0, 1, 2, 3, 4]
    assert [f.result() for f in futures] == [0, 1, 4, 9, 16]


def test_ahead_skips_the_rest_after_an_error_and_finish_raises_it():
    ahead, seen = Ahead(), []
    ahead.put(seen.append, 1)
    failed = ahead.put(lambda: 1 / 0)
    skipped = ahead.put(seen.append, 2)
    with pytest.raises(ZeroDivisionError):
        ahead.finish()
    assert seen == [1]
    assert isinstance(failed.exception(), ZeroDivisionError)
    with pytest.raises(CancelledError):
        skipped.result()
    ahead.finish()  # raised once; the helper is usable again
    assert ahead.put(seen.append, 3) is not None
    ahead.finish()
    assert seen == [1, 3]


def test_cancelled_tasks_that_did_not_start_are_skipped_and_a_running_one_sees_it():
    ahead, started, seen = Ahead(), threading.Event(), []

    def long_task():
        started.set()
        while not ahead.stopping.is_set():
            threading.Event().wait(0.01)
        seen.append("stopped")
        raise RuntimeError("gave up")

    ahead.put(long_task)
    later = ahead.put(seen.append, "later")
    started.wait()
    ahead.finish(cancel=True)  # no error raised: the caller gave up on the tasks
    assert seen == ["stopped"] and later.cancelled()
    assert not ahead.stopping.is_set()
    ahead.put(seen.append, "again")
    ahead.finish()
    assert seen == ["stopped", "again"]


def test_the_collector_pauses_until_the_last_helper_ends():
    """Query results must be dropped by the thread that made them (see the test of that in
    test_derived.py): no automatic collection while an Ahead or a Beside runs, also when
    they overlap; on again after the last one."""
    assert gc.isenabled()
    ahead, release = Ahead(), threading.Event()
    ahead.put(release.wait)
    assert not gc.isenabled()
    with Beside((lambda: None,)):
        assert not gc.isenabled()
    assert not gc.isenabled()  # the Ahead still runs
    release.set()
    ahead.finish()
    assert gc.isenabled()
