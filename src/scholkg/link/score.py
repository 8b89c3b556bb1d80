"""How alike are two works? One score, the method that decided it and the evidence, in words.

The rules, strongest first:

1. A shared identifier (DOI, arXiv, dblp key, OpenAlex ID, QID) decides: score 1.0, unless the
   titles and the authors both disagree (then 0.7: a candidate to review, as a wrong identifier
   in one record must not make a link nobody checks).
2. A conflicting identifier of the same kind (two different DOIs, two dblp keys...) means two
   works (arXiv DOIs aside: a preprint and its published version are compared by rule 3).
3. Otherwise titles (normalised, see :mod:`.titles`), year (equal or off by one) and the author
   lists (same position, compatible names, see :mod:`.names`) are weighed:
   ``0.5 * title + 0.35 * authors + 0.15 * year``. A link is *confident* (``owl:sameAs``) only
   with a title similarity of at least 0.9, at least half the comparable authors agreeing and
   the year within one; generic titles ("Editorial") also need the same year, and the same
   venue or every one of at least two authors. Below that, a score of at least 0.6 makes a
   candidate (``skos:closeMatch``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import names, titles
from .views import ID_KINDS, AuthorView, WorkView

SAME = 0.85  # at or above: owl:sameAs (when the confident conditions hold)
CLOSE = 0.6  # at or above: skos:closeMatch


@dataclass
class Aligned:
    local: AuthorView
    external: AuthorView
    level: str  # names.LEVELS key
    same_position: bool


@dataclass
class WorkScore:
    score: float
    method: str
    evidence: list[str]
    confident: bool
    aligned: list[Aligned] = field(default_factory=list)

    @property
    def relation(self) -> str | None:
        if self.confident and self.score >= SAME:
            return "sameAs"
        if self.score >= CLOSE:
            return "closeMatch"
        return None


def align_authors(local: WorkView, ext: WorkView) -> tuple[list[Aligned], int]:
    """Pair our authors with theirs: same position and compatible names first; an author whose
    position differs (or is unknown) pairs with the one compatible name of the other list, if
    there is exactly one. Returns the pairs and how many of our authors could be compared."""
    theirs = ext.ordered
    by_pos = {a.position: a for a in theirs}
    pairs: list[Aligned] = []
    used: set[int] = set()
    ours = local.ordered
    loose = [a for a in local.authors if a.position is None]
    for a in ours:
        b = by_pos.get(a.position)
        level = names.match_level(a.name, b.name) if b is not None else None
        if b is not None and level is not None:
            pairs.append(Aligned(a, b, level, True))
            used.add(id(b))
        else:
            loose.append(a)
    for a in loose:
        hits = [(b, lv) for b in theirs if id(b) not in used
                for lv in [names.match_level(a.name, b.name)] if lv is not None]
        if len(hits) == 1:
            pairs.append(Aligned(a, hits[0][0], hits[0][1], False))
            used.add(id(hits[0][0]))
    if not theirs:
        return pairs, 0
    # a cut list (ours) is compared on its length; positions we do not know count once each
    comparable = min(len(ours), len(theirs)) + sum(1 for a in local.authors if a.position is None)
    return pairs, comparable


def _identifier_rule(local: WorkView, ext: WorkView) -> tuple[str | None, str | None]:
    """(kind of a shared identifier, kind of a conflicting one)."""
    shared = conflict = None
    for kind in ID_KINDS:
        a, b = local.ids.get(kind, set()), ext.ids.get(kind, set())
        if not a or not b:
            continue
        if a & b:
            shared = shared or kind
        elif kind == "doi":
            if {d for d in a if not d.startswith("10.48550/")} and \
                    {d for d in b if not d.startswith("10.48550/")}:
                conflict = conflict or kind
        else:
            conflict = conflict or kind
    return shared, conflict


def score_pair(local: WorkView, ext: WorkView) -> WorkScore:
    title = max((titles.similarity(a, b) for a in local.titles for b in ext.titles), default=0.0)
    gaps = [abs(a - b) for a in local.years for b in ext.years]
    gap = min(gaps) if gaps else None
    pairs, comparable = align_authors(local, ext)
    agree = len(pairs) / comparable if comparable else None

    evidence = [f"title similarity {title:.2f}"]
    if gap is not None:
        evidence.append("same year" if gap == 0 else f"years {gap} apart")
    if comparable:
        evidence.append(f"{len(pairs)} of {comparable} authors agree")

    shared, conflict = _identifier_rule(local, ext)
    if shared:
        value = sorted(local.ids[shared] & ext.ids[shared])[0]
        if title < 0.5 and not pairs:
            return WorkScore(0.7, shared, [f"shared {shared} {value}", *evidence,
                                           "but titles and authors disagree"], False, pairs)
        return WorkScore(1.0, shared, [f"shared {shared} {value}", *evidence], True, pairs)
    if conflict:
        return WorkScore(0.0, "conflict", [f"different {conflict}", *evidence], False, pairs)

    year = 1.0 if gap == 0 else 0.85 if gap == 1 else 0.0 if gap is not None else 0.5
    if agree is None:
        score = 0.75 * title + 0.25 * year
    else:
        score = 0.5 * title + 0.35 * agree + 0.15 * year
    if title < 0.75 or (gap is not None and gap > 1):
        score *= 0.5
    confident = title >= 0.9 and (gap is None or gap <= 1) and (
        (agree is not None and agree >= 0.5) or (agree is None and gap == 0))
    generic = any(titles.is_generic(t) for t in local.titles + ext.titles)
    if generic:
        ext_names = ext.venues | {i.rstrip("/").rsplit("/", 1)[-1] for i in ext.venue_iris}
        venue_agrees = any(titles.venues_agree(a, b) for a in local.venues for b in ext_names)
        everyone = agree == 1.0 and comparable >= 2  # every author, and more than one
        confident = confident and gap == 0 and agree is not None and agree >= 0.5 \
            and (venue_agrees or everyone or not local.venues or not ext.venues)
        evidence.append("generic title")
        if not confident:
            score = min(score, 0.55)
    return WorkScore(round(score, 4), "title+year+authors", evidence, confident, pairs)
