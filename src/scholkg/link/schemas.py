"""The SPARQL that reads works and authors out of each external vocabulary.

A schema turns rows of its two queries (works, authors) into :class:`WorkView`\\ s, and knows
how to look a work up by exact identifier or title on a SPARQL endpoint, where nothing but
exact values can be asked for cheaply. Three schemas:

* ``dblp`` — dblp's RDF (``https://dblp.org/rdf/schema#``): ``dblp:title``,
  ``dblp:yearOfPublication``, ``dblp:doi``, ``dblp:hasSignature`` with
  ``dblp:signatureOrdinal``/``signatureDblpName``/``signatureCreator``, ``dblp:wikidata``...
* ``wikidata`` — Wikidata's RDF: ``wdt:P1476`` title, ``wdt:P577`` date, ``wdt:P356`` DOI,
  ``p:P50``/``ps:P50`` author with ``pq:P1545`` series ordinal (and ``pq:P1932`` "stated as"),
  ``p:P2093`` author name string, ``wdt:P496`` ORCID, ``wdt:P2456`` dblp author ID.
* ``scholkg`` — our own ontology: another scholkg graph, or record files (OpenAlex JSON, BibTeX,
  dblp XML...) read by our importers into the target's cache store.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from .. import identifiers as ids
from ..vocab import SKG
from .views import WorkView

DBLP = "https://dblp.org/rdf/schema#"
WD = "http://www.wikidata.org/entity/"


def values(var: str, terms: Iterable[NamedNode | Literal]) -> str:
    return f"VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }}"


def _int(value: str | None) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


class Schema:
    name = ""
    prefixes = ""
    works_sparql = ""
    authors_sparql = ""
    #: (row variable, identifier kind) of a work's identifiers in works_sparql
    work_id_vars: tuple[tuple[str, str], ...] = ()
    #: ?ext ?name ?year of every work's first author, for the key index
    first_authors_sparql = ""

    def works_query(self, restrict: str) -> str:
        return self.prefixes + self.works_sparql.replace("#RESTRICT", restrict)

    def authors_query(self, restrict: str) -> str:
        return self.prefixes + self.authors_sparql.replace("#RESTRICT", restrict)

    def own_ids(self, view: WorkView) -> None:
        """Identifiers the work's IRI itself carries (a dblp record IRI is its key)."""

    def add_work_row(self, views: dict[str, WorkView], row: dict[str, str]) -> None:
        v = views.get(row["ext"])
        if v is None:
            v = views[row["ext"]] = WorkView(row["ext"])
            self.own_ids(v)
        if row.get("title"):
            v.add_title(row["title"])
        if row.get("year"):
            v.add_year(row["year"])
        for var, kind in self.work_id_vars:
            if row.get(var):
                v.add_id(kind, row[var])
        if row.get("venue"):
            v.venues.add(row["venue"])
        if row.get("venueIri"):
            v.venue_iris.add(row["venueIri"])
        if row.get("complete") == "false":
            v.complete = False

    def add_author_row(self, views: dict[str, WorkView], row: dict[str, str]) -> None:
        v = views.get(row["ext"])
        if v is None or not row.get("name"):
            return
        v.add_author(row["name"], _int(row.get("pos")), row.get("person"),
                     orcid=row.get("orcid"), dblp=row.get("pid"), wikidata=row.get("qid"),
                     openalex=row.get("openalex"))

    def public_iri(self, view: WorkView) -> str:
        """The IRI a link points to."""
        return view.iri

    def public_person(self, iri: str, author_ids: dict[str, str]) -> str:
        return iri

    # ---- exact lookups, for endpoints ---------------------------------------------------------

    def id_lookup(self, kind: str, value: str) -> list[str]:
        """Graph patterns binding ?ext to works with this identifier (exact forms only)."""
        return []

    def title_lookup(self, title: str) -> list[str]:
        return []


class DblpSchema(Schema):
    name = "dblp"
    prefixes = f"PREFIX dblp: <{DBLP}>\n"
    works_sparql = """SELECT ?ext ?title ?year ?doi ?wikidata ?venue ?venueIri WHERE {
  #RESTRICT
  ?ext dblp:title ?title .
  OPTIONAL { ?ext dblp:yearOfPublication ?year }
  OPTIONAL { ?ext dblp:doi ?doi }
  OPTIONAL { ?ext dblp:wikidata ?wikidata }
  OPTIONAL { ?ext dblp:publishedIn ?venue }
  OPTIONAL { ?ext dblp:publishedInStream ?venueIri }
}"""
    authors_sparql = """SELECT ?ext ?pos ?name ?person ?orcid ?qid WHERE {
  #RESTRICT
  ?ext dblp:hasSignature ?sig .
  ?sig dblp:signatureDblpName ?name .
  OPTIONAL { ?sig dblp:signatureOrdinal ?pos }
  OPTIONAL { ?sig dblp:signatureCreator ?person .
             OPTIONAL { ?person dblp:orcid ?orcid }
             OPTIONAL { ?person dblp:wikidata ?qid } }
}"""
    work_id_vars = (("doi", "doi"), ("wikidata", "wikidata"))
    first_authors_sparql = """SELECT ?ext ?name ?year WHERE {
  ?ext dblp:hasSignature ?sig . ?sig dblp:signatureOrdinal 1 ; dblp:signatureDblpName ?name .
  OPTIONAL { ?ext dblp:yearOfPublication ?year }
}"""

    def own_ids(self, view: WorkView) -> None:
        if view.iri.startswith("https://dblp.org/rec/"):
            view.add_id("dblp", view.iri)

    def add_author_row(self, views, row):
        if row.get("person"):
            row = {**row, "pid": row["person"]}
        super().add_author_row(views, row)

    def id_lookup(self, kind, value):
        if kind == "dblp":
            return [f"BIND({NamedNode(ids.dblp_iri(value))} AS ?ext) ?ext dblp:title ?t ."]
        if kind == "doi":
            forms = {value, value.upper()}
            return [f"?ext dblp:doi {NamedNode(ids.doi_iri(f))} ." for f in sorted(forms)]
        if kind == "arxiv":
            return [f"?ext dblp:doi {NamedNode(ids.doi_iri('10.48550/arXiv.' + value))} ."]
        if kind == "wikidata":
            return [f"?ext dblp:wikidata {NamedNode(ids.wikidata_iri(value))} ."]
        return []

    def title_lookup(self, title):
        forms = {title, title.rstrip(".") + "."}
        return [f"?ext dblp:title {Literal(f)} ." for f in sorted(forms)]


class WikidataSchema(Schema):
    name = "wikidata"
    prefixes = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
    works_sparql = """SELECT ?ext ?title ?year ?doi ?arxiv ?dblp ?openalex ?venue ?venueIri WHERE {
  #RESTRICT
  ?ext wdt:P1476 ?title .
  OPTIONAL { ?ext wdt:P577 ?date BIND(STR(YEAR(?date)) AS ?year) }
  OPTIONAL { ?ext wdt:P356 ?doi }
  OPTIONAL { ?ext wdt:P818 ?arxiv }
  OPTIONAL { ?ext wdt:P8978 ?dblp }
  OPTIONAL { ?ext wdt:P10283 ?openalex }
  OPTIONAL { ?ext wdt:P1433 ?venueIri
             OPTIONAL { ?venueIri rdfs:label ?venue FILTER(LANGMATCHES(LANG(?venue), "en")) } }
}"""
    authors_sparql = """SELECT ?ext ?pos ?name ?person ?orcid ?pid WHERE {
  #RESTRICT
  { ?ext p:P50 ?st . ?st ps:P50 ?person .
    OPTIONAL { ?st pq:P1932 ?stated }
    OPTIONAL { ?person rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
    BIND(COALESCE(?stated, ?label) AS ?name)
    OPTIONAL { ?person wdt:P496 ?orcid }
    OPTIONAL { ?person wdt:P2456 ?pidValue BIND(IRI(CONCAT("https://dblp.org/pid/", ?pidValue)) AS ?pid) } }
  UNION
  { ?ext p:P2093 ?st . ?st ps:P2093 ?name . }
  OPTIONAL { ?st pq:P1545 ?pos }
}"""
    work_id_vars = (("doi", "doi"), ("arxiv", "arxiv"), ("dblp", "dblp"), ("openalex", "openalex"))
    first_authors_sparql = """SELECT ?ext ?name ?year WHERE {
  { ?ext p:P50 ?st . ?st pq:P1545 "1" ; ps:P50 ?person .
    OPTIONAL { ?st pq:P1932 ?stated }
    OPTIONAL { ?person rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
    BIND(COALESCE(?stated, ?label) AS ?name) }
  UNION { ?ext p:P2093 ?st . ?st pq:P1545 "1" ; ps:P2093 ?name . }
  OPTIONAL { ?ext wdt:P577 ?date BIND(STR(YEAR(?date)) AS ?year) }
}"""

    def own_ids(self, view):
        if view.iri.startswith(WD):
            view.add_id("wikidata", view.iri)

    def add_author_row(self, views, row):
        if row.get("person"):
            row = {**row, "qid": row["person"]}
        super().add_author_row(views, row)

    def id_lookup(self, kind, value):
        prop = {"doi": "P356", "arxiv": "P818", "dblp": "P8978", "openalex": "P10283"}.get(kind)
        if kind == "wikidata":
            return [f"BIND({NamedNode(ids.wikidata_iri(value))} AS ?ext) ?ext wdt:P1476 ?t ."]
        if prop is None:
            return []
        form = value.upper() if kind == "doi" else value  # Wikidata keeps DOIs upper-case
        return [f"?ext wdt:{prop} {Literal(form)} ."]

    def title_lookup(self, title):
        return [f"?ext wdt:P1476 {Literal(title.rstrip('.'), language='en')} ."]


class ScholkgSchema(Schema):
    name = "scholkg"
    prefixes = f"PREFIX skg: <{SKG.Work.value.removesuffix('Work')}>\n"
    # One value a row (the branches of a UNION), not every value of a work joined side by
    # side: a store of several sources gives a triple once per source that holds it, and the
    # joined values would multiply those copies (docs/queries.md). The rows feed add_work_row
    # and add_author_row, which collect values, so the views are the same.
    works_sparql = """SELECT ?ext ?title ?year ?doi ?arxiv ?dblp ?openalex ?wikidata ?venue
       ?venueIri ?venueOpenalex ?complete WHERE {
  {
    SELECT DISTINCT ?ext WHERE {
      #RESTRICT
      ?ext a skg:Work ; skg:title ?t .
    }
  }
  { ?ext skg:title ?title }
  UNION { ?ext skg:year ?year }
  UNION { ?ext skg:doi ?doi }
  UNION { ?ext skg:arxiv ?arxiv }
  UNION { ?ext skg:dblpRecord ?dblp }
  UNION { ?ext skg:openalex ?openalex }
  UNION { ?ext skg:wikidata ?wikidata }
  UNION { ?ext skg:publishedIn ?venueIri . ?venueIri skg:name ?venue
          OPTIONAL { ?venueIri skg:openalex ?venueOpenalex } }
  UNION { ?ext skg:authorListComplete ?complete }
}"""
    authors_sparql = """SELECT ?ext ?pos ?name ?person ?orcid ?pid ?openalex ?qid WHERE {
  {
    SELECT DISTINCT ?ext ?pos ?name ?person WHERE {
      #RESTRICT
      ?ext skg:hasAuthorship ?a .
      ?a skg:author ?person ; skg:printedName ?name .
      OPTIONAL { ?a skg:position ?pos }
    }
  }
  {}
  UNION { ?person skg:orcid ?orcid }
  UNION { ?person skg:dblpPerson ?pid }
  UNION { ?person skg:openalex ?openalex }
  UNION { ?person skg:wikidata ?qid }
}"""
    work_id_vars = (("doi", "doi"), ("arxiv", "arxiv"), ("dblp", "dblp"), ("openalex", "openalex"),
                    ("wikidata", "wikidata"))
    first_authors_sparql = """SELECT ?ext ?name ?year WHERE {
  ?ext skg:hasAuthorship ?a . ?a skg:position 1 ; skg:printedName ?name .
  OPTIONAL { ?ext skg:year ?year }
}"""

    def __init__(self, external: bool = True):
        self.external = external

    def add_work_row(self, views, row):
        if self.external and "venueIri" in row:
            # our minted venue IRIs mean nothing outside the target's cache: keep OpenAlex's
            row = {k: v for k, v in row.items() if k != "venueIri"}
            if row.get("venueOpenalex"):
                row["venueIri"] = row["venueOpenalex"]
        super().add_work_row(views, row)

    def public_iri(self, view):
        for kind, make in (("openalex", ids.openalex_iri), ("wikidata", ids.wikidata_iri),
                           ("dblp", ids.dblp_iri)):
            if view.ids.get(kind):
                return make(sorted(view.ids[kind])[0])
        return view.iri

    def public_person(self, iri, author_ids):
        for kind in ("openalex", "orcid", "dblp", "wikidata"):
            if author_ids.get(kind):
                return author_ids[kind]
        return iri

    def id_lookup(self, kind, value):
        make = {"doi": (SKG.doi, ids.doi_iri), "arxiv": (SKG.arxiv, ids.arxiv_iri),
                "dblp": (SKG.dblpRecord, ids.dblp_iri), "openalex": (SKG.openalex, ids.openalex_iri),
                "wikidata": (SKG.wikidata, ids.wikidata_iri)}.get(kind)
        if make is None:
            return []
        return [f"?ext {make[0]} {NamedNode(make[1](value))} ."]

    def title_lookup(self, title):
        return [f"?ext skg:title {Literal(title)} ."]


SCHEMAS: dict[str, Schema] = {s.name: s for s in (DblpSchema(), WikidataSchema(), ScholkgSchema())}
