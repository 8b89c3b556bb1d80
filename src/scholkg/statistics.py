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

from pyoxigraph import Literal, NamedNode, Quad

from .identifiers import DATA_BASE, digest
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

# ranked by the engine: only the top rows come back to Python
AUTHOR_TOP = f"""SELECT ?p (MIN(?label) AS ?name) (COUNT(DISTINCT ?w) AS ?n) WHERE {{
  ?w skg:hasAuthor ?p . ?p rdfs:label ?label .
}} GROUP BY ?p ORDER BY DESC(?n) ?name ?p LIMIT {TOP}"""

AUTHOR_YEARS = """SELECT ?p (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  #VALUES
  ?w skg:hasAuthor ?p ; skg:year ?y .
} GROUP BY ?p"""

VENUES = """SELECT ?v (MIN(?name) AS ?label) (COUNT(DISTINCT ?w) AS ?works)
       (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {
  ?w skg:publishedIn ?v .
  ?v skg:name ?name .
  OPTIONAL { ?w skg:year ?y }
} GROUP BY ?v"""

# apart from the works: joining authors and years at once multiplies the rows to count
VENUE_AUTHORS = """SELECT ?v (COUNT(DISTINCT ?p) AS ?authors) WHERE {
  ?w skg:publishedIn ?v ; skg:hasAuthor ?p .
} GROUP BY ?v"""


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def derive(gs, graphs: list[str], *, fresh: bool = False) -> dict[str, str]:
    """Write the statistics of the union of ``graphs`` into a new graph; return the registry
    change that makes it current. The graph is named after the graphs it counts (their names
    change with their content), so the same data gives the same statistics graph; ``fresh``
    (after an update that changed graphs in place) forces a new one."""
    graphs = sorted(g for g in graphs if not g.startswith(STATISTICS))
    key = digest("|".join(graphs)) if not fresh else uuid.uuid4().hex[:16]
    graph = f"{STATISTICS}/v/{key}"
    if gs.current_graphs().get(STATISTICS) == graph:
        return {}
    gs.write(statistics_quads(gs, graphs, graph))
    return {STATISTICS: graph}


def statistics_quads(gs, graphs: list[str], graph: str) -> Iterator[Quad]:
    g = NamedNode(graph)
    s = NamedNode(STATISTICS)

    def rows(sparql: str):
        return gs.query(sparql, graphs=graphs)

    yield Quad(s, RDF.type, SKG.Statistics, g)
    for name, sparql in SUMMARY.items():
        n = next(iter(rows(sparql)))["n"].value
        yield Quad(s, SKG[name], _int(int(n)), g)

    top = [(r["p"], r["name"], int(r["n"].value)) for r in rows(AUTHOR_TOP)]
    years = {}
    for i in range(0, len(top), 500):
        vals = "VALUES ?p { " + " ".join(str(p) for p, _, _ in top[i:i + 500]) + " }"
        for r in rows(AUTHOR_YEARS.replace("#VALUES", vals)):
            years[r["p"].value] = r
    for rank, (person, name, n) in enumerate(top, 1):
        node = NamedNode(f"{STATISTICS}/author/{rank}")
        yield Quad(node, RDF.type, SKG.AuthorStatistic, g)
        yield Quad(node, SKG.rank, _int(rank), g)
        yield Quad(node, SKG.person, person, g)
        yield Quad(node, SKG.name, name, g)
        yield Quad(node, SKG.workCount, _int(n), g)
        y = years.get(person.value)
        for key, pred in (("first", SKG.firstYear), ("last", SKG.lastYear)):
            if y is not None and y[key] is not None:
                yield Quad(node, pred, y[key], g)

    venues = sorted(rows(VENUES), key=lambda r: (-int(r["works"].value), r["label"].value,
                                                  r["v"].value))
    authors = {r["v"].value: int(r["authors"].value) for r in rows(VENUE_AUTHORS)}
    for rank, r in enumerate(venues, 1):
        node = NamedNode(f"{STATISTICS}/venue/{rank}")
        yield Quad(node, RDF.type, SKG.VenueStatistic, g)
        yield Quad(node, SKG.rank, _int(rank), g)
        yield Quad(node, SKG.venue, r["v"], g)
        yield Quad(node, SKG.name, r["label"], g)
        yield Quad(node, SKG.workCount, _int(int(r["works"].value)), g)
        yield Quad(node, SKG.authorTotal, _int(authors.get(r["v"].value, 0)), g)
        for key, pred in (("first", SKG.firstYear), ("last", SKG.lastYear)):
            if r[key] is not None:
                yield Quad(node, pred, r[key], g)
