"""Collection-wide statistics, kept at every commit, so that aggregates answer at once.

Counting the authorships of a million works takes Oxigraph seconds, too slow for a question a
user asks interactively ("who are the most prolific authors?"). So the store computes the
answers when the graph changes instead: every commit (an import, a removal, a linkset) derives a
new version of the graph ``skgid:statistics`` from the graphs it is about to make current, and
flips the registry for both in one transaction. The statistics are therefore never older than
the data they describe, whatever was replaced or removed.

The graph holds the collection summary (``skgid:statistics``: works, persons, venues, author
slots, authorships, name clusters, sources), the ``TOP`` (1,000) most prolific authors
(``skg:AuthorStatistic`` nodes with rank, person, name, works, first and last year) and every
venue (``skg:VenueStatistic``: rank, venue, name, works, authors, first and last year). The
canned queries ``collection-summary``, ``top-authors`` and ``top-venues`` read them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from pyoxigraph import Literal, NamedNode, Quad

from .authorindex import AuthorIndex
from .identifiers import DATA_BASE, digest
from .indexquestions import NO_YEAR
from .threads import in_threads
from .vocab import RDF, SKG, XSD

STATISTICS = DATA_BASE + "statistics"
#: Authors kept, most prolific first (the canned queries' default --limit is 1000).
TOP = 1_000

SUMMARY = {
    "works": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skg:Work }",
    "persons": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skg:Person }",
    "venues": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skg:Venue }",
    "authorSlots": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x skg:position ?p }",
    "authorships": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skg:Authorship }",
    "clusters": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skg:NameCluster }",
    "sources": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skg:Source }",
}

# Each query below keeps to what the engine does fast: it counts and groups term ids. Two
# things are slow on a big store (measured on 100,000 works, bench/import_throughput.py):
# sorting or comparing strings (every comparison reads both from the store: the tie-break
# "ORDER BY ?p" of 48,000 authors took 6 s, the same ranking without it 0.4 s), and a join
# that looks up one side per row of the other (works x years: 2.3 s). Strings are therefore
# compared in Python for the few rows kept, and the joins of two whole columns are written as
# two sub-selects, which Oxigraph joins by hashing (0.5 s).

#: the work count of the TOP-th most prolific author: the ranking's cut-off
AUTHOR_CUTOFF = """SELECT ?n WHERE {
  { SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w skg:hasAuthor ?p } GROUP BY ?p }
} ORDER BY DESC(?n) OFFSET #OFFSET LIMIT 1"""

AUTHOR_COUNTS = """SELECT ?p (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w skg:hasAuthor ?p }
GROUP BY ?p HAVING (COUNT(DISTINCT ?w) >= #CUTOFF)"""

AUTHOR_LABELS = """SELECT ?p ?label WHERE { #VALUES ?p rdfs:label ?label }"""

AUTHOR_YEARS = """SELECT ?p (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  { SELECT ?w ?p WHERE { #VALUES ?w skg:hasAuthor ?p } }
  { SELECT ?w ?y WHERE { ?w skg:year ?y } }
} GROUP BY ?p"""

VENUE_WORKS = """SELECT ?v (COUNT(DISTINCT ?w) AS ?works) WHERE { ?w skg:publishedIn ?v }
GROUP BY ?v"""

VENUE_NAMES = """SELECT ?v (MIN(?name) AS ?label) WHERE {
  { SELECT DISTINCT ?v WHERE { ?w skg:publishedIn ?v } }
  ?v skg:name ?name .
} GROUP BY ?v"""

VENUE_YEARS = """SELECT ?v (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  { SELECT ?w ?v WHERE { ?w skg:publishedIn ?v } }
  { SELECT ?w ?y WHERE { ?w skg:year ?y } }
} GROUP BY ?v"""

# apart from the works: joining authors and years at once multiplies the rows to count
VENUE_AUTHORS = """SELECT ?v (COUNT(DISTINCT ?p) AS ?authors) WHERE {
  { SELECT ?w ?v WHERE { ?w skg:publishedIn ?v } }
  { SELECT ?w ?p WHERE { ?w skg:hasAuthor ?p } }
} GROUP BY ?v"""


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


@dataclass
class Figures:
    """What the statistics graph says, however it was counted: by queries
    (:func:`figures_of`) or from what an import gathered (:func:`scholkg.tallies.figures`).
    Persons and venues by IRI; years as the ``xsd:gYear`` literals of the graph."""

    summary: dict[str, int]
    top: list[tuple[NamedNode, str, int]]  # (person, name, works), ranked
    years: dict[str, tuple[Literal, Literal]]  # first and last year of the top authors
    venue_works: list[tuple[NamedNode, int]]
    venue_names: dict[str, Literal]  # the smallest name of each venue
    venue_spans: dict[str, tuple[Literal, Literal]]
    venue_authors: dict[str, int]


def derive(gs, graphs: list[str], *, fresh: bool = False,
           index: AuthorIndex | None = None, figures: Figures | None = None) -> dict[str, str]:
    """Write the statistics of the union of ``graphs`` into a new graph; return the registry
    change that makes it current. The graph is named after the graphs it counts (their names
    change with their content), so the same data gives the same statistics graph; ``fresh``
    (after an update that changed graphs in place) forces a new one. ``index``, the author
    index of these graphs if it is at hand, ranks the authors without a query; ``figures``,
    if they were counted already, take the place of every query."""
    graphs = sorted(g for g in graphs if not g.startswith(STATISTICS))
    key = digest("|".join(graphs)) if not fresh else uuid.uuid4().hex[:16]
    graph = f"{STATISTICS}/v/{key}"
    if gs.current_graphs().get(STATISTICS) == graph:
        return {}
    # a new graph, not yet current
    gs.write(quads_of(figures or figures_of(gs, graphs, index), graph), bulk=True)
    return {STATISTICS: graph}


def statistics_quads(gs, graphs: list[str], graph: str,
                     index: AuthorIndex | None = None) -> Iterator[Quad]:
    """The statistics of the union of ``graphs``, counted by queries, in ``graph``."""
    return quads_of(figures_of(gs, graphs, index), graph)


def figures_of(gs, graphs: list[str], index: AuthorIndex | None = None) -> Figures:
    """The figures of the union of ``graphs`` of ``gs``, counted by queries; ``index``, the
    author index of these graphs if given, ranks the authors and counts the venues' works,
    authors and years (three joins of whole columns: seconds on a million works)."""

    def rows(sparql: str):
        return gs.query(sparql, graphs=graphs)

    def count(sparql: str) -> int:
        return int(next(iter(rows(sparql)))["n"].value)

    def ranked_authors() -> tuple[list, dict]:
        top = _top_authors(rows) if index is None else top_authors_of(index)
        if index is not None:
            return top, top_years_of(index, top)
        vals = "VALUES ?p { " + " ".join(str(p) for p, _, _ in top) + " }"  # one scan of years
        return top, {r["p"].value: (r["first"], r["last"])
                     for r in rows(AUTHOR_YEARS.replace("#VALUES", vals))} if top else {}

    # independent queries, on both cores: longest first (as measured on 1 M works), each
    # thread taking the next when it is done
    tasks = {"venue authors": lambda: {r["v"].value: int(r["authors"].value)
                                       for r in rows(VENUE_AUTHORS)},
             "venue spans": lambda: {r["v"].value: (r["first"], r["last"])
                                     for r in rows(VENUE_YEARS)},
             "venue works": lambda: [(r["v"], int(r["works"].value)) for r in rows(VENUE_WORKS)],
             "authorSlots": lambda: count(SUMMARY["authorSlots"]),
             "authorships": lambda: count(SUMMARY["authorships"]),
             "authors": ranked_authors,
             "venue names": lambda: {r["v"].value: r["label"] for r in rows(VENUE_NAMES)},
             **{name: (lambda q=q: count(q)) for name, q in SUMMARY.items()
                if name not in ("authorSlots", "authorships")}}
    if index is not None:  # the venues' figures from the index's arrays, not three joins
        for name in ("venue authors", "venue spans", "venue works"):
            del tasks[name]
    done = in_threads(tasks, 2)
    top, years = done["authors"]
    venues = venue_figures_of(index) if index is not None else {
        "venue_works": done["venue works"], "venue_authors": done["venue authors"],
        "venue_spans": done["venue spans"]}
    return Figures(summary={name: done[name] for name in SUMMARY}, top=top, years=years,
                   venue_names=done["venue names"], **venues)


def _year(y: int) -> Literal:
    return Literal(f"{y:04d}", datatype=XSD.gYear)


def venue_figures_of(index: AuthorIndex) -> dict:
    """The venues' works, authors and spans (the fields ``venue_works``, ``venue_authors``
    and ``venue_spans`` of :class:`Figures`), as the queries VENUE_WORKS, VENUE_AUTHORS and
    VENUE_YEARS count them, from the author index."""
    works, authors, firsts, lasts = index.venue_figures()
    iris = [index.venue_iri(v) for v in range(index.venue_count)]
    return {"venue_works": [(NamedNode(i), n) for i, n in zip(iris, works.tolist(), strict=True)
                            if n],
            "venue_authors": {i: n for i, n in zip(iris, authors.tolist(), strict=True) if n},
            "venue_spans": {i: (_year(f), _year(la)) for i, f, la
                            in zip(iris, firsts.tolist(), lasts.tolist(), strict=True)
                            if f != NO_YEAR}}


def top_years_of(index: AuthorIndex, top: list[tuple[NamedNode, str, int]]
                 ) -> dict[str, tuple[Literal, Literal]]:
    """The first and last year of each of the ``top`` authors with a dated work, as
    AUTHOR_YEARS gives them, from the author index."""
    firsts, lasts = index.person_spans([index.find(p.value) for p, _, _ in top])
    return {p.value: (_year(f), _year(la)) for (p, _, _), f, la
            in zip(top, firsts.tolist(), lasts.tolist(), strict=True) if f != NO_YEAR}


def quads_of(figures: Figures, graph: str) -> Iterator[Quad]:
    """The statistics graph ``graph`` that says ``figures``."""
    g = NamedNode(graph)
    s = NamedNode(STATISTICS)
    yield Quad(s, RDF.type, SKG.Statistics, g)
    for name in SUMMARY:
        yield Quad(s, SKG[name], _int(figures.summary[name]), g)

    for rank, (person, name, n) in enumerate(figures.top, 1):
        node = NamedNode(f"{STATISTICS}/author/{rank}")
        yield Quad(node, RDF.type, SKG.AuthorStatistic, g)
        yield Quad(node, SKG.rank, _int(rank), g)
        yield Quad(node, SKG.person, person, g)
        yield Quad(node, SKG.name, Literal(name), g)
        yield Quad(node, SKG.workCount, _int(n), g)
        for year, pred in zip(figures.years.get(person.value, (None, None)),
                              (SKG.firstYear, SKG.lastYear), strict=True):
            if year is not None:
                yield Quad(node, pred, year, g)

    names, spans, authors = figures.venue_names, figures.venue_spans, figures.venue_authors
    venues = sorted(((-n, names[v.value].value, v.value), v)
                    for v, n in figures.venue_works if v.value in names)
    for rank, ((minus_works, _name, iri), v) in enumerate(venues, 1):
        node = NamedNode(f"{STATISTICS}/venue/{rank}")
        yield Quad(node, RDF.type, SKG.VenueStatistic, g)
        yield Quad(node, SKG.rank, _int(rank), g)
        yield Quad(node, SKG.venue, v, g)
        yield Quad(node, SKG.name, names[iri], g)
        yield Quad(node, SKG.workCount, _int(-minus_works), g)
        yield Quad(node, SKG.authorTotal, _int(authors.get(iri, 0)), g)
        for year, pred in zip(spans.get(iri, (None, None)), (SKG.firstYear, SKG.lastYear),
                              strict=True):
            if year is not None:
                yield Quad(node, pred, year, g)


def _batches(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def top_authors_of(index: AuthorIndex) -> list[tuple[NamedNode, str, int]]:
    """What :func:`_top_authors` finds, from the author index (which holds each author's
    distinct works and smallest label): the queries count 3.5 million authorships of a
    million works in 4-6 s, the index takes a few milliseconds."""
    counts = np.diff(index.author_at)
    # the cut-off is taken among all authors, as the queries do, then the named are ranked
    least = np.partition(counts, len(counts) - TOP)[len(counts) - TOP] if len(counts) >= TOP \
        else 1
    found = np.flatnonzero((counts >= least) & (index.named == 1))
    ranked = found[np.lexsort((index.name_rank[found], -counts[found]))][:TOP]
    return [(NamedNode(index.iri(n)), index.name(n), int(counts[n])) for n in ranked.tolist()]


def _top_authors(rows) -> list[tuple[NamedNode, str, int]]:
    """(person, name, works) of the TOP most prolific authors, ranked by works, then name
    (the smallest label), then IRI. The engine counts; Python sorts only the authors at or
    above the cut-off."""
    cutoff = next(iter(rows(AUTHOR_CUTOFF.replace("#OFFSET", str(TOP - 1)))), None)
    least = int(cutoff["n"].value) if cutoff is not None else 1
    counts = {r["p"]: int(r["n"].value)
              for r in rows(AUTHOR_COUNTS.replace("#CUTOFF", str(least)))}
    labels: dict[str, str] = {}
    for batch in _batches(list(counts)):
        vals = "VALUES ?p { " + " ".join(str(p) for p in batch) + " }"
        for r in rows(AUTHOR_LABELS.replace("#VALUES", vals)):
            p, label = r["p"].value, r["label"].value
            if p not in labels or label < labels[p]:
                labels[p] = label
    ranked = sorted((-n, labels[p.value], p.value, p) for p, n in counts.items()
                    if p.value in labels)
    return [(p, name, -minus_n) for minus_n, name, _, p in ranked[:TOP]]
