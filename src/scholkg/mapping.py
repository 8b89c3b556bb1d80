"""Records -> RDF quads. Pure and deterministic: the same record gives the same quads.

The shape of the graph (see ``ontology/scholkg.ttl`` and ``docs/model.md``):

* a work is typed ``skg:Work`` and its subtype, with title, year (``xsd:gYear``), venue, identifiers
  as IRIs and links;
* each author slot is its own ``skg:Authorship`` node with a 1-based ``skg:position`` (absent when
  the position is unknown), the printed name, and ``skg:author`` -> the person; ``skg:hasAuthor``
  links work -> person directly for simple queries;
* ``skg:authorCount`` is given only when the author list is complete, so no query can take the
  8th name of a cut list for the last author;
* every work points to the record it came from (``prov:wasDerivedFrom``, with file and line).
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from . import identifiers as ids
from .model import AuthorSlot, NameCluster, Person, Record, Work
from .resolve import work_key
from .vocab import PROV, RDF, RDFS, SKG, VENUE_KIND_CLASS, WORK_TYPE_CLASS, XSD


def _lit(value: str) -> Literal:
    return Literal(value)


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=XSD.gYear)


def work_iri_of(work: Work) -> str:
    """The IRI a work gets on its own, without looking at a store (rule 2 of
    :mod:`scholkg.resolve`)."""
    return ids.work_iri(work_key(work))


def record_iri(source: str, line: int) -> str:
    return f"{source}/line/{line}"


class Described:
    """The persons and venues whose description (type, name, label) was already written to a
    graph, so that a big import does not write it again for every work. Bounded: forgetting
    only means writing a duplicate quad, which the store ignores."""

    def __init__(self, limit: int = 50_000):
        self._seen: dict[tuple[str, str], None] = {}
        self._limit = limit

    def first(self, iri: str, label: str) -> bool:
        key = (iri, label)
        if key in self._seen:
            return False
        if len(self._seen) >= self._limit:
            self._seen.pop(next(iter(self._seen)))
        self._seen[key] = None
        return True


def map_record(record: Record, source: str, *, work_iri: str | None = None,
               described: Described | None = None) -> Iterator[Quad]:
    """Quads of one record, all in the named graph ``source``. ``work_iri`` overrides the IRI a
    work would get on its own (see :mod:`scholkg.resolve`)."""
    if isinstance(record, Work):
        yield from map_work(record, source, work_iri=work_iri, described=described)
    elif isinstance(record, NameCluster):
        yield from map_cluster(record, source)
    elif isinstance(record, Person):
        yield from map_person(record, source)
    else:  # pragma: no cover - readers only yield the two record kinds
        raise TypeError(f"not a record: {record!r}")


def map_work(work: Work, source: str, *, work_iri: str | None = None,
             described: Described | None = None) -> Iterator[Quad]:
    g = NamedNode(source)
    w = NamedNode(work_iri or work_iri_of(work))

    def new(iri: str, label: str) -> bool:
        return described is None or described.first(iri, label)

    def q(s, p, o):
        return Quad(s, p, o, g)

    yield q(w, RDF.type, SKG.Work)
    yield q(w, RDF.type, WORK_TYPE_CLASS[work.work_type])
    yield q(w, SKG.title, _lit(work.title))
    if work.year is not None:
        yield q(w, SKG.year, _year(work.year))
    if work.abstract:
        yield q(w, SKG.abstract, _lit(work.abstract))
    if work.venue is not None:
        v = NamedNode(ids.venue_iri(work.venue.name))
        yield q(w, SKG.publishedIn, v)
        if new(v.value, work.venue.kind):
            yield q(v, RDF.type, SKG.Venue)
            yield q(v, RDF.type, VENUE_KIND_CLASS[work.venue.kind])
            yield q(v, SKG.name, _lit(work.venue.name))
            yield q(v, RDFS.label, _lit(work.venue.name))
        if work.venue.openalex:
            yield q(v, SKG.openalex, NamedNode(ids.openalex_iri(work.venue.openalex)))

    listed = 0
    for slot in work.authors:
        p = NamedNode(ids.person_iri(slot.name, slot.homonym))
        if slot.position is not None:
            listed += 1
        yield from authorship_quads(w, slot, q, new(p.value, slot.display_name))
        if slot.orcid:
            yield q(p, SKG.orcid, NamedNode(ids.orcid_iri(slot.orcid)))
        if slot.dblp_pid:
            yield q(p, SKG.dblpPerson, NamedNode(ids.dblp_pid_iri(slot.dblp_pid)))
        if slot.openalex:
            yield q(p, SKG.openalex, NamedNode(ids.openalex_iri(slot.openalex)))
    yield q(w, SKG.authorListComplete, Literal("true" if work.authors_complete else "false",
                                               datatype=XSD.boolean))
    yield q(w, SKG.listedAuthorCount, _int(listed))
    if work.authors_complete:
        yield q(w, SKG.authorCount, _int(listed))

    i = work.ids
    if i.doi:
        yield q(w, SKG.doi, NamedNode(ids.doi_iri(i.doi)))
    if i.arxiv:
        yield q(w, SKG.arxiv, NamedNode(ids.arxiv_iri(i.arxiv)))
    if i.dblp:
        yield q(w, SKG.dblpRecord, NamedNode(ids.dblp_iri(i.dblp)))
    if i.openalex:
        yield q(w, SKG.openalex, NamedNode(ids.openalex_iri(i.openalex)))
    if i.wikidata:
        yield q(w, SKG.wikidata, NamedNode(ids.wikidata_iri(i.wikidata)))
    for url in i.urls:
        yield q(w, SKG.url, NamedNode(url))
    for url in work.links.code:
        yield q(w, SKG.codeRepository, NamedNode(url))
    for url in work.links.data:
        yield q(w, SKG.dataset, NamedNode(url))
    for url in work.links.project:
        yield q(w, SKG.projectPage, NamedNode(url))

    for name in work.clusters:
        yield q(NamedNode(ids.cluster_iri("arrow", name)), SKG.clusterWork, w)

    if work.origin is not None:
        r = NamedNode(record_iri(source, work.origin.line))
        yield q(w, PROV.wasDerivedFrom, r)
        yield q(r, RDF.type, SKG.SourceRecord)
        yield q(r, SKG.inSource, g)
        yield q(r, SKG.line, _int(work.origin.line))


def authorship_quads(w: NamedNode, slot: AuthorSlot, q, describe_person: bool) -> Iterator[Quad]:
    """The authorship node of one slot, the work's ``skg:hasAuthor``, and (when
    ``describe_person``) the person's type, names and match key. ``q(s, p, o)`` makes a quad in
    the graph being written."""
    p = NamedNode(ids.person_iri(slot.name, slot.homonym))
    a = NamedNode(ids.authorship_iri(w.value, slot.position, p.value))
    yield q(w, SKG.hasAuthorship, a)
    yield q(a, RDF.type, SKG.Authorship)
    yield q(a, SKG.authorshipOf, w)
    yield q(a, SKG.author, p)
    yield q(a, SKG.printedName, _lit(slot.display_name))
    if slot.position is not None:
        yield q(a, SKG.position, _int(slot.position))
    yield q(w, SKG.hasAuthor, p)
    if describe_person:
        yield q(p, RDF.type, SKG.Person)
        yield q(p, SKG.name, _lit(slot.name))
        yield q(p, RDFS.label, _lit(slot.display_name))
        yield q(p, SKG.nameKey, _lit(ids.name_match_key(slot.name)))
        if slot.homonym:
            yield q(p, SKG.homonymNumber, _lit(slot.homonym))


def map_person(person: Person, source: str) -> Iterator[Quad]:
    """A dblp homepage record: the primary name's person carries the pid and the other names as
    variants; each variant's person carries the pid too, so queries can join them."""
    g = NamedNode(source)
    pid = NamedNode(ids.dblp_pid_iri(person.dblp_pid)) if person.dblp_pid else None
    primary = person.names[0]
    for i, printed in enumerate(person.names):
        name, homonym = ids.split_homonym(printed)
        p = NamedNode(ids.person_iri(name, homonym))
        yield Quad(p, RDF.type, SKG.Person, g)
        yield Quad(p, SKG.name, _lit(name), g)
        yield Quad(p, RDFS.label, _lit(printed), g)
        yield Quad(p, SKG.nameKey, _lit(ids.name_match_key(name)), g)
        if homonym:
            yield Quad(p, SKG.homonymNumber, _lit(homonym), g)
        if pid is not None:
            yield Quad(p, SKG.dblpPerson, pid, g)
        if i == 0:
            for variant in person.names[1:]:
                yield Quad(p, SKG.nameVariant, _lit(variant), g)
            if person.orcid:
                yield Quad(p, SKG.orcid, NamedNode(ids.orcid_iri(person.orcid)), g)
            for url in person.urls:
                yield Quad(p, SKG.url, NamedNode(url), g)
        else:
            yield Quad(p, SKG.nameVariant, _lit(primary), g)
    if person.origin is not None:
        p = NamedNode(ids.person_iri(primary))
        r = NamedNode(record_iri(source, person.origin.line))
        yield Quad(p, PROV.wasDerivedFrom, r, g)
        yield Quad(r, RDF.type, SKG.SourceRecord, g)
        yield Quad(r, SKG.inSource, g, g)
        yield Quad(r, SKG.line, _int(person.origin.line), g)


def map_cluster(cluster: NameCluster, source: str) -> Iterator[Quad]:
    g = NamedNode(source)
    c = NamedNode(ids.cluster_iri(cluster.system, cluster.name))
    yield Quad(c, RDF.type, SKG.NameCluster, g)
    yield Quad(c, SKG.clusterName, _lit(cluster.name), g)
    yield Quad(c, RDFS.label, _lit(f"Author name cluster: {cluster.name}"), g)
    yield Quad(c, SKG.clusterSystem, _lit(cluster.system), g)
    yield Quad(c, SKG.clusterPerson, NamedNode(ids.person_iri(cluster.name)), g)
    if cluster.paper_count is not None:
        yield Quad(c, SKG.paperCount, _int(cluster.paper_count), g)
    if cluster.author_rows is not None:
        yield Quad(c, SKG.authorRowCount, _int(cluster.author_rows), g)
    if cluster.origin is not None:
        r = NamedNode(record_iri(source, cluster.origin.line))
        yield Quad(c, PROV.wasDerivedFrom, r, g)
        yield Quad(r, RDF.type, SKG.SourceRecord, g)
        yield Quad(r, SKG.inSource, g, g)
        yield Quad(r, SKG.line, _int(cluster.origin.line), g)
