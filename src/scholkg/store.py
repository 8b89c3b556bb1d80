"""The one module that opens a pyoxigraph ``Store``.

Layout: each imported source lives in its own named graph, one per version of its content
(``skgid:source/<name-hash>/<sha256-prefix>``); that graph also describes itself with PROV-O
(file, format, time, record count, SHA-256). A small *registry* graph (``skgid:registry``) says
which graph is the current one of each source (``<source> skg:currentGraph <graph>``).

Only the registry and the graphs it names are *committed*: queries, exports and lookups see them
and nothing else. An import streams its quads into new, uncommitted graphs (in as many write
batches as it likes, with Oxigraph's bulk loader for big files), then flips the registry for all
its sources in one SPARQL update: one transaction, however big the import. After an error, or a
process killed at any point, the registry still names the old graphs; the uncommitted ones are
garbage, which the next writer drops before anything else.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import io
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from itertools import chain, islice
from pathlib import Path

import pyoxigraph as ox

from . import authorindex, updatescope
from .authorindex import AuthorIndex
from .errors import StoreError
from .gathered import SPOOL_GLOB, Gathered
from .identifiers import DATA_BASE
from .lock import StoreLock
from .textindex import MAX_HITS, TextIndex, gather
from .threads import Ahead, Beside, Stopped
from .vocab import EXPORT_PREFIXES, PREFIXES, RDF, RDFS, SKG

log = logging.getLogger(__name__)

REGISTRY = DATA_BASE + "registry"
META_FILE = "scholkg-store.json"
STORE_FORMAT = 2
#: Quads per write transaction when not bulk loading.
BATCH = 20_000
#: Graphs of this many records dropped at once (a source replaced or removed) are worth a
#: compaction of the whole store (tens of seconds on millions of quads); fewer are left to
#: RocksDB's own compactions.
COMPACT_AFTER = 10_000
#: A graph that does not say how many records it holds (a linkset, a killed import's
#: leftovers) counts as one record per this many quads (about dblp's: 39.8 M for 1 M works).
QUADS_PER_RECORD = 40
#: Lines per run of the bulk loader when memory is short, and runs at once (see
#: :meth:`GraphStore.load_nquads`).
LOAD_PIECE = 400_000
LOAD_RUNS = 2


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


class GraphStore:
    """An Oxigraph store on disk (or in memory when ``path`` is None).

    >>> gs = GraphStore.open(None)
    >>> gs.count_quads()
    0
    """

    def __init__(self, store: ox.Store, path: Path | None, *, read_only: bool,
                 lock: StoreLock | None = None, statistics: bool = True):
        self._store: ox.Store | None = store
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self._purge_on_close = False
        self._text_index = None
        self._author_index: AuthorIndex | None = None
        self._gathered: dict[str, Gathered] = {}
        self._ahead = Ahead()  # what an import derives before its commit (see will_commit)
        self._ahead_index: Future | None = None  # of the author index built ahead
        self._ahead_figures: tuple[str, Future] | None = None  # of the statistics, counted ahead
        self.keeps_statistics = statistics
        self._bulk_loaded = False

    # ---- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None, *, read_only: bool = False,
             wait: float = 0.0, statistics: bool = True) -> GraphStore:
        """Open (and create, unless ``read_only``) the store at ``path``. Another process
        using it makes this wait up to ``wait`` seconds, then fail with a clear message.
        ``statistics`` keeps the collection statistics (:mod:`scholkg.statistics`) at every
        commit; stores that no one queries for them (a link target's cache) can skip it."""
        if path is None:
            return cls(ox.Store(), None, read_only=False, statistics=statistics)
        p = Path(path)
        if p.exists() and not p.is_dir():
            raise StoreError(f'store path "{p}" is a file, not a directory; choose another '
                             "--store or remove the file.")
        if read_only and not (p / "CURRENT").exists():
            raise StoreError(f'no store at "{p}"; import some records first '
                             '("scholkg import FILE").')
        cls._check_version(p)
        if not read_only:
            try:
                p.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f'cannot create store folder "{p}": {e.strerror}.') from None
        try:
            lock = StoreLock(p, exclusive=not read_only, wait=wait).acquire()
        except OSError as e:
            raise StoreError(f'cannot lock store "{p}": {e.strerror}.') from None
        try:
            store = ox.Store.read_only(str(p)) if read_only else ox.Store(str(p))
        except OSError as e:
            lock.release()
            msg = str(e)
            if "lock" in msg.lower():
                raise StoreError(f'store "{p}" is in use by another program (an oxigraph server '
                                 "or a process that does not use scholkg's lock); stop it, then "
                                 "retry.") from None
            raise StoreError(f'cannot open store "{p}": {msg}') from None
        gs = cls(store, p, read_only=read_only, lock=lock, statistics=statistics)
        if not read_only:
            gs._write_meta()
            gs._remove_leftover_files()
            gs.drop_garbage()
        return gs

    @staticmethod
    def _check_version(p: Path) -> None:
        meta = p / META_FILE
        if not meta.exists():
            return
        try:
            info = json.loads(meta.read_text("utf-8"))
            written = str(info["pyoxigraph"])
            layout = int(info.get("store_format", 1))
        except (OSError, ValueError, KeyError, TypeError):
            return
        if _minor(written) != _minor(ox.__version__):
            raise StoreError(
                f'store "{p}" was written by pyoxigraph {written}, but this scholkg uses '
                f"pyoxigraph {ox.__version__}, whose on-disk format differs. Migrate: re-import your "
                "source files into a new store (--store NEWDIR); to keep the old graph as RDF, "
                'export it first with the old version ("scholkg export --format nquads").')
        if layout != STORE_FORMAT:
            raise StoreError(f'store "{p}" has layout {layout}; this scholkg writes layout '
                             f"{STORE_FORMAT}. Re-import your source files into a new store "
                             "(--store NEWDIR).")

    def _write_meta(self) -> None:
        assert self.path is not None
        meta = self.path / META_FILE
        info = {"store_format": STORE_FORMAT, "pyoxigraph": ox.__version__}
        try:
            if not meta.exists() or json.loads(meta.read_text("utf-8")) != info:
                tmp = meta.with_suffix(".tmp")
                tmp.write_text(json.dumps(info) + "\n", "utf-8")
                tmp.replace(meta)
        except (OSError, ValueError) as e:
            log.warning("cannot write %s: %s", meta, e)

    def close(self) -> None:
        """Flush and release the store (and its lock); the object is unusable afterwards."""
        if self._text_index is not None:
            self._text_index.close()
            self._text_index = None
        self._author_index = None
        if self._store is not None:
            if not self.read_only and not self._bulk_loaded:
                # (after a big bulk load a flush would wait for RocksDB's compaction; what
                # the memtable holds is in the write-ahead log, replayed at the next open)
                self.flush()
            self._store = None  # pyoxigraph closes the database when the object is freed
            gc.collect()  # free it now (query iterators may still refer to it), then unlock
            if self._purge_on_close and self.path is not None:
                # RocksDB deletes the write-ahead log of dropped garbage when it next opens
                # the database: do that now, under our lock, rather than leave the file.
                try:
                    ox.Store(str(self.path))
                except OSError as e:
                    log.warning("could not reopen the store to purge its log: %s", e)
                gc.collect()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def _s(self) -> ox.Store:
        if self._store is None:
            raise StoreError("store is closed")
        return self._store

    # ---- the registry -------------------------------------------------------------------------

    def current_graphs(self) -> dict[str, str]:
        """source IRI -> its committed graph IRI."""
        reg = ox.NamedNode(REGISTRY)
        return {q.subject.value: q.object.value
                for q in self._s.quads_for_pattern(None, SKG.currentGraph, None, reg)}

    def committed_graphs(self) -> list[str]:
        """The graphs queries see: the registry and each source's current graph."""
        return [REGISTRY, *sorted(set(self.current_graphs().values()))]

    def _dataset(self, exclude: Iterable[str] = ()) -> dict:
        """Query options that restrict a query to the committed graphs (and the default graph,
        where "scholkg sparql --allow-update" writes), less the current graphs of the sources
        in ``exclude``."""
        current = self.current_graphs()
        hidden = {current[s] for s in exclude if s in current}
        committed = [g for g in self.committed_graphs() if g not in hidden]
        present = {g.value for g in self._s.named_graphs()}
        if present <= set(committed):
            return {"use_default_graph_as_union": True}
        nodes = [ox.NamedNode(g) for g in committed]
        return {"default_graph": [ox.DefaultGraph(), *nodes], "named_graphs": nodes}

    # ---- reading ------------------------------------------------------------------------------

    def query(self, sparql: str, *, prefixes: Mapping[str, str] | None = None,
              exclude: Iterable[str] = (), graphs: Iterable[str] | None = None):
        """Run a read-only SPARQL query over the union of the committed graphs (less those of
        the sources in ``exclude``), or of ``graphs`` (and the default graph) when given."""
        if graphs is not None:
            nodes = [ox.NamedNode(g) for g in graphs]
            dataset = {"default_graph": [ox.DefaultGraph(), *nodes], "named_graphs": nodes}
        else:
            dataset = self._dataset(exclude)
        try:
            return self._s.query(sparql, prefixes=dict(prefixes or PREFIXES), **dataset)
        except OSError as e:
            raise StoreError(f"store read failed: {e}") from None

    def quads(self) -> Iterator[ox.Quad]:
        """Every committed quad, and those of the default graph."""
        default = self._s.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return chain(default, *(self.graph_quads(g) for g in self.committed_graphs()))

    def count_quads(self) -> int:
        return sum(1 for _ in self.quads())

    def named_graphs(self) -> list[str]:
        """Every named graph on disk, committed or not."""
        return sorted(g.value for g in self._s.named_graphs())

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        return self._s.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def value(self, subject: str, predicate: ox.NamedNode, graph: str) -> str | None:
        """The value of one object of (subject, predicate) in ``graph``, or None."""
        g = ox.NamedNode(graph)
        q = next(self._s.quads_for_pattern(ox.NamedNode(subject), predicate, None, g), None)
        return q.object.value if q is not None else None

    def subjects_with(self, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal,
                      graphs: Iterable[str] | None = None) -> set[str]:
        """Subjects of (?, predicate, obj) in the given graphs (default: all on disk)."""
        if graphs is None:
            return {q.subject.value for q in self._s.quads_for_pattern(None, predicate, obj, None)}
        out: set[str] = set()
        for g in graphs:
            out.update(q.subject.value for q in
                       self._s.quads_for_pattern(None, predicate, obj, ox.NamedNode(g)))
        return out

    def objects_of(self, subject: str, predicate: ox.NamedNode) -> set[str]:
        """Objects of (subject, predicate, ?) in any graph."""
        return {q.object.value for q in
                self._s.quads_for_pattern(ox.NamedNode(subject), predicate, None, None)}

    def has_instance(self, iri: str, cls: ox.NamedNode) -> bool:
        """Whether ``iri`` is typed ``cls`` in a committed graph."""
        for g in self.committed_graphs():
            q = self._s.quads_for_pattern(ox.NamedNode(iri), RDF.type, cls, ox.NamedNode(g))
            if next(q, None) is not None:
                return True
        return False

    def persons_with_name_key(self, key: str) -> set[tuple[str, str]]:
        """(IRI, label) of the persons whose folded name is ``key`` (see ``skg:nameKey``)."""
        committed = [ox.NamedNode(g) for g in self.committed_graphs()]
        out = set()
        for g in committed:
            for q in self._s.quads_for_pattern(None, SKG.nameKey, ox.Literal(key), g):
                for lq in self._s.quads_for_pattern(q.subject, RDFS.label, None, g):
                    out.add((q.subject.value, lq.object.value))
        return out

    def labels_of(self, cls: ox.NamedNode) -> Iterator[tuple[str, str]]:
        """(IRI, rdfs:label) of every instance of ``cls``."""
        rows = self.query("SELECT DISTINCT ?x ?label WHERE { ?x a ?cls ; rdfs:label ?label }"
                          .replace("?cls", str(cls)))
        for r in rows:
            yield r["x"].value, r["label"].value

    def dump_dataset(self, output, *, format: ox.RdfFormat) -> None:
        """The committed graphs, each as its own named graph."""
        ox.serialize(self.quads(), output, format=format, prefixes=dict(EXPORT_PREFIXES))

    def dump_graph(self, graph: str, output, *, format: ox.RdfFormat) -> None:
        """One named graph, as triples."""
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self.graph_quads(graph))
        ox.serialize(triples, output, format=format, prefixes=dict(EXPORT_PREFIXES))

    def dump_union(self, output, *, format: ox.RdfFormat) -> None:
        """The union of the committed graphs as one graph (duplicates across graphs merged)."""
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        ox.serialize(triples, output, format=format, prefixes=dict(EXPORT_PREFIXES))

    # ---- full-text search ---------------------------------------------------------------------

    def texts(self, graph: str) -> Iterator[tuple[str, list[str], list[str]]]:
        """(work IRI, titles, abstracts) of the works in ``graph``, streamed, for the
        full-text index (see :func:`scholkg.textindex.gather`)."""
        g = ox.NamedNode(graph)

        def scan(pred) -> Iterator[tuple[str, str]]:
            # a query decodes the two terms asked for; quads_for_pattern all four (2x slower)
            for work, text in self._s.query(f"SELECT ?w ?t WHERE {{ GRAPH {g} {{ ?w {pred} ?t }} }}"):
                yield work.value, text.value

        return gather(scan(SKG.title), scan(SKG.abstract))

    def text_index(self) -> TextIndex:
        if self._text_index is None:
            self._text_index = TextIndex(self.path)
        return self._text_index

    def _sync_text_index(self) -> None:
        self.text_index().sync(self, self.committed_graphs()[1:])

    def text_search(self, text: str, limit: int = MAX_HITS) -> list[tuple[str, float]]:
        """(work IRI, score) of the works whose title or abstract has every word of ``text``,
        best first (see :mod:`scholkg.textindex`)."""
        self._sync_text_index()
        return self.text_index().search(text, limit)

    # ---- who wrote with whom ------------------------------------------------------------------

    @staticmethod
    def _data_graphs(graphs: Iterable[str]) -> list[str]:
        """``graphs`` less the registry and the statistics (no authorships there)."""
        from .statistics import STATISTICS

        return sorted(g for g in graphs if g != REGISTRY and not g.startswith(STATISTICS))

    def author_index(self) -> AuthorIndex:
        """The author index of the committed graphs (see :mod:`scholkg.authorindex`): its file
        when that was built from these graphs, else built (and its file written) now."""
        graphs = self._data_graphs(self.committed_graphs())
        key = authorindex.key_of(graphs)
        held = self._author_index
        if held is None or held.key != key or (
                self.path is not None
                and held.stamp != _stamp(authorindex.file_of(self.path, key))):
            self._author_index = self._kept_index(key) or self._index_authors(graphs)
        return self._author_index

    def _kept_index(self, key: str) -> AuthorIndex | None:
        """The index of the graphs ``key`` if at hand: held, or in its file."""
        held = self._author_index
        if held is not None and held.key == key:
            return held
        if self.path is None:
            return None
        found = AuthorIndex.load(authorindex.file_of(self.path, key))
        return found if found is not None and found.key == key else None

    def _index_authors(self, graphs: list[str]) -> AuthorIndex:
        """The index of ``graphs``, its file written, and the file of each of them (see
        :meth:`_keep_each`)."""
        key = authorindex.key_of(graphs)
        index = self._ready_index(key)
        if index is None and self.path is not None:  # (of one graph: its own, after a removal)
            index = self._kept_index(key) or self._alone(graphs)
        if index is None:
            index = AuthorIndex.build(self._authorships(graphs), key)
        if self.path is not None:
            if index.stamp is None:  # not read from its file
                self._save_index(index)
            self._keep_each(graphs)
        return index

    def _alone(self, graphs: list[str]) -> AuthorIndex | None:
        """The index of ``graphs`` when one of them is all it indexes (the others hold no
        authorship, work, venue or label: a linkset, link decisions): that one's own index,
        not built again (a link's commit into a million works took 9 s and 1.3 GiB more)."""
        if not graphs or any(g in self._gathered for g in graphs):
            return None
        owns = self._own_indexes(graphs)
        if len(owns) == 1:  # read out of the store just now (after an update, say)
            return owns[0]
        full = [o for o in owns if o.persons or len(o.work_hash) or o.venue_count]
        rest = [g for g, o in zip(graphs, owns, strict=True) if not full or o is not full[0]]
        if len(full) != 1 or bool(self.query("ASK { ?s rdfs:label ?l }", graphs=rest)):
            return None
        return full[0].under(authorindex.key_of(graphs))

    def _own_indexes(self, graphs: list[str]) -> list[AuthorIndex]:
        """The index of each of ``graphs`` alone: its file, else read out of the store (and
        its file written)."""
        owns = []
        for g in graphs:
            key = authorindex.key_of([g])
            own = self._kept_index(key)
            if own is None:
                own = AuthorIndex.build([authorindex.from_store(self, [g])], key)
                if self.path is not None:
                    self._save_index(own)
            owns.append(own)
        return owns

    def _save_index(self, index: AuthorIndex) -> None:
        try:
            index.save(authorindex.file_of(self.path, index.key))
        except OSError as e:  # derived data: the next reader builds it again
            log.warning("cannot write the author index: %s", e)

    def _keep_each(self, graphs: list[str]) -> None:
        """Write the index of each of ``graphs`` an import gathered (of one graph, it is the
        index of ``graphs``): a later replacement or removal builds the index of the others
        from theirs, not out of the store."""
        if len(graphs) < 2:
            return
        for g in graphs:
            key = authorindex.key_of([g])
            if g in self._gathered and not authorindex.file_of(self.path, key).exists():
                self._save_index(AuthorIndex.build([self._gathered[g].authorships], key))

    def gathered(self, graph: str, gathered: Gathered) -> None:
        """What an import gathered of its new ``graph`` while it mapped the records (see
        :mod:`scholkg.gathered`): the next commit indexes that instead of reading the graph
        back. The caller drops it after the commit (after :meth:`forget_gathered`)."""
        self._gathered[graph] = gathered

    def will_commit(self, changes: Mapping[str, str]) -> None:
        """The next commit will make ``changes`` (source -> graph) and nothing else: derive
        in the background now what needs no more than was gathered, while the caller waits
        for Oxigraph's loader to finish (its last batches keep one core busy, minutes on
        millions of works): the author index of the result, the figures of the statistics
        if every graph of the result was gathered (:mod:`scholkg.tallies`), then the
        gathered texts."""
        if not self.keeps_statistics:
            return
        if self.path is not None:
            graphs = self._data_graphs({**self.current_graphs(), **changes}.values())
            key = authorindex.key_of(graphs)
            index = self._ahead_index = self._ahead.put(
                lambda: AuthorIndex.build(self._authorships(graphs), key))
            if all(g in self._gathered for g in graphs):  # then the figures need no query
                from . import tallies

                parts = [self._gathered[g] for g in graphs]
                self._ahead_figures = (key, self._ahead.put(
                    lambda: tallies.figures(parts, index.result())))
        for graph, gathered in self._gathered.items():
            if graph in changes.values():
                self._ahead.put(self.text_index().add, self, [graph], {graph: gathered.texts},
                                self._ahead.stopping)

    def _ready_index(self, key: str) -> AuthorIndex | None:
        """The author index built ahead (:meth:`will_commit`) if it is of the graphs ``key``."""
        if self._ahead_index is None:
            return None
        try:
            index = self._ahead_index.result()
        except BaseException:
            return None
        return index if index.key == key else None

    def forget_gathered(self) -> None:
        """Stop deriving ahead and forget what was gathered (after a commit, or when the
        import failed)."""
        self._ahead.finish(cancel=True)
        self._gathered.clear()
        self._ahead_index = self._ahead_figures = None

    def _authorships(self, graphs: list[str]) -> list[authorindex.Authorships]:
        """The parts the index of ``graphs`` is built from: what the import gathered of its new
        graphs, and the others' index if it is at hand (an import that only adds sources),
        else what the store holds."""
        new = [g for g in graphs if g in self._gathered]
        old = [g for g in graphs if g not in self._gathered]
        parts = [self._gathered[g].authorships for g in new]
        if not old:
            return parts
        held = self._kept_index(authorindex.key_of(old))
        if held is not None:
            base = held.authorships()
            # persons new to the index may have labels in the old graphs (a homepage record)
            newcomers = {i for p in parts for i in p.ids if i not in base.ids}
            return [*parts, base, authorindex.labels_from_store(self, old, newcomers)]
        parts += [own.authorships() for own in self._own_indexes(old)]
        # an index keeps the labels of its authors: a person's smallest may be in another graph
        return [*parts, authorindex.labels_from_graphs(self, old)]

    def _forget_author_index(self, graphs: Iterable[str]) -> None:
        """Forget the author indexes of ``graphs`` (committed ones an update changed) and of
        every union that holds one of them."""
        graphs = self._data_graphs(graphs)
        if not graphs:
            return
        self._author_index = None
        if self.path is not None:
            union = self._data_graphs(self.committed_graphs())
            for key in {authorindex.key_of(union), *(authorindex.key_of([g]) for g in graphs)}:
                authorindex.file_of(self.path, key).unlink(missing_ok=True)

    def _prune_author_indexes(self) -> None:
        """Delete the index files of graphs no longer committed: of their union and each."""
        if self.path is None or self.read_only:
            return
        graphs = self._data_graphs(self.committed_graphs())
        wanted = {authorindex.key_of(graphs)} | {authorindex.key_of([g]) for g in graphs}
        for f in (self.path / authorindex.DIR).glob("*.idx"):
            if f.stem not in wanted:
                f.unlink(missing_ok=True)

    # ---- writing ------------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("store was opened read-only")

    def write(self, quads: Iterable[ox.Quad], *, bulk: bool = False) -> int:
        """Add quads (to uncommitted graphs: nothing shows until :meth:`commit`). Returns the
        number of quads written. ``bulk`` uses Oxigraph's bulk loader, for big inputs."""
        self._writable()
        it = iter(quads)
        n = 0
        size = BATCH * 5 if bulk else BATCH
        while True:
            chunk = list(islice(it, size))  # errors of the producer pass through unchanged
            if not chunk:
                return n
            try:
                if bulk:
                    self._s.bulk_extend(chunk)
                else:
                    self._s.extend(chunk)
            except OSError as e:
                raise StoreError(_write_error(self.path, e)) from None
            n += len(chunk)

    def load_nquads(self, chunks: Iterable[bytes], *, piece: int = 0) -> int:
        """Bulk-load N-Quads chunks (into uncommitted graphs, like :meth:`write`) with
        Oxigraph's loader; returns the number of quads.

        With ``piece`` 0, in one run of the loader, which reads them as one stream and holds
        up to three batches of a million quads (some 1 KB each; 1.6-2.0 GiB, however big the
        input), then hands RocksDB all its files at its end. Otherwise in runs of about
        ``piece`` lines (chunks are not split; :data:`LOAD_PIECE` is the measured choice),
        two at a time: while one run sorts and writes its piece, the next parses. Two runs of
        400,000 lines peaked at 0.8 GiB on 45 M quads. Each run hands RocksDB its files when
        it ends, and RocksDB merges them on its own threads: an import has those yield the
        CPU to it (:mod:`scholkg.compaction`), and what they leave is merged later, as after
        one run (the first write after 45 M quads waited 77-100 s for it; ``bench/
        import_throughput.py --one-run`` measures both ways).

        The lines are :mod:`scholkg.mapping`'s, valid by construction (every IRI minted or
        checked by :mod:`scholkg.identifiers`, every literal escaped; tested on any record),
        so the loader skips its own validation (``lenient``): 9 % of its CPU time."""
        self._writable()
        self._bulk_loaded = True
        pieces = _Pieces(iter(chunks), piece)

        def run() -> None:
            try:
                while (stream := pieces.take()) is not None:
                    try:
                        self._s.bulk_load(io.BufferedReader(stream, 1 << 20),
                                          ox.RdfFormat.N_QUADS, lenient=True)
                    finally:
                        stream.give_back()
                        _give_back_memory()
            except BaseException as e:  # the first error stops the other run, then is raised
                pieces.stop(e)

        if not piece:
            run()  # one piece: all of it
        else:
            try:
                with Beside(*[(run,)] * LOAD_RUNS):
                    pass
            except BaseException as e:
                pieces.stop(e)  # a run still reading gives up at its next read
                raise
        if isinstance(pieces.error, OSError):
            raise StoreError(_write_error(self.path, pieces.error)) from None
        if pieces.error is not None:
            raise pieces.error
        return pieces.lines

    def load_rdf(self, input, *, format: ox.RdfFormat, graph: str, origin: str) -> None:
        """Bulk-load an RDF file (path or binary stream) into the uncommitted ``graph`` with
        Oxigraph's own parser and loader. Syntax errors name ``origin`` and the line."""
        self._writable()
        self._bulk_loaded = True
        try:
            if isinstance(input, (str, Path)):
                self._s.bulk_load(path=str(input), format=format, to_graph=ox.NamedNode(graph))
            else:
                self._s.bulk_load(input, format, to_graph=ox.NamedNode(graph))
        except SyntaxError as e:
            raise StoreError(f"{origin}: not valid {format.name}: {e}") from None
        except OSError as e:
            raise StoreError(_write_error(self.path, e)) from None
        finally:
            _give_back_memory()

    def commit(self, changes: Mapping[str, str], removed: Iterable[str] = (), *,
               refresh: bool = False) -> None:
        """Make ``changes`` (source IRI -> new graph IRI) current and take the ``removed``
        sources out, all in one transaction (with the statistics of the graph that results),
        then drop the graphs no source points to any more. (A commit that only adds sources
        is one atomic bulk insertion instead: see :meth:`_add_to_registry`.)"""
        try:
            self._commit(changes, removed, refresh)
            self._prune_author_indexes()
        finally:
            self.forget_gathered()  # of these graphs, committed or dropped now

    def _commit(self, changes: Mapping[str, str], removed: Iterable[str], refresh: bool) -> None:
        self._writable()
        removed = set(removed)
        if not changes and not removed and not refresh:
            return
        changes = dict(changes)
        if self.keeps_statistics:
            from . import statistics  # derived from the store's content: imported late

            after = {**self.current_graphs(), **changes}
            graphs = sorted({g for s, g in after.items() if s not in removed})
            # the new graphs' texts and the authors of the result are indexed meanwhile, on
            # the other core (Oxigraph's queries and Tantivy's indexing run outside the GIL),
            # unless an import had them indexed already (will_commit)
            spooled = {g: gathered.texts for g, gathered in self._gathered.items()}
            # what was derived ahead (will_commit) first: its error fails the commit before
            # anything else is written
            self._ahead.finish()
            beside = [(self.text_index().add, self, sorted(changes.values()), spooled)]
            data = self._data_graphs(graphs)
            if self.path is not None:  # (in memory, the first co-author query builds it)
                beside.append((self._index_authors, data))
            # the author index built ahead, if any, ranks the authors at once; the figures
            # counted ahead, if any, need no query at all
            key = authorindex.key_of(data)
            index = self._ready_index(key)
            figures = (self._ahead_figures[1].result()
                       if self._ahead_figures is not None and self._ahead_figures[0] == key
                       and not removed and not refresh else None)
            with Beside(*beside):
                changes.update(statistics.derive(self, graphs, fresh=refresh, index=index,
                                                 figures=figures))
        if not changes and not removed:
            return
        reg = ox.NamedNode(REGISTRY)
        current = self.current_graphs()
        if not removed and not any(s in current for s in changes):
            self._add_to_registry(changes)
            return
        ops = [f"DELETE WHERE {{ GRAPH {reg} {{ {ox.NamedNode(s)} {SKG.currentGraph} ?g }} }}"
               for s in sorted(removed)]
        for source, graph in changes.items():
            s, g = ox.NamedNode(source), ox.NamedNode(graph)
            ops.append(f"DELETE {{ GRAPH {reg} {{ {s} {SKG.currentGraph} ?old }} }} "
                       f"INSERT {{ GRAPH {reg} {{ {s} {SKG.currentGraph} {g} }} }} "
                       f"WHERE {{ OPTIONAL {{ GRAPH {reg} {{ {s} {SKG.currentGraph} ?old }} }} }}")
        try:
            self._s.update(" ;\n".join(ops))
            self.flush()
        except OSError as e:
            raise StoreError(_write_error(self.path, e)) from None
        self.drop_garbage()
        self._sync_text_index()

    def _add_to_registry(self, changes: Mapping[str, str]) -> None:
        """A commit that only adds sources (the first import into a store, say) inserts their
        registry triples with the bulk loader, in one ingestion of one small file per index,
        which RocksDB applies atomically (all or nothing, also if the process dies): a
        transactional write would first wait until RocksDB has compacted what a big bulk
        load just left behind (minutes at 40 M quads), which Oxigraph's own loader does not
        wait for either. Nothing is replaced, so nothing becomes garbage."""
        reg = ox.NamedNode(REGISTRY)
        quads = [ox.Quad(ox.NamedNode(s), SKG.currentGraph, ox.NamedNode(g), reg)
                 for s, g in sorted(changes.items())]
        try:
            self._s.bulk_extend(quads)  # no flush: it too would wait for the compaction
        except OSError as e:
            raise StoreError(_write_error(self.path, e)) from None
        self._sync_text_index()

    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction. Named graphs it creates are registered as
        sources of their own, so they are queried and kept like imported ones. What is derived
        from the graphs it writes is derived again; from every graph when the update does not
        say which it writes (:func:`scholkg.updatescope.written_graphs`)."""
        self._writable()
        written = updatescope.written_graphs(sparql, PREFIXES)  # None: any graph
        if written is not None and len(self._data_graphs(written)) < len(written):
            written = None  # the registry or statistics edited (what counts): all again
        try:
            self._s.update(sparql, prefixes=dict(PREFIXES))
        except SyntaxError as e:
            raise StoreError(f"SPARQL update syntax error: {e}") from None
        except OSError as e:
            raise StoreError(_write_error(self.path, e)) from None
        committed = set(self.committed_graphs())
        changed = committed & written if written is not None else committed
        # the graphs keep their names: the commits below build the author index of those it
        # changed again (or, without statistics, the next query does), and their texts
        self._forget_author_index(changed)
        new = {g: g for g in self.named_graphs() if g not in committed}
        if new:
            self.commit(new)
        self.flush()
        if self.keeps_statistics and not new and self._data_graphs(changed):
            self.commit({}, refresh=True)  # the update may have changed what they count
        self.text_index().forget(changed)
        self._sync_text_index()

    def remove_sources(self, sources: Iterable[str]) -> None:
        """Take sources out of the registry in one transaction, then drop their graphs."""
        self.commit({}, removed=sources)

    def drop_graph(self, graph: str) -> None:
        self._writable()
        try:
            self._s.remove_graph(ox.NamedNode(graph))
        except OSError as e:
            log.warning("could not drop graph %s: %s", graph, e)

    def drop_garbage(self) -> int:
        """Drop graphs no source points to: replaced versions and leftovers of killed imports;
        then, if they were big, compact, so that their files do not accumulate. Returns how
        many were dropped."""
        from .statistics import STATISTICS

        committed = set(self.committed_graphs())
        dropped = records = 0
        for g in self.named_graphs():
            if g not in committed:
                if not g.startswith(STATISTICS + "/v/"):  # derived, a few thousand quads
                    count = self.value(g, SKG.recordCount, g)
                    # no count (a killed import's leftover, a linkset...): its quads, counted
                    # as far as it takes to know it is big
                    records += (int(count) if count is not None else self._quads_up_to(
                        g, COMPACT_AFTER * QUADS_PER_RECORD) // QUADS_PER_RECORD)
                self.drop_graph(g)
                dropped += 1
        if self.path is not None and dropped:
            self.flush()
            if records >= COMPACT_AFTER:
                self._compact()
            self.flush()  # lets RocksDB retire the write-ahead log of the deletions
            self._purge_on_close = True
        return dropped

    def _quads_up_to(self, graph: str, n: int) -> int:
        """How many quads ``graph`` holds, counted up to ``n``."""
        quads = self._s.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        return sum(1 for _ in islice(quads, n))

    def _compact(self) -> None:
        """Compact the whole store: minutes on tens of millions of quads (a full rewrite)."""
        try:
            self._s.optimize()
        except OSError as e:
            log.warning("could not compact the store: %s", e)

    def _remove_leftover_files(self) -> None:
        """Files a killed process leaves behind: the bulk loader's unfinished ``bulk-*.sst``
        (safe to delete: we hold the store's exclusive lock, so no bulk load is running), an
        author index it was writing, or of graphs no longer committed, the texts an import
        spooled (:mod:`scholkg.gathered`), and RocksDB's old info logs beyond the five newest.
        An author index where earlier versions kept it is moved into its folder."""
        assert self.path is not None
        for f in chain(self.path.glob("bulk-*.sst"), self.path.glob(SPOOL_GLOB),
                       (self.path / authorindex.DIR).glob("*.tmp"),
                       self.path.glob(f"{authorindex.OLD_FILE}.*.tmp")):
            f.unlink(missing_ok=True)
        old = self.path / authorindex.OLD_FILE  # the union's index, where it was kept before
        kept = AuthorIndex.load(old) if old.exists() else None
        try:
            if kept is not None:
                to = authorindex.file_of(self.path, kept.key)
                to.parent.mkdir(exist_ok=True)
                os.replace(old, to)
            old.unlink(missing_ok=True)
        except OSError as e:  # derived data: the next reader builds it again
            log.warning("cannot move the author index: %s", e)
        self._prune_author_indexes()
        old_logs = sorted(self.path.glob("LOG.old.*"), key=lambda f: f.stat().st_mtime)
        for f in old_logs[:-5]:
            f.unlink(missing_ok=True)

    def flush(self) -> None:
        if self.path is not None and self._store is not None and not self.read_only:
            self._store.flush()

    def optimize(self) -> None:
        """Compact the store's files. A bulk load leaves them as it wrote them: after a million
        works, dozens of overlapping files per index, so that every lookup searches each of
        them and the next transactional write waits (minutes) until RocksDB has merged them.
        Changes nothing in the data; an interrupted compaction leaves a valid store."""
        self._writable()
        if self.path is None:
            return
        try:
            self._s.flush()
            self._s.optimize()
        except OSError as e:
            why = ("out of disk space (compaction rewrites files before it deletes the old "
                   "ones); free space and retry" if _no_space(e) else str(e))
            raise StoreError(f'compacting store "{self.path}" failed, its data is unchanged: '
                             f"{why}.") from None
        self._bulk_loaded = False  # nothing left for a flush to wait for


def _give_back_memory() -> None:
    """Return the heap's free pages to the system. The C allocator keeps what the loader's
    threads freed (512 of 686 MiB after loading 100k works, measured): without this the
    commit's queries, which need some hundreds of MiB, would come on top of it. Where there
    is no glibc, nothing happens."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _stamp(file: Path) -> tuple[int, int] | None:
    """Which file is at ``file`` now (another process may have replaced or deleted it)."""
    try:
        st = file.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _no_space(e: OSError) -> bool:
    return getattr(e, "errno", None) == errno.ENOSPC or "No space" in str(e)


def _write_error(path: Path | None, e: OSError) -> str:
    if _no_space(e):
        return f'store "{path}" is out of disk space; nothing was written. Free space and retry.'
    return f'writing to store "{path}" failed, nothing was written: {e}'


class _Pieces:
    """Byte chunks handed out in pieces of about ``limit`` lines (0: one piece of all),
    to one reader at a time: :meth:`take` waits until the piece before has been read to its
    end. The lines that went through are counted."""

    def __init__(self, chunks: Iterator[bytes], limit: int):
        self.chunks = chunks
        self.limit = limit
        self.lines = 0
        self.ended = False  # the chunks are all read, or failed
        self.error: BaseException | None = None  # the first error of a reader
        self.turn = threading.Lock()

    def take(self) -> _Piece | None:
        """The next piece (holding the turn until it is read), or None at the end."""
        self.turn.acquire()
        if self.ended or self.error is not None:
            self.turn.release()
            return None
        return _Piece(self)

    def stop(self, error: BaseException) -> None:
        """Stop every reader at its next read: ``error`` happened (the first is kept)."""
        if self.error is None:
            self.error = error


class _Piece(io.RawIOBase):
    """One piece of :class:`_Pieces` as a readable stream."""

    def __init__(self, pieces: _Pieces):
        self._pieces = pieces
        self._buf = memoryview(b"")
        self._lines = 0
        self._holding = True

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        pieces = self._pieces
        while not self._buf:
            if pieces.error is not None:
                raise Stopped("another run of the loader failed")
            if not self._holding or 0 < pieces.limit <= self._lines:
                self.give_back()
                return 0
            try:
                chunk = next(pieces.chunks, None)
            except BaseException:
                pieces.ended = True
                self.give_back()
                raise
            if chunk is None:
                pieces.ended = True
                self.give_back()
                return 0
            n = chunk.count(b"\n")
            self._lines += n
            pieces.lines += n
            self._buf = memoryview(chunk)
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def give_back(self) -> None:
        """Let the next piece be read (once)."""
        if self._holding:
            self._holding = False
            self._pieces.turn.release()
