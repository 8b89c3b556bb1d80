"""Decide which of our works, persons and venues are which of theirs.

Works: candidates from the target (identifiers and title blocks), each scored (:mod:`.score`);
the best candidate is linked, unless another is about as good (then both are only candidates).
Persons: through the works linked with ``owl:sameAs`` — our author and theirs at the same
position with compatible names, or the one compatible name in their list — aggregated per
person. A person of ours that meets two different persons of theirs is a name that covers
several people ("Lei Wang" on the works of "Lei Wang 0185" and of "Lei Wang 0003"): such a
person gets candidates only. Venues: by where the linked works appeared.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import titles
from .score import CLOSE, WorkScore, score_pair
from .targets import Target
from .views import WorkView

log = logging.getLogger(__name__)

#: Two candidates closer than this are a tie: neither is linked for sure.
TIE = 0.02
BATCH = 400


@dataclass
class Link:
    kind: str  # "work", "person", "venue"
    local: str
    external: str
    relation: str  # "sameAs" or "closeMatch"
    score: float
    method: str
    evidence: str
    local_label: str = ""
    external_label: str = ""
    status: str = "auto"  # "auto", or "accepted" after review

    @property
    def pair(self) -> tuple[str, str]:
        return self.local, self.external


@dataclass
class WorkMatch:
    local: WorkView
    external: WorkView
    result: WorkScore
    relation: str


def match_works(local: Iterable[WorkView], target: Target, *,
                progress: Callable[[int], None] | None = None) -> list[WorkMatch]:
    """Every link (or candidate) for our works, in batches so memory stays bounded by a batch
    plus its candidates."""
    out: list[WorkMatch] = []
    batch: list[WorkView] = []
    done = 0

    def flush() -> None:
        nonlocal done
        cands = target.candidates(batch)
        ext = target.describe({e for es in cands.values() for e in es})
        decided = {w.iri: _decide(w, [ext[e] for e in cands.get(w.iri, ()) if e in ext])
                   for w in batch}
        # works without a sure link: a second round with the keys for misspelt titles
        rest = [w for w in batch if not any(m.relation == "sameAs" for m in decided[w.iri])]
        if rest:
            more = target.candidates(rest, weak=True)
            new = {e for es in more.values() for e in es} - set(ext)
            ext.update(target.describe(new))
            for w in rest:
                seen = cands.get(w.iri, set()) | more.get(w.iri, set())
                decided[w.iri] = _decide(w, [ext[e] for e in seen if e in ext])
        for w in batch:
            out.extend(decided[w.iri])
        done += len(batch)
        if progress:
            progress(done)
        batch.clear()

    for w in local:
        batch.append(w)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return out


def _decide(w: WorkView, candidates: list[WorkView]) -> list[WorkMatch]:
    scored = sorted(((score_pair(w, e), e) for e in candidates),
                    key=lambda se: (-se[0].score, se[1].iri))
    scored = [(s, e) for s, e in scored if s.relation is not None]
    if not scored:
        return []
    best, best_ext = scored[0]
    out = []
    tied = [s for s, _ in scored[1:] if s.relation == "sameAs" and best.score - s.score < TIE]
    if best.relation == "sameAs" and tied and best.method == "title+year+authors":
        best.evidence.append(f"{len(tied)} other candidate(s) score within {TIE}")
        relation = "closeMatch"
    else:
        relation = best.relation
    out.append(WorkMatch(w, best_ext, best, relation))
    for s, e in scored[1:4]:
        out.append(WorkMatch(w, e, s, "closeMatch"))
    return out


def person_links(matches: list[WorkMatch], public: Callable[[str, dict], str]) -> list[Link]:
    """Persons of ours and theirs met on the works linked with owl:sameAs."""
    seen: dict[str, dict[str, list[tuple[str, str, bool]]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, str] = {}
    for m in matches:
        if m.relation != "sameAs":
            continue
        for a in m.result.aligned:
            if not a.local.person or not a.external.person:
                continue
            ext = public(a.external.person, a.external.ids)
            seen[a.local.person][ext].append((m.local.label, a.level, a.same_position))
            labels[a.local.person] = a.local.name
            labels[ext] = a.external.name
    links = []
    for local, by_ext in seen.items():
        if len(by_ext) > 1:
            for ext, ev in by_ext.items():
                links.append(Link("person", local, ext, "closeMatch", 0.6, "co-authored works",
                                  f"{_works(ev)}; but this name also matches "
                                  f"{len(by_ext) - 1} other person(s) of the target",
                                  labels[local], labels[ext]))
            continue
        (ext, ev), = by_ext.items()
        strong = [e for e in ev if e[2] or e[1] == "full"]
        score = min(1.0, 0.75 + 0.1 * len(strong) + 0.05 * (len(ev) - len(strong)))
        if not strong:
            score = min(score, 0.75)
        links.append(Link("person", local, ext, "sameAs" if score >= 0.85 else "closeMatch",
                          round(score, 4), "co-authored works", _works(ev),
                          labels[local], labels[ext]))
    return links


def _works(ev: list[tuple[str, str, bool]]) -> str:
    levels = Counter(e[1] for e in ev)
    shown = "; ".join(f'"{e[0]}"' for e in ev[:3]) + (" ..." if len(ev) > 3 else "")
    how = ", ".join(f"{n} {lv}" for lv, n in sorted(levels.items()))
    return f"{len(ev)} linked work(s) ({how} name match): {shown}"


def venue_links(matches: list[WorkMatch]) -> list[Link]:
    """A venue of ours is their venue where (nearly) all our works in it that are linked
    appeared; a name that agrees as well makes it sure."""
    counts: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, str] = {}
    for m in matches:
        if m.relation != "sameAs":
            continue
        for lv in m.local.venue_iris:
            for ev in m.external.venue_iris:
                counts[lv][ev] += 1
        for lv in m.local.venue_iris:
            labels[lv] = next(iter(sorted(m.local.venues)), lv)
        for ev in m.external.venue_iris:
            labels[ev] = next(iter(sorted(m.external.venues)), ev)
    links = []
    for local, c in counts.items():
        total = sum(c.values())
        for ext, n in c.most_common(3):
            share = n / total
            same_name = titles.venues_agree(labels[local], labels[ext]) or titles.venues_agree(
                labels[local], ext.rstrip("/").rsplit("/", 1)[-1])
            score = round(min(1.0, share * (1.0 if same_name else 0.85)), 4)
            relation = "sameAs" if score >= 0.85 and n >= 2 or (same_name and share == 1.0) \
                else "closeMatch" if score >= CLOSE else None
            if relation:
                links.append(Link("venue", local, ext, relation, score, "linked works",
                                  f"{n} of {total} linked works appeared there"
                                  + ("; same name" if same_name else ""),
                                  labels[local], labels[ext]))
    return links
