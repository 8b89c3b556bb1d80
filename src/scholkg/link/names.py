"""Are two printed author names compatible? Pure functions.

A name is read into a surname, given-name parts and dblp's homonym number. The forms real
records use all read the same way: "Aojun Zhou", "A. Zhou", "A Zhou", "Zhou, Aojun",
"ZHOU Aojun" (case), "Jun-Hyuk Kim" / "J.-H. Kim" (hyphenated given names), "Müller" / "Muller"
(diacritics), "Lei Wang 0185" (homonym number).

>>> match_level("Aojun Zhou", "Zhou, Aojun")
'full'
>>> match_level("A. Zhou", "Aojun Zhou")
'initials'
>>> match_level("Lei Wang 0185", "Lei Wang 0003") is None
True
>>> match_level("J.-H. Kim", "Jun-Hyuk Kim")
'initials'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..identifiers import split_homonym

_SPLIT = re.compile(r"[\s.\-‐‑–]+")

#: Strength of a name agreement, strongest first; used in scores and evidence.
LEVELS = {"full": 1.0, "initials": 0.8, "swapped": 0.7}


#: Letters that are not a base letter plus a combining mark, written as the letters people type.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                          "æ": "ae", "œ": "oe", "ß": "ss"})


def fold(text: str) -> str:
    """Case and diacritics removed: "Müller" -> "muller", "Yılmaz" -> "yilmaz"."""
    t = unicodedata.normalize("NFKD", text).casefold().translate(_LETTERS)
    return "".join(ch for ch in t if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Name:
    surname: str
    given: tuple[str, ...]  # folded parts; an initial is one letter
    homonym: str | None

    @property
    def initials(self) -> str:
        return "".join(p[0] for p in self.given)

    @property
    def block(self) -> str:
        """Surname and first initial: the key under which compatible names meet."""
        return f"{self.surname} {self.initials[:1]}".strip()


def _given(parts: list[str]) -> tuple[str, ...]:
    """Given-name parts, folded; run-together initials ("KD", "TH") become one part each."""
    out: list[str] = []
    for p in parts:
        if 1 < len(p) <= 3 and p.isupper():
            out.extend(fold(p))
        else:
            out.append(fold(p))
    return tuple(out)


@lru_cache(maxsize=200_000)
def parse(printed: str) -> Name:
    """Read a printed name. "Last, First" is recognised by its comma; otherwise the last part
    is the surname (particles such as "van der" stay with the given names, which only matters
    for initials). Initials written together in capitals ("KD Song") count as initials."""
    base, homonym = split_homonym(printed)
    if "," in base:
        last, _, first = base.partition(",")
        surname = " ".join(p for p in _SPLIT.split(fold(last)) if p)
        return Name(surname, _given([p for p in _SPLIT.split(first) if p]), homonym)
    parts = [p for p in _SPLIT.split(base) if p]
    if not parts:
        return Name("", (), homonym)
    return Name(fold(parts[-1]), _given(parts[:-1]), homonym)


def _given_agree(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """'full' when the given names are equal, 'initials' when one side only has initials that
    agree with the other's, None otherwise."""
    if a == b:
        return "full"
    if not a or not b:
        return "initials"  # a bare surname: agrees with nothing stronger than initials
    a_init = all(len(p) == 1 for p in a)
    b_init = all(len(p) == 1 for p in b)
    if not (a_init or b_init):
        # "Jun Hyuk" vs "Junhyuk": the same letters, spaced differently
        return "full" if "".join(a) == "".join(b) else None
    ia, ib = "".join(p[0] for p in a), "".join(p[0] for p in b)
    if ia == ib:
        return "initials"
    # "J. Kim" vs "Jun-Hyuk Kim": one side gives fewer initials, which must be a prefix
    short, long_ = sorted((ia, ib), key=len)
    return "initials" if long_.startswith(short) and len(short) >= 1 else None


@lru_cache(maxsize=200_000)
def match_level(a: str, b: str) -> str | None:
    """How well two printed names agree: "full", "initials", "swapped" (given name and surname
    in the other order, as Chinese names often are), or None. Homonym numbers must agree when
    both names have one."""
    na, nb = parse(a), parse(b)
    if na.homonym and nb.homonym and na.homonym != nb.homonym:
        return None
    if not na.surname or not nb.surname:
        return None
    if na.surname == nb.surname:
        return _given_agree(na.given, nb.given)
    # "Zhou Aojun" vs "Aojun Zhou"
    if len(na.given) == 1 and len(nb.given) == 1 and na.given[0] == nb.surname \
            and nb.given[0] == na.surname and len(na.surname) > 1 and len(nb.surname) > 1:
        return "swapped"
    return None


def compatible(a: str, b: str) -> bool:
    return match_level(a, b) is not None
