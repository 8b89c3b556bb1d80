"""Who wrote which work, as arrays of integers: the co-author questions answered at once.

A co-author question walks the graph twice: from a person to their works, and from each work
to its authors. Oxigraph reads one index entry per step, tens of microseconds each on a big
store, so the co-author network of a person with 60 works (2,000 author pairs) took 150 ms
and the co-authors of their 20 closest co-authors (30,000 authorships) 4 s on a million works
(docs/performance.md). Here the same walk is a slice of an array.

The index is a file in the store's folder ``authors/``, derived from the committed graphs
and named after them (:func:`key_of`): a file built from other graphs (an import or removal
since, a crash between the two) is not read, and the store builds the index at every commit
(an import's while the loader ends: ``GraphStore.will_commit``). It is built from
:class:`Authorships`: those an import gathered of its new graphs while it mapped the records
(:mod:`scholkg.gathered`), with those of the index of the other graphs. Beside the index of
the union the folder keeps one of each graph (of one graph, the two are one file), so that a
replacement or a removal builds the union from the other graphs' indexes (5 s at a million
works) and does not read them out of the store (ten minutes: :func:`from_store`, the path
when a graph's index is missing, as after an update). It holds, for the
union of the graphs:

* every author, by IRI in code-point order (their number is their rank in that order), with
  their smallest ``rdfs:label`` (the name the co-author queries show), and whether each work
  prints them under it and no label of theirs differs (``one_name``: known of the graphs an
  import gathered, where each printed name is a label; not of a graph read out of the store);
* for each work (numbered in the order of a 64-bit hash of its IRI, kept too), its authors
  (``skg:hasAuthor``); for each author, their works;
* for each work its years (``skg:year``, each once) and venues (``skg:publishedIn``); every
  venue by IRI in code-point order, and for each venue its works. A work with a year or a
  venue and no author is a work of the index too (it counts in a venue's works per year);
* for each work with a title, its IRI, its smallest title and the first 8 bytes of that
  title (UTF-8, as a big-endian number: the numbers sort as the titles do, up to ties), so that
  a listing of works newest first, then by title, needs the store for the rows it shows only
  (:meth:`AuthorIndex.newest`); and whether it has an identifier (DOI, arXiv, dblp, OpenAlex,
  Wikidata);
* for each authorship (a work and one of its authors) the author's smallest position in the
  work's list (``skg:position`` of their slots); for each work the largest
  ``skg:listedAuthorCount`` and ``skg:authorCount`` and whether a source says the list is
  complete (``skg:authorListComplete``); for each venue its smallest ``skg:name``. With these
  and the titles a person's works are listed from the index alone (``works-by-author``: the
  store holds each value of a work in a table entry of its own, tens of microseconds each).

Venues and years answer the venue-wide queries (a venue's authors, its works and new authors
per year, its co-author network) and the years of the co-authors of a person, without walking
the store: 9 s for the authors of a venue of 130,000 works in SPARQL on a million works.

Layout: the magic ``SKGAUTH1``, the length of a JSON header (8 bytes, little-endian), the
header (the graphs' digest, and where each array starts), then the arrays, each at an offset
divisible by 8. Written to a temporary file and renamed: a reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from pyoxigraph import NamedNode

from .indexquestions import NONE, Questions, distinct

#: The folder of the index files, in the store's.
DIR = "authors"
#: Where an index was kept before there was one per graph (moved into :data:`DIR` on opening).
OLD_FILE = "authors.idx"
MAGIC = b"SKGAUTH1"
#: The IRIs' bytes are compacted when more than twice those used and this many bytes.
SLACK = 1 << 20
#: The layout: a file of another is rebuilt.
FORMAT = 4


_ARRAYS = {"iri_at": "<i8", "iri_bytes": "u1", "name_at": "<i8", "name_bytes": "u1",
           "named": "u1", "name_rank": "<i4", "work_at": "<i8", "work_authors": "<i4",
           "work_hash": "<u8", "author_at": "<i8", "author_works": "<i4",
           "year_at": "<i8", "work_years": "<i4", "venue_iri_at": "<i8", "venue_iri_bytes": "u1",
           "work_venue_at": "<i8", "work_venues": "<i4", "venue_at": "<i8", "venue_works": "<i4",
           "titled": "u1", "title_key": "<u8", "work_iri_from": "<i8", "work_iri_to": "<i8",
           "work_iri_bytes": "u1",
           "identified": "u1", "author_position": "<i4", "listed": "<i4",
           "author_count": "<i4", "complete": "i1", "title_from": "<i8", "title_to": "<i8",
           "title_bytes": "u1", "venue_name_at": "<i8", "venue_name_bytes": "u1",
           "venue_named": "u1", "one_name": "u1"}
#: Arrays a file written before them may lack: read as zeros (nothing known).
_LATER = {"one_name"}


def title_key(title: str) -> int:
    """The first 8 bytes of ``title`` in UTF-8 (padded with zeros) as a big-endian number:
    if one title sorts before another (by code points, as SPARQL orders strings), its key is
    not greater."""
    return int.from_bytes(title.encode("utf-8")[:8].ljust(8, b"\0"), "big")


def file_of(store: Path, key: str) -> Path:
    """The file of the index of the graphs ``key`` (:func:`key_of`) of the store at ``store``."""
    return store / DIR / f"{key}.idx"


def work_hash(iri: str) -> int:
    """A work's number in every index: 64 bits of a hash of its IRI. Two of n works share one
    with odds of about n^2 / 2^65: 1 in 500,000 for dblp's 8.6 million, and then the two
    count as one work here (not in the store)."""
    return int.from_bytes(hashlib.blake2b(iri.encode("utf-8"), digest_size=8).digest(), "little")


class Authorships:
    """Who wrote which work, and the labels of persons: what an index is built from. Filled
    from a store's graphs (:func:`from_store`), from an index, or by the importer while it maps
    records (so a big import need not read its authorships back out of the store: 90 s for a
    million works, each IRI a lookup). Compact: two numbers per authorship, each IRI once."""

    def __init__(self):
        self.ids: dict[str, int] = {}  # author IRI -> number, in order of appearance
        self.works = array("Q")  # the work of each authorship (its hash)
        self.persons = array("i")  # the author of each authorship (their number)
        self.labels: dict[str, str] = {}  # smallest label of each person (authors or not)
        self.dated = array("Q")  # a work (its hash) ...
        self.years = array("i")  # ... and one of its years
        self.venue_ids: dict[str, int] = {}  # venue IRI -> number, in order of appearance
        self.placed = array("Q")  # a work (its hash) ...
        self.venues = array("i")  # ... and one of its venues (its number)
        self.titled = array("Q")  # a work (its hash) ...
        self.title_keys = array("Q")  # ... the title_key of one of its titles ...
        self.work_iris = bytearray()  # ... and its IRI (UTF-8) in this, ...
        self.work_iri_starts = array("q")  # ... from here ...
        self.work_iri_ends = array("q")  # ... to here
        self.identified = array("Q")  # works (their hashes) with an identifier
        self.positions = array("i")  # the position of each authorship (NONE: none known)
        self.titles = bytearray()  # each title of ``titled`` (UTF-8) in this, ...
        self.title_starts = array("q")  # ... from here ...
        self.title_ends = array("q")  # ... to here
        self.sized = array("Q")  # a work (its hash) ...
        self.listed = array("i")  # ... its skg:listedAuthorCount (or NONE) ...
        self.counted = array("i")  # ... its skg:authorCount (or NONE) ...
        self.complete = array("b")  # ... and its skg:authorListComplete (1, 0; or NONE)
        self.venue_names: dict[str, str] = {}  # smallest skg:name of each venue named
        # persons given more than one name here (printed or label), or whose printed names are
        # not known (read out of a store: a printed name need not be a label there)
        self.several: set[str] = set()
        # (person, label) of the labels beyond each person's smallest, so that label() knows
        # which are new: only the persons of several names
        self.other_labels: set[tuple[str, str]] = set()

    def add(self, work: str, authors: Iterable[str], *, key: int | None = None,
            positions: Iterable[int | None] | None = None) -> None:
        """``work`` (an IRI, whose :func:`work_hash` is ``key`` if given) has ``authors``
        (IRIs), at ``positions`` (None for each when not known)."""
        if key is None:
            key = work_hash(work)
        ids = self.ids
        start = len(self.persons)
        for iri in authors:
            n = ids.get(iri)
            if n is None:
                n = ids[iri] = len(ids)
            self.works.append(key)
            self.persons.append(n)
        if positions is None:
            self.positions.extend([NONE] * (len(self.persons) - start))
        else:
            self.positions.extend(NONE if p is None else p for p in positions)
        assert len(self.positions) == len(self.persons), "a position for each author"

    def size(self, key: int, listed: int | None = None, counted: int | None = None,
             complete: bool | None = None) -> None:
        """The work of hash ``key`` lists ``listed`` authors, has ``counted`` in all, and its
        list is ``complete`` (or not; None: not said)."""
        self.sized.append(key)
        self.listed.append(NONE if listed is None else listed)
        self.counted.append(NONE if counted is None else counted)
        self.complete.append(NONE if complete is None else int(complete))

    def venue_named(self, iri: str, name: str) -> None:
        """The venue ``iri`` has the name ``name``."""
        old = self.venue_names.get(iri)
        if old is None or name < old:
            self.venue_names[iri] = name

    def label(self, iri: str, label: str) -> bool:
        """The person ``iri`` has the label ``label``: the importer says so of each name a
        work prints them under (each is a label of theirs in the graph), and of the names of a
        homepage record. True if they had not had this label here before (the mapping then
        describes them under it: :func:`scholkg.mapping.map_work`)."""
        old = self.labels.get(iri)
        if old is None:
            self.labels[iri] = label
            return True
        if label == old:
            return False
        self.several.add(iri)
        if label < old:  # not seen before, or it would be the smallest already
            self.labels[iri] = label
            self.other_labels.add((iri, old))
            return True
        if (iri, label) in self.other_labels:
            return False
        self.other_labels.add((iri, label))
        return True

    def year(self, key: int, year: int) -> None:
        """The work of hash ``key`` has the year ``year``."""
        self.dated.append(key)
        self.years.append(year)

    def title(self, key: int, title: str, iri: str) -> None:
        """The work ``iri`` (of hash ``key``) has the title ``title``."""
        self.titled.append(key)
        self.title_keys.append(title_key(title))
        self.work_iri_starts.append(len(self.work_iris))
        self.work_iris += iri.encode("utf-8")
        self.work_iri_ends.append(len(self.work_iris))
        self.title_starts.append(len(self.titles))
        self.titles += title.encode("utf-8")
        self.title_ends.append(len(self.titles))

    def identify(self, key: int) -> None:
        """The work of hash ``key`` has an identifier."""
        self.identified.append(key)

    def venue(self, key: int, iri: str) -> None:
        """The work of hash ``key`` appeared in the venue ``iri``."""
        n = self.venue_ids.get(iri)
        if n is None:
            n = self.venue_ids[iri] = len(self.venue_ids)
        self.placed.append(key)
        self.venues.append(n)


class AuthorIndex(Questions):
    """The arrays of one index, read from a file (memory-mapped) or built in memory; the
    questions they answer are :class:`~scholkg.indexquestions.Questions`'."""

    def __init__(self, arrays: dict[str, np.ndarray], key: str,
                 stamp: tuple[int, int] | None = None):
        self.key = key  # digest of the graphs it was built from
        self.stamp = stamp  # (inode, mtime) of the file it was read from or written to
        for name in _ARRAYS:
            setattr(self, name, arrays[name])
        self.persons = len(self.iri_at) - 1
        self.venue_count = len(self.venue_iri_at) - 1

    # ---- building -----------------------------------------------------------------------------

    @classmethod
    def build(cls, parts: Iterable[Authorships], key: str) -> AuthorIndex:
        """The index of the union of ``parts``: a work is known by its hash, an author by
        their IRI; each author shows their smallest label (of any part). Works are numbered
        in the order of their hashes, authors in the order of their IRIs: the same
        authorships give the same arrays, however they were gathered."""
        parts = list(parts)
        iris = sorted(set().union(*(p.ids for p in parts)))  # a number is a place in this order
        place = {iri: n for n, iri in enumerate(iris)}
        keys, persons = [], []
        labels: dict[str, str] = {}
        several: set[str] = set()
        for p in parts:
            local = np.fromiter((place[i] for i in p.ids), dtype=np.int32, count=len(p.ids))
            keys.append(np.frombuffer(p.works, dtype=np.uint64))
            persons.append(local[np.frombuffer(p.persons, dtype=np.int32)] if len(p.persons)
                           else np.zeros(0, dtype=np.int32))
            for iri, label in p.labels.items():
                if iri in place:
                    old = labels.get(iri)
                    if old is None or label < old:
                        labels[iri] = label
                    if old is not None and label != old:
                        several.add(iri)
            several.update(p.several)
        del place
        hashes = _cat(keys, np.uint64)
        author = _cat(persons, np.int32)
        venue_iris = sorted(set().union(*(p.venue_ids for p in parts)))
        v_place = {iri: n for n, iri in enumerate(venue_iris)}
        dated = _cat([np.frombuffer(p.dated, dtype=np.uint64) for p in parts], np.uint64)
        years = _cat([np.frombuffer(p.years, dtype=np.int32) for p in parts], np.int32)
        placed = _cat([np.frombuffer(p.placed, dtype=np.uint64) for p in parts], np.uint64)
        venues = _cat([np.fromiter((v_place[i] for i in p.venue_ids), dtype=np.int32,
                                   count=len(p.venue_ids))[np.frombuffer(p.venues, np.int32)]
                       for p in parts if len(p.venues)], np.int32)
        titled = _cat([np.frombuffer(p.titled, dtype=np.uint64) for p in parts], np.uint64)
        t_keys = _cat([np.frombuffer(p.title_keys, dtype=np.uint64) for p in parts], np.uint64)
        identified = _cat([np.frombuffer(p.identified, dtype=np.uint64) for p in parts],
                          np.uint64)
        sized = _cat([np.frombuffer(p.sized, dtype=np.uint64) for p in parts], np.uint64)
        works = distinct(np.concatenate((hashes, dated, placed, titled, identified, sized)))
        arrays = {"work_hash": works}
        # each (work, value) once, by work, then value; where each work's values start; and
        # for each author and venue, their works in order
        number, arrays["work_authors"] = _pairs(works, hashes, author)
        arrays["author_position"] = _least(hashes, author, _cat(
            [np.frombuffer(p.positions, dtype=np.int32) for p in parts], np.int32))
        at = np.searchsorted(works, sized)
        for name, attr, dtype in (("listed", "listed", np.int32),
                                  ("author_count", "counted", np.int32),
                                  ("complete", "complete", np.int8)):
            arrays[name] = np.full(len(works), NONE, dtype=dtype)
            np.maximum.at(arrays[name], at, _cat([np.frombuffer(getattr(p, attr), dtype=dtype)
                                                   for p in parts], dtype))
        arrays["work_at"] = _starts(number, len(works))
        arrays["author_at"], arrays["author_works"] = _inverse(number, arrays["work_authors"],
                                                               len(iris))
        number, arrays["work_years"] = _pairs(works, dated, years)
        arrays["year_at"] = _starts(number, len(works))
        number, arrays["work_venues"] = _pairs(works, placed, venues)
        arrays["work_venue_at"] = _starts(number, len(works))
        arrays["venue_at"], arrays["venue_works"] = _inverse(number, arrays["work_venues"],
                                                             len(venue_iris))
        number, t_keys = _pairs(works, titled, t_keys)  # each work's smallest key first
        smallest = np.concatenate(([True], number[1:] != number[:-1])) if len(number) else number
        arrays["titled"] = np.zeros(len(works), dtype=np.uint8)
        arrays["titled"][number[smallest]] = 1
        arrays["title_key"] = np.zeros(len(works), dtype=np.uint64)
        arrays["title_key"][number[smallest]] = t_keys[smallest]
        entries = _smallest_titles(parts, titled, _cat(
            [np.frombuffer(p.title_keys, dtype=np.uint64) for p in parts], np.uint64))
        arrays["work_iri_from"], arrays["work_iri_to"], arrays["work_iri_bytes"] = \
            _texts(parts, "work_iri", works, titled, entries)
        arrays["title_from"], arrays["title_to"], arrays["title_bytes"] = \
            _texts(parts, "title", works, titled, entries)
        arrays["identified"] = np.zeros(len(works), dtype=np.uint8)
        arrays["identified"][np.searchsorted(works, identified)] = 1
        arrays["venue_iri_at"], arrays["venue_iri_bytes"] = _strings(venue_iris)
        venue_names: dict[str, str] = {}
        for p in parts:
            for iri, name in p.venue_names.items():
                if iri in v_place and (iri not in venue_names or name < venue_names[iri]):
                    venue_names[iri] = name
        arrays["venue_name_at"], arrays["venue_name_bytes"] = _strings(
            venue_names.get(i, "") for i in venue_iris)
        arrays["venue_named"] = np.fromiter((i in venue_names for i in venue_iris),
                                            dtype=np.uint8, count=len(venue_iris))
        arrays["iri_at"], arrays["iri_bytes"] = _strings(iris)
        shown = [labels.get(i, "") for i in iris]
        arrays["name_at"], arrays["name_bytes"] = _strings(shown)
        arrays["named"] = np.fromiter((i in labels for i in iris), dtype=np.uint8,
                                      count=len(iris))
        # printed under their label alone, everywhere (in the parts gathered by imports)
        arrays["one_name"] = np.fromiter((i in labels and i not in several for i in iris),
                                         dtype=np.uint8, count=len(iris))
        # each author's place in the order (name, IRI): ties broken at once, without names
        arrays["name_rank"] = np.empty(len(iris), dtype=np.int32)
        arrays["name_rank"][sorted(range(len(iris)), key=shown.__getitem__)] = \
            np.arange(len(iris), dtype=np.int32)
        return cls(arrays, key)

    def under(self, key: str) -> AuthorIndex:
        """The same arrays as the index of the graphs ``key`` (to be written to its file)."""
        return type(self)({name: getattr(self, name) for name in _ARRAYS}, key)

    def authorships(self) -> Authorships:
        """What the index was built from (for an index of more graphs, built by adding some)."""
        part = Authorships()
        one_name = self.one_name.tolist()
        for n in range(self.persons):
            iri = self.iri(n)
            part.ids[iri] = n
            if self.named[n]:
                part.labels[iri] = self.name(n)
            if not one_name[n]:
                part.several.add(iri)
        part.venue_ids = {self.venue_iri(n): n for n in range(self.venue_count)}

        def per_work(at: np.ndarray, values: np.ndarray) -> tuple[array, array]:
            return (array("Q", np.repeat(self.work_hash, np.diff(at)).tobytes()),
                    array("i", np.ascontiguousarray(values, dtype=np.int32).tobytes()))

        part.works, part.persons = per_work(self.work_at, self.work_authors)
        part.positions = array("i", np.ascontiguousarray(self.author_position,
                                                         dtype=np.int32).tobytes())
        said = (self.listed != NONE) | (self.author_count != NONE) | (self.complete != NONE)
        part.sized = array("Q", np.ascontiguousarray(self.work_hash[said]).tobytes())
        part.listed = array("i", np.ascontiguousarray(self.listed[said], np.int32).tobytes())
        part.counted = array("i", np.ascontiguousarray(self.author_count[said],
                                                       np.int32).tobytes())
        part.complete = array("b", np.ascontiguousarray(self.complete[said], np.int8).tobytes())
        part.venue_names = {self.venue_iri(n): self.venue_name(n)
                            for n in np.flatnonzero(self.venue_named).tolist()}
        part.dated, part.years = per_work(self.year_at, self.work_years)
        part.placed, part.venues = per_work(self.work_venue_at, self.work_venues)
        titled = self.titled == 1
        part.titled = array("Q", np.ascontiguousarray(self.work_hash[titled]).tobytes())
        part.title_keys = array("Q", np.ascontiguousarray(self.title_key[titled],
                                                          dtype=np.uint64).tobytes())
        part.identified = array("Q", np.ascontiguousarray(
            self.work_hash[self.identified == 1]).tobytes())
        part.work_iris = self.work_iri_bytes  # read, not written to
        part.work_iri_starts = array("q", np.ascontiguousarray(self.work_iri_from[titled],
                                                               dtype=np.int64).tobytes())
        part.work_iri_ends = array("q", np.ascontiguousarray(self.work_iri_to[titled],
                                                             dtype=np.int64).tobytes())
        part.titles = self.title_bytes  # read, not written to
        part.title_starts = array("q", np.ascontiguousarray(self.title_from[titled],
                                                            dtype=np.int64).tobytes())
        part.title_ends = array("q", np.ascontiguousarray(self.title_to[titled],
                                                          dtype=np.int64).tobytes())
        return part

    def save(self, path: Path) -> None:
        """Write to ``path`` through a temporary file and a rename."""
        header = {"format": FORMAT, "key": self.key, "arrays": {}}
        at = 0
        for name, dtype in _ARRAYS.items():
            a = np.ascontiguousarray(getattr(self, name), dtype=dtype)
            header["arrays"][name] = [at, len(a)]
            at += -(-a.nbytes // 8) * 8
        head = json.dumps(header).encode("utf-8")
        head += b" " * (-(len(MAGIC) + 8 + len(head)) % 8)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        path.parent.mkdir(exist_ok=True)
        try:
            with open(tmp, "wb") as f:
                f.write(MAGIC + len(head).to_bytes(8, "little") + head)
                for name, dtype in _ARRAYS.items():
                    data = np.ascontiguousarray(getattr(self, name), dtype=dtype).tobytes()
                    f.write(data + b"\0" * (-len(data) % 8))
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        st = path.stat()
        self.stamp = st.st_ino, st.st_mtime_ns

    @classmethod
    def load(cls, path: Path) -> AuthorIndex | None:
        """The index in ``path``, or None when there is none, or it is broken or of another
        layout (it is derived data: the caller builds it again)."""
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                if f.read(len(MAGIC)) != MAGIC:
                    return None
                size = int.from_bytes(f.read(8), "little")
                header = json.loads(f.read(size))
                if header.get("format") != FORMAT:
                    return None
                # a plain array over the mapped file: a memmap's slices cost ten times more
                raw = np.memmap(f, dtype="u1", mode="r").view(np.ndarray)
            start = len(MAGIC) + 8 + size
            arrays = {}
            for name, dtype in _ARRAYS.items():
                if name in _LATER and name not in header["arrays"]:
                    continue
                at, n = header["arrays"][name]
                width = np.dtype(dtype).itemsize
                arrays[name] = raw[start + at:start + at + n * width].view(dtype)
                if len(arrays[name]) != n:
                    return None
            persons = len(arrays["iri_at"]) - 1
            arrays.setdefault("one_name", np.zeros(persons, dtype=np.uint8))
            return cls(arrays, header["key"], (st.st_ino, st.st_mtime_ns))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # ---- reading ------------------------------------------------------------------------------

    def iri(self, n: int) -> str:
        return bytes(self.iri_bytes[self.iri_at[n]:self.iri_at[n + 1]]).decode("utf-8")

    def name(self, n: int) -> str:
        return bytes(self.name_bytes[self.name_at[n]:self.name_at[n + 1]]).decode("utf-8")

    def find(self, iri: str) -> int | None:
        """The number of the author ``iri`` (a binary search in code-point order)."""
        return _search(self.iri_at, self.iri_bytes, iri)

    def find_work(self, iri: str) -> int | None:
        """The number of the work ``iri`` (None: it has no authors, the index does not know
        it)."""
        key = np.uint64(work_hash(iri))
        n = int(np.searchsorted(self.work_hash, key))
        return n if n < len(self.work_hash) and self.work_hash[n] == key else None

    def work_iri(self, n: int) -> str:
        """The IRI of the work ``n`` ("" if it has no title)."""
        return bytes(self.work_iri_bytes[self.work_iri_from[n]:self.work_iri_to[n]]
                     ).decode("utf-8")

    def title(self, n: int) -> str:
        """The smallest title of the work ``n`` ("" if it has none)."""
        return bytes(self.title_bytes[self.title_from[n]:self.title_to[n]]).decode("utf-8")

    def venue_name(self, n: int) -> str:
        """The smallest name of the venue ``n`` ("" if it has none)."""
        return bytes(self.venue_name_bytes[self.venue_name_at[n]:self.venue_name_at[n + 1]]
                     ).decode("utf-8")

    def venue_iri(self, n: int) -> str:
        return bytes(self.venue_iri_bytes[self.venue_iri_at[n]:self.venue_iri_at[n + 1]]
                     ).decode("utf-8")

    def find_venue(self, iri: str) -> int | None:
        """The number of the venue ``iri``."""
        return _search(self.venue_iri_at, self.venue_iri_bytes, iri)

def _smallest_titles(parts: list[Authorships], titled: np.ndarray, keys: np.ndarray
                     ) -> np.ndarray:
    """The entry of each titled work (``titled``: the parts' hashes of titled works, one per
    title, in the parts' order; ``keys``: the title key of each) that holds its smallest title,
    in the order of the works: the smallest key, then, among entries of one work tied on it,
    the smallest title (compared here, one by one: a few works have several titles)."""
    order = np.lexsort((keys, titled))
    if not len(order):
        return order
    w, k = titled[order], keys[order]
    first = np.concatenate(([True], w[1:] != w[:-1]))
    entries = order[first]
    tied = np.flatnonzero(~first & np.concatenate(([False], k[1:] == k[:-1])))
    if len(tied):
        base = np.cumsum([0] + [len(p.titles) for p in parts])
        starts = _cat([np.frombuffer(p.title_starts, dtype=np.int64) + b
                       for p, b in zip(parts, base, strict=False)], np.int64)
        ends = _cat([np.frombuffer(p.title_ends, dtype=np.int64) + b
                     for p, b in zip(parts, base, strict=False)], np.int64)
        texts = [memoryview(p.titles) for p in parts]

        def title(entry: int) -> bytes:
            part = int(np.searchsorted(base, starts[entry], side="right")) - 1
            return bytes(texts[part][starts[entry] - base[part]:ends[entry] - base[part]])

        place = np.cumsum(first) - 1  # the work of each sorted entry, counted
        for at in tied.tolist():  # UTF-8 bytes sort as the code points do
            work = place[at]
            if title(order[at]) < title(entries[work]):
                entries[work] = order[at]
    return entries


def _texts(parts: list[Authorships], name: str, works: np.ndarray, titled: np.ndarray,
           entries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each of ``works`` has its IRI (``name`` "work_iri") or title ("title"): from, to
    (empty for a work without a title), in the bytes of the parts' IRIs or titles, and those
    bytes; ``titled``: the hashes of the parts' titled works, one per title, in the parts'
    order, and ``entries`` the one of each work to take. The bytes are kept as the parts hold
    them (a work of several titles has several copies): reordering a million IRIs took 185 MB
    more. When most of them are copies no work points to, only those it points to are kept."""
    plural = {"work_iri": "work_iris", "title": "titles"}[name]
    base = np.cumsum([0] + [len(getattr(p, plural)) for p in parts])
    starts = _cat([np.frombuffer(getattr(p, f"{name}_starts"), dtype=np.int64) + b
                   for p, b in zip(parts, base, strict=False)], np.int64)
    ends = _cat([np.frombuffer(getattr(p, f"{name}_ends"), dtype=np.int64) + b
                 for p, b in zip(parts, base, strict=False)], np.int64)
    number = np.searchsorted(works, titled[entries])
    text_from = np.zeros(len(works), dtype=np.int64)
    text_to = np.zeros(len(works), dtype=np.int64)
    text_from[number], text_to[number] = starts[entries], ends[entries]
    text = _cat([np.frombuffer(getattr(p, plural), dtype=np.uint8) for p in parts], np.uint8)
    used = int((text_to - text_from).sum())
    if len(text) > 2 * used + SLACK:  # sliced one by one, in the order of the works
        raw = text.tobytes()
        text = np.frombuffer(b"".join([raw[a:b] for a, b in zip(text_from[number].tolist(),
                                                                text_to[number].tolist(),
                                                                strict=True)]), dtype=np.uint8)
        lengths = text_to - text_from
        text_to = np.cumsum(lengths)
        text_from = text_to - lengths
    return text_from, text_to, text


def _cat(arrays: list, dtype) -> np.ndarray:
    """The arrays one after the other, as ``dtype``; one array as it is (an import's one part:
    no copy of its bytes while the loader holds the most memory)."""
    if len(arrays) == 1:
        return arrays[0].astype(dtype, copy=False)
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype)


def _pairs(works: np.ndarray, keys: np.ndarray, values: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """(work number, value) for each distinct (work hash in ``keys``, value), ordered by work,
    then value; ``works`` holds every work hash, sorted."""
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    if len(keys):
        new = np.concatenate(([True], (keys[1:] != keys[:-1]) | (values[1:] != values[:-1])))
        keys, values = keys[new], values[new]
    return np.searchsorted(works, keys).astype(np.int32), values


def _least(keys: np.ndarray, values: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """The smallest of ``numbers`` (:data:`NONE` only when there is no other) for each distinct
    (work hash in ``keys``, value), in the order of :func:`_pairs`."""
    known = np.where(numbers == NONE, np.iinfo(np.int32).max, numbers).astype(np.int32)
    order = np.lexsort((known, values, keys))
    keys, values, known = keys[order], values[order], known[order]
    if len(keys):
        new = np.concatenate(([True], (keys[1:] != keys[:-1]) | (values[1:] != values[:-1])))
        known = known[new]
    known[known == np.iinfo(np.int32).max] = NONE
    return known


def _starts(sorted_numbers: np.ndarray, n: int) -> np.ndarray:
    """Where the run of each of the numbers 0..n-1 starts in ``sorted_numbers`` (and ends)."""
    at = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sorted_numbers, minlength=n), out=at[1:])
    return at


def _inverse(works: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For each of the numbers 0..n-1 in ``values`` (the value of each of ``works``), the works
    that have it, in order: where each number's run starts, and the runs."""
    order = np.argsort(values, kind="stable")
    return _starts(values[order], n), works[order]


def _search(at: np.ndarray, data: np.ndarray, iri: str) -> int | None:
    """The place of ``iri`` among the strings ``data[at[n]:at[n + 1]]`` (in code-point order)."""
    key = iri.encode("utf-8")  # UTF-8 sorts bytewise as the code points do
    lo, hi = 0, len(at) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if bytes(data[at[mid]:at[mid + 1]]) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(at) - 1 and bytes(data[at[lo]:at[lo + 1]]) == key else None


def _strings(items: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [s.encode("utf-8") for s in items]
    at = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=at[1:])
    return at, np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()


# ---- from a store ---------------------------------------------------------------------------

#: The authors of each work (IRIs hold no spaces); each IRI read once per work, the authors'
#: once per authorship (each is a lookup in the store's string table: 5 us).
WORKS = """SELECT ?w (GROUP_CONCAT(STR(?p); separator=" ") AS ?authors) WHERE {
  ?w skg:hasAuthor ?p . FILTER(isIRI(?p))
} GROUP BY ?w"""

#: Every label (the persons' are kept): a join with ``a skg:Person`` takes three times longer.
NAMES = "SELECT ?p ?l WHERE { ?p rdfs:label ?l }"

#: The years and venues of each work (a year the index cannot hold, not an integer, is left
#: out: scholkg writes each as an ``xsd:gYear`` of four digits).
YEARS = "SELECT ?w ?y WHERE { ?w skg:year ?y }"
VENUES = "SELECT ?w ?v WHERE { ?w skg:publishedIn ?v . FILTER(isIRI(?v)) }"
TITLES = "SELECT ?w ?t WHERE { ?w skg:title ?t }"
#: Each author's smallest position in each work (their slots').
POSITIONS = """SELECT ?w ?p (MIN(?pos) AS ?at) WHERE {
  ?w skg:hasAuthorship ?slot . ?slot skg:author ?p ; skg:position ?pos .
} GROUP BY ?w ?p"""
#: The sizes of author lists, each said of a work.
SIZES = (("listed", "SELECT ?w ?n WHERE { ?w skg:listedAuthorCount ?n }"),
         ("counted", "SELECT ?w ?n WHERE { ?w skg:authorCount ?n }"),
         ("complete", "SELECT ?w ?n WHERE { ?w skg:authorListComplete ?n }"))
#: The names of the venues of works (persons have skg:name too: not read).
VENUE_NAMES = "SELECT DISTINCT ?v ?n WHERE { ?w skg:publishedIn ?v . ?v skg:name ?n }"
#: (persons and venues have OpenAlex IDs too)
IDENTIFIED = ("SELECT DISTINCT ?w WHERE { "
              "?w skg:doi|skg:arxiv|skg:dblpRecord|skg:openalex|skg:wikidata ?id . "
              "?w a skg:Work }")


def key_of(graphs: Iterable[str]) -> str:
    """The name of the index of the union of ``graphs``."""
    return hashlib.sha256("|".join(sorted(graphs)).encode("utf-8")).hexdigest()[:32]


def from_store(gs, graphs: list[str]) -> Authorships:
    """The authorships and labels of the union of ``graphs`` of the store ``gs``."""
    part = labels_from_graphs(gs, graphs)
    for work, authors in gs.query(WORKS, graphs=graphs):
        part.add(work.value, authors.value.split(" "))
    part.several.update(part.ids)  # their printed names are not read (3.5 M slots at 1 M works)
    for w, y in gs.query(YEARS, graphs=graphs):
        try:
            part.year(work_hash(w.value), int(y.value))
        except (ValueError, OverflowError):
            continue
    for w, v in gs.query(VENUES, graphs=graphs):
        part.venue(work_hash(w.value), v.value)
    for w, t in gs.query(TITLES, graphs=graphs):
        part.title(work_hash(w.value), t.value, w.value)
    for (w,) in gs.query(IDENTIFIED, graphs=graphs):
        part.identify(work_hash(w.value))
    _positions(part, gs.query(POSITIONS, graphs=graphs))
    for what, sparql in SIZES:
        for w, n in gs.query(sparql, graphs=graphs):
            try:
                value = (n.value in ("true", "1") if what == "complete"
                         else int(n.value))
                part.size(work_hash(w.value), **{what: value})
            except (ValueError, OverflowError):  # not a count this index can hold
                continue
    for v, n in gs.query(VENUE_NAMES, graphs=graphs):
        if isinstance(v, NamedNode):
            part.venue_named(v.value, n.value)
    return part


def _positions(part: Authorships, rows) -> None:
    """Set the positions of ``part``'s authorships (added without) from ``rows`` of
    :data:`POSITIONS`: one entry of each (work, author) gets it."""
    got = []
    for w, p, at in rows:
        n = part.ids.get(p.value)
        try:
            position = int(at.value)
        except ValueError:
            continue
        if n is not None and 0 <= position < 2**31:
            got.append((work_hash(w.value), n, position))
    if not got:
        return
    hashes, persons, positions = (np.array(c, dtype=t) for c, t in zip(
        zip(*got, strict=True), (np.uint64, np.int64, np.int32), strict=True))
    works = np.frombuffer(part.works, dtype=np.uint64)
    known, number = np.unique(works, return_inverse=True)  # works as small numbers
    pair = number.astype(np.int64) << 32 | np.frombuffer(part.persons, dtype=np.int32)
    order = np.argsort(pair, kind="stable")
    w = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
    asked = w.astype(np.int64) << 32 | persons.astype(np.int64)
    at = np.minimum(np.searchsorted(pair[order], asked), len(pair) - 1)
    found = (known[w] == hashes) & (pair[order][at] == asked)
    column = np.frombuffer(part.positions, dtype=np.int32).copy()
    column[order[at[found]]] = positions[found]
    part.positions = array("i", column.tobytes())


def labels_from_graphs(gs, graphs: list[str]) -> Authorships:
    """Every label of the union of ``graphs`` (an index keeps its authors' only: a person may
    have a smaller one in a graph where they wrote nothing)."""
    part = Authorships()
    for p, label in gs.query(NAMES, graphs=graphs):
        part.label(p.value, label.value)
    return part


def labels_from_store(gs, graphs: list[str], iris: Iterable[str]) -> Authorships:
    """The labels of ``iris`` in the union of ``graphs``."""
    part = Authorships()
    iris = sorted(iris)
    for at in range(0, len(iris), 500):
        vals = " ".join(str(NamedNode(i)) for i in iris[at:at + 500])
        for p, label in gs.query(f"SELECT ?p ?l WHERE {{ VALUES ?p {{ {vals} }} ?p rdfs:label ?l }}",
                                 graphs=graphs):
            part.label(p.value, label.value)
    return part
