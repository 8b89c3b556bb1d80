"""A work and its authors as the matcher sees them, whichever side they come from.

Identifiers are normalised the same way on both sides (:mod:`scholkg.identifiers`), keyed by
kind: ``doi``, ``arxiv``, ``dblp``, ``openalex``, ``wikidata``. An arXiv DOI
(10.48550/arXiv.X) also gives the arXiv identifier, since dblp writes preprints that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import identifiers as ids

ID_KINDS = ("doi", "arxiv", "dblp", "openalex", "wikidata")

_NORMALISE = {
    "doi": ids.normalise_doi,
    "arxiv": ids.normalise_arxiv,
    "dblp": ids.normalise_dblp_key,
    "openalex": ids.normalise_openalex,
    "wikidata": ids.normalise_qid,
}


def normalise_id(kind: str, value: str) -> str | None:
    """The normalised identifier, or None when the value is not one (external data is not
    ours to reject: a malformed identifier is simply not used). arXiv versions are dropped:
    2203.08424v3 and 2203.08424 are one paper."""
    try:
        v = _NORMALISE[kind](value)
    except ids.IdentifierError:
        return None
    return re.sub(r"v\d+$", "", v) if kind == "arxiv" else v


@dataclass
class AuthorView:
    name: str  # as printed, with the homonym number when the source gives one
    position: int | None
    person: str | None = None  # the person's IRI on its own side
    ids: dict[str, str] = field(default_factory=dict)  # orcid, dblp (pid IRI), wikidata, openalex


@dataclass
class WorkView:
    iri: str
    titles: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)
    venues: set[str] = field(default_factory=set)  # names/acronyms as printed
    venue_iris: set[str] = field(default_factory=set)
    authors: list[AuthorView] = field(default_factory=list)
    complete: bool = True  # False when the author list may be cut
    label: str = ""

    def add_id(self, kind: str, value: str) -> None:
        v = normalise_id(kind, value)
        if v is None:
            return
        self.ids.setdefault(kind, set()).add(v)
        if kind == "doi" and v.startswith("10.48550/arxiv."):
            a = normalise_id("arxiv", v.removeprefix("10.48550/arxiv."))
            if a:
                self.ids.setdefault("arxiv", set()).add(a)

    def add_title(self, title: str) -> None:
        title = ids.clean_text(title)
        if title and title not in self.titles:
            self.titles.append(title)
            self.label = self.label or title

    def add_year(self, value: str) -> None:
        try:
            self.years.add(int(str(value)[:4]))
        except ValueError:
            pass

    def add_author(self, name: str, position: int | None, person: str | None = None,
                   **author_ids: str | None) -> None:
        for a in self.authors:
            if a.position == position and a.name == name:
                a.ids.update({k: v for k, v in author_ids.items() if v})
                if person and not a.person:
                    a.person = person
                return
        self.authors.append(AuthorView(name, position, person,
                                       {k: v for k, v in author_ids.items() if v}))

    @property
    def ordered(self) -> list[AuthorView]:
        """Authors with a position, by position."""
        return sorted((a for a in self.authors if a.position is not None),
                      key=lambda a: a.position)
