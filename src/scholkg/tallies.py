"""The collection statistics counted from what an import gathered, without a query.

At a commit the store counts its statistics (:mod:`scholkg.statistics`) with queries over
every work, authorship and venue: 17-20 s of both cores for a million works, on a store fresh
from the bulk loader, and up to 550 MB for the authors of each venue. When every graph of the
result was gathered by the import that is being committed (a first import, or one that
replaces every source), the same figures follow from the import's tallies
(:class:`scholkg.gathered.Tally`: clusters; the positions and venue names of its
authorships) and the author index built
from the same gathered records (works, years, venues, authors: the venues' figures and the
authors' years are the index's, :func:`scholkg.statistics.venue_figures_of`), with array
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
from pyoxigraph import Literal

from .authorindex import NONE, AuthorIndex
from .gathered import Gathered
from .statistics import Figures, top_authors_of, top_years_of, venue_figures_of


def figures(parts: Sequence[Gathered], index: AuthorIndex) -> Figures:
    """The figures of the union of the graphs ``parts`` were gathered of; ``index`` is the
    author index of that union (built from the same gathered parts: each work's years,
    venues and authors)."""
    tallies = [p.tally for p in parts]
    names: dict[str, str] = {}
    for p in parts:
        for iri, name in p.authorships.venue_names.items():
            if iri not in names or name < names[iri]:
                names[iri] = name

    # the persons of each authorship, numbered across the parts
    persons: dict[str, int] = {}
    for p in parts:
        for iri in p.authorships.ids:
            persons.setdefault(iri, len(persons))
    a_work = _cat([p.authorships.works for p in parts], np.uint64)
    a_person = np.concatenate(
        [_global(p.authorships.persons, p.authorships.ids, persons) for p in parts]) \
        if parts else np.zeros(0, np.int64)
    a_position = _cat([p.authorships.positions for p in parts], np.int32)
    node_work, _, node_position = _distinct(a_work, a_person, a_position)  # authorship nodes

    summary = {"works": int(np.count_nonzero(index.titled)),  # every work has a title
               "persons": len(set().union(*(p.authorships.labels for p in parts))),
               "venues": index.venue_count,
               "authorSlots": int(np.count_nonzero(node_position != NONE)),
               "authorships": len(node_work),
               "clusters": len(set().union(*(t.clusters for t in tallies))),
               "sources": len(parts)}
    top = top_authors_of(index)
    return Figures(summary=summary, top=top, years=top_years_of(index, top),
                   venue_names={iri: Literal(name) for iri, name in names.items()},
                   **venue_figures_of(index))


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
