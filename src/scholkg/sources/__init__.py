"""Readers: one per input format, each yielding records (works, name clusters) with file:line.

A reader is registered with its name, the file extensions it owns and a sniffer that looks at
the first bytes; ``detect`` picks one for ``--format auto``.

>>> sorted(READERS)
['arrow', 'bibtex', 'csv', 'dblp', 'jsonl', 'openalex']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Record, Rejected
from . import arrow, bibtex, csvmeta, dblp, jsonl, openalex
from .common import head_text


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    extensions: tuple[str, ...]
    sniff: Callable[[str], bool]
    read: Callable[[Path, str], Iterator[Record | Rejected]]


READERS: dict[str, Reader] = {
    r.name: r
    # Sniffers run in this order: the specific formats before the generic JSON records.
    for r in (
        Reader("arrow", 'Arrow Research "author name cluster" page saved as text',
               (".txt",), arrow.sniff, arrow.read),
        Reader("dblp", "dblp XML: the dump (with dblp.dtd beside it) or per-record/person XML",
               (".xml",), dblp.sniff, dblp.read),
        Reader("bibtex", "BibTeX", (".bib", ".bibtex"), bibtex.sniff, bibtex.read),
        Reader("openalex", "OpenAlex works: API JSON (a work or a results page) or snapshot "
               "JSON Lines", (), openalex.sniff, openalex.read),
        Reader("csv", "CSV in the OpenCitations Meta layout", (".csv",), csvmeta.sniff,
               csvmeta.read),
        Reader("jsonl", "scholkg records as JSON Lines or a JSON array (docs/records.md)",
               (".jsonl", ".ndjson", ".json"), jsonl.sniff, jsonl.read),
    )
}

FORMAT_CHOICES = ("auto", *READERS)


def detect(path: Path, head: str) -> Reader:
    """The reader for a file: by content first, then by extension."""
    for reader in READERS.values():
        if reader.sniff(head):
            return reader
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    ext = suffixes[-1] if suffixes else ""
    for reader in READERS.values():
        if ext in reader.extensions:
            return reader
    raise InputError(
        "cannot tell the format of this file; give it with --format "
        f"({', '.join(READERS)}).", path=str(path), line=1)


def reader_for(path: Path, fmt: str = "auto") -> Reader:
    if fmt != "auto":
        try:
            return READERS[fmt]
        except KeyError:
            raise InputError(f'unknown format "{fmt}"; choose one of {", ".join(FORMAT_CHOICES)}.',
                             path=str(path)) from None
    if not path.is_file():
        raise InputError("no such file.", path=str(path))
    return detect(path, head_text(path))
