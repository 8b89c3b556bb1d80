"""Bad input: strict by default, --skip-invalid with a report, and no reader ever crashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholkg import GraphStore, import_paths, run_sparql
from scholkg.cli import main
from scholkg.errors import InputError
from scholkg.importer import write_rejects
from scholkg.sources import READERS

CASES = Path(__file__).parent / "cases"
BAD = {
    "bibtex": ("x.bib", "@article{a,\n title={Good},\n year={2020}\n}\n"
                        "@article{b,\n title={Bad year},\n year={20x5}\n}\n"
                        "@article{c,\n title={Also good},\n year={2021}\n}\n", 5),
    "csv": ("x.csv", "id,title,author,pub_date,venue,volume,issue,page,type,publisher,editor\n"
                     ",Good,,2020,,,,,journal article,,\n,Bad,,20x5,,,,,journal article,,\n"
                     ",Also good,,2021,,,,,journal article,,\n", 3),
    "openalex": ("x.jsonl", '{"id": "https://openalex.org/W1", "title": "Good", "publication_year": 2020}\n'
                            '{"id": "https://openalex.org/W2", "title": "Bad", "publication_year": "x"}\n'
                            '{"id": "https://openalex.org/W3", "title": "Also good"}\n', 2),
    "dblp": ("x.xml", '<?xml version="1.0"?>\n<dblp>\n'
                      '<article key="journals/x/A20"><title>Good.</title><year>2020</year></article>\n'
                      '<article key="journals/x/B20"><title>Bad.</title><year>20x5</year></article>\n'
                      '<article key="journals/x/C20"><title>Also good.</title></article>\n</dblp>\n', 4),
    "jsonl": ("x.jsonl", '{"title": "Good"}\n{"title": "Bad", "year": "20x5"}\n{"title": "Also good"}\n',
              2),
}


@pytest.mark.parametrize("fmt", sorted(BAD))
def test_strict_by_default_then_skip_invalid(tmp_path, fmt):
    name, text, line = BAD[fmt]
    f = tmp_path / name
    f.write_text(text, "utf-8")
    gs = GraphStore.open(None)
    with pytest.raises(InputError) as e:
        import_paths(gs, [f], fmt=fmt)
    assert e.value.line == line and "not a year" in str(e.value)
    assert gs.count_quads() == 0
    (rep,) = import_paths(gs, [f], fmt=fmt, skip_invalid=True)
    assert rep.works == 2 and len(rep.rejected) == 1
    out = tmp_path / "rejected.jsonl"
    assert write_rejects([rep], out) == 1
    row = json.loads(out.read_text("utf-8"))
    assert row["line"] == line and "not a year" in row["error"] and row["file"] == str(f)


def test_cli_skip_invalid_writes_report(tmp_path):
    from click.testing import CliRunner

    name, text, line = BAD["bibtex"]
    f = tmp_path / name
    f.write_text(text, "utf-8")
    report = tmp_path / "rej.jsonl"
    r = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "import", str(f),
                                  "--skip-invalid", "--report", str(report)])
    assert r.exit_code == 0, r.output
    assert "1 invalid records left out, listed in" in r.stderr
    assert f"{f}:{line}:" in r.stderr
    assert json.loads(report.read_text("utf-8"))["line"] == line


@pytest.mark.parametrize("fmt, text, line, column", [
    ("jsonl", '{"title": "Good \\ud83d\\ude00"}\n{"title": "Bad \\ud800 half"}\n', 2, 16),
    ("jsonl", '{"title": "Good"}\n{"title": "Low \\uDC80 half", "year": 2020}\n', 2, 16),
    ("jsonl", '[{"title": "Good"},\n {"title": "Bad \\ud800"}]\n', 2, 17),
    ("openalex", '{"id": "https://openalex.org/W1", "title": "Good"}\n'
                 '{"id": "https://openalex.org/W2", "title": "x \\udbff"}\n', 2, 47),
])
def test_half_of_a_surrogate_pair_is_refused_with_its_place(tmp_path, fmt, text, line, column):
    """A JSON escape of half a UTF-16 pair decodes to no character (the import once died on
    it with a traceback): refused with file, line and column; an escaped pair is a character
    like any other; --skip-invalid leaves the record out."""
    f = tmp_path / "x.jsonl"
    f.write_text(text, "utf-8")
    gs = GraphStore.open(None)
    with pytest.raises(InputError) as e:
        import_paths(gs, [f], fmt=fmt)
    assert (e.value.path, e.value.line) == (str(f), line)
    assert f"at column {column} is half of a UTF-16 surrogate pair" in str(e.value)
    assert gs.count_quads() == 0
    (rep,) = import_paths(gs, [f], fmt=fmt, skip_invalid=True)
    assert rep.works == 1 and len(rep.rejected) == 1
    if "ude00" in text:
        titles = run_sparql(gs, "SELECT ?t WHERE { ?w skg:title ?t }").records()
        assert titles == [{"t": "Good \U0001f600"}]


def fuzz_inputs():
    texts = st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
        st.sampled_from(["{", "[", "@article{", "<dblp>", "<dblp><article>", "id,title,author,pub_date\n,\n",
                         '{"results": [', '{"id": "https://openalex.org/W1", "authorships": 3}',
                         "Arrow Research search\nAuthor name cluster\n"]),
    )
    return st.tuples(st.sampled_from(sorted(READERS)), texts,
                     st.sampled_from(["", "\n", "}", "]", "</dblp>", "\x00"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=fuzz_inputs())
def test_no_reader_crashes(tmp_path, case):
    fmt, text, tail = case
    f = tmp_path / "fuzz.in"
    f.write_bytes((text + tail).encode("utf-8", errors="surrogatepass"))
    gs = GraphStore.open(None)
    try:
        import_paths(gs, [f], fmt=fmt)
    except InputError:
        assert gs.count_quads() == 0


FIXTURES = [p for p in sorted(CASES.glob("*/*")) if p.suffix not in (".nt", ".dtd", ".gz")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, len(FIXTURES) - 1), cut=st.floats(0, 1),
       edits=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=3)), max_size=4))
def test_mutated_fixtures_never_crash(tmp_path, index, cut, edits):
    """Real fixtures, truncated and with bytes replaced: an InputError or a clean import."""
    src = FIXTURES[index]
    data = bytearray(src.read_bytes())
    for where, new in edits:
        i = int(where * len(data))
        data[i:i + len(new)] = new
    data = data[: max(1, int(cut * len(data)))] if cut < 0.95 else data
    f = tmp_path / src.name
    f.write_bytes(bytes(data))
    if src.suffix == ".xml":
        (tmp_path / "dblp.dtd").write_bytes((CASES / "dblp-dump" / "dblp.dtd").read_bytes())
    gs = GraphStore.open(None)
    try:
        import_paths(gs, [f], fmt=READERS_BY_EXT.get(src.suffix, "auto"))
    except InputError:
        assert gs.count_quads() == 0


READERS_BY_EXT = {".xml": "dblp", ".bib": "bibtex", ".csv": "csv", ".json": "openalex"}
