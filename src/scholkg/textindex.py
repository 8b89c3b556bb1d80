"""A full-text index of titles and abstracts: Tantivy (a search engine in Rust, PyPI
``tantivy``), in a folder next to the store (``search/``), kept in step with it.

The store is the truth; the index is derived from it and says which graphs it holds (a marker
document per graph, committed with the graph's documents). ``sync`` makes it hold exactly the
committed graphs: documents of graphs that are gone are deleted, graphs not yet indexed are read
(their ``skg:title`` and ``skg:abstract`` quads) and added, in one index commit. The store calls
it after every commit, and a search calls it first, so an index left behind by a crash between
the two commits, deleted by hand or written by another version heals itself.

One document per title of a work in a graph, with the work's abstracts in that graph. Every
word of a search must occur (in the title or the abstract); case and diacritics are ignored,
and words compare by their (English Snowball) stem: "networks" finds "network", "learning"
finds "learned". The score is BM25, a title word weighing ten times an abstract word.

Why Tantivy and not SQLite's FTS5 (used until 2026-11-27): FTS5 computes BM25 for every
matching row before it can rank, so a common word took 400 ms on a million works; Tantivy
keeps the best k while it reads the postings (6-45 ms for the same searches; see
docs/performance.md).

>>> words('LLM "Sparsity" -- networks')
['llm', 'sparsiti', 'network']
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy

from .threads import Stopped

if TYPE_CHECKING:
    from .gathered import TextSpool

FOLDER = "search"
#: The SQLite index of versions before 2026-11-27, removed when found.
OLD_FILE = "search.sqlite"
#: The index's layout (schema and analyzer): an index of another is rebuilt.
FORMAT = "scholkg-search 1"
MARKER = "scholkg-format"
#: At most this many works come back from one search (the best ones).
MAX_HITS = 5000
#: Title words weigh this many times abstract words.
TITLE_BOOST = 10.0
_TOKENIZER = "scholkg_words"
_HELD = "graph"  # value of the ``held`` field of a graph's marker document
_WRITER_HEAP = 128_000_000  # bytes the writer buffers before it writes a segment
_LOCK_WAIT = 60.0  # seconds to wait for another process that writes the index


def _analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(100))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build())


_ANALYZER = _analyzer()


def words(text: str) -> list[str]:
    """The index terms of ``text``, in order and without repeats: what a search looks for.
    Nothing the user types is query syntax."""
    return list(dict.fromkeys(_ANALYZER.analyze(text)))


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("work", stored=True, tokenizer_name="raw")
    sb.add_text_field("graph", stored=True, tokenizer_name="raw")
    sb.add_text_field("held", tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name=_TOKENIZER)
    sb.add_text_field("abstract", tokenizer_name=_TOKENIZER)
    return sb.build()


class TextIndex:
    """The index of one store (``folder``), or an index in memory (``folder`` None)."""

    def __init__(self, folder: Path | None):
        self.path = folder / FOLDER if folder is not None else None
        self._schema = _schema()
        if self.path is None:
            self._index = tantivy.Index(self._schema)
        else:
            old = folder / OLD_FILE
            if old.exists():
                old.unlink()
            self._index = self._open(self.path)
        self._index.register_tokenizer(_TOKENIZER, _ANALYZER)

    def _open(self, path: Path) -> tantivy.Index:
        marker = path / MARKER
        if marker.is_file() and marker.read_text("utf-8").strip() == FORMAT:
            try:
                return tantivy.Index(self._schema, path=str(path), reuse=True)
            except (OSError, ValueError):
                pass
        # none yet, another version's, or a broken one: it is derived data, rebuilt on sync
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir()
        index = tantivy.Index(self._schema, path=str(path), reuse=False)
        marker.write_text(FORMAT + "\n", "utf-8")
        return index

    def close(self) -> None:
        self._index = None

    def _writer(self) -> tantivy.IndexWriter:
        """The index's writer; only one process may hold it, so wait for another one."""
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            try:
                return self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as e:
                if "lock" not in str(e).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _searcher(self) -> tantivy.Searcher:
        self._index.reload()  # see what other processes committed
        return self._index.searcher()

    def reset(self) -> None:
        """Forget everything: the next sync reads every graph again."""
        writer = self._writer()
        writer.delete_all_documents()
        self._finish(writer)

    def forget(self, graphs: Iterable[str]) -> None:
        """Forget what is held of ``graphs``: the next sync reads them again."""
        graphs = sorted(set(graphs) & self.graphs())
        if not graphs:
            return
        writer = self._writer()
        for g in graphs:
            writer.delete_documents_by_term("graph", g)
        self._finish(writer)

    def graphs(self) -> set[str]:
        searcher = self._searcher()
        marks = tantivy.Query.term_query(self._schema, "held", _HELD)
        n = searcher.search(marks, limit=1).count
        if not n:
            return set()
        hits = searcher.search(marks, limit=n, count=False).hits
        return {searcher.doc(addr)["graph"][0] for _, addr in hits}

    def sync(self, store, graphs: list[str]) -> None:
        """Hold exactly ``graphs`` (the committed ones), reading new ones from ``store``."""
        want, have = set(graphs), self.graphs()
        if want == have:
            return
        writer = self._writer()
        try:
            have = self.graphs()  # another process may have synced while we waited
            for g in sorted(have - want):
                writer.delete_documents_by_term("graph", g)
            for g in sorted(want - have):
                self._add_graph(writer, g, store.texts(g))
        except BaseException:
            writer.rollback()
            raise
        self._finish(writer)

    def add(self, store, graphs: list[str], spooled: Mapping[str, TextSpool],
            stop: threading.Event | None = None) -> None:
        """Index ``graphs`` ahead of their commit (while the loader ends, say), those
        of ``spooled`` from their spool, the others from the store. A graph that then fails to
        be committed is dropped again by the next :meth:`sync`. Gives up (and adds nothing)
        once ``stop`` is set."""
        todo = sorted(set(graphs) - self.graphs())
        if not todo:
            return
        writer = self._writer()
        try:
            for g in todo:
                texts = spooled[g].texts() if g in spooled else store.texts(g)
                self._add_graph(writer, g, _until(stop, texts) if stop else texts)
        except BaseException:
            writer.rollback()
            raise
        self._finish(writer)

    @staticmethod
    def _finish(writer: tantivy.IndexWriter) -> None:
        writer.commit()
        writer.wait_merging_threads()  # and the writer (and its lock) is released

    @staticmethod
    def _add_graph(writer, graph: str,
                   texts: Iterable[tuple[str, list[str], list[str]]]) -> None:
        for work, titles, abstracts in texts:
            writer.add_document(tantivy.Document(work=work, graph=graph, title=titles,
                                                 abstract=abstracts))
        writer.add_document(tantivy.Document(graph=graph, held=_HELD))

    def _query(self, terms: list[str]) -> tantivy.Query:
        """Every term, each in the title (boosted) or the abstract."""
        q, must, either = tantivy.Query, tantivy.Occur.Must, tantivy.Occur.Should
        return q.boolean_query([(must, q.boolean_query([
            (either, q.boost_query(q.term_query(self._schema, "title", t), TITLE_BOOST)),
            (either, q.term_query(self._schema, "abstract", t))])) for t in terms])

    def search(self, text: str, limit: int = MAX_HITS) -> list[tuple[str, float]]:
        """(work IRI, score) of the works whose title or abstract holds every word of ``text``,
        best first (ties by IRI). The score is BM25, higher is better."""
        terms = words(text)
        if not terms:
            return []
        searcher = self._searcher()
        # a work indexed from two sources has two documents
        hits = searcher.search(self._query(terms), limit=2 * limit, count=False).hits
        best: dict[str, float] = {}
        for score, addr in hits:
            work = searcher.doc(addr)["work"][0]
            if work not in best:
                best[work] = score
        rows = sorted(best.items(), key=lambda ws: (-ws[1], ws[0]))[:limit]
        return [(work, round(score, 4)) for work, score in rows]


def _until(stop: threading.Event, items: Iterable):
    """``items``, until ``stop`` is set (then an error: what was read is rolled back)."""
    for n, item in enumerate(items):
        if n % 10_000 == 0 and stop.is_set():
            raise Stopped("stopped")
        yield item


def gather(titles: Iterable[tuple[str, str]], abstracts: Iterable[tuple[str, str]]):
    """(work, [title], abstracts) for each title of the ``titles`` stream, with that work's
    abstracts from the ``abstracts`` stream, which are first kept in a temporary SQLite file
    (a graph may hold millions of them), not in memory."""
    abstracts = iter(abstracts)
    first = next(abstracts, None)
    if first is None:
        for work, text in titles:
            yield work, [text], []
        return
    db = sqlite3.connect("")  # a private temporary file, deleted on close
    try:
        db.execute("CREATE TABLE a (work TEXT, body TEXT)")
        db.executemany("INSERT INTO a VALUES (?, ?)", chain([first], abstracts))
        db.execute("CREATE INDEX a_work ON a (work)")
        for work, text in titles:
            found = [b for (b,) in db.execute("SELECT body FROM a WHERE work = ?", (work,))]
            yield work, [text], found
    finally:
        db.close()
