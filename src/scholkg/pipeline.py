"""A big file imported on two cores: a second process reads, resolves and maps the records and
hands N-Quads to this one, which bulk-loads them with Oxigraph's own parser and loader.

Reading XML or JSON and mapping records is Python work; parsing N-Quads, sorting and writing
the indexes is Oxigraph's (Rust, outside the GIL). Each takes roughly half of a sequential import,
so overlapping them on two cores brings the import close to the loader's own speed. The child
sees the store through a read-only snapshot (``Store.read_only``): what earlier sources said,
for the work resolver (:mod:`scholkg.resolve`). The child is a plain subprocess speaking a small
framed protocol on its stdout; the pipe is the only buffer, so memory stays flat. An error in
the child (a bad record, a broken file) comes back as the same exception; a child whose parent
died stops at its next write (broken pipe).
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError, ScholkgError
from .model import Rejected, Work

#: Files at least this big (bytes on disk) are imported by two processes.
PARALLEL_BYTES = 8 * 2**20
#: Quads per chunk handed over.
CHUNK = 50_000
_HEAD = struct.Struct(">cI")  # message kind, payload length


def _send(out, kind: bytes, payload: bytes) -> None:
    out.write(_HEAD.pack(kind, len(payload)))
    out.write(payload)


def produce(path: str, fmt: str, graph: str, store_path: str | None, skip_invalid: bool,
            spool: str | None, out) -> None:
    """The child: records -> work IRIs -> N-Quads chunks, written to ``out`` as messages:
    Q (quads), L (a line reached), F (format), D (done: then the counts, the rejects and what
    was gathered for the derived indexes, as a pickle streamed after the message; the texts
    spooled to ``spool``), E (error)."""
    try:
        import pyoxigraph as ox

        from .gathered import Gathered
        from .mapping import Described, map_record
        from .resolve import WorkResolver
        from .sources import reader_for
        from .store import GraphStore

        snapshot = (GraphStore(ox.Store.read_only(store_path), Path(store_path), read_only=True)
                    if store_path else None)
        reader = reader_for(Path(path), fmt)
        _send(out, b"F", reader.name.encode())
        resolver = WorkResolver(snapshot, remember=200_000)
        described = Described()
        gathered = Gathered(Path(spool) if spool else None)
        buf: list[str] = []
        records = works = 0
        rejected: list[Rejected] = []
        try:
            for rec in reader.read(Path(path), path):
                if isinstance(rec, Rejected):
                    if not skip_invalid:
                        raise rec.error
                    rejected.append(rec)
                    continue
                records += 1
                work_iri = None
                if isinstance(rec, Work):
                    works += 1
                    work_iri = resolver.resolve(rec)
                buf.extend(map_record(rec, graph, work_iri=work_iri, described=described,
                                      gathered=gathered))
                if len(buf) >= CHUNK:
                    _send(out, b"Q", "".join(buf).encode("utf-8"))
                    buf = []
                    if rec.origin is not None:
                        _send(out, b"L", str(rec.origin.line).encode())
        except (OSError, EOFError, zlib.error) as e:
            raise InputError(f"cannot read file: {e}.", path=path) from None
        if buf:
            _send(out, b"Q", "".join(buf).encode("utf-8"))
        # the counts and what was gathered follow as one pickle, streamed: a million works'
        # authorships are some 100 MB, not to be held twice
        _send(out, b"D", b"")
        pickle.dump((records, works, rejected, gathered), out, protocol=pickle.HIGHEST_PROTOCOL)
    except BrokenPipeError:
        return  # the importer is gone: nobody reads this
    except BaseException as e:  # handed to the parent, which raises it
        try:
            payload = pickle.dumps(e)
        except Exception:
            payload = pickle.dumps(ScholkgError(f"{path}: {type(e).__name__}: {e}"))
        _send(out, b"E", payload)
    out.flush()  # (a broken pipe here: see main)


def parallel_chunks(path: Path, fmt: str, graph: str, store_path: Path | None, counter, *,
                    skip_invalid: bool,
                    progress: Callable[[str, int, int], None] | None = None,
                    total: int = 0) -> tuple[str, Iterator[bytes]]:
    """(reader name, N-Quads chunks) of ``path``, produced by a child process. ``counter``
    gets ``records``, ``works``, ``rejected`` and ``gathered`` when the stream ends (the
    texts spooled to the file ``counter.gathered.texts.path``). The pipe between the
    two is the only buffer: the child waits while the loader is busy, so memory stays flat."""
    spool = counter.gathered.texts.path
    args = json.dumps([str(path), fmt, graph, str(store_path) if store_path else None,
                       skip_invalid, str(spool) if spool else None])
    src = str(Path(__file__).resolve().parents[1])
    proc = subprocess.Popen([sys.executable, "-c",
                             f"import sys; sys.path.insert(0, {src!r}); "
                             "from scholkg.pipeline import main; main()", args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, bufsize=1 << 20)
    pipe = proc.stdout
    assert pipe is not None

    def ended() -> ScholkgError:
        proc.wait()
        return ScholkgError(f"{path}: the reading process ended unexpectedly (exit code "
                            f"{proc.returncode}); nothing was imported.")

    def receive() -> tuple[bytes, bytes]:
        head = pipe.read(_HEAD.size)
        if len(head) < _HEAD.size:
            raise ended()
        kind, size = _HEAD.unpack(head)
        return kind, pipe.read(size)

    def stop() -> None:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        pipe.close()

    kind, payload = receive()
    if kind != b"F":
        stop()
        raise pickle.loads(payload) if kind == b"E" else ScholkgError(f"{path}: bad message")

    def chunks() -> Iterator[bytes]:
        try:
            while True:
                kind, payload = receive()
                if kind == b"Q":
                    yield payload
                elif kind == b"L":
                    if progress:
                        progress(str(path), int(payload), total)
                elif kind == b"D":
                    try:
                        (counter.records, counter.works, counter.rejected,
                         counter.gathered) = pickle.load(pipe)
                    except (EOFError, pickle.UnpicklingError):
                        raise ended() from None
                    return
                else:
                    raise pickle.loads(payload)
        finally:
            stop()

    return payload.decode(), chunks()


def main() -> None:
    """Entry of the child process (see :func:`parallel_chunks`)."""
    path, fmt, graph, store_path, skip_invalid, spool = json.loads(sys.argv[1])
    try:
        produce(path, fmt, graph, store_path, skip_invalid, spool, sys.stdout.buffer)
    except BrokenPipeError:
        # the importer is gone (killed, interrupted): end quietly, without a traceback from
        # the interpreter's last flush of stdout
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
