"""One paper, one work: the same papers through dblp XML, BibTeX, OpenAlex, CSV and the Arrow
page end as one work each, carrying every source's identifiers and provenance."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from scholkg import GraphStore, import_paths, run_sparql
from scholkg.errors import InputError

CASES = Path(__file__).parent / "cases"
SOURCES = [CASES / "dblp-dump" / "dblp.xml", CASES / "dblp-record" / "rec-conf-iclr-LiZY22.xml",
           CASES / "bibtex" / "refs.bib", CASES / "openalex-page" / "openalex-page.json",
           CASES / "openalex-snapshot" / "openalex-snapshot.jsonl.gz",
           CASES / "csv-meta" / "meta.csv"]

WORKS_BY_TITLE = """
SELECT ?work (COUNT(DISTINCT ?g) AS ?sources)
       (GROUP_CONCAT(DISTINCT STR(?id); SEPARATOR=" ") AS ?ids)
WHERE {
  GRAPH ?g { ?work skg:title ?t }
  FILTER(LCASE(STR(?t)) = LCASE(?title))
  OPTIONAL { ?work skg:doi|skg:dblpRecord|skg:arxiv|skg:openalex ?id }
}
GROUP BY ?work
"""


def works_titled(gs, title: str):
    q = WORKS_BY_TITLE.replace("?title", '"' + title.replace('"', '\\"') + '"')
    return [(r["work"].value, int(r["sources"].value), set(r["ids"].value.split()))
            for r in run_sparql(gs, q).rows]


@pytest.fixture(scope="module")
def merged(seed_path):
    gs = GraphStore.open(None)
    import_paths(gs, [*SOURCES, seed_path])
    return gs


def test_one_work_per_paper_across_five_formats(merged):
    (aaai,) = works_titled(merged, "Deep Neural Network Compression With Single and Multiple "
                                   "Level Quantization")
    _, n_sources, idents = aaai
    # dblp XML, BibTeX, OpenAlex page, CSV and the Arrow page
    assert n_sources == 5
    assert {"https://doi.org/10.1609/aaai.v32i1.11663", "https://dblp.org/rec/conf/aaai/XuWZLX18",
            "https://openalex.org/W2963393494"} <= idents

    (nm,) = works_titled(merged, "Learning N:M Fine-grained Structured Sparse Neural Networks "
                                 "From Scratch") or works_titled(
        merged, "Learning N: M Fine-grained Structured Sparse Neural Networks From Scratch")
    assert {"https://dblp.org/rec/conf/iclr/ZhouMZLZYSL21",
            "https://dblp.org/rec/journals/corr/abs-2102-04010",
            "https://arxiv.org/abs/2102.04010", "https://openalex.org/W3128520329"} <= nm[2]

    (od,) = works_titled(merged, "Omni-Dimensional Dynamic Convolution")
    assert od[1] == 3  # dblp record XML, OpenAlex page, Arrow page
    assert {"https://dblp.org/rec/conf/iclr/LiZY22", "https://openalex.org/W4221160876"} <= od[2]


def test_learning_nm_spelt_two_ways_is_one_work(merged):
    both = works_titled(merged, "Learning N:M Fine-grained Structured Sparse Neural Networks "
                                "From Scratch") + works_titled(
        merged, "Learning N: M Fine-grained Structured Sparse Neural Networks From Scratch")
    assert len({w for w, _, _ in both}) == 1


def test_generic_titles_stay_apart(merged):
    editorials = works_titled(merged, "Editorial")
    assert len(editorials) == 3  # TKDE 2020, TOIS 2020 (dblp), Scientometrics 2020 (CSV)


def test_totals(merged, seed_path):
    only_seed = GraphStore.open(None)
    import_paths(only_seed, [seed_path])
    n = run_sparql(merged, "SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w a skg:Work }")
    # the seed's 20 + papers only in the fixtures: the thesis, TeXbook, MathCoder2 preprint (2024),
    # three editorials
    assert int(n.rows[0]["n"].value) == 20 + 6


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_import_order_does_not_change_iris(seed_path, order):
    """Whatever the order (and one import or several), the same works get the same IRIs."""
    files = [SOURCES[0], SOURCES[3], seed_path]
    gs = GraphStore.open(None)
    for i in order:
        import_paths(gs, [files[i]])
    together = GraphStore.open(None)
    import_paths(together, files)
    q = "SELECT DISTINCT ?w WHERE { ?w a skg:Work }"
    assert {r["w"].value for r in run_sparql(gs, q).rows} == \
        {r["w"].value for r in run_sparql(together, q).rows}


def test_conflicting_dois_split_a_shared_title(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text('{"title": "A Survey of Graph Learning", "year": 2020, "doi": "10.1000/a"}\n'
                 '{"title": "A Survey of Graph Learning", "year": 2020, "doi": "10.1000/b"}\n'
                 '{"title": "A Survey of Graph Learning", "year": 2020}\n', "utf-8")
    gs = GraphStore.open(None)
    import_paths(gs, [a])
    ws = works_titled(gs, "A Survey of Graph Learning")
    assert len(ws) == 2  # two DOIs, two papers; the record without DOI joins the first


def test_missing_dtd_says_where_to_put_it(tmp_path):
    shutil.copy(SOURCES[0], tmp_path / "dblp.xml")
    gs = GraphStore.open(None)
    with pytest.raises(InputError) as e:
        import_paths(gs, [tmp_path / "dblp.xml"])
    assert 'download "dblp.dtd" from https://dblp.org/xml/' in str(e.value)
    assert str(tmp_path) in str(e.value)


def test_external_entities_other_than_a_local_dtd_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", "utf-8")
    x = tmp_path / "x.xml"
    x.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE dblp [<!ENTITY s SYSTEM "file://{secret}">]>\n'
                 '<dblp><article key="journals/x/Y20"><author>A B</author>'
                 "<title>&s;</title><year>2020</year></article></dblp>\n", "utf-8")
    gs = GraphStore.open(None)
    try:
        import_paths(gs, [x], fmt="dblp")
    except InputError:
        pass
    titles = run_sparql(gs, "SELECT ?t WHERE { ?w skg:title ?t }").rows
    assert all("SECRET" not in r["t"].value for r in titles)


def test_billion_laughs_is_refused(tmp_path):
    lol = "".join(f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 1 if i else "lol"}' + (
        f'&l{i - 1};' * 9 if i else "") + '">' for i in range(10))
    x = tmp_path / "lol.xml"
    x.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE dblp [{lol}]>\n<dblp><article key="journals/x/Y20">'
                 "<author>A B</author><title>&l9;</title><year>2020</year></article></dblp>\n",
                 "utf-8")
    gs = GraphStore.open(None)
    with pytest.raises(InputError):
        import_paths(gs, [x], fmt="dblp")
    assert gs.count_quads() == 0
