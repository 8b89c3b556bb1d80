"""Every reader on its fixture (tests/cases/<case>/): the mapped graph equals expected.nt.

A failure prints the triples only in the expected graph and only in the actual one. After a
deliberate change: pytest tests/test_readers.py --update-golden, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from scholkg import GraphStore, import_paths
from scholkg.vocab import PROV, SKG

from .conftest import data_quads

CASES = Path(__file__).parent / "cases"
#: Triples that depend on when and where the test runs.
VOLATILE = {PROV.generatedAtTime, SKG.sourcePath}


def inputs(case: Path) -> list[Path]:
    return sorted(p for p in case.iterdir() if p.name != "expected.nt" and p.suffix != ".dtd")


def graph_of(paths) -> set[str]:
    gs = GraphStore.open(None)
    import_paths(gs, paths)
    return {f"{q.subject} {q.predicate} {q.object} ." for q in data_quads(gs)
            if q.predicate not in VOLATILE}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(request, case):
    folder = CASES / case
    actual = graph_of(inputs(folder))
    expected_file = folder / "expected.nt"
    if request.config.getoption("--update-golden"):
        expected_file.write_text("".join(sorted(t + "\n" for t in actual)), "utf-8")
    expected = set(expected_file.read_text("utf-8").splitlines())
    missing = sorted(expected - actual)
    unexpected = sorted(actual - expected)
    assert not missing and not unexpected, (
        f"{case}: graph differs from expected.nt\n"
        + "only in expected:\n  " + "\n  ".join(missing[:40])
        + "\nonly in actual:\n  " + "\n  ".join(unexpected[:40]))


def test_expected_graphs_parse_as_ntriples():
    for f in CASES.glob("*/expected.nt"):
        list(ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("path, name", [
    ("dblp-dump/dblp.xml", "dblp"), ("dblp-record/rec-conf-iclr-LiZY22.xml", "dblp"),
    ("dblp-person/pid-195-6034.xml", "dblp"), ("bibtex/refs.bib", "bibtex"),
    ("openalex-page/openalex-page.json", "openalex"),
    ("openalex-snapshot/openalex-snapshot.jsonl.gz", "openalex"), ("csv-meta/meta.csv", "csv"),
])
def test_auto_detects_format_by_content(tmp_path, path, name):
    from scholkg.sources import reader_for

    assert reader_for(CASES / path).name == name
    # the content decides, whatever the file is called
    renamed = tmp_path / "records.data"
    renamed.write_bytes((CASES / path).read_bytes())
    assert reader_for(renamed).name == name


def test_every_source_graph_satisfies_the_shapes(seed_path):
    """Each source's graph conforms on its own; the union may hold disagreements between
    sources (two years, two author counts), which the shapes allow per source only."""
    import pyshacl
    import rdflib

    from scholkg.catalog import ontology_dir

    gs = GraphStore.open(None)
    import_paths(gs, [*(p for c in sorted(CASES.iterdir()) if c.is_dir() for p in inputs(c)),
                      seed_path])
    shapes = rdflib.Graph().parse(ontology_dir() / "shapes.ttl")
    for graph in gs.committed_graphs()[1:]:
        nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object)
                           for q in gs.graph_quads(graph)), format=ox.RdfFormat.N_TRIPLES)
        data = rdflib.Graph().parse(data=nt.decode("utf-8"), format="nt")
        conforms, _, report = pyshacl.validate(data, shacl_graph=shapes)
        assert conforms, f"{graph}:\n{report}"
