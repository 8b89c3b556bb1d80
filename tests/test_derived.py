"""What the store derives from its graphs stays in step with them: the collection statistics
(committed in the same transaction as the data) and the full-text index (synced after every
commit and before every search)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholkg import Catalog, GraphStore, import_paths, run_canned, run_sparql
from scholkg.importer import remove_sources

from .conftest import DATA

CASES = Path(__file__).parent / "cases"
CATALOG = Catalog()

# The aggregates computed directly, by scanning every authorship (what the statistics replace).
# First and last years are of the dated works (MIN over an unbound year is unbound).
TOP_AUTHORS = """SELECT ?name ?works ?first ?last ?person WHERE {
  { SELECT ?person (MIN(?label) AS ?name) (COUNT(DISTINCT ?work) AS ?works)
    WHERE { ?work skg:hasAuthor ?person . ?person rdfs:label ?label } GROUP BY ?person }
  OPTIONAL { SELECT ?person (MIN(?year) AS ?first) (MAX(?year) AS ?last)
             WHERE { ?work skg:hasAuthor ?person ; skg:year ?year } GROUP BY ?person }
} ORDER BY DESC(?works) ?name"""
TOP_VENUES = """SELECT ?name ?works ?authors ?first ?last ?venue WHERE {
  { SELECT ?venue (MIN(?n) AS ?name) (COUNT(DISTINCT ?work) AS ?works)
           (COUNT(DISTINCT ?person) AS ?authors)
    WHERE { ?work skg:publishedIn ?venue . ?venue skg:name ?n .
            OPTIONAL { ?work skg:hasAuthor ?person } } GROUP BY ?venue }
  OPTIONAL { SELECT ?venue (MIN(?y) AS ?first) (MAX(?y) AS ?last)
             WHERE { ?work skg:publishedIn ?venue ; skg:year ?y } GROUP BY ?venue }
} ORDER BY DESC(?works) ?name"""
SUMMARY = """SELECT (COUNT(DISTINCT ?w) AS ?works) WHERE { ?w a skg:Work }"""


def records(result):
    return [tuple(sorted(r.items())) for r in result.records()]


def assert_statistics_fresh(gs):
    for name, direct in (("top-authors", TOP_AUTHORS), ("top-venues", TOP_VENUES)):
        got = run_canned(gs, CATALOG.get(name), limit=None)
        want = run_sparql(gs, direct, limit=None)
        assert records(got) == records(want), name
    summary = run_canned(gs, CATALOG.get("collection-summary")).records()
    works = run_sparql(gs, SUMMARY).records()[0]["works"]
    assert summary == [] and works == "0" or summary[0]["works"] == works


def case_files():
    return sorted(p for p in CASES.glob("*/*") if p.suffix not in (".nt", ".dtd"))


def test_statistics_follow_imports_replacements_and_removals(tmp_path):
    files = case_files()
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        assert_statistics_fresh(gs)
        import_paths(gs, files)  # overlapping sources: works counted once
        assert_statistics_fresh(gs)
        changed = tmp_path / "aojun-zhou.jsonl"  # same file name, other content: a replacement
        lines = DATA.read_text("utf-8").splitlines()
        changed.write_text("\n".join(lines[:5]) + "\n", "utf-8")
        import_paths(gs, [changed], replace=True)
        assert_statistics_fresh(gs)
        remove_sources(gs, [str(files[0]), "aojun-zhou.jsonl"])
        assert_statistics_fresh(gs)
        gs.update('INSERT DATA { <urn:w> a skg:Work ; skg:title "Added by hand" ; '
                  'skg:hasAuthor <urn:p> . <urn:p> a skg:Person ; rdfs:label "Zed Hand" }')
        assert_statistics_fresh(gs)


@pytest.mark.parametrize("top", [1, 3, 7, 40])
def test_top_authors_cut_off_keeps_the_direct_ranking(tmp_path, monkeypatch, top):
    """Only the TOP most prolific authors are kept; ties at the cut-off are ranked by name as
    the direct query ranks them (the cut-off is found by the engine, the ties sorted here)."""
    from scholkg import statistics

    monkeypatch.setattr(statistics, "TOP", top)
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA, *case_files()])
        got = records(run_canned(gs, CATALOG.get("top-authors"), limit=None))
        want = records(run_sparql(gs, TOP_AUTHORS, limit=None))
    assert len(want) > top
    assert got == want[:top]


@pytest.mark.parametrize("top", [1, 3, 7, 40, 1000])
def test_top_authors_from_the_author_index_equal_those_from_queries(tmp_path, monkeypatch, top):
    """An import ranks the authors with the author index it built ahead; a removal or an
    update ranks them with queries: both give the same statistics, ties at the cut-off too."""
    from scholkg import statistics

    monkeypatch.setattr(statistics, "TOP", top)
    # tied authors whose names sort otherwise than their IRIs (slugs of the names)
    ties = tmp_path / "ties.jsonl"
    names = ["Zoe Park", "\u00c1mbar Ruiz", "anna lee", "Bo Chen"]
    ties.write_text("".join(json.dumps({"title": f"Tied work {n}", "year": 2000 + n,
                                        "authors": names}) + "\n" for n in range(25)), "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA, ties, *case_files()])
        graphs = list(gs.current_graphs().values())
        index = gs.author_index()

        def quads(index):
            return {tuple(map(str, q)) for q in
                    statistics.statistics_quads(gs, graphs, "urn:stats", index)}

        from_index, from_queries = quads(index), quads(None)
    assert from_index == from_queries
    ranks = {q[2] for q in from_index if q[1] == str(statistics.SKG.rank) and "/author/" in q[0]}
    assert len(ranks) == min(top, index.persons)


TRICKY = [  # what a count of the graph must see through
    {"title": "Gravel Roads", "doi": "10.1234/gravel", "year": 2001,
     "venue": {"name": "Gravel Conf", "kind": "conference"}, "authors": ["Ann Lee", "Bo Chen"]},
    # the same work again (one DOI): another year, the venue in another case, other authors
    {"title": "Gravel roads.", "doi": "10.1234/gravel", "year": 1999,
     "venue": {"name": "gravel conf", "kind": "conference"}, "authors": ["Bo Chen", "Cy Diaz"]},
    # and in another venue
    {"title": "Gravel Roads", "doi": "10.1234/gravel",
     "venue": {"name": "Sand Journal", "kind": "journal"}, "authors": ["Ann Lee"],
     "other_authors": ["Dee Eng"], "authors_complete": False},
    {"title": "Sand Dunes", "year": 2010, "venue": {"name": "Sand Journal", "kind": "journal"},
     "authors": ["Ann Lee", "Ann Lee 0002"]},
    {"title": "Sand Dunes", "year": 2010, "venue": {"name": "Sand Journal", "kind": "journal"},
     "authors": ["Ann Lee", "Ann Lee 0002"]},  # a repeated record
    {"title": "Undated", "venue": {"name": "Pebble Letters", "kind": "journal"},
     "authors": ["Eve Fox"]},
    {"title": "Nowhere", "year": 1980, "authors": ["Eve Fox", "EVE FOX"]},
    {"title": "Nobody", "year": 1981, "venue": {"name": "Pebble Letters", "kind": "journal"}},
]


@pytest.mark.parametrize("parallel_bytes", [0, 1 << 30], ids=["second process", "one process"])
def test_statistics_counted_from_an_import_equal_those_from_queries(tmp_path, monkeypatch,
                                                                     seed_path, parallel_bytes):
    """A first import counts the statistics from what it gathered (scholkg.tallies), with
    records repeated and merged, a work of two years and two venues, a venue written in two
    cases, works without year, venue or authors, persons without works (dblp homepages),
    name clusters (the seed page) and authors at no position: the same statistics graph as
    the queries count. A later import that keeps other graphs counts with queries."""
    from scholkg import statistics, tallies

    counted = []
    count = tallies.figures

    def spy(parts, index):
        counted.append(count(parts, index))
        return counted[-1]

    monkeypatch.setattr(tallies, "figures", spy)
    tricky = tmp_path / "tricky.jsonl"
    tricky.write_text("".join(json.dumps(r) + "\n" for r in TRICKY), "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA, tricky, seed_path, *case_files()[:-1]],
                     parallel_bytes=parallel_bytes)
        assert len(counted) == 1
        graphs = list(gs.current_graphs().values())
        from_tallies = {tuple(map(str, q)) for q in statistics.quads_of(counted[0], "urn:s")}
        from_queries = {tuple(map(str, q))
                        for q in statistics.statistics_quads(gs, graphs, "urn:s")}
        assert from_tallies == from_queries
        summary = counted[0].summary
        assert summary["clusters"] == 1 and summary["authorSlots"] < summary["authorships"]
        assert_statistics_fresh(gs)
        import_paths(gs, case_files()[-1:], parallel_bytes=parallel_bytes)
        assert len(counted) == 1  # the first import's graphs were not gathered by this one
        assert_statistics_fresh(gs)


_NAMES = ["Ann Lee", "ann lee", "Ann Lee 0002", "Bo Chen", "Cy Diaz"]
_VENUES = ["Gravel Conf", "GRAVEL CONF", "Sand Journal"]
_RECORD = st.fixed_dictionaries(
    {"title": st.sampled_from(["Roads", "Dunes", "Stones"]),
     "authors": st.lists(st.sampled_from(_NAMES), max_size=4)},
    optional={"doi": st.sampled_from(["10.1234/a", "10.1234/b"]),
              "year": st.integers(1998, 2001),
              "venue": st.sampled_from(_VENUES).map(lambda v: {"name": v,
                                                               "kind": "conference"}),
              "other_authors": st.lists(st.sampled_from(_NAMES), min_size=1, max_size=2)},
).map(lambda r: {**r, "authors_complete": False} if "other_authors" in r else r)


@settings(max_examples=25, deadline=None)
@given(files=st.lists(st.lists(_RECORD, min_size=1, max_size=8), min_size=1, max_size=2))
def test_statistics_counted_from_any_records_equal_those_from_queries(files):
    """Any few records in one or two files, drawn so that works, persons and venues meet
    (one DOI or title in two records, names that differ in case, a homonym number): the
    figures counted from the import's tallies, and those counted with the author index, give
    the statistics the queries give."""
    import tempfile

    from scholkg import statistics, tallies

    counted = []
    count = tallies.figures

    def spy(parts, index):
        counted.append(count(parts, index))
        return counted[-1]

    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(tallies, "figures", spy)
        paths = []
        for n, records in enumerate(files):
            paths.append(Path(tmp) / f"f{n}.jsonl")
            paths[-1].write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        with GraphStore.open(Path(tmp) / "s") as gs:
            import_paths(gs, paths)
            graphs = list(gs.current_graphs().values())
            want = {tuple(map(str, q)) for q in statistics.statistics_quads(gs, graphs, "urn:s")}
            # and from the author index (a later import, a removal: queries and the index)
            indexed = {tuple(map(str, q)) for q in
                       statistics.statistics_quads(gs, graphs, "urn:s", gs.author_index())}
    assert indexed == want
    assert len(counted) == 1
    assert {tuple(map(str, q)) for q in statistics.quads_of(counted[0], "urn:s")} == want


def test_statistics_survive_reopening_and_an_unchanged_import(tmp_path):
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        graph = gs.current_graphs()["https://w3id.org/scholkg/id/statistics"]
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])  # unchanged: nothing committed, nothing recomputed
        assert gs.current_graphs()["https://w3id.org/scholkg/id/statistics"] == graph
        assert_statistics_fresh(gs)


def search(gs, words):
    return [r["title"] for r in run_canned(gs, CATALOG.get("search"), {"text": [words]},
                                           limit=None).records()]


def test_text_index_follows_replacements_and_removals(tmp_path):
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"title": "Quantum Gravel Sorting", "year": 2020}) + "\n")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA, mine])
        assert search(gs, "gravel") == ["Quantum Gravel Sorting"]
        mine.write_text(json.dumps({"title": "Classical Sand Sorting", "year": 2021}) + "\n")
        import_paths(gs, [mine])
        assert search(gs, "gravel") == []
        assert search(gs, "sand sorting") == ["Classical Sand Sorting"]
        remove_sources(gs, ["mine.jsonl"])
        assert search(gs, "sorting") == []
        assert len(search(gs, "mathematical reasoning")) == 5


def test_text_index_is_kept_across_opens(tmp_path):
    """Reopening the store finds the index as it was: nothing is read again."""
    store = tmp_path / "s"
    with GraphStore.open(store) as gs:
        import_paths(gs, [DATA])
        held = gs.text_index().graphs()
        assert held == set(gs.committed_graphs()[1:])
    files = sorted(p.name for p in (store / "search").iterdir())
    with GraphStore.open(store, read_only=True) as gs:
        assert gs.text_index().graphs() == held
        assert search(gs, "sparse networks")
    assert sorted(p.name for p in (store / "search").iterdir()) == files


def test_text_index_heals_when_deleted_or_stale(tmp_path):
    store = tmp_path / "s"
    with GraphStore.open(store) as gs:
        import_paths(gs, [DATA])
        before = search(gs, "sparse networks")
    shutil.rmtree(store / "search")
    with GraphStore.open(store, read_only=True) as gs:
        assert search(gs, "sparse networks") == before and before
    # an index that is not one (another version's, a broken one) is rebuilt; the SQLite index
    # of earlier versions is removed
    for f in (store / "search").iterdir():
        if f.is_file():
            f.write_bytes(b"not an index")
    (store / "search.sqlite").write_bytes(b"SQLite format 3\0")
    with GraphStore.open(store, read_only=True) as gs:
        assert search(gs, "sparse networks") == before
    assert not (store / "search.sqlite").exists()
    # an index that lags behind the store (a crash between the two commits) catches up
    other = tmp_path / "other"
    with GraphStore.open(other) as gs:
        pass
    shutil.rmtree(other / "search", ignore_errors=True)
    shutil.copytree(store / "search", other / "search")
    with GraphStore.open(other) as gs:
        assert search(gs, "sparse networks") == []
        import_paths(gs, [DATA])
        assert search(gs, "sparse networks") == before


def test_texts_indexed_ahead_of_a_failed_commit_never_show(tmp_path, monkeypatch):
    """The new graphs' texts are indexed while the loader ends (GraphStore.will_commit); when
    the commit then fails, the import is refused and searches find nothing of it."""
    from scholkg import statistics

    def fail(*args, **kwargs):
        raise RuntimeError("statistics failed")

    with GraphStore.open(tmp_path / "s") as gs:
        monkeypatch.setattr(statistics, "derive", fail)
        with pytest.raises(RuntimeError, match="statistics failed"):
            import_paths(gs, [DATA])
        assert gs.text_index().graphs()  # indexed ahead: the thread had run
        assert search(gs, "sparse networks") == []
        assert gs.text_index().graphs() == set()
        monkeypatch.undo()
        import_paths(gs, [DATA])
        assert search(gs, "sparse networks")


def test_an_error_while_deriving_ahead_fails_the_import_and_changes_nothing(tmp_path,
                                                                            monkeypatch):
    """The author index is built in a thread while the loader ends: its error fails the
    import like any other, leaves no graph, index or spool behind, and the next import works."""
    import threading

    from scholkg.authorindex import AuthorIndex

    build = AuthorIndex.build.__func__

    def failing(cls, parts, key):
        if threading.current_thread().name == "scholkg-ahead":
            raise RuntimeError("index failed ahead")
        return build(cls, parts, key)

    store = tmp_path / "s"
    with GraphStore.open(store) as gs:
        monkeypatch.setattr(AuthorIndex, "build", classmethod(failing))
        with pytest.raises(RuntimeError, match="index failed ahead"):
            import_paths(gs, [DATA], parallel_bytes=0)
        assert gs.current_graphs() == {} and gs.count_quads() == 0
        assert not list(store.glob("texts-*.spool")) and not list(store.glob("authors/*.idx"))
        assert search(gs, "sparse networks") == []
        monkeypatch.undo()
        import_paths(gs, [DATA])
        assert search(gs, "sparse networks")
        assert_statistics_fresh(gs)


def normal(texts) -> list:
    return sorted((work, tuple(titles), tuple(sorted(abstracts)))
                  for work, titles, abstracts in texts)


@pytest.mark.parametrize("parallel_bytes", [0, 1 << 30], ids=["second process", "one process"])
def test_texts_gathered_by_an_import_are_the_texts_of_the_store(tmp_path, monkeypatch,
                                                                 parallel_bytes):
    """The index is fed the texts the import spooled while it mapped the records: the same as
    the graph holds, with two records of one work (one DOI) in one file, repeated texts, no
    abstract; and the searches answer as from an index built from the store."""
    mine = tmp_path / "mine.jsonl"
    rows = [{"title": "Sparse Gravel Networks", "doi": "10.1234/gravel", "abstract": "Stones in rows."},
            {"title": "Sparse gravel networks, revised", "doi": "10.1234/gravel",
             "abstract": "Pebbles in columns."},
            {"title": "Sparse Gravel Networks", "doi": "10.1234/gravel", "abstract": "Stones in rows."},
            {"title": "Dense Sand", "year": 2021}]
    mine.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    spooled: dict = {}
    keep = GraphStore.gathered

    def seen(gs, graph, gathered):
        spooled[graph] = list(gathered.texts.texts())
        keep(gs, graph, gathered)

    monkeypatch.setattr(GraphStore, "gathered", seen)
    store = tmp_path / "s"
    with GraphStore.open(store) as gs:
        import_paths(gs, [DATA, mine], parallel_bytes=parallel_bytes)
        assert set(spooled) == set(gs._data_graphs(gs.committed_graphs()))
        for graph, texts in spooled.items():
            assert normal(texts) == normal(gs.texts(graph)), graph
        (texts,) = [t for t in spooled.values() if len(t) == 3]  # mine.jsonl's three titles
        assert sorted(len(abstracts) for _, _, abstracts in texts) == [0, 2, 2]
        asked = ["gravel", "pebbles", "sparse networks", "sand", "mathematical reasoning"]
        found = {q: gs.text_search(q) for q in asked}
        assert found["pebbles"] and found["sand"] and len(found["gravel"]) == 1
        assert not list(store.glob("texts-*.spool"))  # dropped after the commit
        gs.text_index().reset()
        assert {q: gs.text_search(q) for q in asked} == found


@pytest.mark.parametrize("words", ["", "  ", "--", "()"])
def test_search_needs_a_word(words):
    from scholkg.errors import ParameterError

    gs = GraphStore.open(None)
    with pytest.raises(ParameterError, match="no word to search for"):
        run_canned(gs, CATALOG.get("search"), {"text": [words]})


def test_text_index_writers_wait_for_each_other(tmp_path):
    """Only one writer may hold the index (a search that syncs, an import that indexes): the
    second waits for the first instead of failing."""
    import threading
    import time

    from scholkg.textindex import TextIndex

    first, second = TextIndex(tmp_path), TextIndex(tmp_path)
    held = first._writer()
    released = []

    def release():
        time.sleep(0.5)
        released.append(time.monotonic())
        first._finish(held)

    threading.Thread(target=release).start()
    writer = second._writer()
    got = time.monotonic()
    second._finish(writer)
    assert released and got >= released[0]


def test_query_iterators_are_freed_by_the_thread_that_made_them(tmp_path):
    """pyoxigraph's query results must be dropped by the thread that made them. The cyclic
    garbage collector runs in whichever thread it likes, so an abandoned result in a cycle,
    collected in the indexing thread beside the statistics, was leaked with a RuntimeError
    ("unsendable"). The main thread collects before the thread starts."""
    import gc
    import sys

    from scholkg.threads import Beside

    gs = GraphStore.open(tmp_path / "s")
    caught = []
    old, sys.unraisablehook = sys.unraisablehook, caught.append
    try:
        class Holder:
            pass

        h = Holder()
        h.me = h  # a cycle: only the cyclic collector frees it
        h.rows = iter(gs._s.query("SELECT ?x WHERE { VALUES ?x { 1 2 3 } }"))
        next(h.rows)
        del h
        with Beside((gc.collect,)):
            pass
    finally:
        sys.unraisablehook = old
        gs.close()
    assert not caught, caught[0].exc_value


def test_only_big_drops_compact_the_store(tmp_path, monkeypatch):
    """Each import replaces the statistics graph; dropping the old one (a few thousand quads)
    once compacted the whole store: 40 s for a 20-work import into a million works. Now only
    sources of COMPACT_AFTER records or more replaced or removed at once, and graphs that do
    not say how many records they hold (a killed import's leftovers, a linkset) only when
    their quads are as many (QUADS_PER_RECORD each): removing a linkset of a few links from
    a million works took 152 s, nearly all of it the compaction."""
    from scholkg import store as store_module

    compacted = []
    compact = GraphStore._compact
    monkeypatch.setattr(GraphStore, "_compact",
                        lambda gs: (compacted.append(True), compact(gs))[1])
    monkeypatch.setattr(store_module, "COMPACT_AFTER", 20)  # the bundled data has 21 records
    small = tmp_path / "small.jsonl"
    small.write_text('{"title": "A small addition", "authors": ["Ann Lee"]}\n', "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        import_paths(gs, [small])  # the old statistics dropped: no compaction
        assert compacted == []
        small.write_text('{"title": "A small change", "authors": ["Ann Lee"]}\n', "utf-8")
        import_paths(gs, [small], replace=True)  # one record replaced
        assert compacted == []
        remove_sources(gs, [str(DATA)])  # 21 records
        assert compacted == [True]
        def left_behind(quads: int) -> None:
            gs.write([ox.Quad(ox.NamedNode("urn:w"), ox.NamedNode("urn:p"), ox.Literal(str(n)),
                              ox.NamedNode("urn:left-behind")) for n in range(quads)])

        limit = 20 * store_module.QUADS_PER_RECORD
        left_behind(limit - 1)
        assert gs.drop_garbage() == 1 and compacted == [True]
        left_behind(limit)
        assert gs.drop_garbage() == 1 and compacted == [True, True]
        assert_statistics_fresh(gs)
