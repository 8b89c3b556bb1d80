"""What an import gathers for the derived indexes while it maps records.

The author index (:mod:`scholkg.authorindex`), the full-text index (:mod:`scholkg.textindex`)
and the collection statistics (:mod:`scholkg.statistics`) are derived from the store. Read
back out of a fresh store after a big import, their input costs a lookup in Oxigraph's string
table per IRI or text: 90 s for the authorships of a million works, 9-87 s for their titles.
The mapping has those strings at hand, so it tells a :class:`Gathered` of each work's authors
and texts and of each person's labels; the commit indexes what was gathered of the new graphs
(the rest from the store, or the index it has). The figures of the statistics (works, venues,
years, author slots) are tallied too: a commit whose graphs were all gathered (a first import)
counts them without a query (:mod:`scholkg.tallies`).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from .authorindex import Authorships, work_hash

#: A spool file is named so; a killed import leaves one behind, which the next writer removes.
SPOOL_GLOB = "texts-*.spool"


def spool_path(folder: Path) -> Path:
    """A new spool file's name in the store's ``folder``."""
    return folder / SPOOL_GLOB.replace("*", uuid.uuid4().hex)


class TextSpool:
    """The titles and abstracts of one graph, in a SQLite file (a million works' texts do not
    belong in memory) until the commit indexes them: ``path`` (in the store's folder, see
    :func:`spool_path`: a second process may write it), else a private temporary file."""

    def __init__(self, path: Path | None):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._titles: list[tuple[str, str]] = []
        self._abstracts: list[tuple[str, str]] = []

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            # read by the thread that indexes it (threads.Ahead), dropped by the importer's
            self._db = sqlite3.connect(str(self.path) if self.path else "",
                                       check_same_thread=False)
            self._db.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                "CREATE TABLE IF NOT EXISTS titles (work TEXT, text TEXT);"
                "CREATE TABLE IF NOT EXISTS abstracts (work TEXT, text TEXT);")
        return self._db

    def add(self, work: str, title: str, abstract: str | None) -> None:
        self._titles.append((work, title))
        if abstract:
            self._abstracts.append((work, abstract))
        if len(self._titles) >= 20_000:
            self._flush()

    def _flush(self) -> None:
        db = self._open()
        db.executemany("INSERT INTO titles VALUES (?, ?)", self._titles)
        db.executemany("INSERT INTO abstracts VALUES (?, ?)", self._abstracts)
        self._titles, self._abstracts = [], []

    def finish(self) -> None:
        """Write out what is buffered (before another process reads the file)."""
        self._flush()
        assert self._db is not None
        self._db.commit()

    def __getstate__(self) -> dict:  # handed to the importing process: the file, not the rows
        self.finish()
        assert self._db is not None and self.path is not None
        self._db.close()
        self._db = None
        return {"path": self.path}

    def __setstate__(self, state: dict) -> None:
        self.__init__(None)
        self.path = state["path"]

    def texts(self) -> Iterator[tuple[str, list[str], list[str]]]:
        """(work, [title], abstracts) for each distinct title of a work, with the work's
        distinct abstracts: what the graph holds (see :meth:`GraphStore.texts`). Both tables
        are read in the order of their works and joined as they go (a lookup of the abstracts
        of each title took twice as long)."""
        self.finish()
        db = self._open()
        abstracts = db.execute("SELECT DISTINCT work, text FROM abstracts ORDER BY work")
        pending = next(abstracts, None)
        work_abstracts: tuple[str | None, list[str]] = (None, [])
        for work, title in db.execute("SELECT DISTINCT work, text FROM titles ORDER BY work"):
            if work != work_abstracts[0]:
                found = []
                # SQLite orders TEXT by its UTF-8 bytes, which is the order of Python's str
                while pending is not None and pending[0] <= work:
                    if pending[0] == work:
                        found.append(pending[1])
                    pending = next(abstracts, None)
                work_abstracts = (work, found)
            yield work, [title], list(work_abstracts[1])

    def drop(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)


class Tally:
    """What the statistics count of one graph beyond its authorships (whose positions, years,
    venues and venue names are in its :class:`~scholkg.authorindex.Authorships`): each name
    cluster as written."""

    def __init__(self):
        self.clusters: set[str] = set()


class Gathered:
    """The authorships, person labels, texts and tallies of the records mapped into one graph
    (the texts spooled to ``spool``, see :class:`TextSpool`)."""

    def __init__(self, spool: Path | None):
        self.authorships = Authorships()
        self.tally = Tally()
        self.texts = TextSpool(spool)

    def work(self, iri: str, title: str, abstract: str | None, authors: Iterable[str],
             positions: Iterable[int | None], venue: str | None = None,
             year: int | None = None, identified: bool = False, *, listed: int,
             complete: bool) -> None:
        """The work ``iri`` with its ``authors`` (IRIs) at their ``positions``, in ``venue``
        (an IRI named before, see :meth:`venue_named`) and ``year``; ``identified`` if it has
        an identifier; ``listed`` authors listed, the list ``complete`` or not."""
        key = work_hash(iri)
        a = self.authorships
        a.add(iri, authors, key=key, positions=positions)
        a.title(key, title, iri)
        if identified:
            a.identify(key)
        if year is not None:
            a.year(key, year)
        if venue is not None:
            a.venue(key, venue)
        a.size(key, listed, listed if complete else None, complete)
        self.texts.add(iri, title, abstract)

    def venue_named(self, iri: str, name: str) -> None:
        """The venue ``iri`` was described with ``name``."""
        self.authorships.venue_named(iri, name)

    def label(self, person: str, label: str) -> bool:
        """The person has the label; True if it is new to them here."""
        return self.authorships.label(person, label)

    def drop(self) -> None:
        self.texts.drop()

