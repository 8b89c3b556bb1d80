"""The full-text index against SQLite FTS5 (the index scholkg used before), on a store's titles
and abstracts: build time, size, and lookup latency of the same searches, in one run.

    python bench/search_index.py --store /tmp/kg1m2/s
    python bench/search_index.py --store /tmp/kg1m2/s --words "neural network" graph

Both indexes are built from the same (work, title, abstract) rows, read from the store once
beforehand, into temporary folders (the store's own index is not touched). FTS5 is set up as
scholkg had it: Porter stems, diacritics removed, BM25 with title words weighing ten times
abstract words, the best ``2 x k`` rows then mapped to works. A lookup is timed from the words
to the list of (work, score); the median of ``--runs`` after one warm-up.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from scholkg import GraphStore  # noqa: E402
from scholkg.textindex import TextIndex  # noqa: E402
from scholkg.textindex import words as terms  # noqa: E402

FTS5 = """
CREATE TABLE docs (id INTEGER PRIMARY KEY, work TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, abstract,
    tokenize='porter unicode61 remove_diacritics 2');
"""


def fts5_build(path: Path, rows) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), isolation_level=None)
    db.executescript(FTS5)
    db.execute("BEGIN")
    db.executemany("INSERT INTO docs (id, work) VALUES (?, ?)",
                   ((i, w) for i, (w, _, _) in enumerate(rows, 1)))
    db.executemany("INSERT INTO fts (rowid, title, abstract) VALUES (?, ?, ?)",
                   ((i, " ".join(t), " ".join(a)) for i, (_, t, a) in enumerate(rows, 1)))
    db.execute("COMMIT")
    return db


def fts5_search(db: sqlite3.Connection, words: str, k: int) -> list[tuple[str, float]]:
    q = " ".join(f'"{w}"' for w in words.casefold().split())
    hits = db.execute("SELECT rowid, bm25(fts, 10.0, 1.0) AS r FROM fts WHERE fts MATCH ? "
                      "ORDER BY r LIMIT ?", (q, 2 * k)).fetchall()
    work_of: dict[int, str] = {}
    for i in range(0, len(hits), 500):
        ids = [h[0] for h in hits[i:i + 500]]
        work_of.update(db.execute(
            f"SELECT id, work FROM docs WHERE id IN ({','.join('?' * len(ids))})", ids))
    best: dict[str, float] = {}
    for rowid, rank in hits:
        best.setdefault(work_of[rowid], -rank)
    return sorted(best.items(), key=lambda ws: (-ws[1], ws[0]))[:k]


def fts5_count(db: sqlite3.Connection, words: str) -> int:
    q = " ".join(f'"{w}"' for w in words.casefold().split())
    return db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (q,)).fetchone()[0]


def tantivy_build(folder: Path, rows, graph: str) -> TextIndex:
    index = TextIndex(folder)
    writer = index._writer()
    index._add_graph(writer, graph, rows)
    index._finish(writer)
    return index


def tantivy_count(index: TextIndex, words: str) -> int:
    return index._searcher().search(index._query(terms(words)), limit=1).count


def median_ms(fn, args: tuple, runs: int) -> float:
    fn(*args)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--words", nargs="+",
                    default=["neural network", "graph", "sparse training", "learning"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("-k", type=int, nargs="+", default=[1001, 101],
                    help="works asked for (scholkg asks --limit + 1)")
    a = ap.parse_args()

    with GraphStore.open(a.store, read_only=True) as gs:
        t = time.perf_counter()
        rows = [r for g in gs.committed_graphs()[1:] for r in gs.texts(g)]
    print(f"{len(rows):,} documents read from {a.store} in {time.perf_counter() - t:.1f} s")

    with tempfile.TemporaryDirectory(dir=a.store.parent) as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        db = fts5_build(tmp / "fts5.sqlite", rows)
        fts_s = time.perf_counter() - t
        t = time.perf_counter()
        (tmp / "tantivy").mkdir()
        tv = tantivy_build(tmp / "tantivy", rows, "urn:bench")
        tv_s = time.perf_counter() - t
        print(f"build      FTS5 {fts_s:7.1f} s {size_mb(tmp / 'fts5.sqlite'):8.1f} MB    "
              f"Tantivy {tv_s:7.1f} s {size_mb(tmp / 'tantivy'):8.1f} MB    "
              f"time ratio {fts_s / tv_s:.2f}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process {rss:.0f} MiB")
        print(f"\n{'words':20} {'matches: FTS5':>14} {'Tantivy':>8} {'k':>5} {'FTS5 ms':>8} "
              f"{'Tantivy ms':>11} {'FTS5/Tantivy':>13}")
        for words in a.words:
            n, m = fts5_count(db, words), tantivy_count(tv, words)
            for k in a.k:
                f = median_ms(fts5_search, (db, words, k), a.runs)
                v = median_ms(tv.search, (words, k), a.runs)
                print(f"{words:20} {n:14,} {m:8,} {k:5} {f:8.1f} {v:11.1f} {f / v:13.1f}")
        db.close()
        tv.close()


if __name__ == "__main__":
    main()
