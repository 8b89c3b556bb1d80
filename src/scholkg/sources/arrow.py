"""Reader for Arrow Research "author name cluster" pages saved as text.

The page (see ``../shared/seeds/000_460bfa54b708b64f.txt``) opens with a preamble::

    Arrow Research search
    Author name cluster
    Aojun Zhou                      <- the cluster's name
    ...
    20 papers
    2 author rows

then one block per paper::

    ICLR Conference 2025 Conference Paper          <- <venue> <Conference|Journal> <year> <type>
    MathCoder2: Better Math Reasoning ...          <- title
      • Zimu Lu                                    <- at most 8 author names
      • Ke Wang 0036
    Code has been shown ...                        <- abstract (one or more paragraphs)

Facts the page does not say but that hold for it: a list of 8 names may be cut (the page shows
no more than 8), and the cluster's subject is an author of every paper even where the shown
names omit it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..model import NameCluster, Origin, Record, Rejected, Venue, Work
from .common import add_cluster_subject, add_links_from_text, author_slot, parse_year, text_lines

log = logging.getLogger(__name__)

#: The page shows at most this many author names per paper.
MAX_SHOWN_AUTHORS = 8

_HEADER = re.compile(
    r"^(?P<venue>\S.*?) (?P<kind>Conference|Journal) (?P<year>\S+) "
    r"(?P<type>Conference Paper|Journal Article)$"
)
_HEADER_TAIL = re.compile(r"(Conference Paper|Journal Article)$")
_BULLET = re.compile(r"^\s*[•\u2022\-\*]\s*(?P<name>.*)$")
_COUNT = re.compile(r"^(?P<n>\d+) (?P<what>papers?|author rows?)$")
_TYPES = {"Conference Paper": "conference-paper", "Journal Article": "journal-article"}
_KINDS = {"Conference": "conference", "Journal": "journal"}


def sniff(head: str) -> bool:
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()][:3]
    return len(lines) >= 2 and lines[0] == "Arrow Research search" and \
        lines[1] == "Author name cluster"


class _Block:
    def __init__(self, line: int, venue: str, kind: str, year: int, work_type: str):
        self.line = line
        self.venue = venue
        self.kind = kind
        self.year = year
        self.work_type = work_type
        self.title: str | None = None
        self.authors: list[tuple[int, str]] = []
        self.abstract: list[str] = []
        self.error: InputError | None = None


def read(path: Path, origin_path: str) -> Iterator[Record | Rejected]:
    """Yield the cluster, then one Work (or Rejected, with the error) per paper block."""
    p = origin_path
    cluster: NameCluster | None = None
    preamble: list[tuple[int, str]] = []
    block: _Block | None = None
    works = 0

    def finish(b: _Block) -> Work:
        if b.title is None:
            raise InputError("paper has no title line after its header.", path=p, line=b.line)
        if not b.authors:
            raise InputError(f'paper "{b.title}" lists no authors (expected lines such as '
                             '"  • Aojun Zhou").', path=p, line=b.line)
        slots = [author_slot(name, position=i, path=p, line=ln)
                 for i, (ln, name) in enumerate(b.authors, start=1)]
        work = Work(
            title=b.title,
            year=b.year,
            work_type=_TYPES[b.work_type],
            venue=Venue(b.venue, _KINDS[b.kind]),
            authors=slots,
            authors_complete=len(slots) < MAX_SHOWN_AUTHORS,
            abstract="\n\n".join(b.abstract) or None,
            origin=Origin(p, b.line),
        )
        add_links_from_text(work)
        if cluster is not None:
            add_cluster_subject(work, cluster.name)
        return work

    def close(b: _Block) -> Record | Rejected:
        if b.error is not None:
            return Rejected(b.error)
        try:
            return finish(b)
        except InputError as e:
            return Rejected(e)

    for number, text in text_lines(path, p):
        stripped = text.strip()
        m = _HEADER.match(stripped)
        bad_header = m is None and _HEADER_TAIL.search(stripped) and len(stripped) < 200
        if m is not None or bad_header:
            if cluster is None:
                cluster = _cluster(preamble, p)
                yield cluster
            if block is not None:
                yield close(block)
                works += 1
            if bad_header:
                block = _Block(number, "", "Conference", 0, "Conference Paper")
                block.error = InputError(
                    f'paper header "{stripped}" does not read as "<venue> <Conference|Journal> '
                    '<year> <Conference Paper|Journal Article>", e.g. "ICLR Conference 2025 '
                    'Conference Paper".', path=p, line=number)
                continue
            block = _Block(number, m.group("venue").strip(), m.group("kind"), 0, m.group("type"))
            try:
                block.year = parse_year(m.group("year"), path=p, line=number)
            except InputError as e:
                block.error = e
            continue
        if block is None:
            if text.lstrip().startswith("•"):
                raise InputError("author line before any paper header.", path=p, line=number)
            preamble.append((number, stripped))
            continue
        if not stripped or block.error is not None:
            continue
        b = _BULLET.match(text) if text.lstrip().startswith(("•", "\u2022")) else None
        if b is not None:
            if block.title is None:
                block.error = InputError("author line before the paper's title.", path=p,
                                         line=number)
            elif block.abstract:
                block.error = InputError("author line inside the abstract; each paper is "
                                         "header, title, authors, abstract.", path=p, line=number)
            elif not b.group("name").strip():
                block.error = InputError("empty author line.", path=p, line=number)
            else:
                block.authors.append((number, b.group("name").strip()))
        elif block.title is None:
            block.title = stripped
        else:
            block.abstract.append(stripped)

    if cluster is None:
        cluster = _cluster(preamble, p)
        yield cluster
    if block is not None:
        yield close(block)
        works += 1
    if cluster.paper_count is not None and cluster.paper_count != works:
        log.warning("%s: the page says %d papers but lists %d; only the listed ones are "
                    "imported.", p, cluster.paper_count, works)


def _cluster(preamble: list[tuple[int, str]], path: str) -> NameCluster:
    lines = [(n, t) for n, t in preamble if t]
    if len(lines) < 3 or lines[0][1] != "Arrow Research search" or \
            lines[1][1] != "Author name cluster":
        line = lines[0][0] if lines else 1
        raise InputError('not an Arrow "author name cluster" page: it must open with the lines '
                         '"Arrow Research search" and "Author name cluster", then the name.',
                         path=path, line=line)
    number, name = lines[2]
    papers = rows = None
    for _, t in lines[3:]:
        m = _COUNT.match(t)
        if m and m.group("what").startswith("paper"):
            papers = int(m.group("n"))
        elif m:
            rows = int(m.group("n"))
    return NameCluster(name=name, paper_count=papers, author_rows=rows, system="arrow",
                       origin=Origin(path, number))
