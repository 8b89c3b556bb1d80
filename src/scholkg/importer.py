"""Import record files into the store: read -> map -> stage -> commit, all or nothing.

>>> from scholkg.store import GraphStore
>>> gs = GraphStore.open(None)
>>> [r.status for r in import_paths(gs, ["data/aojun-zhou.jsonl"])]  # doctest: +SKIP
['imported']
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from . import identifiers as ids
from .errors import InputError
from .mapping import map_record
from .model import Work
from .sources import READERS, reader_for
from .store import GraphStore
from .vocab import DCTERMS, PROV, RDF, RDFS, SKG, XSD

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


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the record files inside folders named (sorted, hidden ones skipped)."""
    exts = {e for r in READERS.values() for e in r.extensions}
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in exts
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


def source_graph(path: Path) -> str:
    """Sources are keyed by file name, so IRIs do not depend on where the file lies."""
    return ids.source_iri(path.name)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _line_count(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) + 1


def _existing(gs: GraphStore, graph: str) -> tuple[str | None, str | None]:
    """(sha256, absolute path) recorded for a source graph, or (None, None)."""
    return gs.value(graph, SKG.sha256, graph), gs.value(graph, SKG.sourcePath, graph)


def _provenance(graph: str, path: Path, fmt: str, sha: str, records: int, works: int,
                now: dt.datetime) -> Iterator[Quad]:
    g = NamedNode(graph)
    yield Quad(g, RDF.type, SKG.Source, g)
    yield Quad(g, RDF.type, PROV.Entity, g)
    yield Quad(g, RDFS.label, Literal(path.name), g)
    yield Quad(g, SKG.sourcePath, Literal(str(path.resolve())), g)
    yield Quad(g, SKG.sourceFormat, Literal(fmt), g)
    yield Quad(g, DCTERMS.format, Literal(fmt), g)
    yield Quad(g, SKG.sha256, Literal(sha), g)
    yield Quad(g, SKG.recordCount, Literal(str(records), datatype=XSD.integer), g)
    yield Quad(g, PROV.generatedAtTime,
               Literal(now.isoformat(timespec="seconds"), datatype=XSD.dateTime), g)


def read_file(path: Path, fmt: str = "auto", *, progress: Progress | None = None):
    """(format name, records) of one file; raises InputError with file:line on bad input."""
    reader = reader_for(path, fmt)
    total = _line_count(path) if progress else 0
    records = []
    for rec in reader.read(path, str(path)):
        records.append(rec)
        if progress and rec.origin is not None:
            progress(str(path), rec.origin.line, total)
    if not any(isinstance(r, Work) for r in records):
        raise InputError(f"no records found (read as {reader.name}); check the file and "
                         "--format.", path=str(path), line=1)
    return reader.name, records


def import_paths(gs: GraphStore, paths: Iterable[str | Path], *, fmt: str = "auto",
                 replace: bool = False, progress: Progress | None = None,
                 now: dt.datetime | None = None) -> list[SourceReport]:
    """Import files and folders into ``gs``: each file becomes (or replaces) one source graph.

    Every file is read and mapped before anything is written; then all graphs are written in
    one transaction. A file whose content is unchanged since its last import is skipped.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    files = expand_paths(paths)
    names: dict[str, Path] = {}
    for f in files:
        if f.name in names:
            raise InputError(f'two files named "{f.name}" in one import ({names[f.name]} and '
                             f"{f}); sources are keyed by file name, so rename one.", path=str(f))
        names[f.name] = f

    reports: list[SourceReport] = []
    pending: list[tuple[str, list[Quad]]] = []
    for f in files:
        graph = source_graph(f)
        sha = _sha256(f)
        old_sha, old_path = _existing(gs, graph)
        if old_path is not None and old_path != str(f.resolve()) and old_sha != sha \
                and not replace:
            raise InputError(f'a different file with this name is already imported (from '
                             f'{old_path}); rename this file, or pass --replace to replace that '
                             "source.", path=str(f))
        fmt_name, records = read_file(f, fmt, progress=progress)
        works = sum(isinstance(r, Work) for r in records)
        if old_sha == sha:
            reports.append(SourceReport(str(f), fmt_name, graph, len(records), works, 0,
                                        "unchanged"))
            continue
        quads = [q for r in records for q in map_record(r, graph)]
        quads.extend(_provenance(graph, f, fmt_name, sha, len(records), works, now))
        pending.append((graph, quads))
        reports.append(SourceReport(str(f), fmt_name, graph, len(records), works, len(quads),
                                    "replaced" if old_sha else "imported"))

    staged = []
    try:
        for graph, quads in pending:
            staged.append(gs.stage(graph, quads))
        gs.commit(staged)
    except BaseException:
        gs.discard(staged)
        raise
    return reports

