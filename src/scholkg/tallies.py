"""The collection statistics counted from what an import gathered, without a query.

At a commit the store counts its statistics (:mod:`scholkg.statistics`) with queries over
every work, authorship and venue: 17-20 s of both cores for a million works, on a store fresh
from the bulk loader, and up to 550 MB for the authors of each venue. When every graph of the
result was gathered by the import that is being committed (a first import, or one that
replaces every source), the same figures follow from the import's tallies
(:class:`scholkg.gathered.Tally`) and the author index built from them, with array
arithmetic, while the loader still writes its last batches (:meth:`GraphStore.will_commit`).

Each figure is the query's, counted the same way: distinct works (by
:func:`~scholkg.authorindex.work_hash`), distinct authorship nodes (a work, a position or
none, a person), a venue's distinct works and authors, the smallest of the names written of a
venue, the first and last year of the works of a venue or an author. A record repeated in a
file, or two records of one work (the resolver gave them one IRI), count once, as in the
graph; a work with two years or two venues counts in each. ``tests/test_derived.py`` checks
that both ways give the same statistics graph.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pyoxigraph import Literal, NamedNode

from .authorindex import AuthorIndex
from .gathered import NONE, Gathered
from .statistics import Figures, top_authors_of
from .vocab import XSD


def figures(parts: Sequence[Gathered], index: AuthorIndex) -> Figures:
    """The figures of the union of the graphs ``parts`` were gathered of; ``index`` is the
    author index of that union."""
    tallies = [p.tally for p in parts]
    venues = sorted(set().union(*(t.venues for t in tallies)))
    place = {iri: n for n, iri in enumerate(venues)}
    names: dict[str, str] = {}
    for t in tallies:
        for iri, name in t.venue_names.items():
            if iri not in names or name < names[iri]:
                names[iri] = name

    work = _cat([t.works for t in tallies], np.uint64)
    year = _cat([t.year for t in tallies], np.int32)
    venue = np.concatenate([_global(t.venue, t.venues, place) for t in tallies]) \
        if tallies else np.zeros(0, np.int64)

    # each work's first and last year (a work of two records may have two)
    dated = year != NONE
    year_work, first, last = _spans(work[dated], year[dated])

    # (work, venue) once each; a venue's works, and their years
    listed = venue != NONE
    pair_work, pair_venue = _distinct(work[listed], venue[listed])
    works_in = np.bincount(pair_venue, minlength=len(venues))
    at = _find(year_work, pair_work)
    has = at >= 0
    v_first = np.full(len(venues), np.iinfo(np.int32).max)
    v_last = np.full(len(venues), -1)
    np.minimum.at(v_first, pair_venue[has], first[at[has]])
    np.maximum.at(v_last, pair_venue[has], last[at[has]])

    # the persons of each authorship, numbered across the parts
    persons: dict[str, int] = {}
    for p in parts:
        for iri in p.authorships.ids:
            persons.setdefault(iri, len(persons))
    a_work = _cat([p.authorships.works for p in parts], np.uint64)
    a_person = np.concatenate(
        [_global(p.authorships.persons, p.authorships.ids, persons) for p in parts]) \
        if parts else np.zeros(0, np.int64)
    a_position = _cat([t.positions for t in tallies], np.int32)
    node_work, _, node_position = _distinct(a_work, a_person, a_position)  # authorship nodes

    # a venue's distinct authors: (work, venue) joined with (work, person) on the work
    wp_work, wp_person = _distinct(a_work, a_person)
    lo = np.searchsorted(pair_work, wp_work, "left")
    hi = np.searchsorted(pair_work, wp_work, "right")
    many = hi - lo
    rows = np.repeat(np.arange(len(wp_work)), many)
    into = np.repeat(lo, many) + np.arange(len(rows)) - np.repeat(np.cumsum(many) - many, many)
    vp_venue, _ = _distinct(pair_venue[into], wp_person[rows])
    authors_in = np.bincount(vp_venue, minlength=len(venues))

    summary = {"works": len(np.unique(work)),
               "persons": len(set().union(*(p.authorships.labels for p in parts))),
               "venues": len(venues),
               "authorSlots": int(np.count_nonzero(node_position != NONE)),
               "authorships": len(node_work),
               "clusters": len(set().union(*(t.clusters for t in tallies))),
               "sources": len(parts)}

    top = top_authors_of(index)
    years: dict[str, tuple[Literal, Literal]] = {}
    for person, _name, _n in top:
        n = index.find(person.value)
        hashes = index.work_hash[index.author_works[index.author_at[n]:index.author_at[n + 1]]]
        at = _find(year_work, hashes)
        if np.any(at >= 0):
            years[person.value] = (_year(first[at[at >= 0]].min()), _year(last[at[at >= 0]].max()))

    return Figures(
        summary=summary, top=top, years=years,
        venue_works=[(NamedNode(venues[v]), int(works_in[v])) for v in range(len(venues))
                     if works_in[v]],
        venue_names={iri: Literal(name) for iri, name in names.items()},
        venue_spans={venues[v]: (_year(v_first[v]), _year(v_last[v]))
                     for v in np.flatnonzero(v_last != -1).tolist()},
        venue_authors={venues[v]: int(authors_in[v]) for v in np.flatnonzero(authors_in).tolist()})


def _cat(arrays, dtype) -> np.ndarray:
    return np.concatenate([np.frombuffer(a, dtype=dtype) for a in arrays]) if arrays \
        else np.zeros(0, dtype)


def _global(local, numbers: dict[str, int], place: dict[str, int]) -> np.ndarray:
    """``local`` numbers (of the keys of ``numbers``, :data:`NONE` kept) as numbers of
    ``place``."""
    to = np.array([place[iri] for iri in numbers] + [NONE], dtype=np.int64)
    return to[np.frombuffer(local, dtype=np.int32)]  # NONE (-1) picks the last


def _distinct(*columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct rows of ``columns``, sorted by the first column, then the next..."""
    if not len(columns[0]):
        return columns
    order = np.lexsort(columns[::-1])
    cols = [c[order] for c in columns]
    new = np.zeros(len(order), dtype=bool)
    new[0] = True
    for c in cols:
        new[1:] |= c[1:] != c[:-1]
    return tuple(c[new] for c in cols)


def _spans(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, ...]:
    """(distinct keys, smallest value, largest value of each), sorted by key."""
    if not len(keys):
        return keys, values, values
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.minimum.reduceat(values, starts), np.maximum.reduceat(values, starts)


def _find(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Where each of ``keys`` is in ``sorted_keys``, or -1."""
    at = np.searchsorted(sorted_keys, keys)
    inside = at < len(sorted_keys)
    found = np.zeros(len(keys), dtype=bool)
    found[inside] = sorted_keys[at[inside]] == keys[inside]
    return np.where(found, at, -1)


def _year(value) -> Literal:
    return Literal(f"{int(value):04d}", datatype=XSD.gYear)
