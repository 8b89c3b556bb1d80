"""Canned queries: the catalogue, parameter binding, and a golden result for every example."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from scholkg import Catalog, run_canned, run_sparql
from scholkg.catalog import parse_query_file, where_group_offset
from scholkg.errors import ParameterError, QueryError
from scholkg.query import DEFAULT_LIMIT, bind
from scholkg.render import to_csv
from scholkg.sparqltext import code_only

GOLDEN = Path(__file__).parent / "golden"
CATALOG = Catalog()


#: Queries that follow links: their goldens come from the seed graph linked with the dblp-shaped
#: fixture (tests/linking/seed-dblp.ttl) and its in-graph proposals.
LINK_QUERIES = {"person-external-ids", "person-works-linked", "link-explain", "link-candidates"}


def examples(graphs=("seed", "fixtures")):
    for q in CATALOG:
        for i, ex in enumerate(q.examples):
            for graph in (("linked",) if q.name in LINK_QUERIES else graphs):
                yield pytest.param(q.name, i, ex, graph, id=f"{q.name}-{i}-{graph}")


def parse_example(example: str):
    argv = shlex.split(example)
    assert argv[:2] == ["scholkg", "query"], example
    name, rest = argv[2], argv[3:]
    params: dict[str, list[str]] = {}
    limit = None
    i = 0
    while i < len(rest):
        if rest[i] in ("-p", "--param"):
            params.setdefault(rest[i + 1], []).append(rest[i + 2])
            i += 3
        elif rest[i] == "--limit":
            limit = int(rest[i + 1])
            i += 2
        else:
            i += 2 if rest[i] == "--format" else 1
    return name, params, limit


def compact_csv(result) -> str:
    if result.form == "CONSTRUCT":
        return canonical_ntriples(result.triples)
    return to_csv(result).replace("\r\n", "\n")


def canonical_ntriples(triples) -> str:
    """Sorted N-Triples with each blank node named by a hash of what it says, so that the
    same graph always prints the same."""
    import hashlib

    import pyoxigraph as ox

    about: dict[str, list[str]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            about.setdefault(t.subject.value, []).append(f"{t.predicate} {t.object}")
    names = {b: "b" + hashlib.sha256("\n".join(sorted(v)).encode()).hexdigest()[:12]
             for b, v in about.items()}
    lines = []
    for t in triples:
        s = f"_:{names[t.subject.value]}" if isinstance(t.subject, ox.BlankNode) else str(t.subject)
        lines.append(f"{s} {t.predicate} {t.object} .")
    return "".join(sorted(line + "\n" for line in set(lines)))


@pytest.fixture(scope="module")
def fixture_store():
    """The second fixture graph: every reader's fixture (tests/cases), several venues and name
    variants (Aojun Zhou / A. Zhou, Hongsheng Li / Hongsheng Li 0001, Jörg Müller)."""
    from scholkg import GraphStore, import_paths

    cases = Path(__file__).parent / "cases"
    gs = GraphStore.open(None)
    import_paths(gs, sorted(p for p in cases.glob("*/*") if p.suffix not in (".nt", ".dtd")))
    return gs


@pytest.fixture(scope="module")
def linked_store(tmp_path_factory):
    """The seed records linked with the dblp-shaped fixture, plus in-graph proposals."""
    from scholkg import GraphStore, import_paths
    from scholkg.link.run import link, open_target, propose_persons

    from .conftest import DATA

    gs = GraphStore.open(None)
    import_paths(gs, [DATA])
    dblp = Path(__file__).parent / "linking" / "seed-dblp.ttl"
    target = open_target([str(dblp)], schema="auto", cache=tmp_path_factory.mktemp("cache"))
    link(gs, target, name="dblp", locations=["seed-dblp.ttl"])
    target.close()
    propose_persons(gs)
    return gs


@pytest.mark.parametrize("name, index, example, graph", list(examples()))
def test_golden(request, seed_store, fixture_store, linked_store, graph, name, index, example):
    qname, params, limit = parse_example(example)
    assert qname == name
    store = {"seed": seed_store, "fixtures": fixture_store, "linked": linked_store}[graph]
    try:
        result = run_canned(store, CATALOG.get(name), params, limit=limit)
        got = compact_csv(result)
    except ParameterError as e:  # a name the graph does not hold: the message is the result
        got = f"error: {e}\n"
    suffix = "" if graph == "seed" else f".{graph}"
    path = GOLDEN / f"{name}.{index}{suffix}.csv"
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, "utf-8")
    assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
    assert got == path.read_text("utf-8")


def test_every_query_has_an_example_and_golden():
    for q in CATALOG:
        assert q.examples, q.name
        linked = ".linked" if q.name in LINK_QUERIES else ""
        assert (GOLDEN / f"{q.name}.0{linked}.csv").exists(), q.name
    required = {"works-by-author", "coauthors", "works-per-year", "venues-of-author",
                "top-authors", "works-in-venue", "search", "name-variants"}
    assert required <= set(CATALOG.names())


def rows(result, *cols):
    return [tuple(r[c].value if c in r else None for c in cols) for r in result.rows]


def test_works_per_year(seed_store):
    r = run_canned(seed_store, CATALOG.get("works-per-year"))
    assert rows(r, "year", "works") == [("2026", "1"), ("2025", "7"), ("2024", "6"),
                                        ("2023", "1"), ("2022", "1"), ("2021", "3"),
                                        ("2018", "1")]


def test_venues(seed_store):
    r = run_sparql(seed_store, """SELECT ?v (COUNT(DISTINCT ?w) AS ?n) WHERE {
        ?w skg:publishedIn/skg:name ?v } GROUP BY ?v ORDER BY DESC(?n) ?v""")
    assert rows(r, "v", "n") == [("ICLR", "9"), ("NeurIPS", "6"), ("AAAI", "2"), ("ICML", "2"),
                                 ("TMLR", "1")]
    r = run_canned(seed_store, CATALOG.get("venues-of-author"), {"author": ["Aojun Zhou"]})
    assert rows(r, "venue_name", "works") == [("ICLR", "9"), ("NeurIPS", "6"), ("AAAI", "2"),
                                             ("ICML", "2"), ("TMLR", "1")]


def test_works_by_author(seed_store):
    r = run_canned(seed_store, CATALOG.get("works-by-author"), {"author": ["aojun  ZHOU"]})
    assert len(r.rows) == 20
    roles = {row["title"].value.split(":")[0]: row["role"].value for row in r.rows}
    assert roles["UI-Genie"] == "unknown"
    assert roles["MAVIS"] == "middle or last"  # 8th of a list cut at 8: not the last author
    assert roles["Learning N"] == "first"
    assert roles["Omni-Dimensional Dynamic Convolution"] == "middle"


def test_coauthors_order(seed_store):
    r = run_canned(seed_store, CATALOG.get("coauthors"), {"author": ["Aojun Zhou"]})
    assert rows(r, "name", "works")[:4] == [("Zimu Lu", "8"), ("Weikang Shi", "7"),
                                           ("Houxing Ren", "6"), ("Renrui Zhang", "6")]


def test_an_undated_work_hides_no_years(tmp_path):
    """A person's first and last years are those of their dated works: a group holding an
    unbound year has no MIN in Oxigraph, so an undated work once erased them all."""
    from scholkg import GraphStore, import_paths

    records = tmp_path / "works.jsonl"
    records.write_text(
        '{"title": "Early", "year": 2019, "venue": {"name": "Conf"}, "authors": ["Ann", "Bo"]}\n'
        '{"title": "Late", "year": 2022, "venue": {"name": "Conf"}, "authors": ["Ann", "Bo"]}\n'
        '{"title": "Undated", "venue": {"name": "Conf"}, "authors": ["Ann", "Bo"]}\n', "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [records])
        ann = {"author": ["Ann"]}
        career = run_canned(gs, CATALOG.get("author-career"), ann)
        assert rows(career, "first", "last", "span_years", "works", "active_years") == \
            [("2019", "2022", "4", "3", "2")]
        venues = run_canned(gs, CATALOG.get("venues-of-author"), ann)
        assert rows(venues, "venue_name", "works", "first", "last") == \
            [("Conf", "3", "2019", "2022")]
        co = run_canned(gs, CATALOG.get("coauthors"), ann)
        assert rows(co, "name", "works", "first", "last") == [("Bo", "3", "2019", "2022")]
        top = run_canned(gs, CATALOG.get("venue-top-authors"), {"venue": ["Conf"]})
        assert rows(top, "name", "works", "first", "last") == \
            [("Ann", "3", "2019", "2022"), ("Bo", "3", "2019", "2022")]


def test_homonyms_stay_apart_case_variants_merge(seed_store):
    r = run_canned(seed_store, CATALOG.get("name-variants"))
    groups: dict[str, set] = {}
    for row in r.rows:
        groups.setdefault(row["key"].value, set()).add((row["name"].value, row["person"].value))
    assert set(groups) == {"dongzhi jiang", "hongsheng li", "ke wang"}
    assert len({p for _, p in groups["ke wang"]}) == 2  # "Ke Wang" and "Ke Wang 0036"
    assert len({p for _, p in groups["hongsheng li"]}) == 2
    # one person, two printed forms
    assert {n for n, _ in groups["dongzhi jiang"]} == {"Dongzhi JIANG", "Dongzhi Jiang"}
    assert len({p for _, p in groups["dongzhi jiang"]}) == 1


def test_works_in_venue_year_filter(seed_store):
    q = CATALOG.get("works-in-venue")
    assert len(run_canned(seed_store, q, {"venue": ["ICLR"]}).rows) == 9
    assert len(run_canned(seed_store, q, {"venue": ["ICLR"], "year": ["2024"]}).rows) == 4


def test_search_finds_every_word_by_stem_best_first(seed_store):
    r = run_canned(seed_store, CATALOG.get("search"), {"text": ["sparse networks"]})
    titles = [row["title"].value for row in r.rows]
    # every work with both words in its title, and only those ("Networks", "Sparse", "sparse")
    from scholkg.vocab import SKG

    text_of: dict[str, str] = {}
    for q in seed_store.quads():
        if q.predicate in (SKG.title, SKG.abstract):
            text_of[q.subject.value] = text_of.get(q.subject.value, "") + q.object.value.lower()
    expected = {w for w, t in text_of.items() if "sparse" in t and "network" in t}
    assert len(expected) >= 3 and {row["work"].value for row in r.rows} == expected
    # a title match ranks first
    assert "Sparse Neural Networks" in titles[0] or "sparse schemes" in titles[0]
    scores = [float(row["score"].value) for row in r.rows]
    assert scores == sorted(scores, reverse=True)
    assert run_canned(seed_store, CATALOG.get("search"), {"text": ["SPARSE Networks"]}).rows == r.rows
    assert run_canned(seed_store, CATALOG.get("search"), {"text": ["zzzz"]}).rows == []


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_search_binds_only_the_works_it_can_show(seed_store, limit):
    """The index is asked for limit + 1 works: the best ones, and one more to say the list
    was cut."""
    q = CATALOG.get("search")
    everything = run_canned(seed_store, q, {"text": ["sparse"]}, limit=None)
    assert len(everything.rows) > 3 and not everything.truncated
    cut = run_canned(seed_store, q, {"text": ["sparse"]}, limit=limit)
    assert cut.rows == everything.rows[:limit] and cut.truncated
    assert bind(q, {"text": ["sparse"]}, seed_store, hits=limit).count("(<https://") == limit


@pytest.mark.parametrize("params, needle", [
    ({}, 'needs parameter "author" (person)'),
    ({"autor": ["x"]}, 'no parameter "autor". Did you mean "author"?'),
    ({"author": ["Nobody Here"]}, 'no person "Nobody Here"'),
    ({"author": ["Ke Wang 0001"]}, '"Ke Wang 0001" matches 2 persons: "Ke Wang" <https://w3id.org'),
    ({"author": ["Dongzhi Jiang 0007"]}, 'the closest is "Dongzhi'),
    ({"author": ["javascript:alert(1)"]}, 'no person "javascript:alert(1)"'),
    ({"author": ["http://x> } DROP ALL {"]}, "is not a valid IRI"),
])
def test_parameter_errors(seed_store, params, needle):
    with pytest.raises(ParameterError) as e:
        run_canned(seed_store, CATALOG.get("coauthors"), params)
    assert needle in str(e.value)


@pytest.mark.parametrize("value", [
    '"} DROP ALL {', "') } ; DROP ALL ; #", "x\" . ?s ?p ?o }\nSELECT * {", "\\u0022",
])
def test_metacharacters_never_change_the_query(seed_store, value):
    q = CATALOG.get("search")
    text = bind(q, {"text": [value]}, seed_store)
    # the words go to the full-text index; only work IRIs and scores enter the query
    assert text.replace(q.text[q.where_offset:], "").count("VALUES") == 1
    assert value not in text and "DROP" not in text
    assert len(run_canned(seed_store, CATALOG.get("works-per-year")).rows) == 7


def test_kinds(seed_store):
    q = CATALOG.get("works-in-venue")
    with pytest.raises(ParameterError, match='"20x5" is not a year'):
        run_canned(seed_store, q, {"venue": ["ICLR"], "year": ["20x5"]})
    with pytest.raises(ParameterError, match='no venue "ICRL"'):
        run_canned(seed_store, q, {"venue": ["ICRL"]})


def test_limit_truncates(seed_store):
    r = run_canned(seed_store, CATALOG.get("top-authors"), limit=5)
    assert len(r.rows) == 5 and r.truncated


def test_unknown_query():
    with pytest.raises(QueryError, match='Did you mean "coauthors"'):
        CATALOG.get("coauthor")


def test_sparql_refuses_updates(seed_store):
    with pytest.raises(QueryError, match="update"):
        run_sparql(seed_store, "PREFIX x: <http://x/>\nDROP ALL")
    with pytest.raises(QueryError, match="syntax error"):
        run_sparql(seed_store, "SELECT WHERE {")


def test_where_offset_skips_strings_comments_iris():
    text = '# WHERE {\nSELECT ("WHERE {" AS ?x) FROM <http://a/WHERE> WHERE { ?s ?p ?o }'
    assert text[where_group_offset(text) - 1:].startswith("{ ?s")
    c = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert c[where_group_offset(c):] == " ?s ?p ?o }"


def test_header_errors(tmp_path):
    p = tmp_path / "bad.rq"
    p.write_text("#+ title: T\n#+ param: who person required\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match=r"bad.rq:2:1: parameter \"who\" is declared but"):
        parse_query_file(p)
    p.write_text("#+ title: T\n#+ param: who human required\nSELECT * WHERE { ?who ?p ?o }\n")
    with pytest.raises(QueryError, match='unknown parameter kind "human"'):
        parse_query_file(p)


def test_a_query_shows_its_own_limit_unless_told(tmp_path, seed_store):
    p = tmp_path / "works.rq"
    p.write_text("#+ title: T\n#+ limit: 2\nPREFIX skg: <https://w3id.org/scholkg/ontology#>\n"
                 "SELECT ?w WHERE { ?w a skg:Work } ORDER BY ?w\n", "utf-8")
    q = parse_query_file(p)
    assert q.limit == 2
    own = run_canned(seed_store, q)
    assert len(own.rows) == 2 and own.truncated and own.limit == 2
    everything = run_canned(seed_store, q, limit=None)
    assert len(everything.rows) == 20 and own.rows == everything.rows[:2]
    assert len(run_canned(seed_store, q, limit=5).rows) == 5
    # without the header: the default
    p.write_text(p.read_text("utf-8").replace("#+ limit: 2\n", ""), "utf-8")
    assert parse_query_file(p).limit is None
    assert run_canned(seed_store, parse_query_file(p)).limit == DEFAULT_LIMIT
    assert CATALOG.get("search").limit == 100
    for bad in ("0", "ten", "-3", "2.5"):
        p.write_text(f"#+ title: T\n#+ limit: {bad}\nSELECT * WHERE {{ ?s ?p ?o }}\n", "utf-8")
        with pytest.raises(QueryError, match=rf'works.rq:2:1: limit "{re.escape(bad)}" is not'):
            parse_query_file(p)


def test_rows_header_is_checked(tmp_path):
    p = tmp_path / "net.rq"
    head = "#+ title: T\n#+ param: who person required\n"
    p.write_text(head + "#+ rows: coauthor-pairs\nSELECT ?a ?la ?b ?lb ?n WHERE { }\n", "utf-8")
    q = parse_query_file(p)  # the person is read by the index, not used in the text
    assert q.rows == "coauthor-pairs"
    p.write_text(head + "#+ rows: coauthor-pairs\nSELECT ?a ?b ?n WHERE { }\n", "utf-8")
    with pytest.raises(QueryError, match=r"net.rq:3:1: rows \"coauthor-pairs\" bind .* never "
                                         r"uses \?la"):
        parse_query_file(p)
    p.write_text(head + "#+ rows: friends\nSELECT ?a WHERE { }\n", "utf-8")
    with pytest.raises(QueryError, match=r'net.rq:3:1: unknown rows "friends" \(expected one '
                                         "of coauthor-pairs, coauthors-of-coauthors"):
        parse_query_file(p)


def test_with_lines_go_when_their_parameter_has_no_value(tmp_path, seed_store):
    """`# scholkg:with NAME` lines: kept (and bound) when NAME is given, left out when not."""
    counted = tmp_path / "per-year.rq"
    counted.write_text(
        "#+ title: Works per year\n#+ param: author person optional -- Of this person.\n"
        "PREFIX skg: <https://w3id.org/scholkg/ontology#>\n"
        "SELECT ?year (COUNT(DISTINCT ?work) AS ?works) WHERE {\n"
        "  ?work skg:hasAuthor ?author .  # scholkg:with author\n"
        "  ?work skg:year ?year .\n} GROUP BY ?year\n", "utf-8")
    q = parse_query_file(counted)
    assert q.with_tags == ("author",)
    person = "https://w3id.org/scholkg/id/person/zimu-lu-271d4c5a"
    given = bind(q, {"author": [person]}, seed_store)
    assert "skg:hasAuthor ?author" in given and f"VALUES ?author {{ <{person}> }}" in given
    assert "hasAuthor" not in code_only(bind(q, {}, seed_store))
    # the counts: the person's works per year, and every work per year (as the canned
    # works-per-year counts them from the author index)
    canned = CATALOG.get("works-per-year")
    for values in ({"author": [person]}, {}):
        assert sorted(run_canned(seed_store, q, values).records(), key=str) == \
            sorted(run_canned(seed_store, canned, values).records(), key=str)
    mine = {r["year"]: int(r["works"]) for r in
            run_canned(seed_store, q, {"author": [person]}).records()}
    every = {r["year"]: int(r["works"]) for r in run_canned(seed_store, q).records()}
    assert 0 < sum(mine.values()) < sum(every.values()) == 20
    assert all(n <= every[y] for y, n in mine.items())
    p = tmp_path / "bad.rq"
    head = "#+ title: T\n#+ param: who person required\n#+ param: year year optional=2024\n"
    for name in ("who", "year", "nobody"):
        p.write_text(head + f"SELECT * WHERE {{\n  ?s ?p ?who .  # scholkg:with {name}\n"
                     "  FILTER(?year > 0)\n}\n", "utf-8")
        with pytest.raises(QueryError, match=rf'bad.rq:5:\d+: "# scholkg:with {name}" names '
                                             "no optional parameter without default"):
            parse_query_file(p)


def test_queries_are_valid_sparql_without_bindings(seed_store):
    """Each .rq runs unchanged, as any SPARQL client would run it."""
    for q in CATALOG:
        run_sparql(seed_store, q.text, limit=3)


def test_docs_page_lists_the_catalogue():
    from scholkg.catalog import catalog_markdown

    page = Path(__file__).resolve().parents[1] / "docs" / "queries.md"
    assert page.read_text("utf-8") == catalog_markdown(CATALOG), \
        "docs/queries.md is stale: python -m scholkg.catalog > docs/queries.md"


def test_bind_marker_puts_values_inside_a_subquery(tmp_path):
    p = tmp_path / "q.rq"
    p.write_text("#+ title: T\n#+ param: who person required\n"
                 "SELECT ?n WHERE {\n  { SELECT (COUNT(*) AS ?n) WHERE {\n    # scholkg:bind\n"
                 "    ?w <http://x/a> ?who } }\n}\n", "utf-8")
    q = parse_query_file(p)
    text = bind(q, {"who": ["http://x/p"]}, None)
    inner = text.index("SELECT (COUNT")
    assert text.index("VALUES ?who { <http://x/p> }") > inner


def test_one_row_per_work_when_sources_overlap(seed_path):
    """The same works from the Arrow page and from the bundled JSON Lines: still 20 rows."""
    from scholkg import GraphStore, import_paths

    from .conftest import DATA

    gs = GraphStore.open(None)
    import_paths(gs, [seed_path, DATA])
    r = run_canned(gs, CATALOG.get("works-by-author"), {"author": ["Aojun Zhou"]})
    assert len(r.rows) == 20
    r = run_canned(gs, CATALOG.get("works-in-venue"), {"venue": ["ICLR"]})
    assert len(r.rows) == 9
    r = run_canned(gs, CATALOG.get("search"), {"text": ["sparse"]})
    assert len({row["work"].value for row in r.rows}) == len(r.rows)


HOSTILE = ['"', "'", '"} DROP ALL {', "} ; DROP ALL ; {", "<http://evil/>", ">", "#", "a\nb",
           "x\" . ?s ?p ?o } SELECT * {", "\\", "{}", "?author", "$author", "\x00", "\u202e"]


def queries_by_kind():
    seen = {}
    for q in CATALOG:
        if q.name in LINK_QUERIES:  # the seed graph has no links: nothing to find there
            continue
        for p in q.params:
            seen.setdefault(p.kind, (q, p))
    return seen


@pytest.mark.parametrize("kind", sorted(queries_by_kind()))
@pytest.mark.parametrize("value", HOSTILE)
def test_metacharacters_in_every_kind(seed_store, kind, value):
    """A hostile value is a clear ParameterError or no match; the query text outside the VALUES
    block never changes."""
    q, p = queries_by_kind()[kind]
    values = {p.name: [value]}
    for other in q.params:  # fill the other required parameters with harmless values
        if other.required and other.name != p.name:
            values[other.name] = [{"person": "Aojun Zhou", "venue": "ICLR", "year": "2024",
                                   "text": "x", "iri": "https://w3id.org/scholkg/id/work/x",
                                   "integer": "1", "doi": "10.1000/x",
                                   "orcid": "0000-0002-1825-0097"}[other.kind]]
    try:
        text = bind(q, values, seed_store)
    except ParameterError as e:
        assert p.name in str(e)
        return
    at = q.where_offset
    # the same block at every bind point, and nothing else changed
    size, rest = divmod(len(text) - len(q.text), len(q.where_offsets))
    assert rest == 0
    inserted = text[at:at + size]
    rebuilt = q.text
    for off in reversed(q.where_offsets):
        rebuilt = rebuilt[:off] + inserted + rebuilt[off:]
    assert rebuilt == text
    result = run_canned(seed_store, q, values)
    if kind == "words":  # looked up in the full-text index: only IRIs and scores enter the query
        from scholkg.textindex import words

        block = inserted
        assert block.strip().startswith("VALUES (?work ?score) {") and value not in block
        from scholkg.vocab import SKG

        terms = words(value)
        text_of: dict[str, str] = {}
        for qd in seed_store.quads():
            if qd.predicate in (SKG.title, SKG.abstract):
                text_of[qd.subject.value] = text_of.get(qd.subject.value, "") + " " + \
                    qd.object.value
        for row in result.rows:  # every word (its stem) is in the work's title or abstract
            assert set(terms) <= set(words(text_of[row["work"].value]))
        return
    block_end = text.index("\n", text.index(f"VALUES ?{p.name}"))
    assert text.count("VALUES") == q.text.count("VALUES") + len(q.where_offsets) * len(
        [n for n in values if n in {x.name for x in q.params}])
    assert block_end > at
    if kind == "text":  # the value is searched for literally: exactly the works containing it
        from scholkg.vocab import SKG

        texts = [qd for qd in seed_store.quads() if qd.predicate in (SKG.title, SKG.abstract)]
        expected = {qd.subject.value for qd in texts if value.lower() in qd.object.value.lower()}
        assert {r["work"].value for r in result.rows} == expected
    else:
        assert result.rows == []


def test_timeout(seed_store):
    from scholkg.errors import QueryTimeout

    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }")
    with pytest.raises(QueryTimeout, match="did not finish within 0.2 s"):
        run_sparql(seed_store, slow, timeout=0.2)
    assert run_sparql(seed_store, "ASK WHERE { ?s ?p ?o }", timeout=5).boolean is True


def test_several_values_for_a_multiple_parameter(seed_store):
    q = CATALOG.get("venue-works-per-year")
    both = run_canned(seed_store, q, {"venue": ["ICLR", "NeurIPS"]})
    iclr = run_canned(seed_store, q, {"venue": ["ICLR"]})
    total = sum(int(r["works"].value) for r in both.rows)
    assert total == 15 and sum(int(r["works"].value) for r in iclr.rows) == 9
    with pytest.raises(ParameterError, match="takes one value"):
        run_canned(seed_store, CATALOG.get("works-in-venue"), {"venue": ["ICLR"],
                                                               "year": ["2024", "2025"]})


def test_venue_by_acronym(fixture_store):
    r = run_canned(fixture_store, CATALOG.get("works-in-venue"), {"venue": ["iclr"]})
    # "ICLR" (dblp) and "International Conference on Learning Representations" (BibTeX, OpenAlex)
    assert len(r.rows) == 2


def test_catalogue_size():
    assert len(CATALOG) >= 25


def test_coauthors_of_coauthors_go_through_the_20_closest(tmp_path):
    """An author with 25 co-authors (the i-th shares 26 - i works): the answer counts, for each
    outsider, the co-authors among the 20 closest they wrote with, computed here from the
    records themselves."""
    import json
    import random

    from scholkg import GraphStore, import_paths

    rng = random.Random(5)
    co = [f"Co Author {i:02d}" for i in range(1, 26)]
    outsiders = [f"Out Sider {i:02d}" for i in range(12)]
    works = []
    for i, c in enumerate(co, 1):
        works += [["Hub Person", c]] * (26 - i)
        works += [[c, o] for o in rng.sample(outsiders, rng.randint(1, 5))]
    lines = [json.dumps({"title": f"Work {n}", "year": 2020, "authors": a})
             for n, a in enumerate(works)]
    (tmp_path / "w.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    closest = set(co[:20])
    want: dict[str, int] = {}
    for o in outsiders:
        n = len({a[0] for a in works if o in a and a[0] in closest})
        if n:
            want[o] = n
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [tmp_path / "w.jsonl"])
        got = run_canned(gs, CATALOG.get("coauthors-of-coauthors"), {"author": ["Hub Person"]})
    rows = got.records()
    assert {r["name"]: int(r["shared_coauthors"]) for r in rows} == want
    assert [int(r["shared_coauthors"]) for r in rows] == sorted(want.values(), reverse=True)
    assert len(set(want.values())) > 1 and any(  # the cut matters: through all 25, more
        len({a[0] for a in works if o in a and a[0] in co}) > want.get(o, 0) for o in outsiders)
