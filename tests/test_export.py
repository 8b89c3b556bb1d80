"""Exports parse with rdflib and hold exactly what the store holds."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from scholkg import GraphStore, export, export_format
from scholkg.export import EXPORT_FORMATS, format_for_path


def union_graph(gs) -> rdflib.Graph:
    """The store's union graph, built directly from its quads."""
    g = rdflib.Graph()
    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in gs.quads()),
                      format=ox.RdfFormat.N_TRIPLES)
    g.parse(data=nt.decode("utf-8"), format="nt")
    return g


def exported(gs, name: str) -> bytes:
    buf = io.BytesIO()
    export(gs, buf, export_format(name))
    return buf.getvalue()


def assert_same(expected: rdflib.Graph, actual: rdflib.Graph) -> None:
    if to_isomorphic(expected) == to_isomorphic(actual):
        return
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    pytest.fail("graphs differ\nonly in store:\n" + only_expected.serialize(format="nt")[:2000]
                + "\nonly in export:\n" + only_actual.serialize(format="nt")[:2000])


@pytest.mark.parametrize("fmt, rdflib_fmt", [("turtle", "turtle"), ("ntriples", "nt"),
                                              ("rdfxml", "xml")])
def test_graph_exports_are_isomorphic_to_the_store(seed_store, fmt, rdflib_fmt):
    data = exported(seed_store, fmt)
    g = rdflib.Graph().parse(data=data, format=rdflib_fmt)
    assert_same(union_graph(seed_store), g)


@pytest.mark.parametrize("fmt, rdflib_fmt", [("nquads", "nquads"), ("trig", "trig"),
                                              ("jsonld", "json-ld")])
def test_dataset_exports_keep_source_graphs(seed_store, fmt, rdflib_fmt):
    ds = rdflib.Dataset()
    ds.parse(data=exported(seed_store, fmt), format=rdflib_fmt)
    assert len(ds) == seed_store.count_quads()
    graphs = {str(c.identifier) for c in ds.graphs() if len(c)}
    assert graphs == set(seed_store.named_graphs())


def test_round_trip_into_fresh_store(seed_store):
    fresh = GraphStore.open(None)
    fresh._store.load(exported(seed_store, "nquads"), format=ox.RdfFormat.N_QUADS)  # noqa: SLF001
    assert set(fresh.quads()) == set(seed_store.quads())


def test_turtle_uses_prefixes(seed_store):
    text = exported(seed_store, "turtle").decode("utf-8")
    assert "@prefix skg: <https://w3id.org/scholkg/ontology#>" in text
    assert "skg:hasAuthorship" in text


def test_format_names():
    assert export_format("ttl").name == "turtle"
    assert export_format("application/n-quads").name == "nquads"
    assert format_for_path("x/graph.nt").name == "ntriples"
    assert format_for_path("graph") is None
    assert set(EXPORT_FORMATS) == {"turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"}
