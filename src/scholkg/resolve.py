"""One paper, one work: the rule that gives a work its IRI, whichever source it comes from.

1. **Shared identifier.** If a DOI, dblp key, arXiv ID, OpenAlex ID or Wikidata QID of the record
   (checked in that order) already belongs to a work in the store or earlier in this import,
   the record is that work.
2. **Title and year.** Otherwise the IRI is a hash of the normalised title (case, punctuation,
   accents' composition, dblp's final period) and the year, so the same paper from an Arrow page
   (no DOI) and from dblp (with DOI) meets on one IRI in either import order.
   Generic titles ("Editorial", "Preface", ...) also take the venue and the first author, so two
   editorials of one year in two journals stay two works. Works without a year take the first
   author instead.
3. **Conflicting DOIs.** If the work found by rule 2 already has a different DOI (other than an
   arXiv DOI, which names the preprint of the same paper), the record is another paper: its IRI
   also takes its DOI.

The outcome depends only on the records, except where rule 1 or 3 meets what was imported
before; importing the same files again always gives the same graph.
"""

from __future__ import annotations

from collections import OrderedDict

from pyoxigraph import NamedNode

from . import identifiers as ids
from .model import Work
from .vocab import SKG

GENERIC_TITLES = frozenset("""
editorial;guest editorial;editor s note;editors note;from the editor;preface;foreword;
introduction;index;author index;subject index;front matter;back matter;title page;contents;
table of contents;erratum;errata;correction;corrigendum;retraction;letter to the editor;
in memoriam;obituary;book review;book reviews;reviewers;acknowledgments;acknowledgements;
acknowledgment;announcement;announcements;keynote;keynote address;invited talk;panel;
tutorial;abstract;abstracts;message from the chairs;welcome message;organization;committees;
program committee;conference report;news;call for papers;editorial board;masthead
""".replace("\n", "").split(";"))

ARXIV_DOI_PREFIX = "10.48550/arxiv."

_IDS = (
    ("doi", SKG.doi, ids.doi_iri),
    ("dblp", SKG.dblpRecord, ids.dblp_iri),
    ("arxiv", SKG.arxiv, ids.arxiv_iri),
    ("openalex", SKG.openalex, ids.openalex_iri),
    ("wikidata", SKG.wikidata, ids.wikidata_iri),
)


def is_generic(title: str) -> bool:
    t = ids.title_key(title)
    return not t or t in GENERIC_TITLES


def work_key(work: Work) -> str:
    """Rule 2's key."""
    t = ids.title_key(work.title)
    first = next((a for a in work.authors if a.position == 1), None)
    first_key = ids.person_key(first.name, first.homonym) if first else ""
    if not t or t in GENERIC_TITLES:  # is_generic, without normalising the title again
        venue = ids.venue_key(work.venue.name) if work.venue else ""
        return f"title:{t}|{work.year or ''}|{venue}|{first_key}"
    if work.year is None:
        return f"title:{t}||{first_key}"
    return f"title:{t}|{work.year}"


def identifier_iris(work: Work) -> list[tuple[NamedNode, str]]:
    """(property, IRI) of each identifier the work has, strongest first."""
    out = []
    for attr, prop, to_iri in _IDS:
        value = getattr(work.ids, attr)
        if value:
            out.append((prop, to_iri(value)))
    return out


class WorkResolver:
    """Applies the rule above against a store (anything with ``subjects_with`` and
    ``objects_of``, see :class:`~scholkg.store.GraphStore`) and the records seen so far.

    The memory of records seen in this import is bounded (``remember`` entries); older ones are
    found in the store, where the importer has already written them.
    """

    def __init__(self, store, *, remember: int = 20_000):
        self.store = store
        self._seen: OrderedDict[str, str] = OrderedDict()  # identifier IRI -> work IRI
        self._dois: OrderedDict[str, set[str]] = OrderedDict()  # work IRI -> DOI IRIs
        self._remember = remember

    def resolve(self, work: Work) -> str:
        idents = identifier_iris(work)
        found = self._by_identifier(idents)
        if found is None:
            key = work_key(work)
            found = ids.work_iri(key)
            if work.ids.doi and not work.ids.doi.startswith(ARXIV_DOI_PREFIX):
                mine = ids.doi_iri(work.ids.doi)
                theirs = {d for d in self._known_dois(found)
                          if not d.startswith("https://doi.org/" + ARXIV_DOI_PREFIX)}
                if theirs and mine not in theirs:
                    found = ids.work_iri(f"{key}|doi:{work.ids.doi}")
        self._note(work, idents, found)
        return found

    def _by_identifier(self, idents: list[tuple[NamedNode, str]]) -> str | None:
        for prop, iri in idents:
            hit = self._seen.get(iri)
            if hit is not None:
                return hit
            if self.store is not None:
                subjects = self.store.subjects_with(prop, NamedNode(iri))
                if subjects:
                    return min(subjects)
        return None

    def _known_dois(self, work_iri: str) -> set[str]:
        known = set(self._dois.get(work_iri, ()))
        if self.store is not None:
            known |= self.store.objects_of(work_iri, SKG.doi)
        return known

    def _note(self, work: Work, idents: list[tuple[NamedNode, str]], work_iri: str) -> None:
        for _, iri in idents:
            self._seen[iri] = work_iri
            self._seen.move_to_end(iri)
        if work.ids.doi:
            self._dois.setdefault(work_iri, set()).add(ids.doi_iri(work.ids.doi))
        while len(self._seen) > self._remember:
            self._seen.popitem(last=False)
        while len(self._dois) > self._remember:
            self._dois.popitem(last=False)
