"""Reader for scholkg records as JSON Lines, or as one JSON array or object (docs/records.md).

Each object is a work, or a name cluster when ``"type": "name-cluster"``. Unknown keys are
errors, so a misspelt field ("autors") is caught instead of silently dropped.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import identifiers as ids
from ..errors import InputError
from ..model import (
    VENUE_KINDS,
    WORK_TYPES,
    Identifiers,
    Links,
    NameCluster,
    Origin,
    Record,
    Rejected,
    Venue,
    Work,
)
from .common import add_cluster_subject, add_links_from_text, author_slot, open_binary, parse_year

WORK_KEYS = {
    "type", "title", "year", "work_type", "venue", "authors", "authors_complete",
    "other_authors", "abstract", "doi", "arxiv", "dblp", "openalex", "wikidata", "urls",
    "code", "data", "project", "clusters",
}
CLUSTER_KEYS = {"type", "name", "paper_count", "author_rows", "system"}
AUTHOR_KEYS = {"name", "homonym", "orcid"}
#: Nesting deeper than this is refused (a record is at most 3 levels deep).
MAX_DEPTH = 16


def sniff(head: str) -> bool:
    s = head.lstrip("\ufeff \t\r\n")
    return s.startswith("{") or (s.startswith("[") and s[1:].lstrip().startswith(("{", "]")))


def read(path: Path, origin_path: str) -> Iterator[Record | Rejected]:
    return parsed_objects(path, origin_path, parse_record)


def parsed_objects(path: Path, origin: str, parse: Callable[..., Record], *,
                   array_key: str | None = None) -> Iterator[Record | Rejected]:
    """Each JSON object of the file turned into a record by ``parse(obj, path=, line=)``; an
    object that does not parse becomes a Rejected with its error and text."""
    for line, obj in json_objects(path, origin, array_key=array_key):
        if isinstance(obj, Rejected):
            yield obj
            continue
        try:
            yield parse(obj, path=origin, line=line)
        except InputError as e:
            yield Rejected(e, json.dumps(obj, ensure_ascii=False)[:2000])


def _decode(path: Path, origin: str) -> str:
    try:
        with open_binary(path, origin) as f:
            data = f.read()
    except (OSError, EOFError) as e:
        raise InputError(f"cannot read file: {e}.", path=origin) from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError("NUL byte in JSON text.", path=origin, line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 (byte {data[e.start]:#04x}); save the file as UTF-8.",
                         path=origin, line=line) from None


def json_objects(path: Path, origin: str, *, array_key: str | None = None
                 ) -> Iterator[tuple[int, Any]]:
    """(line, object or Rejected) pairs from JSON Lines, a JSON array, or (with ``array_key``)
    the array under that key of one JSON object, such as an API page's "results"."""
    text = _decode(path, origin)
    if array_key is not None:
        m = re.search(r'"' + re.escape(array_key) + r'"\s*:\s*\[', text)
        if m is None:
            raise InputError(f'no "{array_key}" array in this JSON.', path=origin, line=1)
        yield from _array(text, origin, start=m.end(), strict_end=False)
        return
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _array(text, origin, start=text.index("[") + 1)
        return
    decoder = json.JSONDecoder()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, _loads(decoder, raw.strip(), origin, number)
        except InputError as e:
            yield number, Rejected(e, raw[:2000])


def _loads(decoder: json.JSONDecoder, raw: str, origin: str, line: int) -> Any:
    try:
        obj, end = decoder.raw_decode(raw)
    except json.JSONDecodeError as e:
        raise InputError(f"invalid JSON at column {e.colno}: {e.msg}.", path=origin,
                         line=line + e.lineno - 1) from None
    except RecursionError:
        raise InputError("JSON nested too deeply.", path=origin, line=line) from None
    if raw[end:].strip():
        raise InputError(f"extra text after the JSON object at column {end + 1}; write one "
                         "record per line.", path=origin, line=line)
    _whole_characters(obj, raw, origin, line)
    return obj


_HIGH, _LOW = r"\\u[dD][89abAB][0-9a-fA-F]{2}", r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_SURROGATE = re.compile(f"{_HIGH}|{_LOW}")
_LONE = re.compile(f"{_HIGH}(?!{_LOW})|(?<!{_HIGH}){_LOW}")


def _whole_characters(obj: Any, raw: str, origin: str, line: int, column: int = 1) -> None:
    """Refuse a value holding half of a UTF-16 surrogate pair (``"\\ud800"`` on its own):
    Python decodes it, but it is no character, and no UTF-8 text (nor RDF) can hold it. ``raw``
    is the JSON text of ``obj``, which starts at ``line`` and ``column``."""
    if "\\u" not in raw or not _SURROGATE.search(raw):
        return
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        m = _LONE.search(raw)
        where = "an escape"
        if m:
            before = raw[:m.start()]
            line += before.count("\n")
            at = m.start() - before.rfind("\n") if "\n" in before else column + m.start()
            where = f'"{m.group()}" at column {at}'
        raise InputError(f"{where} is half of a UTF-16 surrogate pair, not a character; write "
                         "the character itself, or both halves of its pair.", path=origin,
                         line=line) from None


def _array(text: str, origin: str, *, start: int, strict_end: bool = True
           ) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    pos = start
    n = len(text)

    def skip_ws(i: int) -> int:
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    def line_at(i: int) -> int:
        return text.count("\n", 0, i) + 1

    pos = skip_ws(pos)
    if pos < n and text[pos] == "]":
        return
    while True:
        pos = skip_ws(pos)
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            raise InputError(f"invalid JSON at column {e.colno}: {e.msg}.", path=origin,
                             line=e.lineno) from None
        except RecursionError:
            raise InputError("JSON nested too deeply.", path=origin, line=line_at(pos)) from None
        try:  # a record of its own that is wrong: the array goes on
            _whole_characters(obj, text[pos:end], origin, line_at(pos),
                              pos - text.rfind("\n", 0, pos))
        except InputError as e:
            obj = Rejected(e, text[pos:end][:2000])
        yield line_at(pos), obj
        pos = skip_ws(end)
        if pos < n and text[pos] == ",":
            pos += 1
            continue
        if pos < n and text[pos] == "]":
            if strict_end and text[pos + 1:].strip():
                raise InputError("extra text after the JSON array.", path=origin,
                                 line=line_at(pos + 1))
            return
        raise InputError("expected \",\" or \"]\" in the JSON array.", path=origin,
                         line=line_at(pos))


def _unknown(keys: set[str], allowed: set[str], where: str, path: str, line: int) -> None:
    extra = sorted(keys - allowed)
    if extra:
        key = extra[0]
        close = difflib.get_close_matches(key, sorted(allowed), n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        raise InputError(f'unknown {where} key "{key}".{hint} Valid keys: '
                         f'{", ".join(sorted(allowed))}.', path=path, line=line)


def _str(obj: dict, key: str, path: str, line: int, *, required: bool = False) -> str | None:
    v = obj.get(key)
    if v is None:
        if required:
            raise InputError(f'missing "{key}".', path=path, line=line)
        return None
    if not isinstance(v, str) or (required and not v.strip()):
        raise InputError(f'"{key}" must be a non-empty string, not {json.dumps(v)[:60]}.',
                         path=path, line=line)
    return v


def _str_list(obj: dict, key: str, path: str, line: int) -> list[str]:
    v = obj.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise InputError(f'"{key}" must be a list of strings.', path=path, line=line)
    return v


def _depth(obj: Any, limit: int) -> bool:
    stack = [(obj, 1)]
    while stack:
        o, d = stack.pop()
        if d > limit:
            return False
        if isinstance(o, dict):
            stack.extend((v, d + 1) for v in o.values())
        elif isinstance(o, list):
            stack.extend((v, d + 1) for v in o)
    return True


def parse_record(obj: Any, *, path: str, line: int) -> Record:
    """A record from one decoded JSON object."""
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object (a record), got {type(obj).__name__}.",
                         path=path, line=line)
    if not _depth(obj, MAX_DEPTH):
        raise InputError(f"record nested deeper than {MAX_DEPTH} levels.", path=path, line=line)
    kind = obj.get("type", "work")
    if kind == "name-cluster":
        return _cluster(obj, path, line)
    if kind != "work":
        raise InputError(f'"type" value "{kind}" is not a record type (expected "work" or '
                         '"name-cluster").', path=path, line=line)
    _unknown(set(obj), WORK_KEYS, "work", path, line)
    title = _str(obj, "title", path, line, required=True)
    assert title is not None
    year = parse_year(obj["year"], path=path, line=line) if obj.get("year") is not None else None
    work_type = obj.get("work_type", "other")
    if work_type not in WORK_TYPES:
        raise InputError(f'"work_type" value "{work_type}" is not known (expected one of '
                         f'{", ".join(WORK_TYPES)}).', path=path, line=line)
    venue = _venue(obj.get("venue"), path, line)
    authors_raw = obj.get("authors", [])
    if not isinstance(authors_raw, list):
        raise InputError('"authors" must be a list of names or {"name": ...} objects.',
                         path=path, line=line)
    authors = [_author(a, i, path, line) for i, a in enumerate(authors_raw, start=1)]
    others_raw = obj.get("other_authors", [])
    if not isinstance(others_raw, list):
        raise InputError('"other_authors" must be a list.', path=path, line=line)
    authors += [_author(a, None, path, line) for a in others_raw]
    complete = obj.get("authors_complete", True)
    if not isinstance(complete, bool):
        raise InputError('"authors_complete" must be true or false.', path=path, line=line)
    if others_raw and complete:
        raise InputError('"other_authors" lists authors at unknown positions, so the list is '
                         'not complete: set "authors_complete": false.', path=path, line=line)
    work = Work(
        title=" ".join(title.split()),
        year=year,
        work_type=work_type,
        venue=venue,
        authors=authors,
        authors_complete=complete,
        abstract=_str(obj, "abstract", path, line),
        ids=_identifiers(obj, path, line),
        links=Links(**{k: _urls(obj, k, path, line) for k in ("code", "data", "project")}),
        origin=Origin(path, line),
    )
    add_links_from_text(work)
    for name in _str_list(obj, "clusters", path, line):
        add_cluster_subject(work, name)
    return work


def _cluster(obj: dict, path: str, line: int) -> NameCluster:
    _unknown(set(obj), CLUSTER_KEYS, "name-cluster", path, line)
    name = _str(obj, "name", path, line, required=True)
    counts = {}
    for key in ("paper_count", "author_rows"):
        v = obj.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise InputError(f'"{key}" must be a non-negative integer.', path=path, line=line)
        counts[key] = v
    return NameCluster(name=" ".join(name.split()), paper_count=counts["paper_count"],
                       author_rows=counts["author_rows"],
                       system=_str(obj, "system", path, line) or "arrow",
                       origin=Origin(path, line))


def _venue(v: Any, path: str, line: int) -> Venue | None:
    if v is None:
        return None
    if isinstance(v, str) and v.strip():
        return Venue(" ".join(v.split()))
    if isinstance(v, dict):
        _unknown(set(v), {"name", "kind"}, "venue", path, line)
        name = _str(v, "name", path, line, required=True)
        kind = v.get("kind", "other")
        if kind not in VENUE_KINDS:
            raise InputError(f'venue "kind" value "{kind}" is not known (expected one of '
                             f'{", ".join(VENUE_KINDS)}).', path=path, line=line)
        return Venue(" ".join(name.split()), kind)
    raise InputError('"venue" must be a name or {"name": ..., "kind": ...}.', path=path,
                     line=line)


def _author(a: Any, position: int | None, path: str, line: int):
    if isinstance(a, str):
        return author_slot(a, position=position, path=path, line=line)
    if isinstance(a, dict):
        _unknown(set(a), AUTHOR_KEYS, "author", path, line)
        name = a.get("name")
        if not isinstance(name, str):
            raise InputError(f"author {position or ''} needs a \"name\" string.", path=path,
                             line=line)
        return author_slot(name, position=position, orcid=a.get("orcid"),
                           homonym=a.get("homonym"), path=path, line=line)
    raise InputError("each author must be a name or an object with \"name\".", path=path,
                     line=line)


def _identifiers(obj: dict, path: str, line: int) -> Identifiers:
    out = Identifiers()
    for key, norm in (("doi", ids.normalise_doi), ("arxiv", ids.normalise_arxiv),
                      ("dblp", ids.normalise_dblp_key), ("openalex", ids.normalise_openalex),
                      ("wikidata", ids.normalise_qid)):
        v = _str(obj, key, path, line)
        if v is not None:
            try:
                setattr(out, key, norm(v))
            except ids.IdentifierError as e:
                raise InputError(f'"{key}": {e}.', path=path, line=line) from None
    out.urls = _urls(obj, "urls", path, line)
    return out


def _urls(obj: dict, key: str, path: str, line: int) -> list[str]:
    out = []
    for u in _str_list(obj, key, path, line):
        try:
            url = ids.safe_url(u)
        except ids.IdentifierError as e:
            raise InputError(f'"{key}": {e}.', path=path, line=line) from None
        if url not in out:
            out.append(url)
    return out


def to_json(record: Record, *, abstract: bool = True) -> dict[str, Any]:
    """A record as a JSON object of this format (the inverse of :func:`parse_record`)."""
    if isinstance(record, NameCluster):
        out: dict[str, Any] = {"type": "name-cluster", "name": record.name}
        if record.paper_count is not None:
            out["paper_count"] = record.paper_count
        if record.author_rows is not None:
            out["author_rows"] = record.author_rows
        if record.system != "arrow":
            out["system"] = record.system
        return out

    def author(slot) -> Any:
        if slot.orcid:
            return {"name": slot.display_name, "orcid": slot.orcid}
        return slot.display_name

    w = record
    out = {"title": w.title}
    if w.year is not None:
        out["year"] = w.year
    out["work_type"] = w.work_type
    if w.venue is not None:
        out["venue"] = {"name": w.venue.name, "kind": w.venue.kind}
    out["authors"] = [author(a) for a in w.ordered_authors]
    others = [author(a) for a in w.authors if a.position is None]
    if others:
        out["other_authors"] = others
    if not w.authors_complete:
        out["authors_complete"] = False
    if abstract and w.abstract:
        out["abstract"] = w.abstract
    for key in ("doi", "arxiv", "dblp", "openalex", "wikidata"):
        if getattr(w.ids, key):
            out[key] = getattr(w.ids, key)
    if w.ids.urls:
        out["urls"] = list(w.ids.urls)
    for key in ("code", "data", "project"):
        if getattr(w.links, key):
            out[key] = list(getattr(w.links, key))
    if w.clusters:
        out["clusters"] = list(w.clusters)
    return out
