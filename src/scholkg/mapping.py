r"""Records -> RDF, as N-Quads lines. Pure and deterministic: the same record gives the same lines.

The shape of the graph (see ``ontology/scholkg.ttl`` and ``docs/model.md``):

* a work is typed ``skg:Work`` and its subtype, with title, year (``xsd:gYear``), venue, identifiers
  as IRIs and links;
* each author slot is its own ``skg:Authorship`` node with a 1-based ``skg:position`` (absent when
  the position is unknown), the printed name, and ``skg:author`` -> the person; ``skg:hasAuthor``
  links work -> person directly for simple queries;
* ``skg:authorCount`` is given only when the author list is complete, so no query can take the
  8th name of a cut author list for the last author;
* every work points to the record it came from (``prov:wasDerivedFrom``, with file and line).

Why text and not pyoxigraph ``Quad`` objects: an import spends most of its Python time here, and
formatting a line costs a fifth of building the terms, the quad and its string (measured per
quad: 0.2 us against 0.8 us per ``NamedNode``, 0.5 per ``Quad``, 1.0 per ``str(quad)``). The lines
go to Oxigraph's own N-Quads parser and bulk loader (:meth:`scholkg.store.GraphStore.load_nquads`);
:func:`quads` parses them for callers that want objects. Every IRI written here is minted by
:mod:`scholkg.identifiers` (slugs, hashes, escaped identifiers, checked URLs), so it is valid.

>>> from scholkg.model import Work
>>> lines = list(map_record(Work(title='A "quoted" title'), "urn:g", work_iri="urn:w"))
>>> lines[2]
'<urn:w> <https://w3id.org/scholkg/ontology#title> "A \\"quoted\\" title" <urn:g> .\n'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from pyoxigraph import Quad, RdfFormat, parse

from . import identifiers as ids
from .model import AuthorSlot, NameCluster, Person, Record, Work
from .resolve import work_key
from .vocab import DCTERMS, PROV, RDF, RDFS, SKG, VENUE_KIND_CLASS, WORK_TYPE_CLASS, XSD

if TYPE_CHECKING:
    from .gathered import Gathered


class _NT:
    """The N-Triples forms of a namespace's terms: ``_NT(SKG).title`` is
    ``"<https://w3id.org/scholkg/ontology#title>"`` (each computed once)."""

    def __init__(self, namespace):
        self._ns = namespace

    def __getattr__(self, name: str) -> str:
        value = str(getattr(self._ns, name))
        setattr(self, name, value)
        return value


S, R, RS, PR, DC = _NT(SKG), _NT(RDF), _NT(RDFS), _NT(PROV), _NT(DCTERMS)
WORK_TYPE = {k: str(v) for k, v in WORK_TYPE_CLASS.items()}
VENUE_KIND = {k: str(v) for k, v in VENUE_KIND_CLASS.items()}
_INTEGER, _GYEAR, _BOOLEAN = f"^^{XSD.integer}", f"^^{XSD.gYear}", f"^^{XSD.boolean}"
_TRUE, _FALSE = f'"true"{_BOOLEAN}', f'"false"{_BOOLEAN}'
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: str) -> str:
    return f'"{value.translate(_ESCAPES)}"'


def integer(value: int) -> str:
    return f'"{value}"{_INTEGER}'


def year(value: int) -> str:
    return f'"{value:04d}"{_GYEAR}'


def in_graph(source: str) -> tuple[str, Callable[[str, str, str], str]]:
    """The graph's term, and ``q(s, p, o)``, which makes the line of a quad in it."""
    g = iri(source)

    def q(s: str, p: str, o: str) -> str:
        return f"{s} {p} {o} {g} .\n"

    return g, q


def quads(lines: Iterable[str]) -> Iterator[Quad]:
    """pyoxigraph quads of N-Quads lines (parsed by Oxigraph)."""
    return parse("".join(lines).encode("utf-8"), format=RdfFormat.N_QUADS)


def work_iri_of(work: Work) -> str:
    """The IRI a work gets on its own, without looking at a store (rule 2 of
    :mod:`scholkg.resolve`)."""
    return ids.work_iri(work_key(work))


def record_iri(source: str, line: int) -> str:
    return f"{source}/line/{line}"


class Described:
    """The venues, and the persons when nothing is gathered, whose description (type, name,
    label) was already written to a graph, so that a big import does not write it again for
    every work. Bounded: forgetting only means writing duplicate quads, which the store ignores
    but the loader still parses and sorts (with 50,000, 13 % of the 45.6 M lines of a 1 M-work
    import were repeats). About 300 bytes per entry: 150 MB at most. An import gathers the
    labels of every person for the author index anyway (:class:`scholkg.gathered.Gathered`):
    those tell which persons were described, with no bound and no second copy."""

    def __init__(self, limit: int = 500_000):
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
               described: Described | None = None,
               gathered: Gathered | None = None) -> Iterable[str]:
    """N-Quads lines of one record, all in the named graph ``source``. ``work_iri`` overrides
    the IRI a work would get on its own (see :mod:`scholkg.resolve`). ``gathered`` is told
    each work's authors and texts and the persons' labels, for the derived indexes."""
    if isinstance(record, Work):
        return map_work(record, source, work_iri=work_iri, described=described,
                        gathered=gathered)
    if isinstance(record, NameCluster):
        return map_cluster(record, source, gathered)
    if isinstance(record, Person):
        return map_person(record, source, gathered)
    raise TypeError(f"not a record: {record!r}")  # pragma: no cover - readers yield only these


#: (attribute, predicate, IRI of the value) of the identifiers of a work and of an author slot
_WORK_IDS = (("doi", S.doi, ids.doi_iri), ("arxiv", S.arxiv, ids.arxiv_iri),
             ("dblp", S.dblpRecord, ids.dblp_iri), ("openalex", S.openalex, ids.openalex_iri),
             ("wikidata", S.wikidata, ids.wikidata_iri))
_PERSON_IDS = (("orcid", S.orcid, ids.orcid_iri), ("dblp_pid", S.dblpPerson, ids.dblp_pid_iri),
               ("openalex", S.openalex, ids.openalex_iri))


def map_work(work: Work, source: str, *, work_iri: str | None = None,
             described: Described | None = None,
             gathered: Gathered | None = None) -> list[str]:
    """The lines of one work. The hot path of a big import: each line is formatted inline
    (a call per line would cost a fifth of the mapping) and the lines come back as a list."""
    g = iri(source)
    end = f" {g} .\n"
    w_iri = work_iri or work_iri_of(work)
    w = iri(w_iri)
    out = [f"{w} {R.type} {S.Work}{end}",
           f"{w} {R.type} {WORK_TYPE[work.work_type]}{end}",
           f"{w} {S.title} {lit(work.title)}{end}"]
    add = out.append
    if work.year is not None:
        add(f"{w} {S.year} {year(work.year)}{end}")
    if work.abstract:
        add(f"{w} {S.abstract} {lit(work.abstract)}{end}")
    venue = work.venue
    v_iri = None
    if venue is not None:
        v_iri = ids.venue_iri(venue.name)
        v = iri(v_iri)
        add(f"{w} {S.publishedIn} {v}{end}")
        if described is None or described.first(v_iri, venue.kind):
            name = lit(venue.name)
            out += (f"{v} {R.type} {S.Venue}{end}",
                    f"{v} {R.type} {VENUE_KIND[venue.kind]}{end}",
                    f"{v} {S.name} {name}{end}",
                    f"{v} {RS.label} {name}{end}")
            if gathered is not None:
                gathered.venue_named(v_iri, venue.name)
        if venue.openalex:
            add(f"{v} {S.openalex} {iri(ids.openalex_iri(venue.openalex))}{end}")

    listed = 0
    authors = []
    for slot in work.authors:
        p_iri = ids.person_iri(slot.name, slot.homonym)
        authors.append(p_iri)
        if gathered is not None:  # it knows every label it was told, so nothing is repeated
            describe = gathered.label(p_iri, slot.display_name)
        else:
            describe = described is None or described.first(p_iri, slot.display_name)
        if slot.position is not None:
            listed += 1
        out += authorship_lines(w_iri, p_iri, slot, source, describe)
        if slot.orcid or slot.dblp_pid or slot.openalex:
            p = iri(p_iri)
            out += (f"{p} {pred} {iri(to_iri(getattr(slot, attr)))}{end}"
                    for attr, pred, to_iri in _PERSON_IDS if getattr(slot, attr))
    i = work.ids
    if gathered is not None:
        gathered.work(w_iri, work.title, work.abstract, authors,
                      [slot.position for slot in work.authors], v_iri, work.year,
                      bool(i.doi or i.arxiv or i.dblp or i.openalex or i.wikidata),
                      listed=listed, complete=work.authors_complete)
    add(f"{w} {S.authorListComplete} {_TRUE if work.authors_complete else _FALSE}{end}")
    add(f"{w} {S.listedAuthorCount} {integer(listed)}{end}")
    if work.authors_complete:
        add(f"{w} {S.authorCount} {integer(listed)}{end}")

    out += (f"{w} {pred} {iri(to_iri(getattr(i, attr)))}{end}"
            for attr, pred, to_iri in _WORK_IDS if getattr(i, attr))
    out += (f"{w} {S.url} {iri(url)}{end}" for url in i.urls)
    links = work.links
    out += (f"{w} {S.codeRepository} {iri(url)}{end}" for url in links.code)
    out += (f"{w} {S.dataset} {iri(url)}{end}" for url in links.data)
    out += (f"{w} {S.projectPage} {iri(url)}{end}" for url in links.project)

    out += (f"{iri(ids.cluster_iri('arrow', name))} {S.clusterWork} {w}{end}"
            for name in work.clusters)

    if work.origin is not None:
        r = iri(record_iri(source, work.origin.line))
        out += (f"{w} {PR.wasDerivedFrom} {r}{end}",
                f"{r} {R.type} {S.SourceRecord}{end}",
                f"{r} {S.inSource} {g}{end}",
                f"{r} {S.line} {integer(work.origin.line)}{end}")
    return out


def authorship_lines(work: str, person: str, slot: AuthorSlot, graph: str,
                     describe_person: bool) -> list[str]:
    """The authorship node of one slot, the work's ``skg:hasAuthor``, and (when
    ``describe_person``) the person's type, names and match key, in ``graph``. ``work``,
    ``person`` and ``graph`` are IRIs."""
    w, p, end = iri(work), iri(person), f" {iri(graph)} .\n"
    a = iri(ids.authorship_iri(work, slot.position, person))
    out = [f"{w} {S.hasAuthorship} {a}{end}",
           f"{a} {R.type} {S.Authorship}{end}",
           f"{a} {S.authorshipOf} {w}{end}",
           f"{a} {S.author} {p}{end}",
           f"{a} {S.printedName} {lit(slot.display_name)}{end}"]
    if slot.position is not None:
        out.append(f"{a} {S.position} {integer(slot.position)}{end}")
    out.append(f"{w} {S.hasAuthor} {p}{end}")
    if describe_person:
        out += (f"{p} {R.type} {S.Person}{end}",
                f"{p} {S.name} {lit(slot.name)}{end}",
                f"{p} {RS.label} {lit(slot.display_name)}{end}",
                f"{p} {S.nameKey} {lit(ids.name_match_key(slot.name))}{end}")
        if slot.homonym:
            out.append(f"{p} {S.homonymNumber} {lit(slot.homonym)}{end}")
    return out


def map_person(person: Person, source: str,
               gathered: Gathered | None = None) -> Iterator[str]:
    """A dblp homepage record: the primary name's person carries the pid and the other names as
    variants; each variant's person carries the pid too, so queries can join them."""
    g, q = in_graph(source)
    pid = iri(ids.dblp_pid_iri(person.dblp_pid)) if person.dblp_pid else None
    primary = person.names[0]
    for i, printed in enumerate(person.names):
        name, homonym = ids.split_homonym(printed)
        p_iri = ids.person_iri(name, homonym)
        if gathered is not None:
            gathered.label(p_iri, printed)
        p = iri(p_iri)
        yield q(p, R.type, S.Person)
        yield q(p, S.name, lit(name))
        yield q(p, RS.label, lit(printed))
        yield q(p, S.nameKey, lit(ids.name_match_key(name)))
        if homonym:
            yield q(p, S.homonymNumber, lit(homonym))
        if pid is not None:
            yield q(p, S.dblpPerson, pid)
        if i == 0:
            for variant in person.names[1:]:
                yield q(p, S.nameVariant, lit(variant))
            if person.orcid:
                yield q(p, S.orcid, iri(ids.orcid_iri(person.orcid)))
            for url in person.urls:
                yield q(p, S.url, iri(url))
        else:
            yield q(p, S.nameVariant, lit(primary))
    if person.origin is not None:
        p = iri(ids.person_iri(primary))
        r = iri(record_iri(source, person.origin.line))
        yield q(p, PR.wasDerivedFrom, r)
        yield q(r, R.type, S.SourceRecord)
        yield q(r, S.inSource, g)
        yield q(r, S.line, integer(person.origin.line))


def map_cluster(cluster: NameCluster, source: str,
                gathered: Gathered | None = None) -> Iterator[str]:
    g, q = in_graph(source)
    c_iri = ids.cluster_iri(cluster.system, cluster.name)
    if gathered is not None:
        gathered.tally.clusters.add(c_iri)
    c = iri(c_iri)
    yield q(c, R.type, S.NameCluster)
    yield q(c, S.clusterName, lit(cluster.name))
    yield q(c, RS.label, lit(f"Author name cluster: {cluster.name}"))
    yield q(c, S.clusterSystem, lit(cluster.system))
    yield q(c, S.clusterPerson, iri(ids.person_iri(cluster.name)))
    if cluster.paper_count is not None:
        yield q(c, S.paperCount, integer(cluster.paper_count))
    if cluster.author_rows is not None:
        yield q(c, S.authorRowCount, integer(cluster.author_rows))
    if cluster.origin is not None:
        r = iri(record_iri(source, cluster.origin.line))
        yield q(c, PR.wasDerivedFrom, r)
        yield q(r, R.type, S.SourceRecord)
        yield q(r, S.inSource, g)
        yield q(r, S.line, integer(cluster.origin.line))
