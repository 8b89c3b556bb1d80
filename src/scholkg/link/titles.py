"""Titles for matching: normalised tokens, blocking keys, similarity. Pure functions.

Normalisation undoes what differs between copies of one title in real records: LaTeX
(``Sch{\\"o}lkopf``, ``$\\alpha$``), case, punctuation and hyphens, dblp's final period,
diacritics, British spellings, and leading or inner stop words.

>>> tokens("The $\\\\alpha$-Net: Modelling {BERT}.")
('α', 'net', 'modeling', 'bert')
>>> tokens("Learning N:M Fine-grained Structured Sparse Neural Networks From Scratch.")[:4]
('learning', 'n', 'm', 'fine')
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)
_WORD = re.compile(r"[^\W_]+")

STOP_WORDS = frozenset("""a an the of on in for and or to with at by from via into as is are
    its their our using towards toward""".split())
# "with" is a stop word for keys but not for the trap check: "with" vs "without" differ in
# meaning, and "without" is no stop word, so it stays in the tokens.

#: British spellings folded to American ones (whole words and common stems).
_SPELLING = [(re.compile(p), r) for p, r in [
    (r"isation", "ization"), (r"ising\b", "izing"), (r"ised\b", "ized"), (r"ise\b", "ize"),
    (r"ises\b", "izes"), (r"yse\b", "yze"), (r"ysing\b", "yzing"), (r"ysed\b", "yzed"),
    (r"elling\b", "eling"), (r"elled\b", "eled"), (r"our\b", "or"), (r"tre\b", "ter"),
]]
_KEEP_OUR = frozenset({"our", "four", "your", "hour", "tour", "pour", "flour", "sour", "contour"})

#: Tokens whose difference makes two titles different works even when all else agrees.
_TRAP = re.compile(r"^(?:\d.*|.*\d|[ivx]+|without|non|not|no|revisited)$")


def _is_trap(diff: set[str]) -> bool:
    """Whether the words two titles do not share make them different works: numbers, roman
    numerals, negations, or a word and its negation ("supervised"/"unsupervised")."""
    if any(_TRAP.match(w) for w in diff):
        return True
    return any(("un" + w) in diff or ("non" + w) in diff or ("in" + w) in diff for w in diff)


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in t if not unicodedata.combining(ch))


_BRITISH_ENDINGS = ("isation", "ising", "ised", "ise", "ises", "yse", "ysing", "ysed", "elling",
                    "elled", "our", "tre")


def _spelling(word: str) -> str:
    if len(word) <= 4 or word in _KEEP_OUR or not (
            "isation" in word or word.endswith(_BRITISH_ENDINGS)):
        return word
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=100_000)
def plain(title: str) -> str:
    """The title with LaTeX turned into text."""
    if "\\" in title or "{" in title or "$" in title:
        try:
            title = _LATEX.latex_to_text(title)
        except Exception:  # pylatexenc gives up on some malformed input
            title = title.replace("{", "").replace("}", "").replace("$", "")
    return title


_COMPOUND = re.compile(r"(?<=\w)[-‐‑](?=\w)")


@lru_cache(maxsize=100_000)
def tokens(title: str) -> tuple[str, ...]:
    """Normalised content words of a title, in order, stop words removed; hyphenated compounds
    written as one word ("Few-Shot" = "FewShot")."""
    words = (_spelling(w) for w in _WORD.findall(_COMPOUND.sub("", _fold(plain(title)))))
    return tuple(w for w in words if w not in STOP_WORDS)


def main_part(title: str) -> str:
    """The title before its subtitle ("X: Y" -> "X"), or the whole title."""
    head, sep, _ = plain(title).partition(":")
    return head if sep and len(_WORD.findall(head)) >= 2 else title


def block_keys(title: str) -> list[str]:
    """Keys under which copies of a title meet: the whole normalised title, its first four and
    last four content words (a typo or a dropped subtitle spoils one of them, not both), the
    title before a colon (local copies often drop the subtitle), and for titles of three to
    seven words the title less each word in turn (a typo in a short title spoils every other
    key, but not the one without the misspelt word)."""
    t = tokens(title)
    if not t:
        return []
    keys = {"t:" + " ".join(t)}
    if len(t) > 4:
        keys.add("p:" + " ".join(t[:4]))
        keys.add("s:" + " ".join(t[-4:]))
    if 3 <= len(t) <= 7:
        keys.update("d:" + " ".join(t[:i] + t[i + 1:]) for i in range(len(t)))
    head = tokens(main_part(title))
    if head and head != t:
        keys.add("t:" + " ".join(head))
    return sorted(keys)


def similarity(a: str, b: str) -> float:
    """0..1: how alike two titles are after normalisation. A title that equals the other's
    main part (the subtitle dropped) scores 0.92; titles whose differing words include a number,
    a roman numeral or a negation ("2D"/"3D", "Part I"/"Part II", "with"/"without") score at
    most 0.5: those are different works more often than not."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    diff = set(ta) ^ set(tb)
    if _is_trap(diff):
        return min(0.5, _ratio(ta, tb))
    ha, hb = tokens(main_part(a)), tokens(main_part(b))
    if (ha != ta and ha == tb) or (hb != tb and hb == ta):
        return 0.92
    sa, sb = set(ta), set(tb)
    overlap = len(sa & sb) / len(sa | sb)
    if overlap < 0.3 and min(len(sa), len(sb)) >= 3:  # different: skip the slow comparison
        return round(overlap, 4)
    return _ratio(ta, tb)


def _ratio(ta: tuple[str, ...], tb: tuple[str, ...]) -> float:
    return SequenceMatcher(None, " ".join(ta), " ".join(tb), autojunk=False).ratio()


GENERIC = frozenset({"editorial", "introduction", "preface", "foreword", "guest editorial",
                     "editorial note", "erratum", "corrigendum", "index", "front matter",
                     "keynote", "invited talk", "panel", "table of contents", "in memoriam",
                     "obituary", "letter from editor", "book review", "reviewers"})


def is_generic(title: str) -> bool:
    """Titles that many different works share ("Editorial."): never enough on their own."""
    return " ".join(_WORD.findall(_fold(plain(title)))) in GENERIC or len(tokens(title)) <= 1


_VENUE_NOISE = frozenset({"ieee", "acm", "proceedings", "proc", "conference", "conf", "annual",
                          "international", "int", "intl", "journal", "j", "transactions", "trans",
                          "the", "of", "on", "and", "for", "in"})


def _venue_words(name: str) -> list[str]:
    return _WORD.findall(_fold(plain(name)))


def venues_agree(a: str, b: str) -> bool:
    """Whether two venue names denote one venue: equal words; dblp's abbreviations ("Mach.
    Learn." / "Machine Learning": every word a prefix of the other's); or an acronym and its
    long form ("TNNLS" / "IEEE Trans. Neural Networks Learn. Syst.")."""
    wa, wb = _venue_words(a), _venue_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if len(wa) == len(wb) and all(x.startswith(y) or y.startswith(x) for x, y in zip(wa, wb, strict=True)):
        return True
    for short, long_ in ((wa, wb), (wb, wa)):
        if len(short) == 1 and len(short[0]) >= 2 and len(long_) > 1:
            acronym = short[0]
            full = "".join(w[0] for w in long_)
            core = "".join(w[0] for w in long_ if w not in _VENUE_NOISE)
            if acronym in (full, core) or (len(acronym) >= 3 and acronym in full):
                return True
    return False
