"""Generate dblp-shaped records, deterministic by seed: as dblp XML (with a DTD beside it) or as
scholkg JSON Lines.

Authors per work, productivity (heavy-tailed like Lotka's law: many authors with one paper,
the most prolific person with about 0.05 % of the works, as in dblp; short names collide, like
"Wei Wang"), venues (popularity 1/rank), years skewed to recent ones, homonym numbers and
non-ASCII names written as DTD entities like the real dump, DOIs for most works and abstracts
for a share of them.

    python bench/generate.py --works 100000 --format dblp -o /tmp/dblp-100k.xml
    python bench/generate.py --works 100000 --format jsonl -o /tmp/works-100k.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

SYLLABLES = ("an", "bo", "chen", "da", "el", "fa", "gu", "hu", "ji", "ka", "li", "ma", "na",
             "ou", "pe", "qi", "ro", "sa", "ta", "ul", "vi", "wa", "xi", "ya", "zo", "mü", "jé",
             "lö")
WORDS = ("learning deep neural network graph sparse efficient robust model data language "
         "vision transformer attention optimization training inference reasoning benchmark "
         "quantization pruning retrieval generation multimodal federated causal bayesian "
         "reinforcement contrastive diffusion scalable adaptive dynamic towards via using for "
         "with of and in on").split()
VENUES = 1000
ENTITIES = {"ü": "&uuml;", "é": "&eacute;", "ö": "&ouml;"}
DTD = "".join(f'<!ENTITY {e[1:-1]} "&#{ord(c)};">\n' for c, e in ENTITIES.items()) + \
    "<!ELEMENT dblp ANY>\n"


def _name(rng: random.Random) -> str:
    def part() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()
    return f"{part()} {part()}"


class World:
    """Persons and venues, drawn once per seed."""

    def __init__(self, works: int, seed: int):
        rng = random.Random(seed)
        n_persons = max(10, works * 6 // 10)
        self.persons = []
        for _ in range(n_persons):
            name = _name(rng)
            if rng.random() < 0.05:
                name = f"{name} {rng.randint(1, 200):04d}"
            self.persons.append(name)
        self.venues = [(f"V{i:03d}{rng.choice(('Conf', 'J', 'Symp', 'WS'))}",
                        "inproceedings" if i % 3 else "article") for i in range(VENUES)]
        # venue popularity ~ 1/rank: the biggest has 13 % of the works (dblp's CoRR: ~10 %)
        self.venue_weights = list(itertools.accumulate(1.0 / (k + 1) for k in range(VENUES)))
        # productivity: Pareto weights (tail exponent 1), softly capped so the most prolific
        # person writes ~0.05 % of the works (dblp: ~2,000 of 8.6 million). A plain 1/rank
        # weight would give the first person a quarter of all works.
        cap = max(50.0, works / 2000)
        weights = (x / (1 + x / cap) for x in (rng.paretovariate(1.0) for _ in range(n_persons)))
        self.cum_weights = list(itertools.accumulate(weights))

    def authors(self, rng: random.Random) -> list[str]:
        k = min(20, 1 + int(rng.expovariate(1 / 3)))
        picked = rng.choices(self.persons, cum_weights=self.cum_weights, k=k)
        seen, out = set(), []
        for p in picked:
            if p not in seen:
                seen.add(p)
                out.append(p)
        return out


def records(works: int, seed: int = 1) -> Iterator[dict]:
    world = World(works, seed)
    rng = random.Random(seed + 1)
    for i in range(works):
        venue, tag = rng.choices(world.venues, cum_weights=world.venue_weights)[0]
        year = 2025 - min(35, int(rng.expovariate(1 / 7)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize()
        rec = {"key": f"{'conf' if tag == 'inproceedings' else 'journals'}/{venue.lower()}/W{i}",
               "tag": tag, "title": f"{title} {i}", "year": year, "venue": venue,
               "authors": world.authors(rng)}
        if rng.random() < 0.6:
            rec["doi"] = f"10.5555/{venue.lower()}.{year}.{i}"
        if rng.random() < 0.3:
            rec["abstract"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 200)))
        yield rec


def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for c, e in ENTITIES.items():
        text = text.replace(c, e)
    return text


def write_dblp(path: Path, works: int, seed: int = 1) -> None:
    (path.parent / "dblp.dtd").write_text(DTD, "utf-8")
    with open(path, "w", encoding="ascii") as out:
        out.write('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM '
                  '"dblp.dtd">\n<dblp>\n')
        for r in records(works, seed):
            out.write(f'<{r["tag"]} mdate="2024-01-01" key="{r["key"]}">\n')
            for a in r["authors"]:
                out.write(f"<author>{_esc(a)}</author>\n")
            out.write(f"<title>{_esc(r['title'])}.</title>\n<year>{r['year']}</year>\n")
            field = "booktitle" if r["tag"] == "inproceedings" else "journal"
            out.write(f"<{field}>{r['venue']}</{field}>\n")
            if "doi" in r:
                out.write(f"<ee>https://doi.org/{r['doi']}</ee>\n")
            out.write(f"</{r['tag']}>\n")
        out.write("</dblp>\n")


def write_jsonl(path: Path, works: int, seed: int = 1) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for r in records(works, seed):
            obj = {"title": r["title"], "year": r["year"],
                   "work_type": "conference-paper" if r["tag"] == "inproceedings"
                   else "journal-article",
                   "venue": r["venue"], "authors": r["authors"], "dblp": r["key"]}
            if "doi" in r:
                obj["doi"] = r["doi"]
            if "abstract" in r:
                obj["abstract"] = r["abstract"]
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--works", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=("dblp", "jsonl"), default="dblp")
    ap.add_argument("-o", "--output", type=Path, required=True)
    a = ap.parse_args()
    (write_dblp if a.format == "dblp" else write_jsonl)(a.output, a.works, a.seed)


if __name__ == "__main__":
    main()
