"""The pure parts of linking: names, titles, work scores. Cases are the hard ones of real data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholkg.link import names, titles
from scholkg.link.score import score_pair
from scholkg.link.views import WorkView


@pytest.mark.parametrize("a, b, level", [
    ("Aojun Zhou", "Aojun Zhou", "full"),
    ("Aojun Zhou", "AOJUN ZHOU", "full"),
    ("Zhou, Aojun", "Aojun Zhou", "full"),
    ("A. Zhou", "Aojun Zhou", "initials"),
    ("A Zhou", "Aojun Zhou", "initials"),
    ("J.-H. Kim", "Jun-Hyuk Kim", "initials"),
    ("J. Kim", "Jun-Hyuk Kim", "initials"),
    ("Jörg Müller", "Jorg Muller", "full"),
    ("Martín Yılmaz", "Martin Yilmaz", "full"),
    ("KD Song", "Kwang-Dong Song", "initials"),
    ("Zhou Aojun", "Aojun Zhou", "swapped"),
    ("Ke Wang", "Ke Wang 0036", "full"),
    ("Lei Wang 0185", "Lei Wang 0185", "full"),
    ("Lei Wang 0185", "Lei Wang 0003", None),
    ("B. Zhou", "Aojun Zhou", None),
    ("Aojun Zhou", "Anbang Zhou", None),
    ("Aojun Zhou", "Aojun Zhao", None),
    ("H. J. Kim", "Jun-Hyuk Kim", None),
])
def test_name_levels(a, b, level):
    assert names.match_level(a, b) == level
    assert names.match_level(b, a) == level


@given(st.text(min_size=1, max_size=30))
def test_name_matching_is_symmetric_and_total(name):
    assert names.match_level(name, name) in (None, "full")
    assert names.match_level(name, "Aojun Zhou") == names.match_level("Aojun Zhou", name)


@pytest.mark.parametrize("a, b", [
    ("Learning N:M Fine-grained Structured Sparse Neural Networks From Scratch.",
     "Learning N: M fine-grained structured sparse neural networks from scratch"),
    ("The Omni-Dimensional Dynamic Convolution", "Omni-Dimensional Dynamic Convolution."),
    ("Sch{\\\"o}lkopf kernels and $\\alpha$-divergences", "Schölkopf Kernels and α-Divergences"),
    ("Optimisation and modelling of graphs", "Optimization and Modeling of Graphs."),
    ("{BERT}: Pre-training of Deep Bidirectional Transformers",
     "BERT: Pre-Training of Deep Bidirectional Transformers."),
])
def test_title_variants_are_equal(a, b):
    assert titles.similarity(a, b) == 1.0
    assert set(titles.block_keys(a)) & set(titles.block_keys(b))


@pytest.mark.parametrize("a, b", [
    ("Learning 3D Shapes from Point Clouds", "Learning 2D Shapes from Point Clouds"),
    ("Solving Math Problems with GPT-4", "Solving Math Problems with GPT-3"),
    ("Federated Learning with Noisy Labels", "Federated Learning without Noisy Labels"),
    ("Supervised Domain Adaptation for Parsing", "Unsupervised Domain Adaptation for Parsing"),
    ("Scene Graphs, Part I", "Scene Graphs, Part II"),
])
def test_near_identical_titles_are_traps(a, b):
    assert titles.similarity(a, b) <= 0.5


def test_subtitle_dropped_and_typo_stay_close():
    assert titles.similarity("MAVIS: Mathematical Visual Instruction Tuning", "MAVIS") < 0.9
    assert titles.similarity("Graph Lottery Ticket Automated: A Study of Sparse GNNs",
                             "Graph Lottery Ticket Automated") == 0.92
    assert titles.similarity("Understanding Transformers for Vision",
                             "Understnding Transformers for Vision") > 0.95


def view(iri, title, year, authors, complete=True, **ids):
    v = WorkView(iri)
    v.add_title(title)
    v.add_year(str(year))
    for i, a in enumerate(authors, 1):
        v.add_author(a, i, person=f"urn:p:{iri}:{i}")
    v.complete = complete
    for kind, value in ids.items():
        v.add_id(kind, value)
    return v


AUTHORS = ["Zimu Lu", "Aojun Zhou", "Ke Wang 0036", "Houxing Ren", "Weikang Shi", "Junting Pan",
           "Mingjie Zhan", "Hongsheng Li 0001", "Linqi Song", "Sichun Luo"]


def test_shared_doi_decides_and_conflicting_doi_splits():
    a = view("urn:a", "MathCoder2", 2025, AUTHORS[:3], doi="10.1234/ABC")
    b = view("urn:b", "MathCoder2.", 2025, AUTHORS[:3], doi="https://doi.org/10.1234/abc")
    assert (score_pair(a, b).relation, score_pair(a, b).method) == ("sameAs", "doi")
    c = view("urn:c", "MathCoder2.", 2025, AUTHORS[:3], doi="10.1234/other")
    assert score_pair(a, c).relation is None


def test_arxiv_doi_gives_the_arxiv_id():
    a = view("urn:a", "Learning N:M", 2021, AUTHORS[:2], arxiv="2102.04010")
    b = view("urn:b", "Learning N:M.", 2021, AUTHORS[:2], doi="10.48550/arXiv.2102.04010")
    assert score_pair(a, b).method == "arxiv"


def test_truncated_list_year_off_by_one_initials():
    ours = view("urn:a", "MathCoder2: Better Math Reasoning", 2024,
                ["Z. Lu", "A. Zhou", *AUTHORS[2:8]], complete=False)
    theirs = view("urn:b", "MathCoder2: Better Math Reasoning.", 2025, AUTHORS)
    s = score_pair(ours, theirs)
    assert s.relation == "sameAs"
    assert len(s.aligned) == 8 and {a.level for a in s.aligned} == {"full", "initials"}


def test_same_title_other_authors_is_only_a_candidate():
    ours = view("urn:a", "Graph Neural Networks for Recommendation", 2021, AUTHORS[:4])
    theirs = view("urn:b", "Graph Neural Networks for Recommendation.", 2021,
                  ["Maria Rossi", "Paul Martin", "Chen Li"])
    assert score_pair(ours, theirs).relation != "sameAs"


def test_generic_titles_need_year_venue_and_authors():
    ours = view("urn:a", "Editorial", 2020, ["Maria Rossi"])
    ours.venues.add("TPAMI")
    other_year = view("urn:b", "Editorial.", 2021, ["Maria Rossi"])
    other_year.venues.add("TPAMI")
    assert score_pair(ours, other_year).relation != "sameAs"
    same = view("urn:c", "Editorial.", 2020, ["Maria Rossi"])
    same.venues.add("TPAMI")
    assert score_pair(ours, same).relation == "sameAs"


def test_homonym_numbers_keep_persons_apart():
    ours = view("urn:a", "Sparse Attention at Scale", 2022, ["Lei Wang 0185", "Ke Wang"])
    theirs = view("urn:b", "Sparse Attention at Scale.", 2022, ["Lei Wang 0003", "Ke Wang 0036"])
    s = score_pair(ours, theirs)
    assert [(a.local.name, a.external.name) for a in s.aligned] == [("Ke Wang", "Ke Wang 0036")]
