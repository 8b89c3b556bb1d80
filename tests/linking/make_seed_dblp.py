"""Write seed-dblp.ttl: the seed's 20 papers (data/aojun-zhou.jsonl) in dblp's RDF shape.

A test fixture, made by hand with this script, not downloaded from dblp: the record keys and
person ids are invented (prefixed "x-test") and must not be read as dblp's. It keeps what makes
linking with dblp hard: titles end with a period; every person is written with dblp's name and
homonym number ("Ke Wang 0036" where the seed once says "Ke Wang", "Dongzhi Jiang" where it once
says "Dongzhi JIANG"); three extra publications are distractors with near-identical titles.

    python tests/linking/make_seed_dblp.py > tests/linking/seed-dblp.ttl
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: dblp writes these persons with their homonym numbers everywhere.
DBLP_NAME = {"Ke Wang": "Ke Wang 0036", "Hongsheng Li": "Hongsheng Li 0001",
             "Dongzhi JIANG": "Dongzhi Jiang", "Jiaming Liu": "Jiaming Liu 0003"}
DISTRACTORS = [
    ("MathCoder-VL: Bridging Vision and Code for Enhanced Multimodal Mathematical Reasoning.",
     2025, "ACL", ["Ke Wang 0036", "Junting Pan", "Linda Wei"]),
    ("Omni-Dimensional Dynamic Convolution for Video Recognition.", 2023, "CVPR",
     ["Chao Li", "Anbang Yao", "Xiaolong Chen"]),
    ("Group Fisher Pruning for Practical Network Compression.", 2019, "CoRR",
     ["Lily Chen", "Mark Kowalski"]),
]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main() -> None:
    works = []
    for line in (ROOT / "data" / "aojun-zhou.jsonl").read_text("utf-8").splitlines():
        r = json.loads(line)
        if "title" in r:
            names = [DBLP_NAME.get(a, a) for a in r["authors"]]
            works.append((r["title"].rstrip(".") + ".", r["year"], r["venue"]["name"], names,
                          r.get("doi"), r.get("arxiv")))
    works += [(t, y, v, a, None, None) for t, y, v, a in DISTRACTORS]
    print("# A test fixture in dblp's RDF shape, written by tests/linking/make_seed_dblp.py;")
    print("# record keys and pids are invented (x-test), not dblp's.")
    print("@prefix dblp: <https://dblp.org/rdf/schema#> .")
    print("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .")
    persons = {}
    for i, (title, year, venue, names, doi, arxiv) in enumerate(works, 1):
        key = f"conf/{slug(venue)}/x-test-{i:02d}"
        rec = f"<https://dblp.org/rec/{key}>"
        print(f"\n{rec} a dblp:Publication, dblp:Inproceedings ;")
        print(f"    dblp:title {lit(title)} ;")
        print(f'    dblp:yearOfPublication "{year}"^^xsd:gYear ;')
        print(f"    dblp:publishedIn {lit(venue)} ;")
        print(f"    dblp:publishedInStream <https://dblp.org/streams/conf/{slug(venue)}> ;")
        if doi:
            print(f"    dblp:doi <https://doi.org/{doi}> ;")
        if arxiv:
            print(f"    dblp:doi <https://doi.org/10.48550/arXiv.{arxiv}> ;")
        print(f'    dblp:numberOfCreators "{len(names)}"^^xsd:integer ;')
        sigs = []
        for n, name in enumerate(names, 1):
            pid = persons.setdefault(name, f"https://dblp.org/pid/x-test/{slug(name)}")
            print(f"    dblp:authoredBy <{pid}> ;")
            sigs.append(f'[ a dblp:AuthorSignature ; dblp:signatureOrdinal "{n}"^^xsd:integer ;\n'
                        f"        dblp:signatureDblpName {lit(name)} ; "
                        f"dblp:signatureCreator <{pid}> ;\n        dblp:signaturePublication {rec} ]")
        print("    dblp:hasSignature " + " ,\n    ".join(sigs) + " .")
    for name, pid in sorted(persons.items()):
        print(f"\n<{pid}> a dblp:Person ; dblp:primaryCreatorName {lit(name)} .")


if __name__ == "__main__":
    main()
