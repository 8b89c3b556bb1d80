"""Every namespace and term the code uses, in one place.

Namespaces are closed: ``SKG.Work`` works, ``SKG.Wrok`` raises AttributeError at once instead of
minting a wrong IRI. A test checks that every ``SKG`` term is declared in ``ontology/scholkg.ttl``.

>>> SKG.Work.value
'https://w3id.org/scholkg/ontology#Work'
"""

from __future__ import annotations

from pyoxigraph import NamedNode


class Namespace:
    """A closed set of terms under one IRI prefix."""

    def __init__(self, prefix: str, iri: str, terms: str):
        self._prefix = prefix
        self._iri = iri
        self._terms = {t: NamedNode(iri + t) for t in terms.split()}
        self.__dict__.update(self._terms)  # plain attribute access for the hot path

    @property
    def iri(self) -> str:
        return self._iri

    @property
    def prefix(self) -> str:
        return self._prefix

    @property
    def terms(self) -> dict[str, NamedNode]:
        return dict(self._terms)

    def __getattr__(self, name: str) -> NamedNode:
        # only called for names that are not terms: the terms are instance attributes
        raise AttributeError(f'"{name}" is not a term of {self.__dict__.get("_prefix")}: '
                             f'({self.__dict__.get("_iri")})')

    def __getitem__(self, name: str) -> NamedNode:
        return getattr(self, name)


SKG = Namespace("skg", "https://w3id.org/scholkg/ontology#", """
    Work ConferencePaper JournalArticle Preprint Book BookChapter Proceedings Thesis Dataset
    OtherWork
    Person Venue Conference Journal Repository BookSeries OtherVenue
    Authorship NameCluster Source SourceRecord Collaboration
    title year abstract publishedIn hasAuthorship authorshipOf author hasAuthor position
    printedName authorListComplete listedAuthorCount authorCount
    doi arxiv dblpRecord openalex wikidata url codeRepository dataset projectPage
    name nameKey nameVariant homonymNumber orcid dblpPerson
    collaborator sharedWorks
    clusterName paperCount authorRowCount clusterSystem clusterWork clusterPerson
    sourcePath sourceFormat sha256 recordCount rejectedCount line inSource currentGraph
    Link Decision linkSubject linkObject linkRelation linkKind score method evidence linkStatus
    inLinkset decision targetLocation targetSchema enrichedFrom
    Statistics AuthorStatistic VenueStatistic works persons venues authorSlots authorships
    clusters sources rank person venue workCount authorTotal firstYear lastYear
""")

RDF = Namespace("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type")
RDFS = Namespace("rdfs", "http://www.w3.org/2000/01/rdf-schema#", "label comment")
XSD = Namespace("xsd", "http://www.w3.org/2001/XMLSchema#",
                "string integer decimal boolean gYear dateTime anyURI")
PROV = Namespace("prov", "http://www.w3.org/ns/prov#", "Entity wasDerivedFrom generatedAtTime")
DCTERMS = Namespace("dcterms", "http://purl.org/dc/terms/", "title format source created")
OWL = Namespace("owl", "http://www.w3.org/2002/07/owl#", "sameAs")
SKOS = Namespace("skos", "http://www.w3.org/2004/02/skos/core#", "closeMatch")
VOID = Namespace("void", "http://rdfs.org/ns/void#",
                 "Dataset Linkset subjectsTarget objectsTarget linkPredicate triples")

#: Prefixes offered to every query and used in Turtle exports.
PREFIXES: dict[str, str] = {
    "skg": SKG.iri,
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "xsd": XSD.iri,
    "prov": PROV.iri,
    "dcterms": DCTERMS.iri,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "fabio": "http://purl.org/spar/fabio/",
    "pro": "http://purl.org/spar/pro/",
    "dblp": "https://dblp.org/rdf/schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skgid": "https://w3id.org/scholkg/id/",
}

#: Prefixes written into Turtle/TriG exports: vocabularies only. Data IRIs stay whole, since
#: their local parts hold "/" which Turtle would have to escape.
EXPORT_PREFIXES: dict[str, str] = {k: v for k, v in PREFIXES.items() if k not in ("skgid", "sh")}

WORK_TYPE_CLASS = {
    "conference-paper": SKG.ConferencePaper,
    "journal-article": SKG.JournalArticle,
    "preprint": SKG.Preprint,
    "book": SKG.Book,
    "book-chapter": SKG.BookChapter,
    "proceedings": SKG.Proceedings,
    "thesis": SKG.Thesis,
    "dataset": SKG.Dataset,
    "other": SKG.OtherWork,
}

VENUE_KIND_CLASS = {
    "conference": SKG.Conference,
    "journal": SKG.Journal,
    "repository": SKG.Repository,
    "book-series": SKG.BookSeries,
    "other": SKG.OtherVenue,
}
