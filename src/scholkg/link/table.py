"""A file target's works as a table: what matching reads, built once when the target is loaded.

Matching asks a target two things per batch of our works: which of its works share a key with
ours (:meth:`TargetTable.candidates`) and what it says about them (:meth:`TargetTable.rows`).
Asking the target's Oxigraph store by SPARQL costs a join over the whole graph per batch; on a
million works that is most of the run. So the load scans the store once with the schema's
queries and keeps, in SQLite beside the store:

* ``works`` — each work's IRI and a number;
* ``rows`` — the schema's work and author rows as they came, as JSON, so that describing works
  is an index lookup and the schema's own row readers build the views (nothing is re-mapped);
* ``keys`` — each work's blocking keys (:func:`~scholkg.link.targets.work_keys`); keys shared
  by more works than :data:`BLOCK_LIMIT` allows are dropped here, once, since they would be
  skipped at every lookup anyway.

Keys are computed row by row (a work's keys are the union of its rows' keys), so the scan needs
no sort and memory stays at the IRI → number map.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

#: Title blocking keys shared by more works than this say nothing (e.g. "p:deep neural networks
#: for"); whole-title keys get more room, for the many "Editorial"s.
BLOCK_LIMIT = {"p": 40, "s": 40, "d": 40, "t": 400, "a": 60}
CHUNK = 50_000
PARAMS = 500  # SQLite's bound-parameter limit is 32766 since 3.32; stay modest

SCHEMA_SQL = """
CREATE TABLE works (id INTEGER PRIMARY KEY, iri TEXT NOT NULL);
CREATE TABLE rows (work INTEGER NOT NULL, author INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE keys (key TEXT NOT NULL, work INTEGER NOT NULL);
"""
INDEX_SQL = """
CREATE UNIQUE INDEX works_iri ON works(iri);
CREATE INDEX rows_work ON rows(work);
CREATE INDEX keys_key ON keys(key, work);
"""

Row = dict[str, str]
KeysOf = Callable[[str, Row], set[str]]


class TargetTable:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.db.execute("PRAGMA cache_size = -65536")

    @classmethod
    def build(cls, path: Path, *, works: Iterable[Row], authors: Iterable[Row],
              first_authors: Iterable[Row], work_keys: KeysOf, author_keys: KeysOf) -> None:
        """Write the table at ``path`` (through a temporary file, so a half-built table is never
        taken for a built one). ``work_keys(iri, row)`` gives the keys a row implies."""
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        try:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                             "PRAGMA cache_size = -262144;" + SCHEMA_SQL)
            numbers: dict[str, int] = {}
            new_works: list[tuple[int, str]] = []

            def number(iri: str) -> int:
                n = numbers.get(iri)
                if n is None:
                    n = numbers[iri] = len(numbers) + 1
                    new_works.append((n, iri))
                return n

            def load(source: Iterable[Row], author: int | None, keys_of: KeysOf | None) -> None:
                row_buf: list[tuple[int, int, str]] = []
                key_buf: list[tuple[str, int]] = []
                last, last_keys = None, set()
                for row in source:
                    n = number(row["ext"])
                    if author is not None:
                        data = {k: v for k, v in row.items() if k != "ext"}
                        row_buf.append((n, author, json.dumps(data, ensure_ascii=False)))
                    if keys_of is not None:
                        if n != last:
                            last, last_keys = n, set()
                        for k in keys_of(row["ext"], row) - last_keys:
                            key_buf.append((k, n))
                            last_keys.add(k)
                    if len(row_buf) >= CHUNK or len(key_buf) >= CHUNK:
                        flush(row_buf, key_buf)
                flush(row_buf, key_buf)

            def flush(row_buf: list, key_buf: list) -> None:
                db.executemany("INSERT INTO works VALUES (?, ?)", new_works)
                db.executemany("INSERT INTO rows VALUES (?, ?, ?)", row_buf)
                db.executemany("INSERT INTO keys VALUES (?, ?)", key_buf)
                new_works.clear()
                row_buf.clear()
                key_buf.clear()

            load(works, 0, work_keys)
            load(authors, 1, None)
            load(first_authors, None, author_keys)
            db.commit()
            _drop_full_blocks(db)
            db.executescript(INDEX_SQL)
            db.commit()
        finally:
            db.close()
        os.replace(tmp, path)

    def rows(self, iris: Iterable[str]) -> Iterator[tuple[bool, Row]]:
        """(is an author row, row) for each stored row of these works."""
        todo = sorted(set(iris))
        for i in range(0, len(todo), PARAMS):
            batch = todo[i:i + PARAMS]
            marks = ",".join("?" * len(batch))
            for iri, author, data in self.db.execute(
                    "SELECT w.iri, r.author, r.data FROM works w JOIN rows r ON r.work = w.id "
                    f"WHERE w.iri IN ({marks}) ORDER BY r.author", batch):
                row = json.loads(data)
                row["ext"] = iri
                yield bool(author), row

    def lookup(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """The works each key leads to."""
        hits: dict[str, set[str]] = defaultdict(set)
        todo = sorted(set(keys))
        for i in range(0, len(todo), PARAMS):
            batch = todo[i:i + PARAMS]
            marks = ",".join("?" * len(batch))
            for key, iri in self.db.execute(
                    "SELECT k.key, w.iri FROM keys k JOIN works w ON w.id = k.work "
                    f"WHERE k.key IN ({marks})", batch):
                hits[key].add(iri)
        return hits

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM works").fetchone()[0]

    def close(self) -> None:
        self.db.close()


def _drop_full_blocks(db: sqlite3.Connection) -> None:
    """Delete keys shared by more works than their kind's limit (duplicates counted once)."""
    cases = " ".join(f"WHEN '{kind}' THEN {limit}" for kind, limit in BLOCK_LIMIT.items())
    db.execute("CREATE TEMP TABLE full (key TEXT PRIMARY KEY)")
    db.execute("INSERT INTO full SELECT key FROM keys GROUP BY key HAVING count(DISTINCT work) > "
               f"CASE substr(key, 1, instr(key, ':') - 1) {cases} ELSE 9223372036854775807 END")
    db.execute("DELETE FROM keys WHERE key IN (SELECT key FROM full)")
    db.execute("DROP TABLE full")
    db.commit()
