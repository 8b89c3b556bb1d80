"""The rows a canned query takes from the store's author index (``#+ rows:``), as a ``VALUES``
block: the index answers in milliseconds what SPARQL answers in seconds on a big store
(:mod:`scholkg.authorindex`). Each kind of rows binds the variables :data:`ROWS` names, in the
order and with the values the SPARQL written beside the query in its file would give
(``tests/test_authorindex.py`` compares the two).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import pyoxigraph as ox

from .authorindex import NO_YEAR, AuthorIndex
from .catalog import ROWS
from .vocab import XSD


def year(y: int) -> str:
    return "UNDEF" if y == NO_YEAR else str(ox.Literal(f"{y:04d}", datatype=XSD.gYear))


def rows_block(rows: str, iris: list[str] | None, index: AuthorIndex, limit: int | None,
               options: Mapping[str, list[str]] | None = None) -> str:
    """The ``VALUES`` block of the rows ``rows`` of the persons or venues ``iris`` (those the
    index does not know have no works; None: none was asked for, the rows of every work), at
    most ``limit``; ``options``: the values of each parameter of the query."""
    options = options or {}
    variables, kind = ROWS[rows]

    @functools.cache
    def who(n: int) -> str:
        name = index.name(n)
        return f"{ox.NamedNode(index.iri(n))} {ox.Literal(name) if name else 'UNDEF'}"

    if rows == "collaborations":  # of every work, at least this many together
        lines = [f"({who(a)} {who(b)} {n} {year(first)} {year(last)})" for a, b, n, first, last
                 in index.collaborations(int((iris or ["1"])[0]), limit)]
        return _block(variables, lines)
    if rows in ("recent", "unidentified"):
        works = index.since(int(options["since"][0]), limit) if rows == "recent" \
            else index.unidentified(limit)
        return _block(variables, [f"({ox.NamedNode(index.work_iri(w))})" for w in works])
    find = index.find if kind == "person" else index.find_venue
    found = [n for n in (find(i) for i in iris or ()) if n is not None]

    # a network shows at least four triples per pair (its edge): more pairs than a quarter of
    # the rows asked for are never seen
    edges = None if limit is None else -(-limit // 4)
    if rows == "coauthor-pairs":
        lines = [f"({who(a)} {who(b)} {n})" for a, b, n in index.pairs(found, edges)]
    elif rows == "venue-pairs":
        lines = [f"({who(a)} {who(b)} {n})"
                 for a, b, n in index.pairs_in(index.works_in(found), edges, named=True)]
    elif rows == "coauthors-of-coauthors":
        lines = [f"({who(p)} {n})" for p, n in
                 (index.second_degree(found[0], limit) if found else [])]
    elif rows in ("coauthors", "venue-authors"):
        ranked = ((index.coauthors(found[0], limit) if found else []) if rows == "coauthors"
                  else index.venue_authors(found, limit))
        lines = [f"({who(p)} {n} {year(first)} {year(last)})" for p, n, first, last in ranked]
    elif rows == "venue-years":
        lines = [f"({year(y)} {n} {a})" for y, n, a in index.venue_years(found)[:limit]]
    elif rows == "venue-works":  # each work with one of the venues it appeared in
        year_given = options.get("year")
        works = index.newest_in(found, int(year_given[0]) if year_given else None, limit)
        lines = []
        for v in found:
            these = works[np.isin(works, index.works_in([v]))]
            works = works[~np.isin(works, these)]
            venue = ox.NamedNode(index.venue_iri(v))
            lines += [f"({ox.NamedNode(index.work_iri(w))} {venue})" for w in these.tolist()]
    elif rows == "venue-newcomers":
        lines = [f"({year(y)} {n})" for y, n in index.venue_newcomers(found)[:limit]]
    elif rows == "years":
        lines = [f"({year(y)} {n})" for y, n in
                 index.year_counts(None if iris is None else found)[:limit]]
    elif rows == "author-venues":  # every venue: the query orders them by name
        lines = [f"({ox.NamedNode(index.venue_iri(v))} {n} {year(first)} {year(last)})"
                 for v, n, first, last in (index.author_venues(found[0]) if found else [])]
    else:  # career
        first, last, works, active, venues, coauthors = index.career(found[0] if found else None)
        span = "UNDEF" if first == NO_YEAR else last - first + 1
        lines = [f"({year(first)} {year(last)} {span} {works} {active} {venues} {coauthors})"]
    return _block(variables, lines)


def _block(variables: tuple[str, ...], lines: list[str]) -> str:
    names = " ".join(f"?{v}" for v in variables)
    return f"VALUES ({names}) {{\n    " + "\n    ".join(lines) + "\n  }"
