"""The JSON Lines / JSON array reader and writer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholkg.errors import InputError
from scholkg.model import NameCluster, Work
from scholkg.sources import jsonl

from .conftest import DATA, strict


def read(path):
    return strict(jsonl.read(path, str(path)))


def write_lines(tmp_path, *lines, name="r.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", "utf-8")
    return p


def test_full_record(tmp_path):
    rec = {"title": "Learning  N:M Sparse Networks", "year": "2021", "work_type": "conference-paper",
           "venue": {"name": "ICLR", "kind": "conference"},
           "authors": ["Aojun Zhou", {"name": "Hongsheng Li 0001", "orcid": "0000-0002-1825-0097"}],
           "doi": "https://doi.org/10.48550/ARXIV.2102.04010", "arxiv": "arXiv:2102.04010",
           "dblp": "conf/iclr/ZhouMZLZYSL21", "openalex": "https://openalex.org/W3128520329",
           "wikidata": "Q105693418", "urls": ["https://openreview.net/forum?id=K9bw7vqp_s"],
           "abstract": "Code at https: //github. com/NM-sparsity/NM-sparsity."}
    (w,) = read(write_lines(tmp_path, json.dumps(rec)))
    assert w.title == "Learning N:M Sparse Networks" and w.year == 2021
    assert w.authors[1].homonym == "0001" and w.authors[1].orcid == "0000-0002-1825-0097"
    assert w.ids.doi == "10.48550/arxiv.2102.04010"
    assert (w.ids.arxiv, w.ids.dblp, w.ids.openalex, w.ids.wikidata) == \
        ("2102.04010", "conf/iclr/ZhouMZLZYSL21", "W3128520329", "Q105693418")
    assert w.links.code == ["https://github.com/NM-sparsity/NM-sparsity"]
    assert w.origin.line == 1


def test_json_array_lines(tmp_path):
    p = tmp_path / "r.json"
    p.write_text('[\n  {"title": "A"},\n\n  {"title": "B",\n   "year": 2020}\n]\n', "utf-8")
    assert [(w.title, w.origin.line) for w in read(p)] == [("A", 2), ("B", 4)]


def test_cluster_line(tmp_path):
    (c,) = read(write_lines(tmp_path, '{"type": "name-cluster", "name": "Aojun Zhou", '
                                      '"paper_count": 20, "author_rows": 2}'))
    assert isinstance(c, NameCluster) and c.paper_count == 20


@pytest.mark.parametrize("line, needle", [
    ('{"title": "A", "year": "20x5"}', '"year" value "20x5" is not a year'),
    ('{"title": "A", "autors": []}', 'unknown work key "autors". Did you mean "authors"?'),
    ('{"title": ""}', '"title" must be a non-empty string'),
    ('{"year": 2020}', 'missing "title"'),
    ('{"title": "A", "doi": "11.1/x"}', '"doi": "11.1/x" is not a DOI'),
    ('{"title": "A", "authors": [{"name": "X", "orcid": "0000-0002-1825-0098"}]}',
     "is not an ORCID iD"),
    ('{"title": "A", "urls": ["javascript:alert(1)"]}', "is not an http(s) URL"),
    ('{"title": "A", "work_type": "poem"}', '"work_type" value "poem" is not known'),
    ('{"title": "A",', "invalid JSON"),
    ('["title"]', "expected a JSON object"),
    ('{"title": "A", "other_authors": ["B"]}', 'set "authors_complete": false'),
    ('{"title": "A"} {"title": "B"}', "one record per line"),
])
def test_errors_name_file_and_line(tmp_path, line, needle):
    p = write_lines(tmp_path, '{"title": "ok"}', "", line)
    with pytest.raises(InputError) as e:
        read(p)
    assert e.value.line == 3
    assert needle in str(e.value)
    assert str(e.value).startswith(f"{p}:3: ")


def test_deep_nesting_refused(tmp_path):
    deep = '{"title": "A", "venue": ' + "[" * 5000 + "]" * 5000 + "}"
    with pytest.raises(InputError) as e:
        read(write_lines(tmp_path, deep))
    assert e.value.line == 1


def test_bundled_data_is_the_seed_without_abstracts(seed_path):
    """data/ holds the seed's records as JSON Lines: same facts, abstracts left out."""
    from scholkg.sources import arrow

    page = list(arrow.read(seed_path, "x"))
    bundled = read(DATA)
    assert [jsonl.to_json(r, abstract=False) for r in page] == \
        [jsonl.to_json(r) for r in bundled]
    assert all(w.abstract is None for w in bundled if isinstance(w, Work))


names = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=12)
author = st.builds(lambda n, h: f"{n} {h}" if h else n, names,
                   st.one_of(st.none(), st.from_regex(r"[0-9]{4}", fullmatch=True)))


@given(title=st.text(min_size=1, max_size=40).filter(lambda t: t.strip()),
       year=st.one_of(st.none(), st.integers(1000, 2999)),
       authors=st.lists(author, max_size=10), complete=st.booleans())
def test_round_trip(tmp_path_factory, title, year, authors, complete):
    """to_json -> parse_record -> to_json is the identity."""
    obj = {"title": " ".join(title.split()), "authors": authors, "authors_complete": complete}
    if year is not None:
        obj["year"] = year
    rec = jsonl.parse_record(obj, path="x", line=1)
    again = jsonl.parse_record(jsonl.to_json(rec), path="x", line=1)
    assert jsonl.to_json(again) == jsonl.to_json(rec)
