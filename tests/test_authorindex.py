"""The author index (scholkg.authorindex) answers the co-author queries as the plain SPARQL
would, and stays in step with the store: imports, replacements, removals, updates, a deleted,
broken or stale file."""

from __future__ import annotations

import os
import random
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholkg import Catalog, GraphStore, authorindex, import_paths, run_canned, run_sparql
from scholkg.authorindex import (
    _ARRAYS,
    DIR,
    OLD_FILE,
    AuthorIndex,
    Authorships,
    file_of,
    from_store,
    key_of,
    title_key,
    work_hash,
)
from scholkg.importer import remove_sources, source_iri
from scholkg.indexquestions import NO_YEAR

from .conftest import DATA, ROOT, names_sorted

sys.path.insert(0, str(ROOT / "bench"))
from generate import write_dblp  # noqa: E402

CATALOG = Catalog()
CASES = Path(__file__).parent / "cases"

# What the index replaces: the queries as they were written in SPARQL alone.
PAIRS = """SELECT ?a ?b (COUNT(DISTINCT ?w) AS ?n) (MIN(?l1) AS ?la) (MIN(?l2) AS ?lb) WHERE {
  VALUES ?author { #AUTHORS }
  ?w skg:hasAuthor ?author , ?a , ?b .
  FILTER(STR(?a) < STR(?b))
  OPTIONAL { ?a rdfs:label ?l1 }
  OPTIONAL { ?b rdfs:label ?l2 }
} GROUP BY ?a ?b"""

SECOND_DEGREE = """SELECT ?person (MIN(?l) AS ?name) ?shared_coauthors WHERE {
  {
    SELECT ?person (COUNT(DISTINCT ?co) AS ?shared_coauthors) WHERE {
      {
        SELECT ?co WHERE {
          VALUES ?author { #AUTHORS }
          ?w1 skg:hasAuthor ?author , ?co .
          FILTER(?co != ?author)
        } GROUP BY ?co ORDER BY DESC(COUNT(DISTINCT ?w1)) ?co LIMIT 20
      }
      ?w2 skg:hasAuthor ?co , ?person .
      FILTER(?person != ?co)
      MINUS { VALUES ?author { #AUTHORS } ?w3 skg:hasAuthor ?author , ?person . }
    } GROUP BY ?person
  }
  OPTIONAL { ?person rdfs:label ?l }
} GROUP BY ?person ?shared_coauthors"""


# (the first and last year in subqueries of their own: a group holding an unbound year has
# no MIN or MAX in Oxigraph, so one undated work would hide the years of all the others)
COAUTHORS = """SELECT (MIN(?label) AS ?name) ?works ?first ?last ?coauthor WHERE {
  {
    SELECT ?coauthor (COUNT(DISTINCT ?work) AS ?works) WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author , ?coauthor .
      FILTER(?coauthor != ?author)
    } GROUP BY ?coauthor
  }
  OPTIONAL {
    SELECT ?coauthor (MIN(?year) AS ?first) (MAX(?year) AS ?last) WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author , ?coauthor ;
            skg:year ?year .
      FILTER(?coauthor != ?author)
    } GROUP BY ?coauthor
  }
  ?coauthor rdfs:label ?label .
} GROUP BY ?coauthor ?works ?first ?last ORDER BY DESC(?works) ?name ?coauthor"""

VENUE_AUTHORS = """SELECT ?name ?works ?first ?last ?person WHERE {
  {
    SELECT (MIN(?l) AS ?name) (COUNT(DISTINCT ?work) AS ?works) ?person WHERE {
      VALUES ?venue { #VENUES }
      ?work skg:publishedIn ?venue ;
            skg:hasAuthor ?person .
      ?person rdfs:label ?l .
    } GROUP BY ?person
  }
  OPTIONAL {
    SELECT ?person (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
      VALUES ?venue { #VENUES }
      ?work skg:publishedIn ?venue ;
            skg:hasAuthor ?person ;
            skg:year ?y .
    } GROUP BY ?person
  }
} ORDER BY DESC(?works) ?name ?person"""

VENUE_YEARS = """SELECT ?year (COUNT(DISTINCT ?work) AS ?works) (COUNT(DISTINCT ?person) AS ?authors)
WHERE {
  VALUES ?venue { #VENUES }
  ?work skg:publishedIn ?venue ;
        skg:year ?year .
  OPTIONAL { ?work skg:hasAuthor ?person }
} GROUP BY ?year ORDER BY DESC(?year)"""

VENUE_NEWCOMERS = """SELECT ?year (COUNT(DISTINCT ?person) AS ?new_authors) WHERE {
  {
    SELECT ?person (MIN(?y) AS ?year) WHERE {
      VALUES ?venue { #VENUES }
      ?work skg:publishedIn ?venue ;
            skg:year ?y ;
            skg:hasAuthor ?person .
    } GROUP BY ?person
  }
} GROUP BY ?year ORDER BY DESC(?year)"""

VENUE_PAIRS = """SELECT ?a ?b ?n ?la ?lb WHERE {
  {
    SELECT ?a ?b (COUNT(DISTINCT ?w) AS ?n) WHERE {
      VALUES ?venue { #VENUES }
      ?w skg:publishedIn ?venue ;
         skg:hasAuthor ?a , ?b .
      FILTER(STR(?a) < STR(?b))
    } GROUP BY ?a ?b
  }
  { SELECT ?a (MIN(?l1) AS ?la) WHERE { ?a rdfs:label ?l1 } GROUP BY ?a }
  { SELECT ?b (MIN(?l2) AS ?lb) WHERE { ?b rdfs:label ?l2 } GROUP BY ?b }
}"""

CAREER = """PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?first ?last ?span_years ?works ?active_years ?venues ?coauthors
WHERE {
  {
    SELECT (COUNT(DISTINCT ?work) AS ?works) WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author .
    }
  }
  {
    SELECT (MIN(?y) AS ?first) (MAX(?y) AS ?last) (MAX(?yi) - MIN(?yi) + 1 AS ?span_years)
           (COUNT(DISTINCT ?y) AS ?active_years)
    WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author ;
            skg:year ?y .
      BIND(xsd:integer(STR(?y)) AS ?yi)
    }
  }
  {
    SELECT (COUNT(DISTINCT ?venue) AS ?venues) WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author .
      OPTIONAL { ?work skg:publishedIn ?venue }
    }
  }
  {
    SELECT (COUNT(DISTINCT ?co) AS ?coauthors) WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author .
      OPTIONAL { ?work skg:hasAuthor ?co FILTER(?co != ?author) }
    }
  }
}"""

AUTHOR_VENUES = """SELECT (MIN(?name) AS ?venue_name) ?works ?first ?last ?venue
WHERE {
  {
    SELECT ?venue (COUNT(DISTINCT ?work) AS ?works) WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author ;
            skg:publishedIn ?venue .
    }
    GROUP BY ?venue
  }
  OPTIONAL {
    SELECT ?venue (MIN(?year) AS ?first) (MAX(?year) AS ?last) WHERE {
      VALUES ?author { #AUTHORS }
      ?work skg:hasAuthor ?author ;
            skg:publishedIn ?venue ;
            skg:year ?year .
    }
    GROUP BY ?venue
  }
  ?venue skg:name ?name .
}
GROUP BY ?venue ?works ?first ?last
ORDER BY DESC(?works) ?venue_name ?venue"""

YEARS = """SELECT ?year (COUNT(DISTINCT ?work) AS ?works) WHERE {
  VALUES ?author { #AUTHORS }
  ?work skg:hasAuthor ?author .
  ?work a skg:Work ;
        skg:year ?year .
} GROUP BY ?year ORDER BY DESC(?year)"""

ALL_YEARS = """SELECT ?year (COUNT(DISTINCT ?work) AS ?works) WHERE {
  ?work a skg:Work ;
        skg:year ?year .
} GROUP BY ?year ORDER BY DESC(?year)"""

COLLABORATIONS = """SELECT ?name_a ?name_b ?works ?first ?last ?a ?b WHERE {
  {
    SELECT ?a ?b (COUNT(DISTINCT ?w) AS ?works) WHERE {
      ?w skg:hasAuthor ?a , ?b .
      FILTER(STR(?a) < STR(?b))
    } GROUP BY ?a ?b
  }
  FILTER(?works >= #LEAST)
  OPTIONAL {
    SELECT ?a ?b (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
      ?w skg:hasAuthor ?a , ?b ;
         skg:year ?y .
      FILTER(STR(?a) < STR(?b))
    } GROUP BY ?a ?b
  }
  { SELECT ?a (MIN(?la) AS ?name_a) WHERE { ?a rdfs:label ?la } GROUP BY ?a }
  { SELECT ?b (MIN(?lb) AS ?name_b) WHERE { ?b rdfs:label ?lb } GROUP BY ?b }
} ORDER BY DESC(?works) ?name_a ?a ?name_b ?b"""

# The listings the index narrows: the queries as they were, each row read from every work.
WORKS_IN_VENUE = """SELECT (MIN(?y) AS ?published) (MIN(?t) AS ?title) (MAX(?l) AS ?listed) ?work
WHERE {
  VALUES ?venue { #VENUES }
  #YEAR
  ?work skg:publishedIn ?venue ;
        skg:title ?t .
  OPTIONAL { ?work skg:year ?y }
  OPTIONAL { ?work skg:listedAuthorCount ?l }
  FILTER(!BOUND(?year) || ?y = ?year)
} GROUP BY ?work ORDER BY DESC(?published) ?title"""

RECENT = """SELECT (MIN(?y) AS ?year) (MIN(?t) AS ?title) (MIN(?v) AS ?venue)
       (MIN(?fa) AS ?first_author) ?work WHERE {
  ?work skg:year ?y ;
        skg:title ?t .
  FILTER(?y >= "#SINCE"^^xsd:gYear)
  OPTIONAL { ?work skg:publishedIn/skg:name ?v }
  OPTIONAL { ?work skg:hasAuthorship ?slot .
             ?slot skg:position 1 ;
                   skg:printedName ?fa }
} GROUP BY ?work ORDER BY DESC(?year) ?title"""


def assert_listing(gs, name: str, values: dict, reference: str, order: tuple[str, str]) -> None:
    """The canned listing, whole and cut at several lengths, against its plain SPARQL: the
    same rows, in the same order (of ``order``, the columns that sort it; works tied on both
    may come in either order)."""
    full = names_sorted(run_sparql(gs, "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
                                   + reference, limit=None).records())
    assert full, name

    def shown(rows):
        return [tuple(r.get(c) for c in order) for r in rows]

    got = run_canned(gs, CATALOG.get(name), values, limit=None).records()
    assert shown(got) == shown(full) and sorted(got, key=str) == sorted(full, key=str), name
    for cut in (1, 2, 5, 10, 40, 200):
        got = run_canned(gs, CATALOG.get(name), values, limit=cut)
        assert shown(got.records()) == shown(full[:cut]), (name, values, cut)
        assert all(r in full for r in got.records()) and got.truncated == (len(full) > cut)


def assert_listings(gs, venues: list[str], persons: list[str]) -> None:
    years = sorted({r["y"] for r in run_sparql(gs, "SELECT DISTINCT ?y WHERE { ?w skg:year ?y }",
                                                limit=None).records()})
    for v in venues:
        for year in (None, years[len(years) // 2], years[-1]):
            reference = WORKS_IN_VENUE.replace("#VENUES", f"<{v}>").replace(
                "#YEAR", f'VALUES ?year {{ "{year}"^^xsd:gYear }}' if year else "")
            values = {"venue": [v], **({"year": [year]} if year else {})}
            if year is None or run_sparql(gs, reference, limit=1).rows:
                assert_listing(gs, "works-in-venue", values, reference, ("published", "title"))
    for since in (years[0], years[-3], years[-1]):
        assert_listing(gs, "recent-works", {"since": [since]}, RECENT.replace("#SINCE", since),
                       ("year", "title"))
    unidentified = CATALOG.get("works-without-identifiers").text  # runs as it is, unbound
    if run_sparql(gs, unidentified, limit=1).rows:
        assert_listing(gs, "works-without-identifiers", {}, unidentified, ("year", "title"))
    works_by, roles = plain_sparql("works-by-author"), plain_sparql("author-roles-per-year")
    linked = plain_sparql("person-works-linked")
    for p in persons:
        reference = works_by.replace("<person>", f"<{p}>")
        assert_listing(gs, "works-by-author", {"author": [p]}, reference, ("year", "title"))
        assert_listing(gs, "person-works-linked", {"author": [p]},
                       linked.replace("<person>", f"<{p}>"), ("year", "title"))
        got = run_canned(gs, CATALOG.get("author-roles-per-year"), {"author": [p]},
                         limit=None).records()
        assert got and got == run_sparql(gs, roles.replace("<person>", f"<{p}>"),
                                         limit=None).records(), p
        works = [r["work"] for r in run_canned(gs, CATALOG.get("works-by-author"),
                                               {"author": [p]}, limit=None).records()]
        for w in works[:1] + works[-1:]:
            reference = plain_sparql("related-works").replace("<work>", f"<{w}>")
            if run_sparql(gs, reference, limit=1).rows:
                assert_listing(gs, "related-works", {"work": [w]}, reference,
                               ("shared_authors", "year", "title", "other"))


def plain_sparql(name: str) -> str:
    """The plain SPARQL a query's file gives, commented, for clients without the index (with
    the file's prefixes)."""
    text = CATALOG.get(name).text.splitlines()
    lines = [line[4:] for line in text if line.startswith("#   ")]
    assert lines, name
    return "\n".join([line for line in text if line.startswith("PREFIX ")] + lines)


#: (canned query, its parameter, the SPARQL its index rows replace) of the SELECT queries
SELECTS = [("coauthors", "author", COAUTHORS), ("author-career", "author", CAREER),
           ("venues-of-author", "author", AUTHOR_VENUES), ("works-per-year", "author", YEARS),
           ("venue-top-authors", "venue", VENUE_AUTHORS),
           ("venue-works-per-year", "venue", VENUE_YEARS),
           ("venue-new-authors", "venue", VENUE_NEWCOMERS)]


def generated(tmp_path: Path, works: int) -> Path:
    path = tmp_path / "dblp.xml"
    write_dblp(path, works, seed=7)
    return path


def direct(gs, sparql: str, iris: list[str]) -> list[dict[str, str]]:
    vals = " ".join(f"<{p}>" for p in iris)
    text = sparql.replace("#AUTHORS", vals).replace("#VENUES", vals)
    return run_sparql(gs, text, limit=None).records()


def network(gs, persons: list[str], query: str = "coauthor-network",
            param: str = "author") -> set[tuple]:
    """The pairs of the coauthor-network query (or another network): (a, b, shared, label a,
    label b)."""
    triples = run_canned(gs, CATALOG.get(query), {param: persons}, limit=None).triples
    by_edge: dict[str, dict] = {}
    labels = {}
    for t in triples:
        s, p, o = (x.value for x in (t.subject, t.predicate, t.object))
        if p.endswith("#label"):
            labels[s] = o
        elif p.endswith("#collaborator"):
            by_edge.setdefault(s, {}).setdefault("who", []).append(o)
        elif p.endswith("#sharedWorks"):
            by_edge.setdefault(s, {})["n"] = o
    pairs = set()
    for edge in by_edge.values():
        a, b = sorted(edge["who"])
        pairs.add((a, b, edge["n"], labels.get(a), labels.get(b)))
    return pairs


def network_direct(gs, persons: list[str]) -> set[tuple]:
    return {(r["a"], r["b"], r["n"], r.get("la"), r.get("lb"))
            for r in direct(gs, PAIRS, persons)}


def second_degree(gs, person: str) -> list[tuple]:
    got = run_canned(gs, CATALOG.get("coauthors-of-coauthors"), {"author": [person]},
                     limit=None).records()
    return [(r["shared_coauthors"], r.get("name"), r["person"]) for r in got]


def second_degree_direct(gs, person: str) -> list[tuple]:
    rows = [(r["shared_coauthors"], r.get("name"), r["person"])
            for r in direct(gs, SECOND_DEGREE, [person])]
    return sorted(rows, key=lambda r: (-int(r[0]), r[1] or "", r[2]))


def persons_of(gs, n: int, seed: int = 3) -> list[str]:
    """The ``n`` most prolific persons and ``n`` drawn at random."""
    ranked = [r["p"] for r in run_sparql(
        gs, "SELECT ?p WHERE { ?w skg:hasAuthor ?p . ?p a skg:Person } GROUP BY ?p "
        "ORDER BY DESC(COUNT(?w)) ?p",
        limit=None).records()]
    return ranked[:n] + random.Random(seed).sample(ranked[n:], min(n, len(ranked) - n))


def venues_of(gs, n: int, seed: int = 3) -> list[str]:
    """The ``n`` venues of most works and ``n`` drawn at random."""
    ranked = [r["v"] for r in run_sparql(
        gs, "SELECT ?v WHERE { ?w skg:publishedIn ?v } GROUP BY ?v ORDER BY DESC(COUNT(?w)) ?v",
        limit=None).records()]
    return ranked[:n] + random.Random(seed).sample(ranked[n:], min(n, len(ranked) - n))


def assert_index_answers(gs, persons: list[str], venues: list[str] = ()) -> None:
    for p in persons:
        assert network(gs, [p]) == network_direct(gs, [p]), p
        assert second_degree(gs, p) == second_degree_direct(gs, p), p
    assert network(gs, persons[:3]) == network_direct(gs, persons[:3])
    asked = {"author": [[p] for p in persons],
             "venue": [[v] for v in venues] + ([venues[:3]] if venues else [])}
    for name, param, sparql in SELECTS:
        for iris in asked[param]:
            got = run_canned(gs, CATALOG.get(name), {param: iris}, limit=None).records()
            assert got == direct(gs, sparql, iris), (name, iris)
    everything = run_canned(gs, CATALOG.get("works-per-year"), {}, limit=None).records()
    assert everything == direct(gs, ALL_YEARS, [])
    for least in (1, 2, 3):
        pairs = run_canned(gs, CATALOG.get("collaboration-pairs"), {"min_works": [str(least)]},
                           limit=None).records()
        assert pairs == direct(gs, COLLABORATIONS.replace("#LEAST", str(least)), []), least
    for iris in asked["venue"]:
        got = network(gs, iris, "venue-coauthor-network", "venue")
        assert got == {(r["a"], r["b"], r["n"], r["la"], r["lb"])
                       for r in direct(gs, VENUE_PAIRS, iris)}, iris


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> GraphStore:
    """1,500 generated dblp works (prolific persons, many homonym-free co-authors)."""
    tmp = tmp_path_factory.mktemp("gen")
    gs = GraphStore.open(tmp / "s")
    import_paths(gs, [generated(tmp, 1500)])
    yield gs
    gs.close()


def test_coauthor_queries_equal_their_sparql(big):
    persons, venues = persons_of(big, 6), venues_of(big, 3)
    assert_index_answers(big, persons, venues)
    # the answers are not trivially empty
    assert len(network(big, persons[:1])) > 50
    assert len(second_degree(big, persons[0])) > 20
    for name, param, _ in SELECTS:
        asked = persons[:1] if param == "author" else venues[:1]
        got = run_canned(big, CATALOG.get(name), {param: asked}).records()
        assert int(got[0]["works"]) > 10 if name == "author-career" else len(got) > 10, name
    assert len(network(big, venues[:1], "venue-coauthor-network", "venue")) > 50


def test_listings_narrowed_by_the_index_equal_their_sparql(big):
    assert_listings(big, venues_of(big, 2), persons_of(big, 2))


def test_listing_ties_are_decided_by_the_whole_title(tmp_path):
    """Titles alike in their first 8 bytes (the index's key) or equal, works of one year, a
    work of two sources (two years, two titles), two without a year, works alike but for their
    IRI: the cut rows are still the first rows of the whole listing."""
    lines = []
    for n in range(60):
        title = ["Towards Better Sparsity", "Towards Better Spars", "Towards", "Tow"][n % 4]
        year = 2020 + n % 3
        doi = f'"doi": "10.1000/t{n}", ' if n % 3 else ""  # a third without an identifier
        lines.append(f'{{"title": "{title} {n % 7}", "year": {year}, {doi}'
                     f'"venue": {{"name": "Conf"}}, "authors": ["Ann One", "P{n % 5}"]}}')
    lines.append('{"title": "Undated Work", "venue": {"name": "Conf"}, "authors": ["Ann One"]}')
    lines.append('{"title": "Undated Too", "venue": {"name": "Conf"}, "authors": ["Ann One"]}')
    # three papers of one title and year (their DOIs differ): related-works ties on every
    # value but the IRI
    lines += [f'{{"title": "Twin Title", "year": 2023, "doi": "10.1000/tw{n}", '
              f'"authors": ["Ann One", "P1"]}}' for n in range(3)]
    other = tmp_path / "other.jsonl"
    other.write_text('{"title": "A Towards", "year": 2019, "doi": "10.1000/t5", '
                     '"venue": {"name": "Conf"}, "authors": ["Ann One"]}\n', "utf-8")
    records = tmp_path / "ties.jsonl"
    records.write_text("\n".join(lines) + "\n", "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [records, other])
        assert_index_as_read_from_store(gs)
        assert len(run_canned(gs, CATALOG.get("works-without-identifiers"), {}).rows) == 22
        twins = [r["other"] for r in run_canned(gs, CATALOG.get("related-works"), {"work": [
            run_sparql(gs, 'SELECT ?w WHERE { ?w skg:doi <https://doi.org/10.1000/tw1> }'
                       ).records()[0]["w"]]}, limit=2).records()]
        assert len(twins) == 2 and twins == sorted(twins)
        assert_listings(gs, venues_of(gs, 1), persons_of(gs, 2))


def test_works_of_two_years_and_venues_and_without_authors(tmp_path):
    """Two sources give one work (one DOI) two years and two venues; a work has no authors; a
    person loses their label; an update adds a year: the index rows are still the SPARQL's."""
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text(
        '{"title": "Shared", "year": 2019, "doi": "10.1000/x1", "venue": {"name": "Conf A"}, '
        '"authors": ["Ann One", "Bo Two", "Cy Three"]}\n'
        '{"title": "Other", "year": 2021, "venue": {"name": "Conf A"}, '
        '"authors": ["Ann One", "Bo Two"]}\n'
        '{"title": "Nobody", "year": 2022, "venue": {"name": "Conf A"}, "authors": []}\n'
        '{"title": "Undated", "venue": {"name": "Conf B"}, "authors": ["Ann One", "Di Four"]}\n',
        "utf-8")
    two.write_text('{"title": "Shared", "year": 2020, "doi": "10.1000/x1", '
                   '"venue": {"name": "Conf B"}, "authors": ["Ann One", "Bo Two", "Ed Five"]}\n',
                   "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [one])
        import_paths(gs, [two])  # added to an indexed store
        index = assert_index_as_read_from_store(gs)
        assert max(np.diff(index.year_at)) == 2 and max(np.diff(index.work_venue_at)) == 2
        assert min(np.diff(index.work_at)) == 0  # "Nobody"
        venues = venues_of(gs, 2)
        assert_index_answers(gs, persons_of(gs, 5), venues)
        years = run_canned(gs, CATALOG.get("venue-works-per-year"), {"venue": venues}).records()
        assert {"year": "2022", "works": "1", "authors": "0"} in years
        # a label removed, a year added: the index is rebuilt from the store, still equal
        gs.update('DELETE WHERE { GRAPH ?g { ?p rdfs:label "Bo Two" } }')
        gs.update('INSERT { GRAPH ?g { ?w skg:year "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> '
                  '} } WHERE { GRAPH ?g { ?w skg:title "Other" } }')
        assert_index_answers(gs, persons_of(gs, 5), venues_of(gs, 2))
        assert_listings(gs, venues_of(gs, 2), persons_of(gs, 3))


def test_works_by_author_roles_and_list_sizes_equal_their_sparql(tmp_path):
    """Every role (solo, first, middle, last, "middle or last", unknown, none), a work of two
    sources with other positions and list sizes, a person twice in one list, values an update
    removes, the bundled records (lists cut at 8 names): the listing the index gives is the
    plain SPARQL's, row for row."""
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text("\n".join([
        '{"title": "Solo", "year": 2020, "venue": {"name": "Conf A"}, "authors": ["Ann One"]}',
        '{"title": "Four", "year": 2021, "authors": ["Ann One", "Bo Two", "Cy Three", "Di Four"]}',
        '{"title": "Cut", "year": 2021, "venue": {"name": "Conf B"}, "authors": ["Bo Two", '
        '"Ann One"], "authors_complete": false}',
        '{"title": "Other", "year": 2019, "authors": ["Cy Three"], "other_authors": ["Ann One"], '
        '"authors_complete": false}',
        '{"title": "Twice", "authors": ["Ann One", "Bo Two", "Ann One"]}',
        '{"title": "Shared", "year": 2018, "doi": "10.1000/s1", "venue": {"name": "Conf A"}, '
        '"authors": ["Bo Two", "Ann One", "Cy Three"]}']) + "\n", "utf-8")
    two.write_text('{"title": "Shared", "year": 2017, "doi": "10.1000/s1", "venue": {"name": '
                   '"Conf C"}, "authors": ["Ann One", "Bo Two"], "authors_complete": false}\n',
                   "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [one, DATA])
        import_paths(gs, [two])  # added to an indexed store
        assert_index_as_read_from_store(gs)
        persons = persons_of(gs, 4)
        assert_listings(gs, [], persons)
        ann = next(p for p in persons if "/ann-one-" in p)
        roles = {r["title"]: r.get("role") for r in run_canned(
            gs, CATALOG.get("works-by-author"), {"author": [ann]}).records()}
        assert roles == {"Solo": "solo", "Four": "first", "Cut": "middle or last",
                         "Other": "unknown", "Twice": "first", "Shared": "first"}
        # without list sizes some roles change, one has none; without positions, unknown
        for triple, title in (("?w skg:listedAuthorCount ?n", "Cut"),
                              ("?w skg:authorCount ?n", "Four"), ("?s skg:position ?n", "Solo")):
            gs.update(f"DELETE {{ GRAPH ?g {{ {triple} }} }} WHERE {{ GRAPH ?g {{ {triple} . "
                      f'?w skg:hasAuthorship ?s ; skg:title "{title}" }} }}')
        assert_listings(gs, [], persons)
        roles = {r["title"]: r.get("role") for r in run_canned(
            gs, CATALOG.get("works-by-author"), {"author": [ann]}).records()}
        assert roles["Cut"] is None and roles["Solo"] == "unknown" and roles["Four"] == "first"
        # a role that is an error leaves the year's sums unbound, as in the plain SPARQL
        per_year = {r.get("year"): r for r in run_canned(
            gs, CATALOG.get("author-roles-per-year"), {"author": [ann]}).records()}
        assert per_year["2021"] == {"year": "2021", "works": "2"}
        assert per_year["2020"]["unknown"] == "1" and per_year[None]["first"] == "1"
        bo = next(p for p in persons if "/bo-two-" in p)
        roles = {r["title"]: r.get("role") for r in run_canned(
            gs, CATALOG.get("works-by-author"), {"author": [bo]}).records()}
        assert roles["Four"] == "middle" and roles["Cut"] == "first"


def test_linked_works_equal_their_sparql(tmp_path):
    """person-works-linked: persons linked with owl:sameAs (to one external person, to each
    other either way), a person printed under two names, a work of two sources with two titles
    and years, works without year or title; row for row the plain SPARQL's."""
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text("\n".join([
        '{"title": "Alpha", "year": 2020, "doi": "10.1000/a", "authors": ["Ann One", "Bo Two"]}',
        '{"title": "Beta", "year": 2021, "authors": ["ANN ONE", "Cy Three"]}',
        '{"title": "Gamma", "authors": ["Ann One 0001"]}',
        '{"title": "Delta", "year": 2019, "authors": ["Ann One 0002", "Bo Two"]}',
        '{"title": "Epsilon", "year": 2018, "authors": ["A. One", "Cy Three"]}',
        '{"title": "Zeta", "year": 2018, "authors": ["Cy Three"]}',
        '{"title": "Eta", "year": 2022, "authors": ["Ann One 0002", "Ann One"]}']) + "\n",
        "utf-8")
    two.write_text('{"title": "Aardvark", "year": 2017, "doi": "10.1000/a", "authors": '
                   '["Ann One", "Bo Two"]}\n', "utf-8")
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [one, two])
        iri = {r["l"]: r["p"] for r in run_sparql(
            gs, "SELECT ?p (MIN(?x) AS ?l) WHERE { ?p a skg:Person ; rdfs:label ?x } GROUP BY ?p",
            limit=None).records()}
        ann, first, second, short = (iri[n] for n in ("ANN ONE", "Ann One 0001", "Ann One 0002",
                                                      "A. One"))
        pid = "https://dblp.org/pid/00/1"
        links = "https://example.org/test-links"  # a graph of their own, as a linkset's
        same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
        gs.write(ox.Quad(ox.NamedNode(a), same, ox.NamedNode(b), ox.NamedNode(links))
                 for a, b in ((ann, pid), (first, pid), (second, ann), (ann, short)))
        gs.commit({links: links})
        # the index knows who is printed under their label alone: read from it, not the graph
        index = gs.author_index()
        assert [index.one_name[index.find(p)] for p in (ann, first, second, short)] == [0, 1, 1, 1]
        plain = plain_sparql("person-works-linked")
        for p in (ann, first, second, short):
            assert_listing(gs, "person-works-linked", {"author": [p]},
                           plain.replace("<person>", f"<{p}>"), ("year", "title"))
        rows = run_canned(gs, CATALOG.get("person-works-linked"), {"author": [ann]}).records()
        assert [(r.get("year"), r["title"], r["printed_as"]) for r in rows] == [
            ("2022", "Eta", "Ann One | Ann One 0002"), ("2021", "Beta", "ANN ONE"),
            ("2019", "Delta", "Ann One 0002"),
            ("2018", "Epsilon", "A. One"), ("2017", "Aardvark", "Ann One"),
            (None, "Gamma", "Ann One 0001")]
        # without its title a work still shows (the links of "Ann One 0002": to "Ann One")
        gs.update('DELETE { GRAPH ?g { ?w skg:title "Delta" } } WHERE { GRAPH ?g { ?w skg:title '
                  '"Delta" } }')
        assert_listing(gs, "person-works-linked", {"author": [second]},
                       plain.replace("<person>", f"<{second}>"), ("year", "title"))
        roles = plain_sparql("author-roles-per-year").replace("<person>", f"<{second}>")
        assert run_canned(gs, CATALOG.get("author-roles-per-year"), {"author": [second]}
                          ).records() == run_sparql(gs, roles).records() != []
        rows = run_canned(gs, CATALOG.get("person-works-linked"), {"author": [second]}).records()
        assert [(r.get("title"), r["printed_as"]) for r in rows] == [
            ("Eta", "Ann One | Ann One 0002"), ("Beta", "ANN ONE"), (None, "Ann One 0002"),
            ("Aardvark", "Ann One")]


def test_cut_rows_are_the_head_of_all_rows(big):
    """A limit keeps the strongest pairs and the first rows of the full ordering, and says it
    cut them."""
    person = persons_of(big, 1)[0]
    full = second_degree(big, person)
    cut = run_canned(big, CATALOG.get("coauthors-of-coauthors"), {"author": [person]}, limit=7)
    assert cut.truncated and [(r["shared_coauthors"], r.get("name"), r["person"])
                              for r in cut.records()] == full[:7]
    net = run_canned(big, CATALOG.get("coauthor-network"), {"author": [person]}, limit=40)
    assert net.truncated and len(net.triples) == 40
    shared = [int(t.object.value) for t in net.triples if t.predicate.value.endswith("Works")]
    everything = sorted((int(n) for _, _, n, _, _ in network(big, [person])), reverse=True)
    assert shared == everything[:len(shared)] and shared


def test_person_without_works_has_no_rows(tmp_path):
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        gs.update('INSERT DATA { GRAPH <urn:g> { <https://example.org/p> a skg:Person ; '
                  'rdfs:label "Ann Alone" } }')
        assert network(gs, ["https://example.org/p"]) == set()
        assert second_degree(gs, "https://example.org/p") == []


def test_index_follows_imports_replacements_removals_and_updates(tmp_path):
    files = sorted(p for p in CASES.glob("*/*") if p.suffix not in (".nt", ".dtd"))
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        assert_index_answers(gs, persons_of(gs, 3), venues_of(gs, 2))
        import_paths(gs, files)  # overlapping sources: a work in two graphs counted once
        assert_index_answers(gs, persons_of(gs, 3), venues_of(gs, 3))
        changed = tmp_path / "aojun-zhou.jsonl"  # same file name, other content: a replacement
        changed.write_text("\n".join(DATA.read_text("utf-8").splitlines()[:5]) + "\n", "utf-8")
        import_paths(gs, [changed], replace=True)
        assert_index_answers(gs, persons_of(gs, 3), venues_of(gs, 3))
        remove_sources(gs, [str(files[0]), "aojun-zhou.jsonl"])
        assert_index_answers(gs, persons_of(gs, 3), venues_of(gs, 3))
        # an update changes graphs in place (their names stay): the index is built again
        first = persons_of(gs, 1)[0]
        added = "https://example.org/added"
        gs.update(f'INSERT {{ GRAPH ?g {{ ?w skg:hasAuthor <{added}> . <{added}> a skg:Person ; '
                  f'rdfs:label "Added Person" }} }} WHERE {{ GRAPH ?g {{ ?w skg:hasAuthor <{first}> '
                  "} }")
        assert any(added in pair for pair in network(gs, [first]))
        assert_index_answers(gs, persons_of(gs, 3))


def assert_index_as_read_from_store(gs) -> AuthorIndex:
    """The index the last commit wrote (from what the import gathered) has the arrays of the
    index of the same graphs read out of the store."""
    graphs = gs._data_graphs(gs.committed_graphs())
    written = AuthorIndex.load(file_of(gs.path, key_of(graphs)))
    assert written is not None and written.key == key_of(graphs)
    read = AuthorIndex.build([from_store(gs, graphs)], key_of(graphs))
    for name in _ARRAYS:
        # the bytes of IRIs and titles are kept in any order; printed names are not read
        if not name.startswith(("work_iri_", "title_", "one_name")):
            assert getattr(written, name).tolist() == getattr(read, name).tolist(), name
    assert not read.one_name.any()
    printed = {}  # each person's printed names, as the store has them
    for row in run_sparql(gs, "SELECT DISTINCT ?p ?n WHERE { ?s skg:author ?p ; "
                              "skg:printedName ?n }", limit=None).records():
        printed.setdefault(row["p"], set()).add(row["n"])
    one = [n for n in range(written.persons) if written.one_name[n]]
    assert all(printed[written.iri(n)] == {written.name(n)} for n in one)
    works = range(len(read.work_hash))
    assert [written.work_iri(n) for n in works] == [read.work_iri(n) for n in works]
    assert [written.title(n) for n in works] == [read.title(n) for n in works]
    return written


def test_index_gathered_by_imports_is_the_index_of_the_store(tmp_path):
    """Imports index the authorships they map, not the store's: first import, sources added to
    an indexed store (by a second process too), a replacement, a removal."""
    files = sorted(p for p in CASES.glob("*/*") if p.suffix not in (".nt", ".dtd"))
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        assert assert_index_as_read_from_store(gs).persons > 20
        import_paths(gs, files[:3], parallel_bytes=0)  # read and mapped by a second process
        assert_index_as_read_from_store(gs)
        import_paths(gs, files[3:])
        index = assert_index_as_read_from_store(gs)
        assert index.persons > 40 and len(index.work_hash) > 25
        changed = tmp_path / "aojun-zhou.jsonl"
        changed.write_text("\n".join(DATA.read_text("utf-8").splitlines()[:5]) + "\n", "utf-8")
        import_paths(gs, [changed], replace=True)
        assert_index_as_read_from_store(gs)
        remove_sources(gs, [str(files[0])])
        assert_index_as_read_from_store(gs)


def homepage_and_works(tmp_path: Path) -> tuple[Path, Path]:
    """A dblp file naming "ANN OTHER" in a homepage record (no works), and a file of a work
    printing her "Ann Other"."""
    home = tmp_path / "homes.xml"
    home.write_text('<?xml version="1.0"?>\n<dblp>\n<article key="journals/x/Third20">'
                    '<author>Cy Third</author><title>A Work.</title><year>2020</year></article>\n'
                    '<www key="homepages/1/1"><author>ANN OTHER</author><title>Home Page</title>'
                    '</www>\n</dblp>\n', "utf-8")
    works = tmp_path / "works.jsonl"
    works.write_text('{"title": "T", "authors": ["Ann Other", "Bo Else"]}\n', "utf-8")
    return home, works


def test_added_source_keeps_the_labels_of_earlier_ones(tmp_path):
    """A person first named in an earlier source (a dblp homepage record, no works) and an
    author in a new one: the index shows their smallest label of all sources."""
    home, works = homepage_and_works(tmp_path)
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [home])
        import_paths(gs, [works])
        index = assert_index_as_read_from_store(gs)
        names = {index.name(n) for n in range(index.persons)}
        assert names == {"ANN OTHER", "Bo Else", "Cy Third"}


def index_files(store: Path) -> set[str]:
    return {f.name for f in (store / DIR).glob("*.idx")}


def test_each_graph_keeps_its_index(tmp_path, monkeypatch):
    """Beside the index of the union, each graph's own: a replacement or a removal builds the
    union's from the others' (the store is not read for them: from_store fails here), and its
    arrays are those of the union read out of the store; the labels a person has in a graph
    where they wrote nothing are kept (a homepage record). Files of graphs gone are deleted;
    after an update (any graph may have changed) each is read out of the store again."""
    home, works = homepage_and_works(tmp_path)
    third = tmp_path / "third.jsonl"
    third.write_text('{"title": "U", "authors": ["Di Fourth", "Bo Else"]}\n', "utf-8")
    store = tmp_path / "s"

    def graphs(gs) -> list[str]:
        return gs._data_graphs(gs.committed_graphs())

    def expected(gs) -> set[str]:
        return {f"{key_of(graphs(gs))}.idx"} | {f"{key_of([g])}.idx" for g in graphs(gs)}

    def not_read(gs, graphs):
        raise AssertionError(f"read out of the store: {graphs}")

    with GraphStore.open(store) as gs:
        import_paths(gs, [home])
        assert index_files(store) == expected(gs) and len(expected(gs)) == 1  # one file
        import_paths(gs, [works])
        import_paths(gs, [DATA])
        assert index_files(store) == expected(gs) and len(expected(gs)) == 4
        monkeypatch.setattr(authorindex, "from_store", not_read)
        changed = tmp_path / "aojun-zhou.jsonl"
        changed.write_text("\n".join(DATA.read_text("utf-8").splitlines()[:5]) + "\n", "utf-8")
        import_paths(gs, [changed], replace=True)
        assert index_files(store) == expected(gs) and len(expected(gs)) == 4
        monkeypatch.undo()
        index = assert_index_as_read_from_store(gs)
        names = {index.name(n) for n in range(index.persons)}
        assert "ANN OTHER" in names and "Ann Other" not in names
        monkeypatch.setattr(authorindex, "from_store", not_read)
        remove_sources(gs, [str(home)])
        assert index_files(store) == expected(gs) and len(expected(gs)) == 3
        monkeypatch.undo()
        assert_index_as_read_from_store(gs)
        remove_sources(gs, [str(works)])  # one graph left: its own index is the union's
        assert index_files(store) == expected(gs) and len(expected(gs)) == 1
        assert_index_as_read_from_store(gs)
        import_paths(gs, [third, works])
        gs.update('DELETE WHERE { GRAPH ?g { ?w skg:hasAuthor ?p . ?p rdfs:label "Di Fourth" } }')
        assert index_files(store) == expected(gs) and len(expected(gs)) == 4
        assert "Di Fourth" not in {index.name(n) for n in range(gs.author_index().persons)}
        assert_index_as_read_from_store(gs)


def test_update_of_named_graphs_reads_only_those_again(tmp_path, monkeypatch):
    """An update that names the graphs it writes (``INSERT DATA { GRAPH <g> ... }``) has the
    author index, the texts and the statistics of those graphs derived again, not the others'
    (a million works' graph read out of the store takes minutes); one that writes the default
    graph or the registry, every graph's. Each answer is then what the store holds."""
    home, works = homepage_and_works(tmp_path)
    store = tmp_path / "s"
    read: list[list[str]] = []
    reading = authorindex.from_store

    def counting(gs, graphs, *args, **kw):
        read.append(list(graphs))
        return reading(gs, graphs, *args, **kw)

    def summary(gs) -> dict[str, int]:
        row = run_canned(gs, CATALOG.get("collection-summary")).rows[0]
        return {k: int(v.value) for k, v in row.items()}

    def search(gs, text: str) -> set[str]:
        return {r["work"].value for r in run_canned(gs, CATALOG.get("search"),
                                                    {"text": [text]}).rows}

    with GraphStore.open(store) as gs:
        import_paths(gs, [home, works, DATA])
        graph = gs.current_graphs()[source_iri(works)]
        work = direct(gs, f"SELECT ?w WHERE {{ GRAPH <{graph}> {{ ?w a skg:Work }} }}", [])[0]["w"]
        before = summary(gs)
        monkeypatch.setattr(authorindex, "from_store", counting)

        added = "https://example.org/added"
        gs.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <{work}> skg:hasAuthor <{added}> . '
                  f'<{added}> a skg:Person ; rdfs:label "Ed Added" }} }}')
        assert read == [[graph]]  # the other two graphs' own indexes were taken as they were
        assert summary(gs)["persons"] == before["persons"] + 1
        pairs = network(gs, [added])
        assert any(added in pair for pair in pairs) and pairs == network_direct(gs, [added])
        assert "Ed Added" in {gs.author_index().name(n) for n in range(gs.author_index().persons)}

        gs.update(f'DELETE {{ GRAPH <{graph}> {{ ?w skg:title ?t }} }} INSERT {{ GRAPH <{graph}> '
                  f'{{ ?w skg:title "Quixotic zebras" }} }} '
                  f"WHERE {{ GRAPH <{graph}> {{ ?w skg:title ?t }} }}")
        assert search(gs, "quixotic zebras") == {work}
        assert read == [[graph], [graph]]
        # the default graph is read with every graph, the registry says which graphs count:
        # all are read again
        every = set(gs._data_graphs(gs.committed_graphs()))
        gs.update("INSERT DATA { <urn:x> rdfs:label 'in the default graph' }")
        assert {g for r in read[2:] for g in r} == every
        del read[:]
        gs.update("INSERT DATA { GRAPH skgid:registry { <urn:x> rdfs:label 'registry' } }")
        assert {g for r in read for g in r} == every
        monkeypatch.undo()
        assert_index_as_read_from_store(gs)


def test_graph_of_links_takes_the_index_as_it_is(tmp_path, monkeypatch):
    """A committed graph that indexes nothing (owl:sameAs links) beside one that does: the
    union's index is the other's own, not built again from its authorships; a graph that
    labels a person (a smaller label) is built in."""
    built = []
    build = AuthorIndex.build.__func__

    def counting(cls, parts, key):
        parts = list(parts)
        built.append(sum(len(p.persons) for p in parts))
        return build(cls, parts, key)

    monkeypatch.setattr(AuthorIndex, "build", classmethod(counting))
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        person = persons_of(gs, 1)[0]
        same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
        built.clear()
        links = "https://example.org/test-links"
        gs.write([ox.Quad(ox.NamedNode(person), same, ox.NamedNode("https://dblp.org/pid/00/1"),
                          ox.NamedNode(links))])
        gs.commit({links: links})
        assert built == [0]  # the links' own index, empty; the union's not built
        index = assert_index_as_read_from_store(gs)
        assert index.key == key_of(gs._data_graphs(gs.committed_graphs()))
        labels = "https://example.org/test-labels"
        gs.write([ox.Quad(ox.NamedNode(person), ox.NamedNode(
            "http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("AAA First"),
            ox.NamedNode(labels))])
        gs.commit({labels: labels})
        assert built[-1] > 0
        index = assert_index_as_read_from_store(gs)
        assert index.name(index.find(person)) == "AAA First"


def test_index_file_without_later_arrays_reads_as_knowing_nothing(tmp_path, monkeypatch):
    """A file written before ``one_name`` existed is read, with no one known to be printed
    under their label alone (person-works-linked then asks the graph, as before)."""
    with GraphStore.open(tmp_path / "s") as gs:
        import_paths(gs, [DATA])
        index = gs.author_index()
    assert index.one_name.any()
    monkeypatch.delitem(authorindex._ARRAYS, "one_name")
    index.save(tmp_path / "old.idx")
    monkeypatch.undo()
    old = AuthorIndex.load(tmp_path / "old.idx")
    assert old is not None and len(old.one_name) == old.persons and not old.one_name.any()
    assert old.iri_at.tolist() == index.iri_at.tolist()


def test_index_where_it_was_kept_before_is_moved(tmp_path):
    """A store written by an earlier version kept the index of the union in ``authors.idx``:
    opened for writing, the file moves into the folder (not built again)."""
    store = tmp_path / "s"
    with GraphStore.open(store) as gs:
        import_paths(gs, [DATA])
        (file,) = (store / DIR).glob("*.idx")
    os.replace(file, store / OLD_FILE)
    (store / DIR).rmdir()
    with GraphStore.open(store) as gs:
        assert not (store / OLD_FILE).exists() and file.exists()
        assert gs.author_index().stamp == (file.stat().st_ino, file.stat().st_mtime_ns)


def test_update_without_statistics_rebuilds_the_index(tmp_path):
    """A store that keeps no statistics builds no index at commit; after an update (graphs
    changed in place, names kept) the next co-author query must not read the old file."""
    with GraphStore.open(tmp_path / "s", statistics=False) as gs:
        import_paths(gs, [DATA])
        first = persons_of(gs, 1)[0]
        before = network(gs, [first])
        added = "https://example.org/added"
        gs.update(f'INSERT {{ GRAPH ?g {{ ?w skg:hasAuthor <{added}> . <{added}> a skg:Person ; '
                  f'rdfs:label "Added Person" }} }} WHERE {{ GRAPH ?g {{ ?w skg:hasAuthor <{first}> '
                  "} }")
        after = network(gs, [first])
        assert before and after != before and any(added in pair for pair in after)
        assert after == network_direct(gs, [first])


def test_index_is_kept_across_opens_and_heals(tmp_path):
    store = tmp_path / "s"
    with GraphStore.open(store) as gs:
        import_paths(gs, [DATA])
        # built by the commit (beside the statistics), for the graphs it made current
        file = file_of(store, key_of(gs._data_graphs(gs.committed_graphs())))
        built = AuthorIndex.load(file)
        assert built.persons > 20
        person = persons_of(gs, 1)[0]
        want = network(gs, [person])
    stamp = os.stat(file).st_mtime_ns
    with GraphStore.open(store, read_only=True) as gs:
        assert network(gs, [person]) == want
    assert os.stat(file).st_mtime_ns == stamp  # read, not built again
    for broken in (None, b"not an index", file.read_bytes()[:100]):
        if broken is None:
            file.unlink()
        else:
            file.write_bytes(broken)
        with GraphStore.open(store, read_only=True) as gs:
            assert network(gs, [person]) == want
        assert AuthorIndex.load(file) is not None
    # a file a killed process was writing is removed by the next writer
    (store / DIR / f"{file.name}.4242.tmp").write_bytes(b"half")
    with GraphStore.open(store):
        pass
    assert not (store / DIR / f"{file.name}.4242.tmp").exists()
    # an index of other graphs (a crash between building it and the commit) is built again
    other = tmp_path / "other"
    with GraphStore.open(other) as gs:
        mine = tmp_path / "mine.jsonl"
        mine.write_text('{"title": "T", "authors": ["Ann Other", "Bo Else"]}\n', "utf-8")
        import_paths(gs, [mine])
        theirs = file_of(other, key_of(gs._data_graphs(gs.committed_graphs())))
    theirs.write_bytes(file.read_bytes())
    with GraphStore.open(other, read_only=True) as gs:
        (pair,) = network(gs, persons_of(gs, 1))
        assert {pair[3], pair[4]} == {"Ann Other", "Bo Else"}


# ---- the arrays alone, against a brute force in Python ----------------------------------------

works_lists = st.lists(st.lists(st.sampled_from("abcdefghijk"), min_size=1, max_size=5),
                       max_size=25)


def brute_pairs(works, persons):
    counts: dict = {}
    for authors in works:
        if persons is None or set(authors) & set(persons):
            for a, b in combinations(sorted(set(authors)), 2):
                counts[a, b] = counts.get((a, b), 0) + 1
    return counts


def brute_second_degree(works, person, names):
    co: dict = {}
    for authors in works:
        if person in authors:
            for c in set(authors) - {person}:
                co[c] = co.get(c, 0) + 1
    nearest = sorted(co, key=lambda c: (-co[c], c))[:3]
    shared: dict = {}
    for c in nearest:
        reached = {p for authors in works if c in authors for p in authors}
        for p in reached - set(co) - {person}:
            shared[p] = shared.get(p, 0) + 1
    return sorted(shared.items(), key=lambda ps: (-ps[1], names.get(ps[0], ""), ps[0]))


def brute_ranked(works, years, names, person=None, venues=None, places=None):
    """(person, works, first, last) of the named co-authors of ``person`` or authors in
    ``venues``: most works first, then by name, then IRI."""
    found: dict = {}
    for n, authors in enumerate(works):
        if person is not None and person not in authors:
            continue
        if venues is not None and not set(places[n]) & set(venues):
            continue
        for p in set(authors) - {person}:
            found.setdefault(p, []).append(years[n])
    rows = []
    for p, ys in found.items():
        dated = [y for w in ys for y in w]
        if p in names:
            rows.append((p, len(ys), min(dated, default=None), max(dated, default=None)))
    return sorted(rows, key=lambda r: (-r[1], names[r[0]], r[0]))


def brute_venue_years(works, years, places, venues):
    per_year: dict = {}
    first: dict = {}
    for n, authors in enumerate(works):
        if set(places[n]) & set(venues):
            for y in years[n]:
                w, a = per_year.setdefault(y, (set(), set()))
                w.add(n)
                a.update(authors)
                for p in authors:
                    first[p] = min(first.get(p, y), y)
    newcomers: dict = {}
    for y in first.values():
        newcomers[y] = newcomers.get(y, 0) + 1
    return ([(y, len(w), len(a)) for y, (w, a) in sorted(per_year.items(), reverse=True)],
            sorted(newcomers.items(), reverse=True))


@settings(max_examples=60, deadline=None)
@given(works=works_lists, persons=st.lists(st.sampled_from("abcdefghijk"), max_size=3),
       named=st.sets(st.sampled_from("abcdefghijk")),
       years=st.lists(st.sets(st.integers(1998, 2002), max_size=2), max_size=30),
       places=st.lists(st.sets(st.sampled_from("XYZ"), max_size=2), max_size=30),
       venues=st.lists(st.sampled_from("XYZ"), min_size=1, max_size=2))
def test_arrays_equal_a_brute_force(tmp_path_factory, works, persons, named, years, places,
                                    venues):
    names = {p: f"name {ord(p) % 3}" for p in named}  # equal names: ties broken by IRI
    count = max(len(works), len(years), len(places))  # works with no authors, years, venues
    works = works + [[]] * (count - len(works))
    years = [sorted(y) for y in years] + [[]] * (count - len(years))
    places = [sorted(v) for v in places] + [[]] * (count - len(places))
    part = Authorships()
    for n, authors in enumerate(works):
        part.add(f"w{n}", authors)
        for y in years[n]:
            part.year(work_hash(f"w{n}"), y)
        for v in places[n]:
            part.venue(work_hash(f"w{n}"), v)
    for p, name in names.items():
        part.label(p, name)
    index = AuthorIndex.build([part], "k")
    path = tmp_path_factory.mktemp("idx") / "authors.idx"
    index.save(path)
    for idx in (index, AuthorIndex.load(path)):
        ids = [n for n in (idx.find(p) for p in persons) if n is not None]
        got = {(idx.iri(a), idx.iri(b)): n for a, b, n in idx.pairs(ids)}
        assert got == brute_pairs(works, persons)
        for person in sorted({p for authors in works for p in authors}):
            rows = [(idx.iri(p), n) for p, n in idx.second_degree(idx.find(person), closest=3)]
            assert rows == brute_second_degree(works, person, names)
            assert idx.name(idx.find(person)) == names.get(person, "")
            got = [(idx.iri(p), n, *(None if y == NO_YEAR else y for y in (f, la)))
                   for p, n, f, la in idx.coauthors(idx.find(person))]
            assert got == brute_ranked(works, years, names, person=person)
        assert idx.find("z") is None and idx.find_venue("Q") is None
        found = [n for n in (idx.find_venue(v) for v in venues) if n is not None]
        got = [(idx.iri(p), n, *(None if y == NO_YEAR else y for y in (f, la)))
               for p, n, f, la in idx.venue_authors(found)]
        assert got == brute_ranked(works, years, names, venues=venues, places=places)
        assert (idx.venue_years(found), idx.venue_newcomers(found)) == \
            brute_venue_years(works, years, places, venues)
        everyone = brute_pairs(works, None)
        for least in (1, 2):
            want = []
            for (a, b), n in everyone.items():
                ys = [y for w, authors in enumerate(works) if {a, b} <= set(authors)
                      for y in years[w]]
                if n >= least and a in names and b in names:
                    want.append((a, b, n, min(ys, default=None), max(ys, default=None)))
            want.sort(key=lambda r: (-r[2], names[r[0]], r[0], names[r[1]], r[1]))
            got = [(idx.iri(a), idx.iri(b), n, *(None if y == NO_YEAR else y for y in (f, la)))
                   for a, b, n, f, la in idx.collaborations(least)]
            assert got == want
        pairs = {(idx.iri(a), idx.iri(b)): n for a, b, n in idx.pairs_in(idx.works_in(found))}
        assert pairs == brute_pairs([a for a, v in zip(works, places, strict=True)
                                     if set(v) & set(venues)], None)


@settings(max_examples=300, deadline=None)
@given(a=st.text(alphabet=st.characters(blacklist_categories=("Cs",), min_codepoint=1)),
       b=st.text(alphabet=st.characters(blacklist_categories=("Cs",), min_codepoint=1)))
def test_title_keys_sort_as_the_titles(a, b):
    """The index orders works by title through 8-byte keys: a title before another (by code
    points, as SPARQL and Python order strings) never has a greater key."""
    if a < b:
        assert title_key(a) <= title_key(b)
    assert (title_key(a) == title_key(b)) == (a.encode()[:8].ljust(8, b"\0")
                                              == b.encode()[:8].ljust(8, b"\0"))


@pytest.mark.parametrize("slack", [0, 1 << 20])
def test_work_iris_survive_copies_and_compaction(monkeypatch, slack):
    """Works titled in several parts (several sources, an index of earlier graphs added to):
    each work's IRI is one of its copies; with most bytes copies, only those used are kept."""
    from scholkg import authorindex

    monkeypatch.setattr(authorindex, "SLACK", slack)
    parts = []
    for copy in range(3):
        part = Authorships()
        for n in range(copy, 40):
            part.title(work_hash(f"urn:w{n}"), f"T{n}", f"urn:w{n}")
        parts.append(part)
    index = AuthorIndex.build(parts, "k")
    again = AuthorIndex.build([index.authorships(), parts[0]], "k")
    for idx in (index, again):
        assert sorted(idx.work_iri(n) for n in range(len(idx.work_hash))) == \
            sorted(f"urn:w{n}" for n in range(40))
        used = sum(len(f"urn:w{n}") for n in range(40))
        assert len(idx.work_iri_bytes) <= 2 * used + slack
    # three copies of most: compacted unless the slack allows them
    assert (len(index.work_iri_bytes) == used) == (slack == 0)
