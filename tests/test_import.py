"""Importing into a real on-disk store: counts, idempotence, atomicity, provenance."""

from __future__ import annotations

import os
import shutil

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholkg import Catalog, GraphStore, import_paths, run_canned
from scholkg.errors import InputError, StoreError
from scholkg.gathered import Gathered
from scholkg.identifiers import safe_url, split_homonym
from scholkg.mapping import Described, map_record
from scholkg.model import AuthorSlot, Identifiers, Origin, Person, Venue, Work
from scholkg.store import REGISTRY
from scholkg.vocab import VENUE_KIND_CLASS, WORK_TYPE_CLASS

from .conftest import DATA, data_quads, quads_of


def summary(gs) -> dict[str, int]:
    r = run_canned(gs, Catalog().get("collection-summary"))
    return {k: int(v.value) for k, v in r.rows[0].items()}


def test_seed_counts(seed_store):
    s = summary(seed_store)
    assert s == {"works": 20, "persons": 81, "venues": 5, "author_slots": 148,
                 "authorships": 149, "clusters": 1, "sources": 1}


def test_bundled_data_gives_the_same_graph_without_abstracts(seed_store):
    gs = GraphStore.open(None)
    import_paths(gs, [DATA])
    assert summary(gs) == summary(seed_store)


def test_second_import_changes_nothing(store_dir, seed_path):
    gs = GraphStore.open(store_dir)
    (first,) = import_paths(gs, [seed_path])
    before = quads_of(gs)
    (second,) = import_paths(gs, [seed_path])
    assert (first.status, second.status) == ("imported", "unchanged")
    assert quads_of(gs) == before


def test_reimport_of_changed_file_replaces_its_graph(store_dir, tmp_path):
    src = tmp_path / "r.jsonl"
    src.write_text('{"title": "A", "authors": ["X Y"]}\n{"title": "B"}\n', "utf-8")
    gs = GraphStore.open(store_dir)
    import_paths(gs, [src])
    src.write_text('{"title": "A", "authors": ["X Y"]}\n', "utf-8")
    (rep,) = import_paths(gs, [src])
    assert rep.status == "replaced"
    titles = {r["t"].value for r in gs.query("SELECT ?t WHERE { ?w skg:title ?t }")}
    assert titles == {"A"}


def test_sources_are_separate_graphs_with_provenance(store_dir, seed_path):
    gs = GraphStore.open(store_dir)
    import_paths(gs, [seed_path, DATA])
    rows = list(gs.query("""SELECT ?g ?fmt ?n ?t WHERE { GRAPH ?g { ?g a skg:Source ;
        skg:sourceFormat ?fmt ; skg:recordCount ?n ; prov:generatedAtTime ?t } } ORDER BY ?fmt"""))
    assert [(r["fmt"].value, r["n"].value) for r in rows] == [("arrow", "21"), ("jsonl", "21")]
    # the union sees one graph: both sources state the same 20 works
    assert summary(gs)["works"] == 20 and summary(gs)["sources"] == 2


def test_record_line_provenance(seed_store):
    rows = list(seed_store.query("""SELECT ?line WHERE { ?w skg:title ?t ;
        prov:wasDerivedFrom ?r . ?r skg:line ?line FILTER(STRSTARTS(?t, "UI-Genie")) }"""))
    assert [r["line"].value for r in rows] == ["105"]  # the line of its header


@pytest.mark.parametrize("bad", [
    '{"title": "ok"}\n{"title": "B", "year": "20x5"}\n',
    '{"title": "ok"}\n{"title": \n',
])
def test_bad_file_leaves_store_unchanged(store_dir, seed_path, tmp_path, bad):
    gs = GraphStore.open(store_dir)
    import_paths(gs, [seed_path])
    before = quads_of(gs)
    good = tmp_path / "good.jsonl"
    good.write_text('{"title": "Good"}\n', "utf-8")
    broken = tmp_path / "broken.jsonl"
    broken.write_text(bad, "utf-8")
    with pytest.raises(InputError) as e:
        import_paths(gs, [good, broken])  # the good file comes first: still nothing lands
    assert e.value.path == str(broken) and e.value.line == 2
    assert quads_of(gs) == before
    gs.close()
    gs2 = GraphStore.open(store_dir)  # and on disk
    assert quads_of(gs2) == before


@pytest.mark.parametrize("parallel_bytes", [0, 1 << 40])  # read by a child process, or not
def test_file_without_records_is_refused_after_its_load(store_dir, seed_path, tmp_path,
                                                        parallel_bytes):
    """The check runs at the end of the load stream (the provenance joins the load): the
    error names the file, and the quads already loaded are dropped."""
    gs = GraphStore.open(store_dir)
    import_paths(gs, [seed_path])
    before, graphs = quads_of(gs), gs.named_graphs()
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?>\n<dblp>\n</dblp>\n', "utf-8")
    with pytest.raises(InputError, match="no records found") as e:
        import_paths(gs, [empty], parallel_bytes=parallel_bytes)
    assert (e.value.path, e.value.line) == (str(empty), 1)
    assert quads_of(gs) == before and gs.named_graphs() == graphs
    gs.close()


def test_uncommitted_graphs_are_invisible_then_dropped(store_dir, seed_path):
    gs = GraphStore.open(store_dir)
    import_paths(gs, [DATA])
    before = quads_of(gs)
    # an import that wrote its graph but died before the commit
    g = ox.NamedNode("https://w3id.org/scholkg/id/source/x/0123")
    gs.write([ox.Quad(ox.NamedNode("http://e/s"), ox.RDF_TYPE if hasattr(ox, "RDF_TYPE") else
                      ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode("https://w3id.org/scholkg/ontology#Work"), g)])
    assert g.value in gs.named_graphs()
    assert quads_of(gs) == before  # not visible to queries and exports
    n = gs.query("SELECT (COUNT(*) AS ?n) WHERE { ?w a skg:Work }")
    assert next(iter(n))["n"].value == "20"
    del n
    gs.close()
    reopened = GraphStore.open(store_dir)
    assert g.value not in reopened.named_graphs()
    assert quads_of(reopened) == before
    assert REGISTRY in reopened.committed_graphs()


def test_same_file_name_from_another_folder_is_refused(store_dir, tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "r.jsonl").write_text('{"title": "A"}\n', "utf-8")
    (b / "r.jsonl").write_text('{"title": "B"}\n', "utf-8")
    gs = GraphStore.open(store_dir)
    import_paths(gs, [a / "r.jsonl"])
    with pytest.raises(InputError, match="different file with this name"):
        import_paths(gs, [b / "r.jsonl"])
    (rep,) = import_paths(gs, [b / "r.jsonl"], replace=True)
    assert rep.status == "replaced"


def test_folder_import_and_missing_path(store_dir, tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    shutil.copy(DATA, d / "x.jsonl")
    (d / ".hidden.jsonl").write_text("garbage", "utf-8")
    gs = GraphStore.open(store_dir)
    assert [r.works for r in import_paths(gs, [d])] == [20]
    with pytest.raises(InputError, match="no such file"):
        import_paths(gs, [tmp_path / "nope.jsonl"])


def test_store_in_use_gives_clear_error(store_dir):
    gs = GraphStore.open(store_dir)
    import subprocess
    import sys

    code = ("import sys; from scholkg.store import GraphStore\n"
            "from scholkg.errors import StoreError\n"
            "try:\n GraphStore.open(sys.argv[1])\n"
            "except StoreError as e:\n print(e); sys.exit(3)\n")
    out = subprocess.run([sys.executable, "-c", code, str(store_dir)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 3, out.stderr
    assert f"is in use by process {os.getpid()} (writing)" in out.stdout
    assert "--wait SECONDS" in out.stdout
    gs.close()
    # once it is closed, the other process gets in
    out = subprocess.run([sys.executable, "-c", code, str(store_dir)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_reader_waits_for_writer(store_dir, seed_path):
    """--wait: a reader started during a write gets in when the writer is done."""
    import subprocess
    import sys
    import time

    gs = GraphStore.open(store_dir)
    import_paths(gs, [seed_path])
    code = ("import sys, time; from scholkg.store import GraphStore\n"
            "t = time.time(); g = GraphStore.open(sys.argv[1], read_only=True, wait=30)\n"
            "print(round(time.time() - t, 1), len(g.committed_graphs()))\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(store_dir)], stdout=subprocess.PIPE,
                            text=True)
    time.sleep(1.5)
    gs.close()
    out, _ = proc.communicate(timeout=60)
    waited, graphs = out.split()
    assert float(waited) >= 1.0 and graphs == "3"  # registry, the source, statistics


def test_readers_share_the_store(store_dir, seed_path):
    with GraphStore.open(store_dir) as gs:
        import_paths(gs, [seed_path])
    a = GraphStore.open(store_dir, read_only=True)
    b = GraphStore.open(store_dir, read_only=True)
    assert a.count_quads() == b.count_quads() > 0
    with pytest.raises(StoreError, match="in use by another process \\(reading\\)"):
        GraphStore.open(store_dir)
    a.close()
    b.close()
    GraphStore.open(store_dir).close()


def test_store_written_by_other_pyoxigraph_minor(store_dir):
    GraphStore.open(store_dir).close()
    (store_dir / "scholkg-store.json").write_text('{"store_format": 1, "pyoxigraph": "0.4.11"}')
    with pytest.raises(StoreError, match="pyoxigraph 0.4.11"):
        GraphStore.open(store_dir)


def test_read_only_open_of_missing_store(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        GraphStore.open(tmp_path / "none", read_only=True)


def test_remove_a_source_keeps_what_others_say(store_dir, seed_path):
    from scholkg.importer import remove_sources

    with GraphStore.open(store_dir) as gs:
        import_paths(gs, [seed_path, DATA])
        two = set(data_quads(gs))
        assert remove_sources(gs, ["aojun-zhou.jsonl"]) == [str(DATA.resolve())]
        assert summary(gs)["works"] == 20 and summary(gs)["sources"] == 1
        assert set(data_quads(gs)) < two
        with pytest.raises(InputError, match='no imported source "nope.bib"'):
            remove_sources(gs, ["nope.bib", str(seed_path)])
        assert summary(gs)["sources"] == 1  # nothing removed by the failed call
        remove_sources(gs, [str(seed_path)])
        assert summary(gs)["works"] == 0
        assert [g for g in gs.named_graphs() if g != REGISTRY and "/statistics" not in g] == []


_TEXT = st.text(max_size=30)
_SLOT = st.builds(AuthorSlot, name=st.text(min_size=1, max_size=20).filter(str.strip),
                  homonym=st.one_of(st.none(), st.from_regex(r"\A[0-9]{4}\Z")),
                  orcid=st.one_of(st.none(), st.just("0000-0002-1825-0097")),
                  position=st.one_of(st.none(), st.integers(1, 3000)),
                  dblp_pid=st.one_of(st.none(), _TEXT), openalex=st.one_of(st.none(),
                                                                           st.just("A5023888391")))
_WORK = st.builds(
    Work, title=_TEXT, year=st.one_of(st.none(), st.integers(0, 9999)),
    work_type=st.sampled_from(sorted(WORK_TYPE_CLASS)),
    venue=st.one_of(st.none(), st.builds(Venue, name=_TEXT,
                                         kind=st.sampled_from(sorted(VENUE_KIND_CLASS)))),
    authors=st.lists(_SLOT, max_size=4), authors_complete=st.booleans(),
    abstract=st.one_of(st.none(), _TEXT),
    ids=st.builds(Identifiers, doi=st.one_of(st.none(), _TEXT.map("10.1234/".__add__)),
                  dblp=st.one_of(st.none(), _TEXT), wikidata=st.one_of(st.none(), st.just("Q42")),
                  urls=st.lists(st.sampled_from(["https://example.org/a{b}",
                                                 "http://[::1]/x#y"]).map(safe_url), max_size=2)),
    clusters=st.lists(_TEXT, max_size=2),
    origin=st.one_of(st.none(), st.builds(Origin, path=_TEXT, line=st.integers(1, 10**9))))


@settings(max_examples=300, deadline=None)
@given(work=_WORK)
def test_the_lines_of_any_work_parse_strictly(work):
    """Whatever text a record holds, the N-Quads lines it maps to are valid for Oxigraph's strict
    parser: the importer loads them without validation (``lenient``), which trusts this."""
    lines = map_record(work, "https://w3id.org/scholkg/id/source/x/y")
    parsed = list(ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    assert len(parsed) == len(lines)


_FEW_NAMES = st.sampled_from(["Ann Lee", "ann lee", "ANN  LEE", "Bo Li", "Bo Li 0002", "Cy Wu"])


@settings(max_examples=200, deadline=None)
@given(works=st.lists(st.builds(
    Work, title=st.just("T"), authors=st.lists(st.builds(
        lambda printed, position: AuthorSlot(*split_homonym(printed), position=position),
        _FEW_NAMES, st.one_of(st.none(), st.integers(1, 3))), max_size=4),
    venue=st.one_of(st.none(), st.builds(Venue, name=st.sampled_from(["V", "W"]),
                                         kind=st.sampled_from(["journal", "conference"])))),
    max_size=6), homepage=st.lists(_FEW_NAMES, max_size=2, unique=True))
def test_an_import_describes_each_person_once_under_each_name(works, homepage):
    """The mapping of a file writes a person's description (type, names, match key) once for
    each name they are printed under (a homepage record's names included): the labels gathered
    for the author index tell which were written. What it leaves out is only repeats: the
    graph is the one written with every description repeated."""
    source, SKG = "https://w3id.org/scholkg/id/source/x/y", "https://w3id.org/scholkg/ontology#"
    records = ([Person(names=homepage, dblp_pid="h/1")] if homepage else []) + [
        Work(title=w.title, authors=w.authors, venue=w.venue, ids=Identifiers(dblp=f"w/{i}"))
        for i, w in enumerate(works)]
    gathered = Gathered(None)
    lines = [line for r in records
             for line in map_record(r, source, described=Described(), gathered=gathered)]
    every = [line for r in records for line in map_record(r, source)]
    assert set(lines) == set(every)
    person = f" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SKG}Person> <{source}> .\n"
    label = " <http://www.w3.org/2000/01/rdf-schema#label> "
    for p in {line.split(" ")[0] for line in lines if line.endswith(person)}:
        labels = [line for line in lines if line.startswith(p + label)]
        assert len(labels) == len(set(labels))  # each name once ...
        assert lines.count(p + person) == len(labels)  # ... with one description each
    gathered.drop()


@pytest.mark.parametrize("parallel_bytes", [0, 1 << 30], ids=["second process", "one process"])
def test_dois_that_are_no_iri_as_they_stand_are_imported(store_dir, tmp_path, parallel_bytes):
    """A DOI with "[", "#" or a stray "%" (Wiley's SICI DOIs end in "#") once stopped the import
    with an invalid IRI; it is percent-encoded in its IRI and found by any of its forms."""
    dois = {"Bracketed": "10.1000/[X]", "Hashed": "10.1002/(SICI)1097-0142(19970315)79:6<1246::"
            "AID-CNCR23>3.0.CO;2-#", "Percent": "10.1000/100%zz"}
    odd = tmp_path / "odd.jsonl"
    odd.write_text("".join(f'{{"title": "{t}", "doi": "{d}", "authors": ["Ann Lee"]}}\n'
                           for t, d in dois.items()), "utf-8")
    with GraphStore.open(store_dir) as gs:
        import_paths(gs, [odd], parallel_bytes=parallel_bytes)
        for title, doi in dois.items():
            for form in (doi, "https://doi.org/" + doi.lower()):
                rows = run_canned(gs, Catalog().get("work-by-doi"), {"doi": [form]}).records()
                assert [r["title"] for r in rows] == [title]
