"""The one module that opens a pyoxigraph ``Store``.

Layout of the data: each imported source lives in its own named graph (``skgid:source/...``),
which also holds the source's PROV-O description (file, format, time, record count, SHA-256).
Queries see the union of all graphs.

Writes are all or nothing. An import first writes each new source into a staging graph (one
transaction per source), then a single SPARQL update moves every staging graph onto its source
graph (one transaction for the whole import). A process killed in between leaves only staging
graphs, which the next writer drops before it does anything else.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError
from .identifiers import DATA_BASE
from .vocab import EXPORT_PREFIXES, PREFIXES, RDF, RDFS

log = logging.getLogger(__name__)

STAGING_PREFIX = DATA_BASE + "staging/"
META_FILE = "scholkg-store.json"
STORE_FORMAT = 1


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


@dataclass(frozen=True)
class StagedGraph:
    staging: str
    target: str


class GraphStore:
    """An Oxigraph store on disk (or in memory when ``path`` is None).

    >>> gs = GraphStore.open(None)
    >>> gs.count_quads()
    0
    """

    def __init__(self, store: ox.Store, path: Path | None, *, read_only: bool):
        self._store: ox.Store | None = store
        self.path = path
        self.read_only = read_only

    # ---- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None, *, read_only: bool = False) -> GraphStore:
        """Open (and create, unless ``read_only``) the store at ``path``."""
        if path is None:
            return cls(ox.Store(), None, read_only=False)
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
            store = ox.Store.read_only(str(p)) if read_only else ox.Store(str(p))
        except OSError as e:
            msg = str(e)
            if "lock" in msg.lower():
                raise StoreError(f'store "{p}" is in use by another scholkg or oxigraph process; '
                                 "wait until it finishes, then retry.") from None
            raise StoreError(f'cannot open store "{p}": {msg}') from None
        gs = cls(store, p, read_only=read_only)
        if not read_only:
            gs._write_meta()
            gs.drop_staging()
        return gs

    @staticmethod
    def _check_version(p: Path) -> None:
        meta = p / META_FILE
        if not meta.exists():
            return
        try:
            info = json.loads(meta.read_text("utf-8"))
            written = str(info["pyoxigraph"])
        except (OSError, ValueError, KeyError, TypeError):
            return
        if _minor(written) != _minor(ox.__version__):
            raise StoreError(
                f'store "{p}" was written by pyoxigraph {written}, but this scholkg uses '
                f"pyoxigraph {ox.__version__}, whose on-disk format differs. Migrate: re-import your "
                "source files into a new store (--store NEWDIR); to keep the old graph as RDF, "
                'export it first with the old version ("scholkg export --format nquads").')

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
        if self._store is not None:
            if not self.read_only:
                self.flush()
            self._store = None  # pyoxigraph closes the database when the object is freed

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- reading ------------------------------------------------------------------------------

    def query(self, sparql: str, *, prefixes: Mapping[str, str] | None = None):
        """Run a read-only SPARQL query over the union of all graphs."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True,
                                     prefixes=dict(prefixes or PREFIXES))
        except OSError as e:
            raise StoreError(f"store read failed: {e}") from None

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store)

    def count_quads(self) -> int:
        return len(self._store)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def value(self, subject: str, predicate: ox.NamedNode, graph: str) -> str | None:
        """The value of one object of (subject, predicate) in ``graph``, or None."""
        g = ox.NamedNode(graph)
        q = next(self._store.quads_for_pattern(ox.NamedNode(subject), predicate, None, g), None)
        return q.object.value if q is not None else None

    def has_instance(self, iri: str, cls: ox.NamedNode) -> bool:
        """Whether ``iri`` is typed ``cls`` in any graph."""
        q = self._store.quads_for_pattern(ox.NamedNode(iri), RDF.type, cls, None)
        return next(q, None) is not None

    def labels_of(self, cls: ox.NamedNode) -> Iterator[tuple[str, str]]:
        """(IRI, rdfs:label) of every instance of ``cls``."""
        seen = set()
        for q in self._store.quads_for_pattern(None, RDF.type, cls, None):
            if q.subject in seen:
                continue
            seen.add(q.subject)
            for lq in self._store.quads_for_pattern(q.subject, RDFS.label, None, None):
                yield q.subject.value, lq.object.value

    def dump(self, output, *, format: ox.RdfFormat, from_graph: str | None = None) -> None:
        kw = {"from_graph": ox.NamedNode(from_graph)} if from_graph else {}
        if not format.supports_datasets and not from_graph:
            raise StoreError(f"{format.name} holds one graph; use dump_union for it")
        self._store.dump(output, format=format, prefixes=dict(EXPORT_PREFIXES), **kw)

    def dump_union(self, output, *, format: ox.RdfFormat) -> None:
        """The union of all graphs as one graph (duplicates across graphs merged)."""
        triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        ox.serialize(triples, output, format=format, prefixes=dict(EXPORT_PREFIXES))

    # ---- writing ------------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("store was opened read-only")

    def stage(self, target: str, quads: Iterable[ox.Quad]) -> StagedGraph:
        """Write ``quads`` (which name graph ``target``) into a fresh staging graph."""
        self._writable()
        staging = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        s = ox.NamedNode(staging)
        t = ox.NamedNode(target)
        try:
            self._store.remove_graph(s)
            self._store.extend(ox.Quad(q.subject, q.predicate, q.object, s)
                               for q in quads if q.graph_name == t)
        except OSError as e:
            self._cleanup(staging)
            raise StoreError(_write_error(self.path, e)) from None
        return StagedGraph(staging, target)

    def commit(self, staged: list[StagedGraph]) -> None:
        """Replace each target graph by its staging graph, all in one transaction."""
        self._writable()
        if not staged:
            return
        ops = ";\n".join(f"MOVE SILENT GRAPH {ox.NamedNode(s.staging)} TO "
                         f"{ox.NamedNode(s.target)}" for s in staged)
        try:
            self._store.update(ops)
            self.flush()
        except OSError as e:
            for s in staged:
                self._cleanup(s.staging)
            raise StoreError(_write_error(self.path, e)) from None

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        self._writable()
        ops = ";\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs)
        if ops:
            self._store.update(ops)
            self.flush()

    def drop_staging(self) -> None:
        """Drop staging graphs left by a killed import."""
        left = [g for g in self.named_graphs() if g.startswith(STAGING_PREFIX)]
        if left:
            log.warning("dropping %d staging graph(s) left by an interrupted import", len(left))
            self.remove_graphs(left)

    def discard(self, staged: Iterable[StagedGraph]) -> None:
        """Drop staging graphs that will not be committed."""
        for s in staged:
            self._cleanup(s.staging)

    def _cleanup(self, graph: str) -> None:
        try:
            self._store.remove_graph(ox.NamedNode(graph))
        except OSError:
            pass

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()


def _write_error(path: Path | None, e: OSError) -> str:
    if getattr(e, "errno", None) == errno.ENOSPC or "No space" in str(e):
        return f'store "{path}" is out of disk space; nothing was written. Free space and retry.'
    return f'writing to store "{path}" failed, nothing was written: {e}'
