"""RocksDB's merging yields the CPU to an import.

Oxigraph's bulk loader hands RocksDB sorted table files; RocksDB merges them (compaction) on
background threads of its own, named ``rocksdb:low``, which the scheduler treats like the
import's reading, mapping and loading. An import in pieces hands files over all along, so on
two cores that merging took a share of the import's CPU: 206 of 674 CPU-seconds in an import
of 1 M works, which took 359 s; with the merging at the idle policy, 30 CPU-seconds and 263 s
(docs/performance.md, "Compaction yields to the import"). One run of the loader hands its
files over at its end, so it leaves all of that merging for later anyway.

:func:`yielding` puts those threads at Linux's idle scheduling policy (``SCHED_IDLE``) for
the length of an import: they run when a core has nothing else to do, and what they leave is
merged later, as after one run of the loader or ``oxigraph load``: when the store next
compacts (``scholkg optimize``), or by the first write, which waits for it. Afterwards their
policy is put back where the system allows that (root, or a ``RLIMIT_NICE`` of 20 or more);
elsewhere they stay idle for the rest of the process: the merging then runs only when the CPU
is free. The threads belong to the process (RocksDB's pool is shared by every store it opens).
Where there is no ``SCHED_IDLE`` (not Linux), nothing changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

THREAD_NAME = "rocksdb:low"  # RocksDB's pool of compaction threads


def compaction_threads() -> list[int]:
    """The ids of this process's RocksDB compaction threads (none where /proc is missing)."""
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return []
    found = []
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/comm", encoding="utf-8", errors="replace") as f:
                if f.read().startswith(THREAD_NAME):
                    found.append(int(task))
        except (OSError, ValueError):
            continue  # the thread ended meanwhile
    return found


@contextmanager
def yielding() -> Iterator[list[int]]:
    """While the block runs, RocksDB's compaction threads run only on idle cores. Yields the
    ids of the threads it changed (nested blocks change none: the outer one restores)."""
    idle = getattr(os, "SCHED_IDLE", None)
    changed: list[int] = []
    if idle is not None:
        for tid in compaction_threads():
            try:
                if os.sched_getscheduler(tid) == os.SCHED_OTHER:
                    os.sched_setscheduler(tid, idle, os.sched_param(0))
                    changed.append(tid)
            except OSError:
                continue  # ended meanwhile, or not ours to change
    try:
        yield changed
    finally:
        for tid in changed:
            try:
                os.sched_setscheduler(tid, os.SCHED_OTHER, os.sched_param(0))
            except OSError:
                pass  # not allowed to raise a priority again (see the module's text)
