"""The rows a canned query takes from the store's author index (``#+ rows:``), as a ``VALUES``
block. Most kinds are answers (:mod:`scholkg.indexquestions`: milliseconds where SPARQL walks
a big store for seconds), bound with the variables :data:`~scholkg.catalog.ROWS` names, in the
order and with the values the SPARQL written beside the query in its file would give
(``tests/test_authorindex.py`` compares the two). Four bind ``?work`` to the works a listing
newest first can show (``venue-works``, ``recent``, ``unidentified``): the query itself
reads and orders those; ``author-works`` gives a person's listing whole (the index holds
titles, positions and list sizes).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

import numpy as np
import pyoxigraph as ox

from .authorindex import AuthorIndex
from .catalog import ROWS
from .indexquestions import NO_YEAR, NONE
from .mapping import year as gyear


def year(y: int) -> str:
    return "UNDEF" if y == NO_YEAR else gyear(y)


def rows_block(rows: str, iris: list[str] | None, index: AuthorIndex, limit: int | None,
               options: Mapping[str, list[str]] | None = None) -> str:
    """The ``VALUES`` block of the rows ``rows`` of the persons or venues ``iris`` (those the
    index does not know have no works; None: none was asked for, the rows of every work), at
    most ``limit``; ``options``: the values of each parameter of the query."""
    variables, kind = ROWS[rows]
    find = index.find if kind == "person" else index.find_venue
    asked = _Asked(index, [n for n in (find(i) for i in iris or ()) if n is not None],
                   iris is None, limit, options or {})
    names = " ".join(f"?{v}" for v in variables)
    return f"VALUES ({names}) {{\n    " + "\n    ".join(_KINDS[rows](asked)) + "\n  }"


class _Asked:
    """What a kind of rows is asked: of the persons or venues ``found`` in the index (or of
    everything, if ``everything``), at most ``limit``, with the query's parameters
    ``options``."""

    def __init__(self, index: AuthorIndex, found: list[int], everything: bool,
                 limit: int | None, options: Mapping[str, list[str]]):
        self.index, self.found, self.everything = index, found, everything
        self.limit, self.options = limit, options
        # a network shows at least four triples per pair (its edge): more pairs than a
        # quarter of the rows asked for are never seen
        self.edges = None if limit is None else -(-limit // 4)
        self.who = functools.cache(self._who)

    def _who(self, n: int) -> str:
        name = self.index.name(n)
        return f"{ox.NamedNode(self.index.iri(n))} {ox.Literal(name) if name else 'UNDEF'}"

    def works(self, works: np.ndarray) -> list[str]:
        return [f"({ox.NamedNode(self.index.work_iri(w))})" for w in works.tolist()]

    def option(self, name: str) -> int | None:
        given = self.options.get(name)
        return int(given[0]) if given else None


def _venue_works(a: _Asked) -> list[str]:
    """Each work that can be shown, with one of the venues asked for that it appeared in."""
    works = a.index.newest_in(a.found, a.option("year"), a.limit)
    lines = []
    for v in a.found:
        these = works[np.isin(works, a.index.works_in([v]))]
        works = works[~np.isin(works, these)]
        venue = ox.NamedNode(a.index.venue_iri(v))
        lines += [f"({ox.NamedNode(a.index.work_iri(w))} {venue})" for w in these.tolist()]
    return lines


def _author_works(a: _Asked) -> list[str]:
    """Each work of each person asked for, with its year, title, venue, the person's position
    and role, and its list's size and completeness: the rows of ``works-by-author``."""
    lines = []
    for _, w, y, title, venue, position, listed, count, complete in a.index.listing(
            a.found, a.limit):
        lines.append(" ".join((
            "(", year(y), str(ox.Literal(title)), "UNDEF" if venue is None else str(
                ox.Literal(venue)), _number(position), _role(position, listed, count),
            _number(listed), "true" if complete == 1 else "false",
            str(ox.NamedNode(a.index.work_iri(w))), ")")))
    return lines


def _number(n: int) -> str:
    return "UNDEF" if n == NONE else str(n)


def _role(position: int, listed: int, count: int) -> str:
    """The role a position implies, as works-by-author.rq's plain SPARQL says: "middle or last"
    when the list may be cut (no count) and the position is its last listed; none when
    neither count nor listed is known (the SPARQL's comparison fails)."""
    if position == NONE:
        role = "unknown"
    elif count == 1:
        role = "solo"
    elif position == 1:
        role = "first"
    elif count != NONE:
        role = "last" if position == count else "middle"
    elif listed == NONE:
        return "UNDEF"
    else:
        role = "middle or last" if position == listed else "middle"
    return f'"{role}"'


def _career(a: _Asked) -> list[str]:
    first, last, works, active, venues, coauthors = a.index.career(
        a.found[0] if a.found else None)
    span = "UNDEF" if first == NO_YEAR else last - first + 1
    return [f"({year(first)} {year(last)} {span} {works} {active} {venues} {coauthors})"]


def _spans(rows) -> list[str]:
    """(someone, n, first year, last year) rows, someone written already."""
    return [f"({who} {n} {year(first)} {year(last)})" for who, n, first, last in rows]


_KINDS: dict[str, Callable[[_Asked], list[str]]] = {
    "coauthor-pairs": lambda a: [f"({a.who(p)} {a.who(q)} {n})"
                                 for p, q, n in a.index.pairs(a.found, a.edges)],
    "venue-pairs": lambda a: [f"({a.who(p)} {a.who(q)} {n})" for p, q, n in
                              a.index.pairs_in(a.index.works_in(a.found), a.edges, named=True)],
    "coauthors-of-coauthors": lambda a: [f"({a.who(p)} {n})" for p, n in (
        a.index.second_degree(a.found[0], a.limit) if a.found else [])],
    "coauthors": lambda a: _spans((a.who(p), n, f, la) for p, n, f, la in (
        a.index.coauthors(a.found[0], a.limit) if a.found else [])),
    "venue-authors": lambda a: _spans((a.who(p), n, f, la) for p, n, f, la in
                                      a.index.venue_authors(a.found, a.limit)),
    # every venue of the person: the query orders them by name
    "author-venues": lambda a: _spans((ox.NamedNode(a.index.venue_iri(v)), n, f, la)
                                      for v, n, f, la in (a.index.author_venues(a.found[0])
                                                          if a.found else [])),
    "career": _career,
    "years": lambda a: [f"({year(y)} {n})" for y, n in a.index.year_counts(
        None if a.everything else a.found)[:a.limit]],
    "venue-years": lambda a: [f"({year(y)} {n} {p})"
                              for y, n, p in a.index.venue_years(a.found)[:a.limit]],
    "venue-newcomers": lambda a: [f"({year(y)} {n})"
                                  for y, n in a.index.venue_newcomers(a.found)[:a.limit]],
    # of every work, at least min_works together (the parameter is the index's)
    "collaborations": lambda a: [
        f"({a.who(p)} {a.who(q)} {n} {year(f)} {year(la)})"
        for p, q, n, f, la in a.index.collaborations(a.option("min_works") or 1, a.limit)],
    "author-works": _author_works,
    "venue-works": _venue_works,
    "recent": lambda a: a.works(a.index.since(a.option("since"), a.limit)),
    "unidentified": lambda a: a.works(a.index.unidentified(a.limit)),
}
