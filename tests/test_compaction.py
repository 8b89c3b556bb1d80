"""RocksDB's compaction threads yield the CPU while an import runs (:mod:`scholkg.compaction`):
idle inside, back to normal after (where the system allows raising a priority again)."""

from __future__ import annotations

import os
import resource

import pytest

from scholkg import GraphStore, compaction, import_paths

from .conftest import DATA

pytestmark = pytest.mark.skipif(not hasattr(os, "SCHED_IDLE")
                                or not os.path.isdir("/proc/self/task"),
                                reason="Linux's scheduling policies")


def policies() -> set[int]:
    return {os.sched_getscheduler(t) for t in compaction.compaction_threads()}


def may_raise_priority() -> bool:
    """Whether this process may move a thread from the idle policy back (root, or RLIMIT_NICE
    of 20 or more)."""
    soft = resource.getrlimit(resource.RLIMIT_NICE)[0]
    return os.geteuid() == 0 or soft == resource.RLIM_INFINITY or soft >= 20


AFTER = {os.SCHED_OTHER} if may_raise_priority() else {os.SCHED_IDLE}


def test_idle_inside_the_block_and_back_after(store_dir):
    with GraphStore.open(store_dir):
        threads = compaction.compaction_threads()
        assert threads, "an open store has RocksDB's compaction threads"
        assert policies() == {os.SCHED_OTHER}
        with compaction.yielding() as changed:
            assert sorted(changed) == sorted(threads)
            assert policies() == {os.SCHED_IDLE}
            with compaction.yielding() as inner:  # nested: changes nothing, restores nothing
                assert inner == []
            assert policies() == {os.SCHED_IDLE}
        assert policies() == AFTER


def test_an_error_in_the_block_restores_too(store_dir):
    with GraphStore.open(store_dir):
        with pytest.raises(KeyError), compaction.yielding():
            assert policies() == {os.SCHED_IDLE}
            raise KeyError("x")
        assert policies() == AFTER


def test_an_import_runs_with_compaction_idle(store_dir):
    seen = []
    with GraphStore.open(store_dir) as gs:
        import_paths(gs, [DATA], progress=lambda path, line, total: seen.append(policies()))
        assert seen and all(p == {os.SCHED_IDLE} for p in seen)
        assert policies() == AFTER
