"""What linked records add to ours, in an enrichment graph of its own.

Only from ``owl:sameAs`` links, and only what our records lack: a work's DOI, arXiv ID, dblp
key, OpenAlex ID or QID when it has none of that kind; a person's ORCID, dblp pid, OpenAlex ID
or QID likewise; and the rest of an author list our source cut (the seed page shows at most 8
names) — the authors after our last position, with ``skg:authorCount``. Nothing imported is
changed: the facts sit in ``skgid:enrichment/<linkset>``, each enriched entity says where they
came from (``skg:enrichedFrom``), and dropping the linkset drops them.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from .. import identifiers as ids
from ..mapping import authorship_lines, quads
from ..model import AuthorSlot
from ..vocab import PROV, SKG, XSD
from .matcher import Link, WorkMatch
from .views import AuthorView

_WORK_IDS = {"doi": (SKG.doi, ids.doi_iri), "arxiv": (SKG.arxiv, ids.arxiv_iri),
             "dblp": (SKG.dblpRecord, ids.dblp_iri), "openalex": (SKG.openalex, ids.openalex_iri),
             "wikidata": (SKG.wikidata, ids.wikidata_iri)}
_PERSON_IDS = {"orcid": SKG.orcid, "dblp": SKG.dblpPerson, "openalex": SKG.openalex,
               "wikidata": SKG.wikidata}


def _iri_of(kind: str, value: str) -> str | None:
    """Person identifiers come as IRIs from the targets; keep only well-formed ones."""
    if kind == "orcid":
        try:
            return ids.orcid_iri(ids.normalise_orcid(value))
        except ids.IdentifierError:
            return None
    return value if value.startswith(("http://", "https://")) else None


def enrichment_quads(matches: list[WorkMatch], person_links: list[Link], graph: str,
                     linkset: str) -> Iterator[Quad]:
    g = NamedNode(graph)

    def q(s, p, o):
        return Quad(s, p, o, g)

    yield q(g, PROV.wasDerivedFrom, NamedNode(linkset))
    linked_persons = {k.local: k for k in person_links if k.relation == "sameAs"}
    local_person_ids: dict[str, set[str]] = {}
    ext_person_ids: dict[str, dict[str, str]] = {}
    for m in matches:
        if m.relation != "sameAs":
            continue
        w = NamedNode(m.local.iri)
        added = False
        for kind, (prop, make) in _WORK_IDS.items():
            if m.local.ids.get(kind) or not m.external.ids.get(kind):
                continue
            yield q(w, prop, NamedNode(make(sorted(m.external.ids[kind])[0])))
            added = True
        yield from (rest := list(_rest_of_authors(m, q, graph)))
        if added or rest:
            yield q(w, SKG.enrichedFrom, NamedNode(m.external.iri))
        for a in m.result.aligned:
            if a.local.person:
                local_person_ids.setdefault(a.local.person, set()).update(a.local.ids)
            if a.local.person in linked_persons and a.external.person:
                ext_person_ids.setdefault(a.local.person, {}).update(a.external.ids)
    for person, link in linked_persons.items():
        p = NamedNode(person)
        added = False
        for kind, value in sorted(ext_person_ids.get(person, {}).items()):
            if kind not in _PERSON_IDS or kind in local_person_ids.get(person, ()):
                continue
            iri = _iri_of(kind, value)
            if iri:
                yield q(p, _PERSON_IDS[kind], NamedNode(iri))
                added = True
        if added:
            yield q(p, SKG.enrichedFrom, NamedNode(link.external))


def _rest_of_authors(m: WorkMatch, q, graph: str) -> Iterator[Quad]:
    """The authors after the last of ours, when our list was cut and theirs is longer."""
    ours, theirs = m.local.ordered, m.external.ordered
    if m.local.complete or not theirs or len(theirs) <= len(ours):
        return
    last = max((a.position for a in ours), default=0)
    w = NamedNode(m.local.iri)
    for a in theirs:
        if a.position is not None and a.position > last:
            yield from _authorship(w, a, q, graph)
    yield q(w, SKG.authorCount, Literal(str(len(theirs)), datatype=XSD.integer))


def _authorship(w: NamedNode, a: AuthorView, q, graph: str) -> Iterator[Quad]:
    name, homonym = ids.split_homonym(a.name)
    slot = AuthorSlot(name=name, homonym=homonym, position=a.position)
    yield from quads(authorship_lines(w.value, ids.person_iri(name, homonym), slot, graph,
                                      describe_person=True))
    if a.person:
        yield q(NamedNode(ids.person_iri(name, homonym)), SKG.enrichedFrom, NamedNode(a.person))
