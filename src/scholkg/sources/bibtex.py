"""Reader for BibTeX (with bibtexparser 2): entry by entry, so memory stays flat and every
problem names its line.

Author lists are split on "and" at brace level 0, so "{IEEE Computer Society}" stays one name;
"Last, First", "First von Last" and "von Last, Jr, First" forms are understood; LaTeX accents
and braces become Unicode. Fields scholkg does not import are listed once per file as a warning.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares as mw
from pylatexenc.latex2text import LatexNodes2Text

from .. import identifiers as ids
from ..errors import InputError
from ..model import AuthorSlot, Identifiers, Origin, Record, Rejected, Venue, Work
from .common import add_links_from_text, parse_year, text_lines

log = logging.getLogger(__name__)

ENTRY_TYPES = {
    "article": "journal-article",
    "inproceedings": "conference-paper",
    "conference": "conference-paper",
    "proceedings": "proceedings",
    "incollection": "book-chapter",
    "inbook": "book-chapter",
    "book": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "dataset": "dataset",
    "misc": "other",
    "online": "other",
    "techreport": "other",
    "unpublished": "other",
    "manual": "other",
    "booklet": "other",
}
#: Fields that become part of the record.
MAPPED = {"author", "title", "year", "date", "doi", "eprint", "archiveprefix", "eprinttype",
          "primaryclass", "url", "booktitle", "journal", "journaltitle", "series", "abstract",
          "orcid-numbers", "howpublished"}
_LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def sniff(head: str) -> bool:
    return bool(re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", head, re.MULTILINE))


def latex_to_text(value: str) -> str:
    """LaTeX to Unicode text, braces dropped: "Sch{\\"o}n" -> "Schön"."""
    for macro in ("BibTeX", "LaTeX", "TeX"):  # pylatexenc drops these logos
        value = re.sub(r"\\" + macro + r"(?![A-Za-z])\s?(\{\})?", macro, value)
    if "\\" in value or "{" in value or "$" in value or "~" in value:
        try:
            value = _LATEX.latex_to_text(value)
        except Exception:  # pylatexenc gives up on some malformed input; keep the raw text
            value = value.replace("{", "").replace("}", "")
    return ids.clean_text(value)


def _chunks(path: Path, origin: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each @-block; @string blocks are kept for the blocks after them."""
    start, buf = 1, []
    for number, text in text_lines(path, origin):
        if re.match(r"^\s*@", text) and buf:
            yield start, "\n".join(buf)
            start, buf = number, []
        if not buf:
            start = number
        buf.append(text)
    if buf:
        yield start, "\n".join(buf)


def read(path: Path, origin_path: str) -> Iterator[Record | Rejected]:
    strings: list[str] = []
    unmapped: Counter[str] = Counter()
    for start, chunk in _chunks(path, origin_path):
        head = chunk.lstrip()[:20].lower()
        if not head.startswith("@"):
            continue  # text between entries is a comment in BibTeX
        if head.startswith(("@comment", "@preamble")):
            continue
        if head.startswith("@string"):
            strings.append(chunk)
            continue
        prefix = "\n".join(strings)
        offset = start - 1 - (prefix.count("\n") + 1 if prefix else 0)
        text = f"{prefix}\n{chunk}" if prefix else chunk
        try:
            lib = bibtexparser.parse_string(
                text, append_middleware=[mw.SeparateCoAuthors(), mw.SplitNameParts()])
        except Exception as e:  # bibtexparser raises several kinds on broken input
            yield Rejected(InputError(f"cannot parse BibTeX entry: {e}.", path=origin_path,
                                      line=start), chunk[:2000])
            continue
        if lib.failed_blocks:
            yield Rejected(InputError("malformed BibTeX entry (check braces, commas and "
                                      "quotes).", path=origin_path, line=start), chunk[:2000])
            continue
        for entry in lib.entries:
            line = entry.start_line + 1 + offset if entry.start_line is not None else start
            try:
                yield _work(entry, origin_path, line, unmapped)
            except InputError as e:
                yield Rejected(e, chunk[:2000])
    if unmapped:
        listed = ", ".join(f"{k} ({n})" for k, n in sorted(unmapped.items()))
        log.warning("%s: BibTeX fields not imported: %s.", origin_path, listed)


def _field(entry, name: str) -> str | None:
    f = entry.fields_dict.get(name)
    if f is None:
        for k, v in entry.fields_dict.items():
            if k.lower() == name:
                f = v
                break
    if f is None:
        return None
    return f.value if isinstance(f.value, str) else f.value


def _work(entry, path: str, line: int, unmapped: Counter[str]) -> Work:
    etype = entry.entry_type.lower()
    key = entry.key
    for k in entry.fields_dict:
        if k.lower() not in MAPPED:
            unmapped[k.lower()] += 1
    title_raw = _field(entry, "title")
    if not title_raw or not isinstance(title_raw, str) or not latex_to_text(title_raw):
        raise InputError(f'entry "{key}" has no title.', path=path, line=line)
    year_raw = _field(entry, "year") or _field(entry, "date")
    year = None
    if year_raw:
        year = parse_year(str(year_raw).strip()[:4] if re.match(r"^\d{4}-", str(year_raw))
                          else str(year_raw).strip(), path=path, line=line)
    work_type = ENTRY_TYPES.get(etype)
    if work_type is None:
        log.warning("%s:%d: entry type @%s is not known; imported as \"other\".", path, line,
                    etype)
        work_type = "other"

    authors = []
    names = _field(entry, "author") or []
    if isinstance(names, str):
        names = [names]
    for i, parts in enumerate(names, start=1):
        if isinstance(parts, str):
            name = latex_to_text(parts)
        else:
            name = latex_to_text(" ".join([*parts.first, *parts.von, *parts.last]))
            if parts.jr:
                name = f"{name} {latex_to_text(' '.join(parts.jr))}"
        if not name:
            raise InputError(f'entry "{key}": author {i} is empty (check "and" separators).',
                             path=path, line=line)
        base, homonym = ids.split_homonym(name)
        authors.append(AuthorSlot(name=base, homonym=homonym, position=i))

    idents = Identifiers()
    doi = _field(entry, "doi")
    if doi:
        try:
            idents.doi = ids.normalise_doi(latex_to_text(doi))
        except ids.IdentifierError as e:
            raise InputError(f'entry "{key}": {e}.', path=path, line=line) from None
    eprint = _field(entry, "eprint")
    archive = (_field(entry, "archiveprefix") or _field(entry, "eprinttype") or "").lower()
    if eprint and archive in ("arxiv", ""):
        try:
            idents.arxiv = ids.normalise_arxiv(eprint)
        except ids.IdentifierError as e:
            if archive == "arxiv":
                raise InputError(f'entry "{key}": {e}.', path=path, line=line) from None
    url = _field(entry, "url")
    if url:
        url = url.strip()
        m = re.match(r"^https?://arxiv\.org/abs/(.+)$", url)
        if m and idents.arxiv is None:
            try:
                idents.arxiv = ids.normalise_arxiv(m.group(1))
                url = None
            except ids.IdentifierError:
                pass
        if url:
            try:
                idents.urls.append(ids.safe_url(url))
            except ids.IdentifierError as e:
                raise InputError(f'entry "{key}": "url": {e}.', path=path, line=line) from None

    venue = None
    journal = _field(entry, "journal") or _field(entry, "journaltitle")
    booktitle = _field(entry, "booktitle")
    series = _field(entry, "series")
    if journal:
        name = latex_to_text(journal)
        repo = re.search(r"\b(corr|arxiv|biorxiv|medrxiv|ssrn)\b", name, re.IGNORECASE)
        venue = Venue(name, "repository" if repo else "journal")
    elif booktitle:
        venue = Venue(latex_to_text(booktitle),
                      "conference" if work_type == "conference-paper" else "other")
    elif series:
        venue = Venue(latex_to_text(series), "book-series")
    if work_type == "other" and idents.arxiv and venue is None:
        work_type = "preprint"
    if venue is not None and venue.kind == "repository":
        work_type = "preprint"
    abstract = _field(entry, "abstract")
    work = Work(title=latex_to_text(title_raw), year=year, work_type=work_type, venue=venue,
                authors=authors, authors_complete=True,
                abstract=latex_to_text(abstract) if abstract else None, ids=idents,
                origin=Origin(path, line))
    add_links_from_text(work)
    return work
