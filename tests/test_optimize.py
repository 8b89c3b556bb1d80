"""Compacting the store (scholkg optimize) changes its files, never its data. (How much faster
queries get is measured by bench/query_latency.py, see docs/performance.md.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from scholkg import GraphStore, import_paths
from scholkg.cli import main
from scholkg.errors import StoreError
from scholkg.query import run_canned

from .conftest import DATA, data_quads

CASES = Path(__file__).parent / "cases"
FILES = [DATA, *sorted(p for p in CASES.glob("*/*") if p.suffix not in (".nt", ".dtd"))]


@pytest.fixture()
def bulk_loaded(tmp_path):
    """A store into which every test file was bulk-loaded, one import each (one set of table
    files per load, as a big import leaves them)."""
    path = tmp_path / "s"
    with GraphStore.open(path) as gs:
        for f in FILES:
            import_paths(gs, [f], parallel_bytes=0)
    return path


def test_optimize_keeps_every_quad_and_answer(bulk_loaded):
    from scholkg import Catalog

    q = Catalog().get("coauthors")
    with GraphStore.open(bulk_loaded) as gs:
        quads = set(data_quads(gs))
        graphs = gs.committed_graphs()
        answer = run_canned(gs, q, {"author": ["Aojun Zhou"]}).records()
        gs.optimize()
        assert set(data_quads(gs)) == quads and gs.committed_graphs() == graphs
    with GraphStore.open(bulk_loaded, read_only=True) as gs:
        assert set(data_quads(gs)) == quads
        assert run_canned(gs, q, {"author": ["Aojun Zhou"]}).records() == answer


def test_optimize_needs_a_writable_store(bulk_loaded):
    with GraphStore.open(bulk_loaded, read_only=True) as gs, pytest.raises(StoreError):
        gs.optimize()


def test_optimize_command(runner, bulk_loaded):
    r = runner.invoke(main, ["--store", str(bulk_loaded), "optimize"])
    assert r.exit_code == 0, r.output
    assert r.stderr.startswith("optimized: ") and " files (" in r.stderr


def test_import_then_optimize(runner, tmp_path):
    r = runner.invoke(main, ["--store", str(tmp_path / "s"), "import", str(DATA), "--optimize"])
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    assert lines[0].startswith("imported: ") and lines[1].startswith("optimized: ")
