"""Reader for OpenAlex works: the API's JSON (one work, or a page with ``results``) and the
snapshot's JSON Lines (``.gz`` too).

Authorships keep their order (positions) and the raw names as printed; ORCIDs and OpenAlex
work, author and source IDs become IRIs; the abstract is rebuilt from
``abstract_inverted_index``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import identifiers as ids
from ..errors import InputError
from ..model import AuthorSlot, Identifiers, Origin, Record, Rejected, Venue, Work
from .common import add_links_from_text, open_binary
from .jsonl import parsed_objects

#: OpenAlex work types -> scholkg work types (articles are refined by their source's type).
TYPES = {
    "article": "journal-article",
    "preprint": "preprint",
    "book": "book",
    "book-chapter": "book-chapter",
    "dataset": "dataset",
    "dissertation": "thesis",
    "proceedings": "proceedings",
    "proceedings-article": "conference-paper",
    "review": "journal-article",
    "letter": "journal-article",
    "editorial": "journal-article",
}
SOURCE_KINDS = {"journal": "journal", "conference": "conference", "repository": "repository",
                "book series": "book-series", "ebook platform": "other"}


def sniff(head: str) -> bool:
    return bool(re.search(r'"id"\s*:\s*"https://openalex\.org/W\d+"', head)) or \
        ('"authorships"' in head and '"openalex' in head)


def read(path: Path, origin_path: str) -> Iterator[Record | Rejected]:
    with open_binary(path, origin_path) as f:
        first = f.read(65536).lstrip()
    # an API page is {"meta": ..., "results": [...]}; else one work, or one per line
    page = first.startswith(b"{") and re.match(rb'\{\s*"meta"|\{\s*"results"', first)
    yield from parsed_objects(path, origin_path, parse_work,
                              array_key="results" if page else None)


def abstract_from_index(index: dict[str, list[int]] | None) -> str | None:
    """Rebuild an abstract from OpenAlex's inverted index {word: [positions]}."""
    if not index:
        return None
    words: dict[int, str] = {}
    for word, positions in index.items():
        for p in positions:
            if isinstance(p, int) and p >= 0:
                words[p] = word
    return " ".join(words[p] for p in sorted(words)) or None


def _short(value: Any, prefix_re: str) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return re.sub(prefix_re, "", value)


def parse_work(obj: Any, *, path: str, line: int) -> Work:
    if not isinstance(obj, dict):
        raise InputError(f"expected an OpenAlex work object, got {type(obj).__name__}.",
                         path=path, line=line)
    wid = obj.get("id")
    if not isinstance(wid, str) or not re.match(r"^https://openalex\.org/W\d+$", wid):
        raise InputError(f'"id" {json.dumps(wid)} is not an OpenAlex work ID '
                         "(https://openalex.org/W...).", path=path, line=line)
    title = obj.get("title") or obj.get("display_name")
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"work {wid} has no title.", path=path, line=line)
    year = obj.get("publication_year")
    if year is not None and (not isinstance(year, int) or not 1000 <= year <= 2999):
        raise InputError(f'work {wid}: "publication_year" {json.dumps(year)} is not a year.',
                         path=path, line=line)
    idents = Identifiers(openalex=ids.normalise_openalex(wid))
    for key, norm in (("doi", ids.normalise_doi),):
        value = obj.get(key) or (obj.get("ids") or {}).get(key)
        if value:
            try:
                idents.doi = norm(value)
            except ids.IdentifierError as e:
                raise InputError(f"work {wid}: {e}.", path=path, line=line) from None
    for loc in obj.get("locations") or []:
        url = (loc or {}).get("landing_page_url") or ""
        m = re.match(r"^https?://arxiv\.org/abs/(.+)$", url)
        if m and idents.arxiv is None:
            try:
                idents.arxiv = ids.normalise_arxiv(m.group(1))
            except ids.IdentifierError:
                pass

    primary = obj.get("primary_location") or {}
    source = primary.get("source") or {}
    venue = None
    if source.get("display_name"):
        sid = _short(source.get("id"), r"^https://openalex\.org/")
        venue = Venue(ids.clean_text(source["display_name"]),
                      SOURCE_KINDS.get(source.get("type") or "", "other"),
                      openalex=sid if sid and re.match(r"^S\d+$", sid) else None)
    landing = primary.get("landing_page_url")
    if landing:
        try:
            url = ids.safe_url(landing)
            if not url.startswith("https://doi.org/"):
                idents.urls.append(url)
        except ids.IdentifierError:
            pass

    otype = obj.get("type") or "other"
    work_type = TYPES.get(otype, "other")
    if otype == "article" and venue is not None:
        work_type = {"conference": "conference-paper", "repository": "preprint"}.get(
            venue.kind, "journal-article")

    authors = []
    auths = obj.get("authorships") or []
    if not isinstance(auths, list):
        raise InputError(f'work {wid}: "authorships" must be a list.', path=path, line=line)
    for i, a in enumerate(auths, start=1):
        a = a or {}
        author = a.get("author") or {}
        name = a.get("raw_author_name") or author.get("display_name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"work {wid}: authorship {i} has no name.", path=path, line=line)
        orcid = None
        if author.get("orcid"):
            try:
                orcid = ids.normalise_orcid(author["orcid"])
            except ids.IdentifierError as e:
                raise InputError(f"work {wid}, author {i}: {e}.", path=path,
                                 line=line) from None
        aid = _short(author.get("id"), r"^https://openalex\.org/")
        base, homonym = ids.split_homonym(name)
        authors.append(AuthorSlot(name=base, homonym=homonym, orcid=orcid, position=i,
                                  openalex=aid if aid and re.match(r"^A\d+$", aid) else None))
    work = Work(
        title=ids.clean_text(title), year=year, work_type=work_type, venue=venue,
        authors=authors, authors_complete=not obj.get("is_authors_truncated", False),
        abstract=abstract_from_index(obj.get("abstract_inverted_index")), ids=idents,
        origin=Origin(path, line))
    add_links_from_text(work)
    return work
