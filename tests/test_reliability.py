"""Nothing lost, nothing injected: killed imports, validation, round trips through other
parsers, updates and SERVICE only when asked, hostile files."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from scholkg import GraphStore, export, export_format, import_paths, run_sparql
from scholkg.cli import main
from scholkg.errors import InputError, QueryError
from scholkg.sources import jsonl

from .conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from generate import write_dblp  # noqa: E402

KILL_AFTER = (0.3, 1.0, 2.0, 3.5, 5.0, 8.0)


def store_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


@pytest.fixture(scope="module")
def big_xml(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "dblp.xml"
    write_dblp(path, 30_000, seed=7)
    return path


@pytest.mark.parametrize("mode", ["--no-low-memory", "--low-memory"])
def test_import_killed_at_any_point_leaves_the_store_as_it_was(tmp_path, big_xml, mode):
    """SIGKILL an import of 30,000 works at several moments; after each, the reopened store
    holds exactly what it held before, and killed imports leave no files behind. (Loaded in
    pieces, the pieces done before the kill leave their strings: Oxigraph never deletes a
    string, and those of one file are at most what its complete import adds to the store.)"""
    store = tmp_path / "store"
    with GraphStore.open(store) as gs:
        import_paths(gs, [DATA])
        before = set(gs.quads())
    with GraphStore.open(store):
        pass
    baseline = store_bytes(store)
    allowed = 8_000_000
    if mode == "--low-memory":
        with GraphStore.open(tmp_path / "whole") as gs:
            import_paths(gs, [big_xml], low_memory=True)
            gs.optimize()
        allowed = store_bytes(tmp_path / "whole")
    survived = 0
    for delay in KILL_AFTER:
        proc = subprocess.Popen([sys.executable, "-m", "scholkg.cli", "-q", "--store",
                                 str(store), "import", str(big_xml), mode],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is not None:
            break  # finished before the kill: nothing left to test at this delay
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        with GraphStore.open(store) as gs:
            assert set(gs.quads()) == before, f"store changed by an import killed at {delay}s"
            assert len(gs.named_graphs()) == 3  # the registry, the one source, statistics
        survived += 1
        assert not list(store.glob("bulk-*.sst"))
        assert store_bytes(store) < baseline + allowed, f"files accumulate ({delay}s)"
    print(f"kills survived: {survived} of {len(KILL_AFTER)}")
    assert survived >= 3
    # and a complete import afterwards works
    small = tmp_path / "small" / "dblp.xml"
    small.parent.mkdir()
    write_dblp(small, 2_000, seed=7)
    with GraphStore.open(store) as gs:
        (rep,) = import_paths(gs, [small])
        assert rep.works == 2_000
        n = run_sparql(gs, "SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w a skg:Work }")
        assert int(n.rows[0]["n"].value) == 2_020
    assert not list(store.glob("texts-*.spool"))  # the killed imports' texts, and this one's


def test_first_import_killed_at_any_point_is_all_or_nothing(tmp_path, big_xml):
    """The first import into an empty store commits with a bulk insertion of the registry
    triples (not a transaction: see GraphStore._add_to_registry). Killed at any moment, the
    reopened store holds either nothing or the whole import, with its statistics."""
    outcomes = []
    for delay in (*KILL_AFTER, 300.0):  # the last lets it finish
        store = tmp_path / f"store-{delay}"
        proc = subprocess.Popen([sys.executable, "-m", "scholkg.cli", "-q", "--store",
                                 str(store), "import", str(big_xml)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            killed = True
        with GraphStore.open(store) as gs:
            committed = gs.committed_graphs()
            assert set(gs.named_graphs()) <= set(committed)  # the uncommitted are dropped
            works = run_sparql(gs, "SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w a skg:Work }")
            n = int(works.rows[0]["n"].value)
            if len(committed) == 1:  # nothing: only the (empty) registry
                assert n == 0 and sum(1 for _ in gs.quads()) == 0
                outcomes.append("nothing")
            else:
                summary = run_sparql(gs, "SELECT ?n WHERE { ?s skg:works ?n }")
                assert n == 30_000 and int(summary.rows[0]["n"].value) == 30_000
                outcomes.append("all" if killed else "finished")
        assert not list(store.glob("bulk-*.sst")) and not list(store.glob("authors/*.tmp"))
    print("outcomes:", outcomes)
    assert outcomes.count("nothing") >= 3 and outcomes[-1] == "finished"


def test_failed_import_leaves_no_graph_behind(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(f'{{"title": "W{i}", "year": 2020}}\n' for i in range(5000))
                   + '{"title": "x", "year": "20x5"}\n', "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        before = set(gs.quads())
        with pytest.raises(InputError):
            import_paths(gs, [bad])
        assert set(gs.quads()) == before
        assert len(gs.named_graphs()) == 3  # registry, the source, statistics


def test_validate_reports_and_exits_1(tmp_path, seed_path):
    runner = CliRunner()
    store = tmp_path / "s"
    assert runner.invoke(main, ["--store", str(store), "import", str(seed_path)]).exit_code == 0
    r = runner.invoke(main, ["--store", str(store), "validate"])
    assert r.exit_code == 0 and r.stdout.startswith("conforms")
    with GraphStore.open(store) as gs:  # break the data behind scholkg's back
        graph = gs.committed_graphs()[1]
        slot = next(q.subject for q in gs.graph_quads(graph)
                    if q.predicate.value.endswith("#position"))
        gs._store.add(ox.Quad(slot, ox.NamedNode("https://w3id.org/scholkg/ontology#position"),
                              ox.Literal("0", datatype=ox.NamedNode(
                                  "http://www.w3.org/2001/XMLSchema#integer")),
                              ox.NamedNode(graph)))  # noqa: SLF001
    r = runner.invoke(main, ["--store", str(store), "validate"])
    assert r.exit_code == 1
    assert f"Violation: {slot.value}" in r.stdout and "path: " in r.stdout
    r = runner.invoke(main, ["--store", str(store), "validate", "--format", "json"])
    doc = json.loads(r.stdout)
    assert doc["conforms"] is False
    assert {v["focus"] for v in doc["violations"]} == {slot.value}


def test_ontology_check_finds_undeclared_terms(tmp_path):
    from scholkg.catalog import ontology_dir
    from scholkg.validate import check_ontology

    assert check_ontology() == []
    shutil.copytree(ontology_dir(), tmp_path / "onto")
    text = (tmp_path / "onto" / "scholkg.ttl").read_text("utf-8")
    (tmp_path / "onto" / "scholkg.ttl").write_text(
        text.replace("skg:sharedWorks a owl:DatatypeProperty", "skg:sharedWorkz a owl:DatatypeProperty"),
        "utf-8")
    assert any("skg:sharedWorks is used by the code" in p for p in check_ontology(tmp_path / "onto"))
    (tmp_path / "onto" / "shapes.ttl").write_text("@prefix : <x> . :a :b", "utf-8")
    assert any("does not parse" in p for p in check_ontology(tmp_path / "onto"))


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"])
def test_export_round_trip_into_a_fresh_store(seed_store, fmt):
    f = export_format(fmt)
    buf = io.BytesIO()
    export(seed_store, buf, f)
    fresh = ox.Store()
    fresh.load(buf.getvalue(), format=f.rdf_format)
    got = {(q.subject, q.predicate, q.object) for q in fresh}
    want = {(q.subject, q.predicate, q.object) for q in seed_store.quads()}
    assert got == want
    if f.dataset:
        assert {q for q in fresh} == set(seed_store.quads())


@pytest.mark.parametrize("fmt, syntax", [("turtle", "turtle"), ("ntriples", "ntriples"),
                                         ("rdfxml", "rdfxml"), ("nquads", "nquads"),
                                         ("trig", "trig")])
def test_exports_parse_with_rapper(tmp_path, seed_store, fmt, syntax):
    """An independent parser (Raptor's rapper, Debian raptor2-utils, installed by .ci/run)."""
    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI"):
            pytest.fail("rapper is missing: .ci/run installs raptor2-utils")
        pytest.skip("rapper not installed (apt-get install raptor2-utils)")
    out = tmp_path / f"g.{fmt}"
    export(seed_store, str(out), export_format(fmt))
    r = subprocess.run([rapper, "-c", "-i", syntax, str(out)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    n = sum(1 for _ in seed_store.quads()) if fmt in ("nquads", "trig") else len(
        {(q.subject, q.predicate, q.object) for q in seed_store.quads()})
    assert f"returned {n} " in r.stderr


def test_sparql_updates_only_when_asked(tmp_path):
    runner = CliRunner()
    store = tmp_path / "s"
    runner.invoke(main, ["--store", str(store), "import", str(DATA)])
    upd = 'INSERT DATA { <https://example.org/w> a skg:Work ; skg:title "Added by hand" }'
    r = runner.invoke(main, ["--store", str(store), "sparql", upd])
    assert r.exit_code == 1 and "--allow-update" in r.stderr
    for drop in ("DROP ALL", "CLEAR ALL", "DELETE WHERE { ?s ?p ?o }",
                 "PREFIX x: <http://x/>\nLOAD <http://x/>"):
        assert runner.invoke(main, ["--store", str(store), "sparql", drop]).exit_code == 1
    r = runner.invoke(main, ["--store", str(store), "sparql", "--allow-update", upd])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["--store", str(store), "sparql", "--format", "csv",
                             "SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w a skg:Work }"])
    assert r.stdout.splitlines()[1] == "21"
    upd_graph = 'INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/x> a skg:Work } }'
    assert runner.invoke(main, ["--store", str(store), "sparql", "--allow-update",
                                upd_graph]).exit_code == 0
    with GraphStore.open(store) as gs:  # reopening as a writer keeps it: it is registered
        assert "https://example.org/g" in gs.committed_graphs()


def test_service_refused_unless_asked(seed_store):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="--allow-service"):
        run_sparql(seed_store, q)
    # the word inside a string or an IRI is no SERVICE call
    assert run_sparql(seed_store, 'SELECT * WHERE { ?s skg:title "SERVICE" }').rows == []


def test_ten_mb_single_line(tmp_path):
    for name, text in (("big.jsonl", '{"title": "' + "x" * 10_000_000 + '"'),
                       ("big.csv", "id,title,author,pub_date,venue,volume,issue,page,type,"
                                   "publisher,editor\n" + "y" * 10_000_000),
                       ("big.bib", "@article{a, title={" + "z" * 10_000_000)):
        f = tmp_path / name
        f.write_text(text, "utf-8")
        gs = GraphStore.open(None)
        with pytest.raises(InputError):
            import_paths(gs, [f])
        assert gs.count_quads() == 0


@pytest.mark.parametrize("fmt, data", [
    ("bibtex", b"@article{a, title={caf\xe9}, year={2020}}\n"),
    ("csv", b"id,title,author,pub_date,venue,volume,issue,page,type,publisher,editor\n,caf\xe9,,,,,,,,,\n"),
    ("openalex", b'{"id": "https://openalex.org/W1", "title": "caf\xe9"}\n'),
    ("jsonl", b'{"title": "caf\xe9"}\n'),
    ("arrow", b"Arrow Research search\n\nAuthor name cluster\n\nX\n\ncaf\xe9\n"),
])
def test_wrong_encoding_is_a_clear_error(tmp_path, fmt, data):
    f = tmp_path / "x.in"
    f.write_bytes(data)
    gs = GraphStore.open(None)
    with pytest.raises(InputError, match="UTF-8"):
        import_paths(gs, [f], fmt=fmt)
    assert gs.count_quads() == 0


records = st.lists(st.fixed_dictionaries({
    "title": st.text(min_size=1, max_size=30).filter(str.strip),
    "year": st.integers(1950, 2030),
    "authors": st.lists(st.text(alphabet="abcdeéABC ", min_size=1, max_size=12)
                        .filter(str.strip), max_size=5),
}), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(recs=records)
def test_import_is_idempotent_and_deterministic(tmp_path_factory, recs):
    """The same records in two stores give the same quads; a second import changes nothing;
    an N-Quads export loads back to the same quads."""
    folder = tmp_path_factory.mktemp("p")
    f = folder / "r.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
    a, b = GraphStore.open(None), GraphStore.open(None)
    import_paths(a, [f])
    import_paths(b, [f])
    volatile = {"http://www.w3.org/ns/prov#generatedAtTime"}
    qa = {q for q in a.quads() if q.predicate.value not in volatile}
    assert qa == {q for q in b.quads() if q.predicate.value not in volatile}
    once = set(a.quads())
    (rep,) = import_paths(a, [f])
    assert rep.status == "unchanged" and set(a.quads()) == once
    buf = io.BytesIO()
    export(a, buf, export_format("nquads"))
    fresh = ox.Store()
    fresh.load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    assert set(fresh) == once
    for r in recs:
        jsonl.parse_record(r, path="x", line=1)


@pytest.mark.parametrize("fmt, data", [
    ("bibtex", b"@article{a, title={x\x00y}, year={2020}}\n"),
    ("csv", b"id,title,author,pub_date,venue,volume,issue,page,type,publisher,editor\n,x\x00,,,,,,,,,\n"),
    ("openalex", b'{"id": "https://openalex.org/W1", "title": "x"}\x00\n'),
    ("jsonl", b'{"title": "x"}\n\x00\n'),
    ("dblp", b'<?xml version="1.0"?>\n<dblp><article key="journals/x/Y20"><title>a\x00</title>'
             b"</article></dblp>\n"),
    ("arrow", b"Arrow Research search\n\nAuthor name cluster\n\nX\x00\n"),
])
def test_nul_bytes_are_a_clear_error(tmp_path, fmt, data):
    f = tmp_path / "x.in"
    f.write_bytes(data)
    gs = GraphStore.open(None)
    with pytest.raises(InputError) as e:
        import_paths(gs, [f], fmt=fmt)
    assert e.value.path == str(f)
    assert gs.count_quads() == 0
