"""The rows a canned query takes from the store's author index (``#+ rows:``), as a ``VALUES``
block. Most kinds are answers (:mod:`scholkg.indexquestions`: milliseconds where SPARQL walks
a big store for seconds), bound with the variables :data:`~scholkg.catalog.ROWS` names, in the
order and with the values the SPARQL written beside the query in its file would give
(``tests/test_authorindex.py`` compares the two): ``author-works`` gives a person's listing
whole (the index holds titles, positions and list sizes), ``author-roles`` each of their works
with its role, for the query to count, ``related`` the works sharing authors with a work;
``linked-works`` asks the store only for the persons linked to the one asked for
(:data:`LINKED`) and the names the index does not know they are printed under
(:data:`PRINTED`), the index for their works, years and titles. Three bind ``?work`` to the
works a listing newest first can show (``venue-works``, ``recent``, ``unidentified``): the
query itself reads and orders those.
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


def rows_block(rows: str, iris: list[str] | None, store, limit: int | None,
               options: Mapping[str, list[str]] | None = None) -> str:
    """The ``VALUES`` block of the rows ``rows`` of the persons or venues ``iris`` (those the
    index does not know have no works; None: none was asked for, the rows of every work), from
    the author index of ``store`` (a :class:`~scholkg.store.GraphStore`), at most ``limit``;
    ``options``: the values of each parameter of the query."""
    variables, kind = ROWS[rows]
    index = store.author_index()
    find = {"person": index.find, "venue": index.find_venue, "iri": index.find_work}.get(
        kind, lambda _: None)  # an integer option is no one
    asked = _Asked(store, index, iris, [n for n in (find(i) for i in iris or ()) if n is not None],
                   limit, options or {})
    names = " ".join(f"?{v}" for v in variables)
    return f"VALUES ({names}) {{\n    " + "\n    ".join(_KINDS[rows](asked)) + "\n  }"


class _Asked:
    """What a kind of rows is asked of ``store`` and its author ``index``: of the persons or
    venues ``iris`` (``found``: those of them the index knows; None: of everything), at most
    ``limit``, with the query's parameters ``options``."""

    def __init__(self, store, index: AuthorIndex, iris: list[str] | None, found: list[int],
                 limit: int | None, options: Mapping[str, list[str]]):
        self.store, self.index, self.iris, self.found = store, index, iris or [], found
        self.everything, self.limit, self.options = iris is None, limit, options
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


def _author_roles(a: _Asked) -> list[str]:
    """Each work of the person asked for (all of them: the query counts them; ``?work`` its
    number in the index, the query shows no work), with its first year and the role of the
    person's position in it: the rows ``author-roles-per-year`` counts."""
    return [f"({year(y)} {_role(position, listed, count)} {w})"
            for w, y, position, listed, count in (a.index.placed(a.found[0]) if a.found else [])]


#: The persons asked for and those links say are the same (as person-works-linked.rq's plain
#: SPARQL finds them).
LINKED = """SELECT DISTINCT ?p WHERE {
  VALUES ?author { #PERSONS }
  { ?author a skg:Person . BIND(?author AS ?p) }
  UNION { ?author owl:sameAs ?same . ?p owl:sameAs ?same . }
  UNION { ?author owl:sameAs ?p . }
  UNION { ?p owl:sameAs ?author . }
}"""
#: How many names each person is printed under, and the smallest: a person of one name is
#: printed under it in each of their works (13 ms for 1,512 works at 1 M works, where the name
#: of each work took 40-110 ms).
PRINTED = """SELECT ?p (COUNT(DISTINCT ?name) AS ?names) (MIN(?name) AS ?one) WHERE {
  VALUES ?p { #PERSONS }
  ?slot skg:author ?p ;
        skg:printedName ?name .
} GROUP BY ?p"""
#: The names each work prints the persons under (of the persons of several names).
PRINTED_IN = """SELECT DISTINCT ?work ?name WHERE {
  VALUES ?p { #PERSONS }
  ?slot skg:author ?p ;
        skg:authorshipOf ?work ;
        skg:printedName ?name .
}"""


def _linked_works(a: _Asked) -> list[str]:
    """Each work of the persons asked for and of those links say are the same, with its first
    year, smallest title and the names it prints them under (in code-point order, joined by
    " | "): newest first (no year last), then by title (none first) and IRI, at most
    ``limit``. Of a person the index knows to be printed under their label alone (an
    import's, ``one_name``), that name and their works come from the index; of the others the
    graph gives the names: of a person printed under one name, that name (and the index their
    works); of the rest, the name in each work."""
    if not a.iris:
        return []
    linked = [p.value for p, in a.store.query(LINKED.replace("#PERSONS", _terms(a.iris)))]
    names: dict[int | str, set[str]] = {}  # work number (IRI if the index lacks it) -> names
    iris: dict[int, str] = {}

    def printed(n: int | None, name: str) -> bool:
        """Note that each work of the person ``n`` prints them under ``name``; False, and
        nothing noted, when the index lacks the IRI of one of their works (it has those of
        the titled ones only)."""
        works = a.index.works_of([n]) if n is not None else None
        if works is None or not a.index.titled[works].all():
            return False
        for w in works.tolist():
            names.setdefault(w, set()).add(name)
        return True

    ask = []  # the persons whose printed names the graph gives
    for p in linked:
        n = a.index.find(p)
        if n is None or a.index.one_name[n] != 1 or not printed(n, a.index.name(n)):
            ask.append(p)
    several = []
    for p, count, one in (a.store.query(PRINTED.replace("#PERSONS", _terms(ask)))
                          if ask else ()):
        if not (int(count.value) == 1 and printed(a.index.find(p.value), one.value)):
            several.append(p.value)
    for work, name in (a.store.query(PRINTED_IN.replace("#PERSONS", _terms(several)))
                       if several else ()):
        n = a.index.find_work(work.value)
        if n is not None:
            iris[n] = work.value
        names.setdefault(work.value if n is None else n, set()).add(name.value)
    known = np.array([w for w in names if isinstance(w, int)], dtype=np.int64)
    firsts = dict(zip(known.tolist(), a.index.spans(known)[0].tolist(), strict=True))
    rows = []
    for w in names:
        if isinstance(w, str):
            y, title, iri = int(NO_YEAR), None, w  # a Python int: -y must not overflow
        else:
            y, iri = firsts[w], iris.get(w) or a.index.work_iri(w)
            title = a.index.title(w) if a.index.titled[w] == 1 else None
        rows.append((y == NO_YEAR, -y, title is not None, title or "", iri, y, title, w))
    rows.sort()
    return [f"({year(y)} {'UNDEF' if title is None else ox.Literal(title)} "
            f"{ox.Literal(' | '.join(sorted(names[w])))} {ox.NamedNode(iri)})"
            for *_, iri, y, title, w in rows[:a.limit]]


def _terms(iris: list[str]) -> str:
    return " ".join(str(ox.NamedNode(i)) for i in iris)


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
    "author-roles": _author_roles,
    "linked-works": _linked_works,
    "related": lambda a: [
        f"({n} {year(y)} {ox.Literal(title)} {ox.NamedNode(a.index.work_iri(w))})"
        for w, n, y, title in (a.index.related(a.found[0], a.limit) if a.found else [])],
    "venue-works": _venue_works,
    "recent": lambda a: a.works(a.index.since(a.option("since"), a.limit)),
    "unidentified": lambda a: a.works(a.index.unidentified(a.limit)),
}
