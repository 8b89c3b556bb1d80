"""Precision, recall and F1 of linking, on a labelled benchmark (bench/linkeval/).

The benchmark: local records (``local.jsonl``, scholkg's record format), an external graph in
dblp's RDF shape (``external.nt.gz``) and the truth: which local record is which external
publication (``truth_works.csv``: line, external, categories) and which printed local author name
is which dblp person (``truth_persons.csv``). ``bench/linkgen.py`` made them; its README says
how and lists the hard cases.

The local records are imported into a fresh store, linked with ``scholkg.link`` exactly as the
CLI does (dry run), and every ``owl:sameAs`` link is checked against the truth:

* works: a local record's predicted publication is right when the truth names it; a link for a
  record the truth leaves without counterpart, or to another publication, is a false positive;
  recall is over the records that have a counterpart;
* persons: a local person (all printed forms that scholkg treats as one person) linked to the dblp
  person the truth names is right; any other person link is a false positive (also for names the
  truth leaves empty because they cover several people); recall is over the names with a person.

    python bench/link_eval.py                 # the committed benchmark
    python bench/link_eval.py --data DIR      # another one made by bench/linkgen.py
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from scholkg import identifiers as ids  # noqa: E402
from scholkg.importer import import_paths  # noqa: E402
from scholkg.link.run import link, open_target  # noqa: E402
from scholkg.link.targets import rows  # noqa: E402
from scholkg.store import GraphStore  # noqa: E402


def prf(tp: int, fp: int, positives: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / positives if positives else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": positives - tp, "precision": p, "recall": r, "f1": f}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def evaluate(data: Path, work: Path) -> dict:
    """Link data/local.jsonl against data/external.nt(.gz) in a store under ``work``; compare
    with the truth files. Returns the figures."""
    external = next(p for p in (data / "external.nt.gz", data / "external.nt") if p.exists())
    gs = GraphStore.open(work / "store")
    t0 = time.monotonic()
    import_paths(gs, [data / "local.jsonl"])
    t1 = time.monotonic()
    target = open_target([str(external)], schema="auto", cache=work / "cache")
    t2 = time.monotonic()
    report = link(gs, target, name="eval", locations=[str(external)], dry_run=True)
    t3 = time.monotonic()
    target.close()
    lines_of: dict[str, set[int]] = defaultdict(set)
    for r in rows(gs.query("SELECT ?w ?line WHERE { ?w prov:wasDerivedFrom ?r . "
                           "?r skg:line ?line }")):
        lines_of[r["w"]].add(int(r["line"]))
    gs.close()

    truth_works = {int(r["line"]): r for r in _read(data / "truth_works.csv")}
    predicted: dict[int, str] = {}
    for k in report.links:
        if k.kind == "work" and k.relation == "sameAs":
            for line in lines_of.get(k.local, ()):
                predicted[line] = k.external
    tp = sum(1 for line, ext in predicted.items() if truth_works[line]["external"] == ext)
    fp = len(predicted) - tp
    positives = sum(1 for r in truth_works.values() if r["external"])
    works = prf(tp, fp, positives)
    # per category: linked right, records with a counterpart, false links, records without one
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line, r in truth_works.items():
        for cat in filter(None, r["categories"].split(";")):
            got = predicted.get(line)
            c = by_category[cat]
            if r["external"]:
                c[1] += 1
            else:
                c[3] += 1
            if got is not None and got == r["external"]:
                c[0] += 1
            elif got is not None:
                c[2] += 1

    truth_persons: dict[str, str] = {}
    for r in _read(data / "truth_persons.csv"):
        name, homonym = ids.split_homonym(r["local_name"])
        truth_persons[ids.person_iri(name, homonym)] = r["external"]
    person_pred = {k.local: k.external for k in report.links
                   if k.kind == "person" and k.relation == "sameAs"}
    ptp = sum(1 for p, ext in person_pred.items() if truth_persons.get(p) == ext)
    persons = prf(ptp, len(person_pred) - ptp, sum(1 for e in truth_persons.values() if e))
    return {"works": works, "persons": persons, "categories": dict(by_category),
            "local_records": len(truth_works), "local_persons": len(truth_persons),
            "seconds": {"import": t1 - t0, "load target": t2 - t1, "match": t3 - t2},
            "candidates": sum(1 for k in report.links if k.relation == "closeMatch"),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "bench" / "linkeval")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        res = evaluate(args.data, Path(tmp))
    print(f"benchmark: {args.data} ({res['local_records']} local records, "
          f"{res['local_persons']} local person names)")
    print(f"{'':8} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>6} {'FP':>5} {'FN':>5}")
    for kind in ("works", "persons"):
        m = res[kind]
        print(f"{kind:8} {m['precision']:9.4f} {m['recall']:7.4f} {m['f1']:6.4f} "
              f"{m['tp']:6d} {m['fp']:5d} {m['fn']:5d}")
    print("\nworks by hard case: linked right of those with a counterpart; false links of all")
    for cat, (right, with_cp, wrong, without) in sorted(res["categories"].items()):
        share = f"{right / with_cp:6.1%}" if with_cp else "     -"
        print(f"  {cat:28} {right:5d} / {with_cp:<5d} {share}   false links {wrong} "
              f"of {with_cp + without}")
    secs = ", ".join(f"{k} {v:.1f} s" for k, v in res["seconds"].items())
    print(f"\ncandidates (closeMatch) left to review: {res['candidates']}")
    print(f"time: {secs}; peak RSS {res['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
