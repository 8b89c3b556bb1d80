"""Reader for dblp XML: the dump (``dblp.xml`` with ``dblp.dtd``, gzipped or not) and the
per-record and per-person XML that dblp serves (``/rec/<key>.xml``, ``/pid/<pid>.xml``).

The dump writes non-ASCII characters as DTD entities (``&eacute;``), so its DTD must be read; it
is looked for next to the XML file and nowhere else (no network, no other local files). The
parse streams: each record is handled and freed, so memory does not grow with the file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .. import identifiers as ids
from ..errors import InputError
from ..model import AuthorSlot, Identifiers, Origin, Person, Record, Rejected, Venue, Work
from .common import add_links_from_text, open_binary, parse_year

log = logging.getLogger(__name__)

#: dblp record element -> work type
WORK_TAGS = {
    "article": "journal-article",
    "inproceedings": "conference-paper",
    "proceedings": "proceedings",
    "incollection": "book-chapter",
    "book": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "data": "dataset",
}
PERSON_TAGS = ("www", "person")
_DOI_EE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
_ARXIV_EE = re.compile(r"^https?://arxiv\.org/abs/(.+)$", re.IGNORECASE)


def sniff(head: str) -> bool:
    return bool(re.search(r"<!DOCTYPE\s+dblp\b|<dblp>|<dblpperson\b", head[:4096]))


class _LocalDTD(etree.Resolver):
    """Resolve only a DTD lying next to the input file; refuse every other entity."""

    def __init__(self, folder: Path, origin: str):
        super().__init__()
        self.folder = folder
        self.origin = origin
        self.missing: str | None = None

    def resolve(self, system_url, public_id, context):
        name = Path(str(system_url).replace("file://", "")).name
        candidate = self.folder / name
        if name.endswith(".dtd") and candidate.is_file():
            return self.resolve_filename(str(candidate), context)
        self.missing = name
        return self.resolve_string("", context)


def read(path: Path, origin_path: str) -> Iterator[Record | Rejected]:
    tags = set(WORK_TAGS) | set(PERSON_TAGS)
    resolver = _LocalDTD(path.resolve().parent, origin_path)
    with open_binary(path, origin_path) as f:
        # only the record elements come back to Python (not every title, author, year)
        parser = etree.iterparse(f, events=("end",), tag=sorted(tags), load_dtd=True,
                                 resolve_entities=True, no_network=True, huge_tree=False,
                                 remove_comments=True)
        parser.resolvers.add(resolver)
        try:
            for _, elem in parser:
                parent = elem.getparent()
                if elem.tag == "person" and (parent is None or parent.tag != "dblpperson"):
                    continue
                try:
                    rec = _person(elem, origin_path) if elem.tag in PERSON_TAGS else \
                        _work(elem, origin_path)
                except InputError as e:
                    rec = Rejected(e, etree.tostring(elem, encoding="unicode")[:2000])
                _free(elem)
                if rec is not None:
                    yield rec
        except etree.XMLSyntaxError as e:
            line = e.lineno or None
            if resolver.missing or "dtd" in str(e).lower() and "entity" in str(e).lower():
                dtd = resolver.missing or "dblp.dtd"
                raise InputError(
                    f'this dblp XML uses the DTD "{dtd}" (for its character entities), which is '
                    f'not next to the file: download "{dtd}" from https://dblp.org/xml/ and put '
                    f"it in {path.resolve().parent}/.", path=origin_path, line=line) from None
            raise InputError(f"not well-formed XML: {e.msg}.", path=origin_path,
                             line=line) from None
        except (OSError, EOFError) as e:
            raise InputError(f"cannot read file: {e}.", path=origin_path) from None


def _free(elem) -> None:
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
        if parent.tag == "r":  # dblpperson wraps each record in <r>
            grand = parent.getparent()
            if grand is not None:
                while parent.getprevious() is not None:
                    del grand[0]


@lru_cache(maxsize=ids.CACHED)
def _name(text: str) -> tuple[str, str | None]:
    """(name, homonym number) of an author element's text; a prolific author's is split once."""
    return ids.split_homonym(text)


def _text(elem) -> str:
    return ids.clean_text("".join(elem.itertext()))


def _title(elem, t, path: str, line: int) -> str:
    title = _text(t) if t is not None else ""
    if title.endswith(".") and not title.endswith("..."):
        title = title[:-1].rstrip()  # dblp ends every title with a period
    if not title:
        raise InputError(f'record "{elem.get("key")}" has no title.', path=path, line=line)
    return title


#: The fields of a record read by :func:`_work`: the first of each, or all.
_FIRST = frozenset(("title", "year", "journal", "booktitle", "crossref", "series"))
_ALL = frozenset(("author", "ee"))


def _fields(elem) -> tuple[dict, dict]:
    """One pass over a record's children (not one search per field): the first element of
    each field in ``_FIRST``, and the list of elements of each field in ``_ALL``."""
    first: dict = {}
    every: dict = {"author": [], "ee": []}
    for child in elem:
        tag = child.tag
        if tag in _ALL:
            every[tag].append(child)
        elif tag in _FIRST and tag not in first:
            first[tag] = child
    return first, every


def _field_text(first: dict, tag: str) -> str | None:
    """What ``elem.findtext(tag)`` gives: the first element's text, "" if it has none."""
    el = first.get(tag)
    return None if el is None else (el.text or "")


def _work(elem, path: str) -> Work | None:
    line = elem.sourceline or 0
    key = elem.get("key")
    if not key:
        raise InputError(f"<{elem.tag}> record without a key attribute.", path=path, line=line)
    first, every = _fields(elem)
    title = _title(elem, first.get("title"), path, line)
    year_el = first.get("year")
    year = parse_year(_text(year_el), path=path, line=year_el.sourceline or line) \
        if year_el is not None else None
    work_type = WORK_TAGS[elem.tag]
    publtype = elem.get("publtype") or ""
    journal = _field_text(first, "journal")
    booktitle = _field_text(first, "booktitle")
    crossref = _field_text(first, "crossref")
    series = _field_text(first, "series")
    venue = None
    if elem.tag == "article" and journal:
        kind = "repository" if journal.strip() == "CoRR" else "journal"
        venue = Venue(ids.clean_text(journal), kind)
    elif booktitle:
        kind = "conference" if elem.tag in ("inproceedings", "proceedings") else "other"
        venue = Venue(ids.clean_text(booktitle), kind)
    elif crossref:
        stream = crossref.split("/")
        if len(stream) >= 2:
            venue = Venue(stream[1].upper(), "conference" if stream[0] == "conf" else "other")
    elif series:
        venue = Venue(ids.clean_text(series), "book-series")
    if "informal" in publtype or (venue is not None and venue.kind == "repository"):
        work_type = "preprint"

    authors = []
    for i, a in enumerate(every["author"], start=1):
        text = (a.text or "") if len(a) == 0 else "".join(a.itertext())
        base, homonym = _name(text)
        if not base:
            raise InputError(f'record "{key}": author {i} is empty.', path=path,
                             line=a.sourceline or line)
        orcid = a.get("orcid")
        if orcid:
            try:
                orcid = ids.normalise_orcid(orcid)
            except ids.IdentifierError as e:
                raise InputError(f'record "{key}", author "{ids.clean_text(text)}": {e}.', path=path,
                                 line=a.sourceline or line) from None
        pid = a.get("pid")
        authors.append(AuthorSlot(name=base, homonym=homonym, orcid=orcid, position=i,
                                  dblp_pid=pid or None))

    try:
        dblp_key = ids.normalise_dblp_key(key)
    except ids.IdentifierError as e:
        raise InputError(f"{e}.", path=path, line=line) from None
    idents = Identifiers(dblp=dblp_key)
    for ee in every["ee"]:
        url = _text(ee)
        m = _DOI_EE.match(url)
        a = _ARXIV_EE.match(url)
        if m and idents.doi is None:
            try:
                idents.doi = ids.normalise_doi(m.group(1))
                continue
            except ids.IdentifierError:
                pass
        if a and idents.arxiv is None:
            try:
                idents.arxiv = ids.normalise_arxiv(a.group(1))
                continue
            except ids.IdentifierError:
                pass
        try:
            u = ids.safe_url(url)
        except ids.IdentifierError:
            continue
        if u not in idents.urls:
            idents.urls.append(u)
    work = Work(title=title, year=year, work_type=work_type, venue=venue, authors=authors,
                authors_complete=True, ids=idents, origin=Origin(path, line))
    add_links_from_text(work)
    return work


def _person(elem, path: str) -> Person | None:
    """A homepage record (``www`` with key homepages/<pid>, or dblpperson's ``person``)."""
    line = elem.sourceline or 0
    key = elem.get("key") or ""
    if not key.startswith("homepages/") or elem.get("publtype") == "disambiguation":
        return None
    names = [_text(a) for a in elem.findall("author") if _text(a)]
    if not names:
        return None
    pid = key.removeprefix("homepages/")
    orcid = None
    urls = []
    for u in elem.findall("url"):
        url = _text(u)
        if re.match(r"^https?://orcid\.org/", url):
            try:
                orcid = ids.normalise_orcid(url)
                continue
            except ids.IdentifierError:
                pass
        try:
            urls.append(ids.safe_url(url))
        except ids.IdentifierError:
            continue
    for a in elem.findall("author"):
        if a.get("orcid") and orcid is None:
            try:
                orcid = ids.normalise_orcid(a.get("orcid"))
            except ids.IdentifierError:
                pass
    return Person(names=names, dblp_pid=pid, orcid=orcid, urls=urls, origin=Origin(path, line))
