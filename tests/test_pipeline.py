"""Big files are read and mapped by a second process (scholkg.pipeline): the graph must be the
one the sequential import gives, errors must come back as they are, the store untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholkg import GraphStore, import_paths
from scholkg.errors import InputError

from .conftest import DATA, data_quads

CASES = Path(__file__).parent / "cases"
FILES = [DATA, *sorted(p for p in CASES.glob("*/*") if p.suffix not in (".nt", ".dtd"))]


def imported(tmp_path, name, paths, parallel: bool, **kw):
    with GraphStore.open(tmp_path / name) as gs:
        reports = import_paths(gs, paths, parallel_bytes=0 if parallel else 1 << 62, **kw)
        return set(data_quads(gs)), reports


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_graph_as_sequential(tmp_path, path):
    seq, r1 = imported(tmp_path, "seq", [path], parallel=False)
    par, r2 = imported(tmp_path, "par", [path], parallel=True)
    volatile = ("generatedAtTime",)
    strip = lambda qs: {q for q in qs if not q.predicate.value.endswith(volatile)}  # noqa: E731
    assert strip(par) == strip(seq) and par
    assert [(r.records, r.works, r.quads) for r in r1] == [(r.records, r.works, r.quads) for r in r2]


def test_works_meet_earlier_sources_through_the_snapshot(tmp_path):
    """The child resolves against what the store already holds (shared identifiers)."""
    paths = [CASES / "openalex-page" / "openalex-page.json", CASES / "bibtex" / "refs.bib"]
    with GraphStore.open(tmp_path / "seq") as gs:
        import_paths(gs, paths[:1])
        import_paths(gs, paths[1:], parallel_bytes=1 << 62)
        seq = {q.subject.value for q in data_quads(gs) if q.predicate.value.endswith("#title")}
    with GraphStore.open(tmp_path / "par") as gs:
        import_paths(gs, paths[:1])
        import_paths(gs, paths[1:], parallel_bytes=0)
        par = {q.subject.value for q in data_quads(gs) if q.predicate.value.endswith("#title")}
    assert par == seq


def test_errors_come_back_and_nothing_lands(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A", "year": 2020}\n{"title": "B", "year": "20x5"}\n', "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        before = set(gs.quads())
        with pytest.raises(InputError) as e:
            import_paths(gs, [bad], parallel_bytes=0)
        assert e.value.path == str(bad) and e.value.line == 2 and "year" in e.value.message
        assert set(gs.quads()) == before
        reports = import_paths(gs, [bad], parallel_bytes=0, skip_invalid=True)
        assert reports[0].works == 1 and len(reports[0].rejected) == 1
        assert reports[0].rejected[0].error.line == 2
        with pytest.raises(InputError, match="no such file"):
            import_paths(gs, [tmp_path / "missing.jsonl"], parallel_bytes=0)
