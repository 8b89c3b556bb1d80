"""The questions the author index answers (:mod:`scholkg.authorindex` holds its arrays): who
wrote with whom, where and when; which works a listing newest first can show. Each answer is
a few slices and sorts of the arrays (numpy), milliseconds where SPARQL walks the store for
seconds on a million works; :mod:`scholkg.indexrows` binds them into the canned queries.

Persons, venues and works are numbers: their places in the index (see :class:`Questions`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np

#: coauthors-of-coauthors goes through this many of the person's closest co-authors.
CLOSEST = 20
#: No year (a year-less work's first and last year, in :meth:`Questions.spans`).
NO_YEAR = np.iinfo(np.int32).min
#: No position, count or answer (as :data:`scholkg.authorindex.NONE`).
NONE = -1


class Questions:
    """The questions, asked of the arrays of an :class:`~scholkg.authorindex.AuthorIndex`
    (which this is a part of): ``author_at``/``author_works`` (each person's works),
    ``work_at``/``work_authors``, ``year_at``/``work_years``, ``work_venue_at``/``work_venues``,
    ``venue_at``/``venue_works``, ``named``, ``name_rank``, ``titled``, ``title_key``,
    ``identified``, ``work_hash``; ``persons``, the number of persons."""

    def works_of(self, persons: Iterable[int]) -> np.ndarray:
        """The works of any of ``persons``, each once, in order."""
        return distinct(_gather(self.author_at, self.author_works, list(persons)))

    def authors_of(self, works: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The authors of each of ``works``, one after the other, and where each work's
        authors end."""
        return (_gather(self.work_at, self.work_authors, works),
                np.cumsum(self.work_at[np.asarray(works, dtype=np.int64) + 1]
                          - self.work_at[works]))

    def coauthor_counts(self, person: int) -> tuple[np.ndarray, np.ndarray]:
        """(co-authors, works written with ``person``) of everyone who wrote with them."""
        authors, _ = self.authors_of(self.works_of([person]))
        coauthors, counts = _counted(authors)
        keep = coauthors != person
        return coauthors[keep], counts[keep]

    def works_in(self, venues: Iterable[int]) -> np.ndarray:
        """The works of any of ``venues``, each once, in order."""
        return distinct(_gather(self.venue_at, self.venue_works, list(venues)))

    def spans(self, works: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first and last year of each of ``works`` (:data:`NO_YEAR` for both if none)."""
        works = np.asarray(works, dtype=np.int64)
        at, end = self.year_at[works], self.year_at[works + 1]
        dated = end > at
        first = np.full(len(works), NO_YEAR, dtype=np.int32)
        last = first.copy()
        first[dated] = self.work_years[at[dated]]  # each work's years are held in order
        last[dated] = self.work_years[end[dated] - 1]
        return first, last

    def coauthors(self, person: int, limit: int | None = None) -> list[tuple[int, int, int, int]]:
        """(co-author, shared works, first year, last year) of everyone with a label who wrote
        with ``person``; most shared works first, then by name; at most ``limit``. A year is
        :data:`NO_YEAR` when none of the shared works has one."""
        works = self.works_of([person])
        authors, ends = self.authors_of(works)
        of = np.repeat(works, np.diff(ends, prepend=0))
        keep = authors != person
        return self._ranked(authors[keep], of[keep], limit)

    def career(self, person: int | None) -> tuple[int, int, int, int, int, int]:
        """(first year, last year, works, active years, venues, co-authors) of ``person``
        (None: someone with no works); a year is :data:`NO_YEAR` when no work has one."""
        if person is None:
            return NO_YEAR, NO_YEAR, 0, 0, 0, 0
        works = self.works_of([person])
        years = distinct(_gather(self.year_at, self.work_years, works))
        venues = distinct(_gather(self.work_venue_at, self.work_venues, works))
        coauthors = distinct(self.authors_of(works)[0])
        return (int(years[0]) if len(years) else NO_YEAR,
                int(years[-1]) if len(years) else NO_YEAR, len(works), len(years), len(venues),
                int(np.count_nonzero(coauthors != person)))

    def author_venues(self, person: int) -> list[tuple[int, int, int, int]]:
        """(venue, works, first year, last year) of each venue of the works of ``person``, in
        the order of the venues' IRIs."""
        works = self.works_of([person])
        venues = _gather(self.work_venue_at, self.work_venues, works)
        of = np.repeat(works, self.work_venue_at[works + 1] - self.work_venue_at[works])
        return _rows(*self._spanned(venues, of))

    def year_counts(self, persons: list[int] | None) -> list[tuple[int, int]]:
        """(year, works) for each year of the works of any of ``persons`` (None: of every
        work); newest first."""
        years = self.work_years if persons is None else \
            _gather(self.year_at, self.work_years, self.works_of(persons))
        found, counts = _counted(years)
        return list(zip(found[::-1].tolist(), counts[::-1].tolist(), strict=True))

    def newest(self, works: np.ndarray, published: np.ndarray, limit: int | None) -> np.ndarray:
        """Of ``works`` (each once; ``published`` the year of each, or :data:`NO_YEAR`), those
        with a title that can be among the first ``limit`` ordered newest first (no year
        last), then by smallest title: the first ``limit`` by year and title key, and every
        other of the year and key of the last of them (the titles decide those ties)."""
        keep = self.titled[works] == 1
        works, published = works[keep], published[keep]
        if limit is None or len(works) <= limit:
            return works
        # NO_YEAR is int32's least: negated as int64, the greatest (last)
        return works[_head((-published.astype(np.int64), self.title_key[works]), limit)]

    def listing(self, persons: list[int], limit: int | None) -> list[tuple]:
        """The works of each of ``persons`` with a title, newest first (no year last), then by
        title and IRI; at most ``limit``: (person, work, year, title, smallest venue name or
        None, position, listed authors, authors, complete), a number :data:`NONE` when not
        known (the year :data:`NO_YEAR`). A work of two of the persons is a row of each."""
        every = self.works_of(persons)
        works = self.newest(every, self.spans(every)[0], limit)
        years = dict(zip(works.tolist(), self.spans(works)[0].tolist(), strict=True))
        venue_name = functools.cache(lambda v: self.venue_name(v) if self.venue_named[v]
                                     else None)
        rows = []
        for p in persons:
            mine = works[np.isin(works, self.author_works[self.author_at[p]:
                                                          self.author_at[p + 1]])]
            for w, slot in zip(mine.tolist(), self.slots(p, mine).tolist(), strict=True):
                venues = [n for n in map(venue_name, self.work_venues[
                    self.work_venue_at[w]:self.work_venue_at[w + 1]].tolist()) if n is not None]
                rows.append((p, w, years[w], self.title(w), min(venues, default=None),
                             int(self.author_position[slot]), int(self.listed[w]),
                             int(self.author_count[w]), int(self.complete[w])))
        rows.sort(key=lambda r: (r[2] == NO_YEAR, -r[2], r[3], self.work_iri(r[1])))
        return rows[:limit]

    def related(self, work: int, limit: int | None) -> list[tuple[int, int, int, str]]:
        """(other work, shared authors, first year, smallest title) of each titled work that
        shares an author with ``work``: most shared first, then newest (no year last), by
        title and IRI; at most ``limit``."""
        authors = self.work_authors[self.work_at[work]:self.work_at[work + 1]]
        others, shared = _counted(_gather(self.author_at, self.author_works, authors))
        keep = (others != work) & (self.titled[others] == 1)
        others, shared = others[keep], shared[keep]
        year = self.spans(others)[0].astype(np.int64)
        if limit is not None and len(others) > limit:  # the head by the numbers, ties kept
            chosen = _head((-shared.astype(np.int64), -year, self.title_key[others]), limit)
            others, shared, year = others[chosen], shared[chosen], year[chosen]
        rows = [(w, n, y, self.title(w)) for w, n, y in
                zip(others.tolist(), shared.tolist(), year.tolist(), strict=True)]
        rows.sort(key=lambda r: (-r[1], -r[2], r[3], self.work_iri(r[0])))
        return rows[:limit]

    def placed(self, person: int) -> list[tuple[int, int, int, int, int]]:
        """(work, first year, smallest position, listed authors, authors) of each work of
        ``person``, in order; a number :data:`NONE` when not known (the year
        :data:`NO_YEAR`)."""
        works = self.works_of([person])
        return list(zip(works.tolist(), self.spans(works)[0].tolist(),
                        self.author_position[self.slots(person, works)].tolist(),
                        self.listed[works].tolist(), self.author_count[works].tolist(),
                        strict=True))

    def slots(self, person: int, works: np.ndarray) -> np.ndarray:
        """Where ``person`` is among the authors of each of ``works`` (which they wrote): their
        places in ``work_authors`` (and ``author_position``)."""
        return np.array([at + np.searchsorted(self.work_authors[at:end], person) for at, end in
                         zip(self.work_at[works].tolist(), self.work_at[works + 1].tolist(),
                             strict=True)], dtype=np.int64)

    def newest_in(self, venues: list[int], year: int | None, limit: int | None
                    ) -> np.ndarray:
        """The works of any of ``venues`` (of the year ``year``, if given) that can be among
        the first ``limit`` newest first, then by title (:meth:`newest`)."""
        works = self.works_in(venues)
        if year is None:
            return self.newest(works, self.spans(works)[0], limit)
        dated, years = self._dated(works)
        works = dated[years == year]
        return self.newest(works, np.full(len(works), year, dtype=np.int32), limit)

    def since(self, year: int, limit: int | None) -> np.ndarray:
        """The works of ``year`` or later that can be among the first ``limit`` newest first,
        then by title, each counted in its first year from ``year`` (:meth:`newest`)."""
        of = np.repeat(np.arange(len(self.work_hash)), np.diff(self.year_at))
        late = self.work_years >= year
        works, at = np.unique(of[late], return_index=True)  # each work's first such year
        return self.newest(works, self.work_years[late][at], limit)

    def unidentified(self, limit: int | None) -> np.ndarray:
        """The works without an identifier that can be among the first ``limit`` newest
        first, then by title (:meth:`newest`)."""
        works = np.flatnonzero(self.identified == 0)
        return self.newest(works, self.spans(works)[0], limit)

    def venue_figures(self) -> tuple[np.ndarray, ...]:
        """(works, authors, first year, last year) of every venue, in the order of their
        numbers (a year :data:`NO_YEAR` when none of its works has one)."""
        venues = np.repeat(np.arange(len(self.venue_at) - 1), np.diff(self.venue_at))
        works = np.asarray(self.venue_works, dtype=np.int64)
        found, counts, firsts, lasts = self._spanned(venues, works)
        n = len(self.venue_at) - 1
        spans = np.full((2, n), NO_YEAR, dtype=np.int32)
        spans[0, found], spans[1, found] = firsts, lasts
        authors, ends = self.authors_of(works)
        pairs = distinct(np.repeat(venues.astype(np.int64), np.diff(ends, prepend=0))
                         * max(self.persons, 1) + authors)
        with_authors = np.bincount(pairs // max(self.persons, 1), minlength=n)
        return np.diff(self.venue_at), with_authors, spans[0], spans[1]

    def person_spans(self, persons: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The first and last year of the works of each of ``persons`` (:data:`NO_YEAR`)."""
        persons = np.asarray(persons, dtype=np.int64)
        works = _gather(self.author_at, self.author_works, persons)
        of = np.repeat(persons, self.author_at[persons + 1] - self.author_at[persons])
        found, _, firsts, lasts = self._spanned(of, works)
        first = np.full(len(persons), NO_YEAR, dtype=np.int32)
        last = first.copy()
        at = np.searchsorted(found, persons)
        has = (at < len(found)) & (found[np.minimum(at, len(found) - 1)] == persons) \
            if len(found) else np.zeros(len(persons), dtype=bool)
        first[has], last[has] = firsts[at[has]], lasts[at[has]]
        return first, last

    def venue_authors(self, venues: list[int], limit: int | None = None
                      ) -> list[tuple[int, int, int, int]]:
        """(person, works, first year, last year) of everyone with a label who wrote in any of
        ``venues``; most works first, then by name; at most ``limit``."""
        works = self.works_in(venues)
        authors, ends = self.authors_of(works)
        return self._ranked(authors, np.repeat(works, np.diff(ends, prepend=0)), limit)

    def _ranked(self, persons: np.ndarray, works: np.ndarray, limit: int | None
                ) -> list[tuple[int, int, int, int]]:
        """(person, works, first year, last year) of the named of ``persons``, each (person,
        work) given once, counted and ranked by works (most first), then name."""
        found, counts, firsts, lasts = self._spanned(persons, works)
        named = self.named[found] == 1
        found, counts, firsts, lasts = found[named], counts[named], firsts[named], lasts[named]
        order = np.lexsort((self.name_rank[found], -counts))[:limit]
        return _rows(found[order], counts[order], firsts[order], lasts[order])

    def _spanned(self, keys: np.ndarray, works: np.ndarray) -> tuple[np.ndarray, ...]:
        """(keys, works, first years, last years): each of ``keys`` once, in order, with how
        many of ``works`` it has and their first and last year (each (key, work) given once)."""
        first, last = self.spans(works)
        order = np.argsort(keys, kind="stable")
        keys, first, last = keys[order], first[order], last[order]
        if not len(keys):
            return keys, keys, first, last
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        found, counts = keys[starts], np.diff(np.append(starts, len(keys)))
        big = np.iinfo(np.int32).max
        firsts = np.minimum.reduceat(np.where(first == NO_YEAR, big, first), starts)
        firsts[firsts == big] = NO_YEAR
        lasts = np.maximum.reduceat(last, starts)
        return found, counts, firsts, lasts

    def venue_years(self, venues: list[int]) -> list[tuple[int, int, int]]:
        """(year, works, authors) for each year of the works of any of ``venues``: its works
        and their distinct authors (a work of two years counts in both); newest first."""
        works, years = self._dated(self.works_in(venues))
        found, counts = _counted(years)
        authors, ends = self.authors_of(works)
        by_year = np.repeat(years.astype(np.int64), np.diff(ends, prepend=0))
        pairs = distinct(by_year * self.persons + authors)
        with_authors, n_authors = _counted(np.floor_divide(pairs, max(self.persons, 1)))
        people = dict(zip(with_authors.tolist(), n_authors.tolist(), strict=True))
        return [(y, n, people.get(y, 0)) for y, n in
                zip(found[::-1].tolist(), counts[::-1].tolist(), strict=True)]

    def venue_newcomers(self, venues: list[int]) -> list[tuple[int, int]]:
        """(year, persons) for each year in which persons first wrote a work of a year in any
        of ``venues``; newest first."""
        works, years = self._dated(self.works_in(venues))
        authors, ends = self.authors_of(works)
        by_year = np.repeat(years, np.diff(ends, prepend=0))
        order = np.lexsort((by_year, authors))  # each author's earliest year first
        authors, by_year = authors[order], by_year[order]
        if not len(authors):
            return []
        first = by_year[np.concatenate(([True], authors[1:] != authors[:-1]))]
        found, counts = _counted(first)
        return list(zip(found[::-1].tolist(), counts[::-1].tolist(), strict=True))

    def _dated(self, works: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(work, year) for each year of each of ``works``."""
        years = _gather(self.year_at, self.work_years, works)
        works = np.asarray(works, dtype=np.int64)
        return np.repeat(works, self.year_at[works + 1] - self.year_at[works]), years

    def pairs(self, persons: list[int], limit: int | None = None) -> list[tuple[int, int, int]]:
        """(a, b, shared) for every two persons (a < b) who are both authors of one or more of
        the works of ``persons``, ``shared`` being how many of those works; most shared first
        (then a, then b), at most ``limit``."""
        return self.pairs_in(self.works_of(persons), limit)

    def pairs_in(self, works: np.ndarray, limit: int | None = None, *,
                 named: bool = False) -> list[tuple[int, int, int]]:
        """(a, b, shared) for every two persons (a < b, both with a label if ``named``) who are
        both authors of one or more of ``works``, ``shared`` being how many; most shared first
        (then a, then b), at most ``limit``."""
        key, _ = self._pair_keys(works)
        pairs, shared = _counted(key)
        if named:
            pairs, shared = pairs[self._both_named(pairs)], shared[self._both_named(pairs)]
        order = np.lexsort((pairs, -shared))[:limit]
        pairs, shared = pairs[order], shared[order]
        return _rows(pairs // self.persons, pairs % self.persons, shared)

    def collaborations(self, least: int, limit: int | None = None
                       ) -> list[tuple[int, int, int, int, int]]:
        """(a, b, shared, first year, last year) for every two persons with a label (a < b)
        who wrote ``least`` or more works together (of every work), with the first and last
        year of those with a year; most shared first, then by a's name, then b's, at most
        ``limit``."""
        key, of = self._pair_keys(np.arange(len(self.work_hash)))
        order = np.argsort(key, kind="stable")
        key, of = key[order], of[order]
        if not len(key):
            return []
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        counts = np.diff(np.append(starts, len(key)))
        pairs = key[starts]
        keep = (counts >= least) & self._both_named(pairs)
        rows = np.repeat(keep, counts)  # the (pair, work) rows of the kept pairs
        starts = np.cumsum(counts[keep]) - counts[keep]
        pairs, counts = pairs[keep], counts[keep]
        if not len(pairs):
            return []
        first, last = self.spans(of[rows])
        big = np.iinfo(np.int32).max
        firsts = np.minimum.reduceat(np.where(first == NO_YEAR, big, first), starts)
        firsts[firsts == big] = NO_YEAR
        lasts = np.maximum.reduceat(last, starts)
        a, b = pairs // self.persons, pairs % self.persons
        order = np.lexsort((self.name_rank[b], self.name_rank[a], -counts))[:limit]
        return _rows(a[order], b[order], counts[order], firsts[order], lasts[order])

    def _pair_keys(self, works: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For every two authors a < b of each of ``works``, ``a * persons + b`` and the work."""
        authors, ends = self.authors_of(works)
        # each authorship paired with every later one of its work: the k-th pair of an
        # authorship is with the one k places after it
        later = np.repeat(ends, np.diff(ends, prepend=0)) - np.arange(len(authors)) - 1
        first = np.repeat(np.arange(len(authors)), later)
        k = np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later)
        second = first + k + 1
        a, b = authors[first], authors[second]
        key = np.minimum(a, b).astype(np.int64) * self.persons + np.maximum(a, b)
        of = np.repeat(np.asarray(works, dtype=np.int64), np.diff(ends, prepend=0))[first]
        return key, of

    def _both_named(self, pairs: np.ndarray) -> np.ndarray:
        return (self.named[pairs // self.persons] == 1) & (self.named[pairs % self.persons] == 1)

    def second_degree(self, person: int, limit: int | None = None,
                      closest: int = CLOSEST) -> list[tuple[int, int]]:
        """(person, shared) for everyone who never wrote with ``person`` but wrote with some
        of their ``closest`` co-authors (most shared works first, ties by number, so by IRI),
        ``shared`` being with how many of those; most first, then by name, at most ``limit``."""
        coauthors, counts = self.coauthor_counts(person)
        nearest = coauthors[np.lexsort((coauthors, -counts))[:closest]]
        if not len(nearest):
            return []
        # (co-author, person) for each authorship of each work of each nearest co-author
        # (a person's works are each held once), each such pair counted once
        works = _gather(self.author_at, self.author_works, nearest)
        via = np.repeat(nearest.astype(np.int64), self.author_at[nearest + 1] - self.author_at[nearest])
        authors, ends = self.authors_of(works)
        via = np.repeat(via, np.diff(ends, prepend=0))
        pairs = distinct(via * self.persons + authors)
        found, shared = _counted(pairs % self.persons)
        # themselves and everyone who wrote with them (each co-author reaches itself: dropped)
        keep = ~np.isin(found, coauthors) & (found != person)
        found, shared = found[keep], shared[keep]
        order = np.lexsort((self.name_rank[found], -shared))[:limit]
        return list(zip(found[order].tolist(), shared[order].tolist(), strict=True))



def _rows(*columns: np.ndarray) -> list[tuple]:
    return list(zip(*(c.tolist() for c in columns), strict=True))


def _head(keys: tuple[np.ndarray, ...], limit: int) -> np.ndarray:
    """Which rows (``keys``: their columns, the first sorts first) are among the first
    ``limit`` in the order of the keys, or equal to the last of those on every key (what
    decides between them is not in the keys)."""
    order = np.lexsort(keys[::-1])
    last = order[limit - 1]
    chosen = np.logical_and.reduce([k == k[last] for k in keys])
    chosen[order[:limit]] = True
    return chosen


def distinct(a: np.ndarray) -> np.ndarray:
    """``a``'s values, each once, in order (by sorting: numpy's hashing unique is slower on
    these arrays)."""
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


def _counted(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a``'s values, each once, in order, and how often each occurs."""
    a = np.sort(a)
    starts = np.flatnonzero(np.concatenate(([True], a[1:] != a[:-1]))) if len(a) else \
        np.zeros(0, dtype=np.int64)
    return a[starts], np.diff(np.append(starts, len(a)))


def _gather(at: np.ndarray, values: np.ndarray, rows) -> np.ndarray:
    """``values[at[r]:at[r + 1]]`` for each of ``rows``, concatenated (without a Python loop)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return values[:0]
    starts, lengths = at[rows], at[rows + 1] - at[rows]
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return values[offsets + np.arange(total)]


