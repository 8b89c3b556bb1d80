"""Typed scholarly records: what readers produce and the mapping consumes. No RDF here.

>>> w = Work(title="Omni-Dimensional Dynamic Convolution", year=2022,
...          authors=[AuthorSlot(name="Chao Li"), AuthorSlot(name="Aojun Zhou")])
>>> [a.name for a in w.authors], w.authors_complete
(['Chao Li', 'Aojun Zhou'], True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Work types a record may carry, with the ontology class each maps to.
WORK_TYPES = (
    "conference-paper",
    "journal-article",
    "preprint",
    "book",
    "book-chapter",
    "proceedings",
    "thesis",
    "dataset",
    "other",
)

#: Venue kinds.
VENUE_KINDS = ("conference", "journal", "repository", "book-series", "other")


@dataclass(frozen=True)
class Origin:
    """Where a record came from: the file as given and the 1-based line where it starts."""

    path: str
    line: int


@dataclass(frozen=True)
class Venue:
    """A conference, journal or other outlet, as named in the record ("ICLR", "TMLR")."""

    name: str
    kind: str = "other"
    openalex: str | None = None


@dataclass(frozen=True)
class AuthorSlot:
    """One author of a work as printed.

    ``name`` is the printed name without the dblp homonym number; ``homonym`` is that number
    ("0036" in "Ke Wang 0036") or None. ``position`` is 1-based, or None when the person is
    known to be an author but not where in the list.
    """

    name: str
    homonym: str | None = None
    orcid: str | None = None
    position: int | None = None
    dblp_pid: str | None = None
    openalex: str | None = None

    @property
    def display_name(self) -> str:
        """The name with its homonym number, as dblp prints it."""
        return f"{self.name} {self.homonym}" if self.homonym else self.name


@dataclass
class Identifiers:
    """External identifiers of a work, normalised (see :mod:`scholkg.identifiers`)."""

    doi: str | None = None
    arxiv: str | None = None
    dblp: str | None = None
    openalex: str | None = None
    wikidata: str | None = None
    urls: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.doi or self.arxiv or self.dblp or self.openalex or self.wikidata or self.urls)


@dataclass
class Links:
    """Links a work points to: code repositories, data sets, project pages."""

    code: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    project: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.code, *self.data, *self.project]


@dataclass
class Work:
    """A scholarly work.

    ``authors`` holds the slots in printed order (positions 1..n) followed by any slots of
    unknown position. ``authors_complete`` is False when the source may have cut the list
    (the Arrow page shows at most 8 names), so the last listed name is not the last author.
    """

    title: str
    year: int | None = None
    work_type: str = "other"
    venue: Venue | None = None
    authors: list[AuthorSlot] = field(default_factory=list)
    authors_complete: bool = True
    abstract: str | None = None
    ids: Identifiers = field(default_factory=Identifiers)
    links: Links = field(default_factory=Links)
    clusters: list[str] = field(default_factory=list)
    origin: Origin | None = None

    @property
    def ordered_authors(self) -> list[AuthorSlot]:
        return [a for a in self.authors if a.position is not None]


@dataclass
class NameCluster:
    """A page grouping the works of one author name (Arrow's "author name cluster")."""

    name: str
    paper_count: int | None = None
    author_rows: int | None = None
    system: str = "arrow"
    origin: Origin | None = None


@dataclass
class Person:
    """A person record on its own (dblp's ``www`` homepage records): a dblp pid and the names
    it is known by, the first being the primary one."""

    names: list[str]
    dblp_pid: str | None = None
    orcid: str | None = None
    urls: list[str] = field(default_factory=list)
    origin: Origin | None = None


@dataclass
class Rejected:
    """A record a reader could not read: the error (with file and line) and its raw text."""

    error: Exception
    raw: str | None = None


Record = Work | NameCluster | Person
