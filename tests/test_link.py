"""Linking end to end: the seed's papers against a dblp-shaped fixture, from the CLI; Wikidata and
OpenAlex targets; a real Oxigraph SPARQL server as the endpoint; review decisions; enrichment;
in-graph person proposals."""

from __future__ import annotations

import csv
import json

import pytest
import rdflib

from scholkg import GraphStore, import_paths
from scholkg.cli import main
from scholkg.link.run import link, open_target
from scholkg.validate import validate

from .conftest import DATA, ROOT
from .oxiserver import oxigraph_server

LINKING = ROOT / "tests" / "linking"
DBLP = LINKING / "seed-dblp.ttl"
DBLP_NS = "https://dblp.org/rdf/schema#"
KE_WANG = "https://dblp.org/pid/x-test/ke-wang-0036"


@pytest.fixture()
def cli(runner, tmp_path):
    env = {"SCHOLKG_STORE": str(tmp_path / "store"), "SCHOLKG_CACHE": str(tmp_path / "cache")}

    def invoke(*args, ok=True):
        r = runner.invoke(main, list(args), env=env)
        if ok:
            assert r.exit_code == 0, r.output + str(r.exception)
        return r
    invoke("-q", "import", str(DATA))
    return invoke


def sparql(cli, query):
    r = cli("sparql", query, "--format", "jsonl")
    return [json.loads(line) for line in r.stdout.splitlines()]


def fixture_titles() -> dict[str, str]:
    g = rdflib.Graph().parse(DBLP)
    t = rdflib.URIRef("https://dblp.org/rdf/schema#title")
    return {str(s): str(o) for s, o in g.subject_objects(t)}


def test_seed_links_to_dblp_fixture_from_the_cli(cli):
    dry = cli("link", str(DBLP), "--dry-run")
    assert 'would link 20 works against seed-dblp.ttl as linkset "dblp"' in dry.stderr
    assert sparql(cli, "SELECT * WHERE { ?s owl:sameAs ?o }") == []  # nothing written

    r = cli("link", str(DBLP))
    assert "20 work sameAs" in r.stderr
    rows = sparql(cli, """SELECT ?title ?ext WHERE { ?w owl:sameAs ?ext ; skg:title ?title .
                          FILTER(STRSTARTS(STR(?ext), "https://dblp.org/rec/")) }""")
    titles = fixture_titles()
    assert len(rows) == 20
    for row in rows:  # each work to the record of the same title, none to a distractor
        assert titles[row["ext"]].rstrip(".") == row["title"].rstrip(".")
    distractors = [s for s, t in titles.items() if "x-test-2" in s and int(s[-2:]) > 20]
    assert distractors and not any(row["ext"] in distractors for row in rows)

    # "Ke Wang" (no number) and "Ke Wang 0036" are the same dblp person
    persons = sparql(cli, f"SELECT ?p WHERE {{ ?p owl:sameAs <{KE_WANG}> }}")
    assert len(persons) == 2
    # enrichment: every work got its dblp key, in the enrichment graph only
    enriched = sparql(cli, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?w skg:dblpRecord ?k }
                              FILTER(STRSTARTS(STR(?g), "https://w3id.org/scholkg/id/enrichment/")) }""")
    assert enriched == [{"n": "20"}]

    # rerunning changes nothing
    before = sparql(cli, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    cli("link", str(DBLP))
    assert sparql(cli, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before


def test_links_explain_themselves(cli):
    cli("link", str(DBLP))
    r = cli("query", "link-explain", "-p", "entity", KE_WANG, "--format", "jsonl")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert {x["ours_label"] for x in rows} == {"Ke Wang", "Ke Wang 0036"}
    assert all(x["relation"] == "sameAs" and x["method"] == "co-authored works" for x in rows)
    assert any("4 linked work(s)" in x["evidence"] for x in rows)
    r = cli("query", "person-works-linked", "-p", "author", "Ke Wang", "--format", "jsonl")
    assert len(r.stdout.splitlines()) == 7  # 4 as "Ke Wang" + 3 as "Ke Wang 0036"


def test_linkset_export_has_void_and_parses(cli, tmp_path):
    cli("link", str(DBLP))
    out = tmp_path / "dblp-links.ttl"
    cli("links", "export", "dblp", "-o", str(out))
    g = rdflib.Graph().parse(out)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    owl_same = rdflib.OWL.sameAs
    linksets = set(g.subjects(rdflib.RDF.type, void.Linkset))
    assert len(linksets) == 2
    main_ls = next(s for s in linksets if (s, void.linkPredicate, owl_same) in g)
    n_same = len(list(g.subject_objects(owl_same)))
    assert int(g.value(main_ls, void.triples)) == n_same == 106
    assert str(g.value(main_ls, void.objectsTarget)).endswith("seed-dblp.ttl")
    listed = cli("links", "list").stdout
    assert "dblp" in listed and "106" in listed


def test_review_reject_stays_rejected_accept_sticks(cli, tmp_path):
    review = tmp_path / "review.csv"
    cli("link", str(DBLP), "--review", str(review))
    with open(review, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len([r for r in rows if r["relation"] == "sameAs"]) == 106
    assert all(r["decision"] == "" for r in rows)
    target = next(r for r in rows if r["kind"] == "person" and r["local_label"] == "Ke Wang")
    target["decision"] = "reject"
    with open(review, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    cli("links", "review", str(review))
    ask = f"SELECT ?p WHERE {{ ?p owl:sameAs <{KE_WANG}> }}"
    assert len(sparql(cli, ask)) == 1
    cli("link", str(DBLP))  # a rerun does not bring it back
    assert len(sparql(cli, ask)) == 1

    # a bad decision is an error with file:line
    rows[1]["decision"] = "maybe"
    with open(review, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    bad = cli("links", "review", str(review), ok=False)
    assert bad.exit_code == 1 and f"{review}:3:" in bad.stderr and '"maybe"' in bad.stderr


def test_proposals_in_the_graph_and_accepting_one(cli, tmp_path):
    review = tmp_path / "persons.csv"
    cli("links", "propose", "--review", str(review))
    with open(review, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    pairs = {tuple(sorted((r["local_label"], r["external_label"]))): r for r in rows}
    assert set(pairs) == {("Ke Wang", "Ke Wang 0036"), ("Hongsheng Li", "Hongsheng Li 0001")}
    assert all(r["relation"] == "closeMatch" for r in rows)
    assert "shared co-author" in pairs[("Ke Wang", "Ke Wang 0036")]["evidence"]
    pairs[("Ke Wang", "Ke Wang 0036")]["decision"] = "accept"
    with open(review, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    cli("links", "review", str(review))
    same = sparql(cli, """SELECT ?a ?b WHERE { ?a owl:sameAs ?b . ?a a skg:Person .
                          ?b a skg:Person }""")
    assert len(same) == 1
    r = cli("query", "person-works-linked", "-p", "author", "Ke Wang 0036", "--format", "jsonl")
    assert len(r.stdout.splitlines()) == 7


def test_remove_linkset_takes_enrichment_too(cli):
    cli("link", str(DBLP))
    cli("links", "remove", "dblp")
    assert sparql(cli, "SELECT * WHERE { ?s owl:sameAs ?o }") == []
    assert sparql(cli, "SELECT * WHERE { ?s skg:dblpRecord ?o }") == []
    r = cli("links", "remove", "dblp", ok=False)
    assert r.exit_code == 1 and 'no linkset "dblp"' in r.stderr


def test_wikidata_and_openalex_targets(cli):
    cli("link", str(LINKING / "wikidata.ttl"))
    rows = sparql(cli, """SELECT ?t ?q WHERE { ?w owl:sameAs ?q ; skg:title ?t .
                          FILTER(STRSTARTS(STR(?q), "http://www.wikidata.org/entity/")) }""")
    assert sorted(r["q"].rsplit("/", 1)[1] for r in rows) == ["Q990000001", "Q990000002"]
    orcid = sparql(cli, """SELECT ?o WHERE { ?p skg:orcid ?o ; rdfs:label "Aojun Zhou" }""")
    assert orcid == [{"o": "https://orcid.org/0000-0002-1825-0097"}]  # enriched from Wikidata

    cli("link", str(ROOT / "tests/cases/openalex-page/openalex-page.json"), "--name", "openalex")
    rows = sparql(cli, """SELECT ?o WHERE { ?w owl:sameAs ?o
                          FILTER(STRSTARTS(STR(?o), "https://openalex.org/W")) }""")
    assert len(rows) == 2


def test_enrichment_completes_a_cut_author_list(tmp_path):
    ours = tmp_path / "ours.jsonl"
    ours.write_text(json.dumps({
        "title": "A Long Author List", "year": 2024, "authors_complete": False,
        "authors": [f"Person {c}" for c in "ABCDEFGH"]}) + "\n")
    theirs = tmp_path / "theirs.nt"
    rec = "<https://dblp.org/rec/conf/x/Long24>"
    d = "https://dblp.org/rdf/schema#"
    lines = [f'{rec} <{d}title> "A long author list." .',
             f'{rec} <{d}yearOfPublication> "2024" .']
    for i, c in enumerate("ABCDEFGHIJ", 1):
        lines += [f"{rec} <{d}hasSignature> _:s{i} .",
                  f'_:s{i} <{d}signatureOrdinal> "{i}" .',
                  f'_:s{i} <{d}signatureDblpName> "Person {c}" .',
                  f"_:s{i} <{d}signatureCreator> <https://dblp.org/pid/x-test/{c}> ."]
    theirs.write_text("\n".join(lines) + "\n")
    gs = GraphStore.open(tmp_path / "store")
    import_paths(gs, [ours])
    before = {q for q in gs.quads() if "source" in q.graph_name.value}
    target = open_target([str(theirs)], schema="auto", cache=tmp_path / "cache")
    link(gs, target, name="dblp", locations=[str(theirs)])
    target.close()
    rows = [(r["n"].value, r["pos"].value) for r in gs.query(
        "SELECT ?n ?pos WHERE { ?w skg:hasAuthorship ?a . ?a skg:printedName ?n ; skg:position ?pos }"
        " ORDER BY xsd:integer(?pos)")]
    assert [n for n, _ in rows] == [f"Person {c}" for c in "ABCDEFGHIJ"]
    count = [r["c"].value for r in gs.query("SELECT ?c WHERE { ?w skg:authorCount ?c }")]
    assert count == ["10"]
    # what was imported is untouched; the additions live in the enrichment graph
    assert {q for q in gs.quads() if "source" in q.graph_name.value} == before
    assert validate(gs) == []
    gs.close()


def test_endpoint_target_on_a_real_oxigraph_server(cli, tmp_path):
    with oxigraph_server([DBLP], tmp_path / "server") as url:
        r = cli("link", url, "--schema", "dblp", "--interval", "0")
        assert "20 work sameAs" in r.stderr
        cached = sorted((tmp_path / "cache" / "sparql").glob("*.json"))
        assert cached
    # the server is gone: a rerun answers from the cache and sends nothing
    r = cli("link", url, "--schema", "dblp", "--interval", "0")
    assert "20 work sameAs" in r.stderr
    assert sorted((tmp_path / "cache" / "sparql").glob("*.json")) == cached


def test_endpoint_needs_a_schema_and_files_must_exist(cli, tmp_path):
    r = cli("link", "http://127.0.0.1:9/sparql", ok=False)
    assert r.exit_code == 1 and "--schema dblp, wikidata or scholkg" in r.stderr
    r = cli("link", str(tmp_path / "nope.nt"), ok=False)
    assert r.exit_code == 1 and "nope.nt: no such file" in r.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    r = cli("link", str(bad), ok=False)
    assert r.exit_code == 1 and "bad.ttl: not valid Turtle" in r.stderr
    assert not list((tmp_path / "cache" / "targets").glob("*/READY"))


def test_file_target_cache_is_a_table_built_once(tmp_path):
    """The dump is read into a table of its works, the scratch store dropped; a second target
    on the same file reads the table (no rebuild) and describes and finds the same works."""
    from scholkg.link.targets import FileTarget
    from scholkg.link.views import WorkView

    first = FileTarget([DBLP], cache=tmp_path)
    [folder] = (tmp_path / "targets").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["READY", "works.sqlite"]
    assert first.schema.name == "dblp"
    built = (folder / "works.sqlite").stat().st_mtime_ns
    dblp = rdflib.Graph().parse(DBLP)
    title = rdflib.URIRef(f"{DBLP_NS}title")
    rec, text = sorted(dblp.subject_objects(title))[0]
    ours = WorkView("https://example.org/w")
    ours.add_title(str(text).rstrip(".").upper())  # another spelling of one of its titles
    found = first.candidates([ours])
    assert str(rec) in found[ours.iri]
    first.close()
    again = FileTarget([DBLP], cache=tmp_path)
    assert (folder / "works.sqlite").stat().st_mtime_ns == built
    assert again.candidates([ours]) == found
    # every work of the file is in the table, with its authors
    recs = {str(s) for s in dblp.subjects(title)}
    assert again.table.count() == len(recs)
    views = again.describe(recs)
    assert set(views) == recs
    for rec in recs:
        sigs = dblp.objects(rdflib.URIRef(rec), rdflib.URIRef(f"{DBLP_NS}hasSignature"))
        assert len(views[rec].ordered) == len(list(sigs))
    again.close()
