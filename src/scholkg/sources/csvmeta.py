"""Reader for CSV in the OpenCitations Meta layout:
``id,title,author,pub_date,venue,volume,issue,page,type,publisher,editor``.

``id`` holds space-separated identifiers with prefixes (``doi:10.… openalex:W… omid:br/…``);
``author`` holds ``Surname, Given [orcid:… omid:…]`` entries separated by ``; ``, in order;
``venue`` is ``Name [issn:… openalex:S…]``. Columns scholkg does not import (volume, issue,
page, publisher, editor) and identifier schemes it does not know are listed once per file.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .. import identifiers as ids
from ..errors import InputError
from ..model import AuthorSlot, Identifiers, Origin, Record, Rejected, Venue, Work
from .common import open_binary, parse_year

log = logging.getLogger(__name__)

COLUMNS = ["id", "title", "author", "pub_date", "venue", "volume", "issue", "page", "type",
           "publisher", "editor"]
TYPES = {
    "journal article": "journal-article",
    "proceedings article": "conference-paper",
    "book": "book",
    "book chapter": "book-chapter",
    "book part": "book-chapter",
    "book section": "book-chapter",
    "edited book": "book",
    "monograph": "book",
    "reference book": "book",
    "proceedings": "proceedings",
    "dissertation": "thesis",
    "dataset": "dataset",
    "posted content": "preprint",
    "report": "other",
    "standard": "other",
    "web content": "other",
    "": "other",
}
_BRACKET = re.compile(r"^(?P<name>.*?)\s*\[(?P<ids>[^\]]*)\]\s*$")


def sniff(head: str) -> bool:
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    cols = [c.strip().strip('"') for c in first.split(",")]
    return cols[:4] == COLUMNS[:4]


def _split_ids(text: str) -> list[tuple[str, str]]:
    out = []
    for token in text.split():
        if ":" in token:
            scheme, value = token.split(":", 1)
            out.append((scheme.lower(), value))
    return out


def read(path: Path, origin_path: str) -> Iterator[Record | Rejected]:
    skipped: Counter[str] = Counter()
    with open_binary(path, origin_path) as f:
        try:
            text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None or [h.strip() for h in header][:4] != COLUMNS[:4]:
                raise InputError("not an OpenCitations Meta CSV: the header must start with "
                                 f"{','.join(COLUMNS)}.", path=origin_path, line=1)
            cols = [h.strip() for h in header]
            line = reader.line_num + 1
            for row in reader:
                try:
                    if len(row) != len(cols):
                        raise InputError(f"{len(row)} columns where the header has {len(cols)} "
                                         "(quote fields that contain commas).",
                                         path=origin_path, line=line)
                    if any("\x00" in v for v in row):
                        raise InputError("NUL byte in the row; is this a binary file?",
                                         path=origin_path, line=line)
                    rec = dict(zip(cols, row, strict=True))
                    for c in ("volume", "issue", "page", "publisher", "editor"):
                        if rec.get(c):
                            skipped[c] += 1
                    if any(v.strip() for v in row):
                        yield _work(rec, origin_path, line, skipped)
                except InputError as e:
                    yield Rejected(e, ",".join(row)[:2000])
                line = reader.line_num + 1
        except UnicodeDecodeError as e:
            raise InputError(f"not UTF-8 text (byte {e.object[e.start]:#04x}); save the file "
                             "as UTF-8.", path=origin_path) from None
        except csv.Error as e:
            raise InputError(f"malformed CSV: {e}.", path=origin_path,
                             line=reader.line_num) from None
    if skipped:
        log.warning("%s: not imported: %s.", origin_path,
                    ", ".join(f"{k} ({n} rows)" for k, n in sorted(skipped.items())))


def _work(rec: dict[str, str], path: str, line: int, skipped: Counter[str]) -> Work:
    title = ids.clean_text(rec.get("title", ""))
    if not title:
        raise InputError('row has no "title".', path=path, line=line)
    idents = Identifiers()
    for scheme, value in _split_ids(rec.get("id", "")):
        try:
            if scheme == "doi":
                idents.doi = ids.normalise_doi(value)
            elif scheme == "openalex":
                idents.openalex = ids.normalise_openalex(value)
            elif scheme == "wikidata":
                idents.wikidata = ids.normalise_qid(value)
            elif scheme == "arxiv":
                idents.arxiv = ids.normalise_arxiv(value)
            elif scheme == "url":
                idents.urls.append(ids.safe_url(value))
            else:
                skipped[f"id scheme {scheme}"] += 1
        except ids.IdentifierError as e:
            raise InputError(f'"id": {e}.', path=path, line=line) from None
    date = rec.get("pub_date", "").strip()
    year = parse_year(date[:4], path=path, line=line, field="pub_date") if date else None
    authors = []
    raw_authors = [a.strip() for a in rec.get("author", "").split(";") if a.strip()]
    for i, raw in enumerate(raw_authors, start=1):
        orcid = None
        m = _BRACKET.match(raw)
        name = raw
        if m:
            name = m.group("name")
            for scheme, value in _split_ids(m.group("ids")):
                if scheme == "orcid":
                    try:
                        orcid = ids.normalise_orcid(value)
                    except ids.IdentifierError as e:
                        raise InputError(f'author {i} "{name}": {e}.', path=path,
                                         line=line) from None
        if "," in name:
            surname, given = name.split(",", 1)
            name = f"{given.strip()} {surname.strip()}".strip()
        name = ids.clean_text(name)
        if not name:
            raise InputError(f"author {i} has no name.", path=path, line=line)
        base, homonym = ids.split_homonym(name)
        authors.append(AuthorSlot(name=base, homonym=homonym, orcid=orcid, position=i))
    venue = None
    vraw = rec.get("venue", "").strip()
    if vraw:
        m = _BRACKET.match(vraw)
        vname = ids.clean_text(m.group("name") if m else vraw)
        vid = None
        if m:
            for scheme, value in _split_ids(m.group("ids")):
                if scheme == "openalex" and re.match(r"^S\d+$", value):
                    vid = value
        if vname:
            vtype = rec.get("type", "").strip().lower()
            kind = {"journal article": "journal", "proceedings article": "conference"}.get(
                vtype, "other")
            venue = Venue(vname, kind, openalex=vid)
    wtype = rec.get("type", "").strip().lower()
    if wtype not in TYPES:
        log.warning("%s:%d: type \"%s\" is not known; imported as \"other\".", path, line, wtype)
    return Work(title=title, year=year, work_type=TYPES.get(wtype, "other"), venue=venue,
                authors=authors, authors_complete=True, ids=idents, origin=Origin(path, line))
