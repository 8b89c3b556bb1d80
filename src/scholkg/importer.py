"""Import record files into the store: read -> resolve -> map -> write -> commit.

Each file streams into a new, uncommitted graph (see :mod:`scholkg.store`); when every file of
the import has been read without error, one transaction makes the new graphs current. Strict by
default: one bad record and nothing of the import lands. With ``skip_invalid`` the bad records are
left out and listed, with reasons, in a report.

>>> from scholkg.store import GraphStore
>>> gs = GraphStore.open(None)
>>> [r.status for r in import_paths(gs, ["data/aojun-zhou.jsonl"])]  # doctest: +SKIP
['imported']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from . import compaction
from . import identifiers as ids
from .errors import InputError
from .gathered import Gathered, spool_path
from .mapping import DC, PR, RS, Described, R, S, in_graph, integer, lit, map_record
from .model import Rejected, Work
from .pipeline import CHUNK, PARALLEL_BYTES, parallel_chunks
from .resolve import WorkResolver
from .sources import READERS, reader_for
from .sources.common import is_gzip
from .store import LOAD_PIECE, GraphStore
from .vocab import SKG, XSD

#: progress(path, line, total_lines) is called as records are read.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SourceReport:
    """What one import did with one file."""

    path: str
    format: str
    graph: str
    records: int
    works: int
    quads: int
    status: str  # "imported", "replaced" or "unchanged"
    rejected: tuple[Rejected, ...] = field(default=(), repr=False)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the record files inside folders named (sorted, hidden ones skipped)."""
    exts = {e for r in READERS.values() for e in r.extensions}
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and _ext(f) in exts
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise InputError(f"folder has no record files ({', '.join(sorted(exts))}).",
                                 path=str(p))
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError("no such file or folder.", path=str(p))
    seen: set[Path] = set()
    unique = []
    for p in out:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(p)
    return unique


def _ext(path: Path) -> str:
    """The extension that names the format: ".xml" for "dblp.xml.gz"."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def source_iri(path: Path) -> str:
    """Sources are keyed by file name, so IRIs do not depend on where the file lies."""
    return ids.source_iri(path.name)


def graph_iri(source: str, sha: str) -> str:
    """The graph of one version of a source: content-addressed."""
    return f"{source}/{sha[:16]}"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _line_count(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) + 1


def _provenance(graph: str, path: Path, fmt: str, sha: str, records: int, rejected: int,
                now: dt.datetime) -> Iterator[str]:
    """The graph's description of itself (N-Quads lines)."""
    g, q = in_graph(graph)
    yield q(g, R.type, S.Source)
    yield q(g, R.type, PR.Entity)
    yield q(g, RS.label, lit(path.name))
    yield q(g, S.sourcePath, lit(str(path.resolve())))
    yield q(g, S.sourceFormat, lit(fmt))
    yield q(g, DC.format, lit(fmt))
    yield q(g, S.sha256, lit(sha))
    yield q(g, S.recordCount, integer(records))
    if rejected:
        yield q(g, S.rejectedCount, integer(rejected))
    yield q(g, PR.generatedAtTime, f'"{now.isoformat(timespec="seconds")}"^^{XSD.dateTime}')


class _Counter:
    def __init__(self, gs: GraphStore):
        self.records = 0
        self.works = 0
        self.rejected: list[Rejected] = []
        # of the file, for the derived indexes
        self.gathered = Gathered(spool_path(gs.path) if gs.path is not None else None)


def _chunks(gs: GraphStore, path: Path, fmt: str, graph: str, counter: _Counter, *,
            skip_invalid: bool, progress: Progress | None) -> tuple[str, Iterator[bytes]]:
    """(reader name, N-Quads chunks) of ``path``, read and mapped in this process."""
    reader = reader_for(path, fmt)
    # lines of a gzipped file are not known without reading it twice: no total then
    total = _line_count(path) if progress and not is_gzip(path) else 0
    resolver = WorkResolver(gs)
    described = Described()

    def records():
        try:
            yield from reader.read(path, str(path))
        except (OSError, EOFError, zlib.error) as e:  # a broken gzip stream, a vanished file
            raise InputError(f"cannot read file: {e}.", path=str(path)) from None

    def lines() -> Iterator[str]:
        for rec in records():
            if isinstance(rec, Rejected):
                if not skip_invalid:
                    raise rec.error
                counter.rejected.append(rec)
                continue
            counter.records += 1
            work_iri = None
            if isinstance(rec, Work):
                counter.works += 1
                work_iri = resolver.resolve(rec)
            yield from map_record(rec, graph, work_iri=work_iri, described=described,
                                  gathered=counter.gathered)
            if progress and rec.origin is not None:
                progress(str(path), rec.origin.line, total)

    def chunks() -> Iterator[bytes]:
        it = lines()
        while chunk := list(islice(it, CHUNK)):
            yield "".join(chunk).encode("utf-8")

    return reader.name, chunks()


def import_paths(gs: GraphStore, paths: Iterable[str | Path], *, fmt: str = "auto",
                 replace: bool = False, skip_invalid: bool = False,
                 progress: Progress | None = None,
                 now: dt.datetime | None = None,
                 parallel_bytes: int = PARALLEL_BYTES,
                 low_memory: bool = True) -> list[SourceReport]:
    """Import files and folders into ``gs``: each file becomes (or replaces) one source.
    Files of at least ``parallel_bytes`` are read and mapped by a second process
    (:mod:`scholkg.pipeline`) while this one loads.

    By default the loader runs in pieces (:meth:`GraphStore.load_nquads`); ``low_memory``
    False loads in one run of it instead, which holds up to three batches of a million quads:
    for a million works 2.5 GiB rather than 1.8 (both processes together), and slower
    (measured 2026-12-04: docs/performance.md, "Compaction yields to the import").

    All or nothing: the new graphs become visible together, only if every file was read
    without error (``skip_invalid`` leaves bad records out instead and reports them).
    A file whose content is unchanged since its last import is skipped.

    While it runs, RocksDB's merging of what was loaded yields the CPU to it
    (:func:`scholkg.compaction.yielding`).
    """
    with compaction.yielding():
        return _import_paths(gs, paths, fmt=fmt, replace=replace, skip_invalid=skip_invalid,
                             progress=progress, now=now, parallel_bytes=parallel_bytes,
                             low_memory=low_memory)


def _import_paths(gs: GraphStore, paths: Iterable[str | Path], *, fmt: str, replace: bool,
                  skip_invalid: bool, progress: Progress | None, now: dt.datetime | None,
                  parallel_bytes: int, low_memory: bool) -> list[SourceReport]:
    now = now or dt.datetime.now(dt.timezone.utc)
    files = expand_paths(paths)
    names: dict[str, Path] = {}
    for f in files:
        if f.name in names:
            raise InputError(f'two files named "{f.name}" in one import ({names[f.name]} and '
                             f"{f}); sources are keyed by file name, so rename one.", path=str(f))
        names[f.name] = f

    current = gs.current_graphs()
    reports: list[SourceReport] = []
    changes: dict[str, str] = {}
    counters: list[_Counter] = []
    try:
        for f in files:
            source = source_iri(f)
            sha = _sha256(f)
            old = current.get(source)
            old_sha = gs.value(old, SKG.sha256, old) if old else None
            old_path = gs.value(old, SKG.sourcePath, old) if old else None
            if old_path is not None and old_path != str(f.resolve()) and old_sha != sha \
                    and not replace:
                raise InputError(f"a different file with this name is already imported (from "
                                 f"{old_path}); rename this file, or pass --replace to replace "
                                 "that source.", path=str(f))
            if old_sha == sha:
                assert old is not None
                n = gs.value(old, SKG.recordCount, old)
                fmt_name = gs.value(old, SKG.sourceFormat, old) or "?"
                reports.append(SourceReport(str(f), fmt_name, old, int(n or 0), 0, 0,
                                            "unchanged"))
                continue
            graph = graph_iri(source, sha)
            counter = _Counter(gs)
            counters.append(counter)
            changes[source] = graph
            # the graph is uncommitted, so the (non-transactional) bulk loader is safe here
            if gs.path is not None and f.stat().st_size >= parallel_bytes:
                total = _line_count(f) if progress and not is_gzip(f) else 0
                fmt_name, chunks = parallel_chunks(f, fmt, graph, gs.path, counter,
                                                   skip_invalid=skip_invalid, progress=progress,
                                                   total=total)
            else:
                fmt_name, chunks = _chunks(gs, f, fmt, graph, counter,
                                           skip_invalid=skip_invalid, progress=progress)

            def described(chunks=chunks, f=f, fmt_name=fmt_name, sha=sha, counter=counter,
                          graph=graph) -> Iterator[bytes]:
                yield from chunks  # then the counts are known: the provenance joins the load
                if counter.works == 0:
                    raise InputError(f"no records found (read as {fmt_name}); check the file "
                                     "and --format.", path=str(f), line=1)
                # and all was gathered: indexed while the loader finishes its last batches
                gs.gathered(graph, counter.gathered)
                if f is files[-1]:
                    gs.will_commit(changes)
                yield "".join(_provenance(graph, f, fmt_name, sha, counter.records,
                                          len(counter.rejected), now)).encode("utf-8")

            # one load, nothing written after it: the first write after a big bulk load
            # waits until RocksDB has compacted what the load left in level 0
            written = gs.load_nquads(described(), piece=LOAD_PIECE if low_memory else 0)
            reports.append(SourceReport(str(f), fmt_name, graph, counter.records, counter.works,
                                        written, "replaced" if old else "imported",
                                        tuple(counter.rejected)))
        gs.commit(changes)
    except BaseException:
        gs.forget_gathered()
        for graph in changes.values():
            if graph not in current.values():
                gs.drop_graph(graph)
        raise
    finally:  # (what was derived ahead was stopped by the commit or the handler above)
        for counter in counters:
            counter.gathered.drop()
    return reports


def write_rejects(reports: Iterable[SourceReport], path: Path) -> int:
    """Write the rejected records of an import as JSON Lines (file, line, error, raw text)."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for rep in reports:
            for r in rep.rejected:
                err = r.error
                out.write(json.dumps({"file": getattr(err, "path", rep.path),
                                      "line": getattr(err, "line", None),
                                      "error": getattr(err, "message", str(err)),
                                      "raw": r.raw}, ensure_ascii=False) + "\n")
                n += 1
    return n


def remove_sources(gs: GraphStore, names: Iterable[str]) -> list[str]:
    """Remove imported sources, named by file name, path or source IRI, all in one transaction.
    Returns the paths of the removed files. An unknown name is an error and removes nothing."""
    current = gs.current_graphs()
    by_name: dict[str, str] = {}
    for source, graph in current.items():
        path = gs.value(graph, SKG.sourcePath, graph)
        by_name[source] = source
        if path:
            by_name[path] = source
            by_name[Path(path).name] = source
    chosen: dict[str, str] = {}
    for name in names:
        key = str(Path(name).resolve()) if Path(name).exists() else name
        source = by_name.get(key) or by_name.get(name)
        if source is None:
            known = sorted(n for n in by_name if not n.startswith(("http://", "https://", "/")))
            raise InputError(f'no imported source "{name}"; imported: {", ".join(known) or "none"}'
                             ' (see "scholkg stats").')
        graph = current[source]
        chosen[source] = gs.value(graph, SKG.sourcePath, graph) or source
    gs.remove_sources(chosen)
    return list(chosen.values())
