"""Helpers shared by the readers: turning loose values into record fields, with errors that
name the file and line."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .. import identifiers as ids
from ..errors import InputError
from ..model import AuthorSlot, Work
from ..textlinks import find_links, link_kind

_YEAR = re.compile(r"^\d{4}$")


def parse_year(value: object, *, path: str, line: int, field: str = "year") -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not _YEAR.match(text):
        raise InputError(f'"{field}" value "{value}" is not a year (expected four digits, '
                         'e.g. 2025).', path=path, line=line)
    return int(text)


def author_slot(name: str, *, position: int | None, orcid: str | None = None,
                homonym: str | None = None, path: str, line: int) -> AuthorSlot:
    """An author slot from a printed name such as "Ke Wang 0036"."""
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"author {position or ''} has an empty name; give the name as "
                         "printed, e.g. \"Ke Wang 0036\".".replace("  ", " "), path=path, line=line)
    base, num = ids.split_homonym(name)
    if homonym is not None and num is not None and homonym != num:
        raise InputError(f'author "{name}" carries homonym number {num} but "homonym" says '
                         f'{homonym}; keep one.', path=path, line=line)
    if homonym is not None and not re.fullmatch(r"\d{4}", str(homonym)):
        raise InputError(f'homonym number "{homonym}" of author "{name}" is not four digits '
                         '(dblp style, e.g. "0036").', path=path, line=line)
    if orcid:
        try:
            orcid = ids.normalise_orcid(orcid)
        except ids.IdentifierError as e:
            raise InputError(f"author \"{name}\": {e}.", path=path, line=line) from None
    return AuthorSlot(name=base, homonym=homonym or num, orcid=orcid or None, position=position)


def add_links_from_text(work: Work) -> None:
    """Recover code, data and project links from the abstract and add the new ones."""
    known = set(work.links.all()) | set(work.ids.urls)
    for url in find_links(work.abstract):
        try:
            url = ids.safe_url(url)
        except ids.IdentifierError:
            continue
        if url in known:
            continue
        known.add(url)
        getattr(work.links, link_kind(url)).append(url)


def add_cluster_subject(work: Work, cluster: str) -> None:
    """The subject of a name cluster is an author of each listed work. If the listed names do
    not include it, add it at an unknown position; the list is then known to be cut."""
    wanted = ids.person_key(cluster)
    for slot in work.authors:
        if ids.person_key(slot.name) == wanted:
            break
    else:
        work.authors.append(AuthorSlot(name=ids.clean_text(cluster), position=None))
        work.authors_complete = False
    if cluster not in work.clusters:
        work.clusters.append(cluster)


def is_gzip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def open_binary(path: Path, origin: str | None = None) -> IO[bytes]:
    """The file's bytes, gunzipped when it is gzip (by content, whatever its name)."""
    try:
        if is_gzip(path):
            return gzip.open(path, "rb")  # type: ignore[return-value]
        return open(path, "rb")
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror}.", path=origin or str(path)) from None


def head_text(path: Path, size: int = 8192) -> str:
    """The first bytes of the (decompressed) file as text, for format sniffing."""
    try:
        with open_binary(path) as f:
            return f.read(size).decode("utf-8", errors="replace")
    except (OSError, EOFError, gzip.BadGzipFile):
        return ""


def text_lines(path: Path, origin: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of a UTF-8 file (gzip or not); bad bytes raise with the line."""
    with open_binary(path, origin) as f:
        try:
            for number, raw in enumerate(f, start=1):
                if b"\x00" in raw:
                    raise InputError("NUL byte in the text; is this a binary file?", path=origin,
                                     line=number)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise InputError(f"not UTF-8 text (byte {raw[e.start]:#04x} at column "
                                     f"{e.start + 1}); save the file as UTF-8.", path=origin,
                                     line=number) from None
                yield number, text.rstrip("\r\n")
        except (OSError, EOFError, gzip.BadGzipFile) as e:
            raise InputError(f"cannot read file: {e}.", path=origin) from None


