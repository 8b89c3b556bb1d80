"""Which of our persons look like one person? Proposals, never merges.

Persons are keyed by their printed name (homonym number kept), so one researcher can stand as
"Ke Wang" and "Ke Wang 0036", "Dongzhi JIANG" and "Dongzhi Jiang", "A. Zhou" and "Aojun Zhou".
Candidates meet under their surname and first initial; a pair is proposed when the names are
compatible (:mod:`.names`: homonym numbers that differ rule a pair out) and the graph gives
evidence: co-authors both share, venues both published in. Each proposal is a
``skos:closeMatch`` with score and evidence in the linkset "same-persons"; a review that
accepts it makes it ``owl:sameAs``.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from pyoxigraph import NamedNode

from ..store import GraphStore
from . import names
from .matcher import Link
from .schemas import values
from .targets import rows

NAME = "same-persons"
BASE = {"full": 0.5, "initials": 0.3, "swapped": 0.25}
#: Blocks bigger than this ("wang l") are compared only on pairs sharing a co-author.
BLOCK = 200


def _people(gs: GraphStore) -> dict[str, str]:
    return {r["p"]: r["label"] for r in rows(gs.query(
        "SELECT ?p (MIN(?l) AS ?label) WHERE { ?p a skg:Person ; rdfs:label ?l } GROUP BY ?p"))}


def _neighbours(gs: GraphStore, persons: list[str], pred: str) -> dict[str, set[str]]:
    """person -> co-authors (pred = hasAuthor) or venues (pred = publishedIn)."""
    out: dict[str, set[str]] = defaultdict(set)
    for i in range(0, len(persons), 400):
        vals = values("p", (NamedNode(p) for p in persons[i:i + 400]))
        if pred == "coauthor":
            q = f"SELECT DISTINCT ?p ?x WHERE {{ {vals} ?w skg:hasAuthor ?p , ?x FILTER(?x != ?p) }}"
        else:
            q = f"SELECT DISTINCT ?p ?x WHERE {{ {vals} ?w skg:hasAuthor ?p ; skg:publishedIn ?x }}"
        for r in rows(gs.query(q)):
            out[r["p"]].add(r["x"])
    return out


def _split_big(blocks: dict[str, list[str]], labels: dict[str, str]) -> list[list[str]]:
    """Blocks to compare pairwise. A block bigger than BLOCK ("wang l" in a large graph) is cut
    by the whole folded name, so only case, diacritics and homonym variants meet there."""
    out = []
    for members in blocks.values():
        if len(members) <= BLOCK:
            out.append(members)
            continue
        sub: dict[tuple, list[str]] = defaultdict(list)
        for p in members:
            n = names.parse(labels[p])
            sub[(n.surname, n.given)].append(p)
        out.extend(sub.values())
    return [m for m in out if len(m) > 1]


def propose(gs: GraphStore) -> list[Link]:
    labels = _people(gs)
    blocks: dict[str, list[str]] = defaultdict(list)
    for p, label in labels.items():
        blocks[names.parse(label).block].append(p)
    pairs = []
    for members in _split_big(blocks, labels):
        for a, b in combinations(sorted(members), 2):
            level = names.match_level(labels[a], labels[b])
            if level is not None:
                pairs.append((a, b, level))
    involved = sorted({p for a, b, _ in pairs for p in (a, b)})
    coauthors = _neighbours(gs, involved, "coauthor")
    venues = _neighbours(gs, involved, "venue")
    links = []
    for a, b, level in pairs:
        shared = (coauthors[a] & coauthors[b]) - {a, b}
        both_venues = venues[a] & venues[b]
        pa, pb = names.parse(labels[a]), names.parse(labels[b])
        same_folded = (pa.surname, pa.given) == (pb.surname, pb.given)
        if not shared and not same_folded:
            continue
        score = min(0.95, BASE[level] + 0.15 * len(shared) + 0.05 * min(len(both_venues), 2))
        shown = ", ".join(sorted(labels.get(c, c) for c in shared)[:5])
        evidence = (f'names "{labels[a]}" and "{labels[b]}" agree ({level}); '
                    f"{len(shared)} shared co-author(s)" + (f": {shown}" if shown else "")
                    + f"; {len(both_venues)} shared venue(s)")
        links.append(Link("person", a, b, "closeMatch", round(score, 4), "same name",
                          evidence, labels[a], labels[b]))
    return sorted(links, key=lambda k: (-k.score, k.local, k.external))
