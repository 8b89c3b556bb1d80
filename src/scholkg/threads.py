"""Work beside the calling thread: pyoxigraph's queries, Tantivy's indexing and numpy release
the GIL, so a commit's derived data is computed on both cores.

pyoxigraph's query results must be dropped by the thread that made them, and Python's cyclic
garbage collector runs in whichever thread happens to allocate: an abandoned result in a
reference cycle, collected in another thread, would leak with a RuntimeError. So while any
helper thread runs, the calling thread has collected first and the automatic collector pauses
(:func:`_pause`, :func:`_resume`: counted, helpers may overlap).
"""

from __future__ import annotations

import gc
import queue
import threading
from concurrent.futures import Future

_paused = 0
_was_enabled = False
_gc_lock = threading.Lock()


def _pause() -> None:
    global _paused, _was_enabled
    with _gc_lock:
        if _paused == 0:
            gc.collect()
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1


def _resume() -> None:
    global _paused
    with _gc_lock:
        _paused -= 1
        if _paused == 0 and _was_enabled:
            gc.enable()


class Stopped(Exception):
    """A task of :class:`Ahead` that gave up because it was asked to stop."""


class Beside:
    """Run each ``(fn, *args)`` of ``tasks`` in a thread of its own for the length of a
    ``with`` block; the first error, if any, is raised at the end of the block (after the
    block's own)."""

    def __init__(self, *tasks):
        self._errors: list[BaseException] = []

        def run(fn, *args):
            try:
                fn(*args)
            except BaseException as e:  # handed to the block's end
                self._errors.append(e)

        self._threads = [threading.Thread(target=run, args=task, name="scholkg-beside")
                         for task in tasks]

    def __enter__(self):
        _pause()
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        for t in self._threads:
            t.join()
        _resume()
        if self._errors and exc[0] is None:
            raise self._errors[0]
        return False


def in_threads(tasks: dict, threads: int) -> dict:
    """Run the callables ``tasks`` (name -> callable) on ``threads`` threads, each taking the
    next task in order when it is done (so give the longest first); return name -> result.
    The first error is raised when all are done."""
    results: dict = {}
    todo = iter(list(tasks.items()))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                name, fn = next(todo, (None, None))
            if fn is None:
                return
            results[name] = fn()

    with Beside(*[(work,)] * threads):
        pass
    return results


class Ahead:
    """Tasks run one after another in one thread in the background, from the first
    :meth:`put` until :meth:`finish` (what an import can derive while Oxigraph's loader
    still writes). After an error the remaining tasks are skipped; ``finish`` raises it.
    ``stopping`` is set by ``finish(cancel=True)``: a long task may look at it."""

    def __init__(self):
        self.stopping = threading.Event()
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, fn, *args) -> Future:
        """Run ``fn(*args)`` after the tasks put before; its result (or error, or its
        cancellation when it was skipped) comes in the returned future."""
        future: Future = Future()
        with self._lock:
            if self._thread is None:
                _pause()
                self._thread = threading.Thread(target=self._run, name="scholkg-ahead")
                self._thread.start()
            self._tasks.put((future, fn, args))
        return future

    def _run(self) -> None:
        while (task := self._tasks.get()) is not None:
            future, fn, args = task
            if self._error is not None or self.stopping.is_set():
                future.cancel()
                continue
            future.set_running_or_notify_cancel()
            try:
                future.set_result(fn(*args))
            except BaseException as e:  # raised by finish
                self._error = e
                future.set_exception(e)

    def finish(self, *, cancel: bool = False) -> None:
        """Wait for the tasks put so far (skip those not started when ``cancel``); raise
        the first error unless cancelled. Safe to call more than once, from any thread."""
        with self._lock:
            if cancel:
                self.stopping.set()
            thread, self._thread = self._thread, None
            if thread is not None:
                self._tasks.put(None)
                thread.join()
                _resume()
            error, self._error = self._error, None
            self.stopping.clear()
        if error is not None and not cancel:
            raise error
