"""The command line, end to end on a real on-disk store."""

from __future__ import annotations

import json

import pytest
import rdflib

from scholkg.cli import main

from .conftest import DATA


def run(runner, store, *args, input=None):
    return runner.invoke(main, ["--store", str(store), *args], input=input)


@pytest.fixture()
def loaded(runner, store_dir, seed_path):
    r = run(runner, store_dir, "import", str(seed_path))
    assert r.exit_code == 0, r.output
    return store_dir


def test_import_reports_and_is_idempotent(runner, store_dir, seed_path):
    r = run(runner, store_dir, "import", str(seed_path))
    assert r.exit_code == 0
    assert f"imported: {seed_path} (arrow, 20 works, 21 records)" in r.stderr
    r = run(runner, store_dir, "import", str(seed_path))
    assert f"unchanged: {seed_path}" in r.stderr


def test_query_table(runner, loaded):
    r = run(runner, loaded, "query", "coauthors", "-p", "author", "Aojun Zhou",
            "--format", "table", "--limit", "3")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["name", "works", "first", "last", "coauthor"]
    assert lines[2].startswith("Zimu Lu ") and " 8 " in lines[2]
    assert len(lines) == 5
    assert "truncated at 3 rows" in r.stderr


def test_query_limit_defaults_to_the_querys_own(runner, tmp_path):
    """search shows 100 rows unless --limit says otherwise; other queries 1,000."""
    rows = [{"title": f"Sparse Work {i}", "year": 2000 + i % 20} for i in range(120)]
    data = tmp_path / "many.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    store = tmp_path / "s"
    assert run(runner, store, "import", str(data)).exit_code == 0
    r = run(runner, store, "query", "search", "-p", "text", "sparse", "--format", "csv")
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1 + 100
    assert "truncated at 100 rows" in r.stderr
    r = run(runner, store, "query", "search", "-p", "text", "sparse", "--limit", "500",
            "--format", "csv")
    assert len(r.stdout.splitlines()) == 1 + 120 and "truncated" not in r.stderr
    r = run(runner, store, "sparql", "SELECT ?t WHERE { ?w skg:title ?t }", "--format", "csv")
    assert len(r.stdout.splitlines()) == 1 + 120 and "truncated" not in r.stderr


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_query_w3c_formats_parse_back(runner, loaded, fmt):
    import pyoxigraph as ox

    r = run(runner, loaded, "query", "works-per-year", "--format", fmt)
    assert r.exit_code == 0
    parsed = ox.parse_query_results(r.stdout_bytes, format=ox.QueryResultsFormat.from_extension(
        {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv"}[fmt]))
    years = [s["year"].value for s in parsed]
    assert years == ["2026", "2025", "2024", "2023", "2022", "2021", "2018"]


def test_query_csv(runner, loaded):
    import csv
    import io

    r = run(runner, loaded, "query", "works-per-year", "--format", "csv")
    assert list(csv.reader(io.StringIO(r.stdout)))[:2] == [["year", "works"], ["2026", "1"]]


def test_query_jsonl(runner, loaded):
    r = run(runner, loaded, "query", "venues-of-author", "-p", "author", "Aojun Zhou",
            "--format", "jsonl")
    first = json.loads(r.stdout.splitlines()[0])
    assert (first["venue_name"], first["works"]) == ("ICLR", "9")


def test_errors_exit_1_with_one_line(runner, loaded, tmp_path):
    r = run(runner, loaded, "query", "coauthor")
    assert r.exit_code == 1
    assert r.stderr == ('Error: Unknown canned query "coauthor". Did you mean "coauthors"? '
                        'Run "scholkg queries list" to see all queries.\n')
    r = run(runner, loaded, "query", "works-in-venue", "-p", "venue", "ICLR", "-p", "year",
            "20x5")
    assert r.exit_code == 1
    assert 'parameter "year" (year): "20x5" is not a year' in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A"}\n{"title": "B", "year": "20x5"}\n', "utf-8")
    before = run(runner, loaded, "stats", "--format", "csv").stdout
    r = run(runner, loaded, "import", str(bad))
    assert r.exit_code == 1
    assert r.stderr == (f'Error: {bad}:2: "year" value "20x5" is not a year (expected four '
                        "digits, e.g. 2025).\n")
    assert run(runner, loaded, "stats", "--format", "csv").stdout == before


def test_usage_error_exit_2(runner, store_dir):
    assert run(runner, store_dir, "query").exit_code == 2
    assert run(runner, store_dir, "import", "x", "--format", "endnote").exit_code == 2


def test_sparql_stdin_and_update_refused(runner, loaded):
    r = run(runner, loaded, "sparql", "-", "--format", "csv",
            input="SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w a skg:Work }")
    assert r.stdout.splitlines() == ["n", "20"]
    r = run(runner, loaded, "sparql", "DELETE WHERE { ?s ?p ?o }")
    assert r.exit_code == 1 and "read-only" in r.stderr
    r = run(runner, loaded, "sparql", "ASK WHERE { ?p a skg:Person }", "--format", "table")
    assert r.stdout == "yes\n"


def test_construct_as_turtle(runner, loaded):
    r = run(runner, loaded, "sparql", "CONSTRUCT { ?w skg:title ?t } WHERE { ?w skg:title ?t }",
            "--format", "turtle")
    g = rdflib.Graph().parse(data=r.stdout, format="turtle")
    assert len(g) == 20


def test_export_turtle_to_file(runner, loaded, tmp_path):
    out = tmp_path / "g.ttl"
    r = run(runner, loaded, "export", "-o", str(out))
    assert r.exit_code == 0 and out.exists() and not (tmp_path / "g.ttl.part").exists()
    assert len(rdflib.Graph().parse(out, format="turtle")) > 1000


def test_stats(runner, loaded):
    r = run(runner, loaded, "stats")
    assert r.stdout.splitlines()[2].split() == ["20", "81", "5", "148", "149", "1", "1"]


def test_queries_list_and_show(runner):
    r = runner.invoke(main, ["queries", "list"])
    assert "coauthors" in r.stdout and "author:person" in r.stdout
    assert "[author:person]" in r.stdout  # optional parameters in brackets
    r = runner.invoke(main, ["queries", "show", "coauthors"])
    assert r.stdout.startswith("#+ title: Co-authors of an author")


def test_store_env_var(runner, store_dir, monkeypatch):
    monkeypatch.setenv("SCHOLKG_STORE", str(store_dir))
    r = runner.invoke(main, ["import", str(DATA)])
    assert r.exit_code == 0 and (store_dir / "CURRENT").exists()


def test_missing_store_for_query(runner, tmp_path):
    r = run(runner, tmp_path / "nothing", "query", "top-authors")
    assert r.exit_code == 1 and "no store at" in r.stderr


def commands(group, prefix=()):
    import click

    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*prefix, name))
        yield (*prefix, name), cmd


@pytest.mark.parametrize("path, cmd", list(commands(main)), ids=lambda x: str(x))
def test_every_command_has_help_with_example(runner, path, cmd):
    r = runner.invoke(main, [*path, "--help"])
    assert r.exit_code == 0
    assert "Example:" in r.stdout


def test_every_command_and_option_is_documented():
    """README or docs/cli.md names every command and every long option."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    docs = (root / "README.md").read_text("utf-8") + (root / "docs" / "cli.md").read_text("utf-8")
    for path, cmd in commands(main):
        assert f"scholkg {' '.join(path)}" in docs, path
        for p in cmd.params:
            for opt in p.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in docs, (path, opt)


def test_default_store_location_is_created(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOLKG_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    r = runner.invoke(main, ["import", str(DATA)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "xdg" / "scholkg" / "store" / "CURRENT").exists()


def test_timeout_ends_the_command(tmp_path, seed_path):
    """A real subprocess: the CLI reports the timeout and exits 1 while the query still runs."""
    import subprocess
    import sys

    store = tmp_path / "s"
    subprocess.run([sys.executable, "-m", "scholkg.cli", "--store", str(store), "import",
                    str(seed_path)], check=True, capture_output=True)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
    out = subprocess.run([sys.executable, "-m", "scholkg.cli", "--store", str(store), "sparql",
                          slow, "--timeout", "0.5"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "did not finish within 0.5 s" in out.stderr


def test_python_api(tmp_path):
    import scholkg

    with scholkg.open(tmp_path / "s") as kg:
        (rep,) = kg.import_files(DATA)
        assert rep.works == 20
        rows = kg.query("coauthors", author="Aojun Zhou", limit=2).records()
        assert [(r["name"], r["works"]) for r in rows] == [("Zimu Lu", "8"), ("Weikang Shi", "7")]
        both = kg.query("venue-works-per-year", venue=["ICLR", "NeurIPS"]).records()
        assert sum(int(r["works"]) for r in both) == 15
        assert kg.sparql("ASK WHERE { ?w a skg:Work }").boolean
        out = tmp_path / "g.nt"
        kg.export(out, format="ntriples")
        assert out.stat().st_size > 0
        assert len(list(kg.queries())) >= 25
