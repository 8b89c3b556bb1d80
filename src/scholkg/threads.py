"""Work beside the calling thread: pyoxigraph's queries, Tantivy's indexing and numpy release
the GIL, so a commit's derived data is computed on both cores."""

from __future__ import annotations

import gc
import threading


class Beside:
    """Run each ``(fn, *args)`` of ``tasks`` in a thread of its own for the length of a
    ``with`` block; the first error, if any, is raised at the end of the block (after the
    block's own).

    pyoxigraph's query results must be dropped by the thread that made them, and Python's
    cyclic garbage collector runs in whichever thread happens to allocate: an abandoned result
    in a reference cycle, collected in a thread, would leak with a RuntimeError. So the calling
    thread collects first, and the automatic collector pauses until the block ends."""

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
        gc.collect()
        self._collecting = gc.isenabled()
        gc.disable()
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        for t in self._threads:
            t.join()
        if self._collecting:
            gc.enable()
        if self._errors and exc[0] is None:
            raise self._errors[0]
        return False
