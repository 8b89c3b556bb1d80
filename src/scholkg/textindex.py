"""A full-text index of titles and abstracts: SQLite FTS5 (Python's standard library), next to
the store (``search.sqlite``), kept in step with it.

The store is the truth; the index is derived from it and says which graphs it holds. ``sync``
makes it hold exactly the committed graphs: rows of graphs that are gone are deleted, graphs not
yet indexed are read (their ``skg:title`` and ``skg:abstract`` quads) and added, all in one SQLite
transaction. The store calls it after every commit, and a search calls it first, so an index
left behind by a crash between the two commits, or deleted by hand, heals itself.

Ranking is FTS5's BM25 with a title word weighing ten times an abstract word; every word of the
search must occur (in the title or the abstract); diacritics and case are ignored, and words
are compared by their stem (Porter): "networks" finds "network", "learning" finds "learned".

>>> words_query('LLM "sparsity" -- DROP')
'"llm" "sparsity" "drop"'
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

FILE = "search.sqlite"
#: At most this many works come back from one search (the best ones).
MAX_HITS = 5000
_WORDS = re.compile(r"[^\W_]+")

SCHEMA = """
CREATE TABLE IF NOT EXISTS graphs (graph TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, graph TEXT NOT NULL, work TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS docs_graph ON docs (graph);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, abstract, tokenize='porter unicode61 remove_diacritics 2');
"""


def words_query(text: str) -> str:
    """The words of ``text`` as an FTS5 query of quoted terms: nothing the user types can be
    FTS5 syntax."""
    return " ".join(f'"{w}"' for w in _WORDS.findall(text.casefold()))


class TextIndex:
    def __init__(self, folder: Path | None):
        self.path = folder / FILE if folder is not None else None
        self._db = sqlite3.connect(str(self.path) if self.path else ":memory:",
                                   isolation_level=None, check_same_thread=False)
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def reset(self) -> None:
        """Forget everything: the next sync reads every graph again."""
        self._db.executescript("DELETE FROM graphs; DELETE FROM docs; DELETE FROM fts;")

    def graphs(self) -> set[str]:
        return {g for (g,) in self._db.execute("SELECT graph FROM graphs")}

    def sync(self, store, graphs: list[str]) -> None:
        """Hold exactly ``graphs`` (the committed ones), reading new ones from ``store``."""
        want, have = set(graphs), self.graphs()
        if want == have:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for g in sorted(have - want):
                rows = db.execute("SELECT id FROM docs WHERE graph = ?", (g,)).fetchall()
                db.executemany("DELETE FROM fts WHERE rowid = ?", rows)
                db.execute("DELETE FROM docs WHERE graph = ?", (g,))
                db.execute("DELETE FROM graphs WHERE graph = ?", (g,))
            for g in sorted(want - have):
                self._add_graph(g, store.texts(g))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def add(self, store, graphs: list[str]) -> None:
        """Index ``graphs`` ahead of their commit (while the statistics are derived, say). A
        graph that then fails to be committed is dropped again by the next :meth:`sync`."""
        have = self.graphs()
        todo = [g for g in sorted(set(graphs)) if g not in have]
        if not todo:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for g in todo:
                self._add_graph(g, store.texts(g))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _add_graph(self, graph: str, texts) -> None:
        """Index one graph's (work, field, text) stream. The texts are gathered per work in a
        temporary table, not in memory: a graph may hold millions of works."""
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS incoming "
                   "(work TEXT, field TEXT, body TEXT)")
        db.execute("DELETE FROM incoming")
        db.executemany("INSERT INTO incoming VALUES (?, ?, ?)", texts)
        db.execute("CREATE INDEX IF NOT EXISTS temp.incoming_work ON incoming (work, field)")
        db.execute("INSERT INTO docs (graph, work) SELECT DISTINCT ?, work FROM incoming", (graph,))
        db.execute(
            "INSERT INTO fts (rowid, title, abstract) SELECT docs.id, "
            "(SELECT group_concat(body, ' ') FROM incoming i "
            " WHERE i.work = docs.work AND i.field = 'title'), "
            "(SELECT group_concat(body, ' ') FROM incoming i "
            " WHERE i.work = docs.work AND i.field = 'abstract') "
            "FROM docs WHERE docs.graph = ?", (graph,))
        db.execute("DELETE FROM incoming")
        db.execute("INSERT INTO graphs (graph) VALUES (?)", (graph,))

    def search(self, text: str, limit: int = MAX_HITS) -> list[tuple[str, float]]:
        """(work IRI, score) of the works whose title or abstract holds every word of ``text``,
        best first. The score is BM25, higher is better."""
        q = words_query(text)
        if not q:
            return []
        hits = self._db.execute(
            "SELECT rowid, bm25(fts, 10.0, 1.0) AS r FROM fts WHERE fts MATCH ? ORDER BY r "
            "LIMIT ?", (q, 2 * limit)).fetchall()  # a work indexed from two sources: two rows
        work_of: dict[int, str] = {}
        for i in range(0, len(hits), 500):
            ids = [h[0] for h in hits[i:i + 500]]
            marks = ",".join("?" * len(ids))
            work_of.update(self._db.execute(
                f"SELECT id, work FROM docs WHERE id IN ({marks})", ids).fetchall())
        best: dict[str, float] = {}
        for rowid, rank in hits:
            work = work_of.get(rowid)
            if work is not None and work not in best:
                best[work] = rank
        rows = sorted(best.items(), key=lambda wr: (wr[1], wr[0]))[:limit]
        return [(work, round(-rank, 4)) for work, rank in rows]
