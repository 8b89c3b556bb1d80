"""The ontology declares every term the code uses, and the data satisfies the SHACL shapes."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF

from scholkg.catalog import ontology_dir
from scholkg.vocab import SKG

ONTOLOGY = ontology_dir() / "scholkg.ttl"
SHAPES = ontology_dir() / "shapes.ttl"


def test_every_code_term_is_declared_with_label_and_kind():
    g = rdflib.Graph().parse(ONTOLOGY)
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name, term in SKG.terms.items():
        iri = rdflib.URIRef(term.value)
        assert set(g.objects(iri, RDF.type)) & kinds, f"skg:{name} is not declared"
        assert g.value(iri, rdflib.RDFS.label) is not None, f"skg:{name} has no label"


def test_every_declared_term_is_used_by_code():
    g = rdflib.Graph().parse(ONTOLOGY)
    declared = {str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(SKG.iri)}
    assert declared == {t.value for t in SKG.terms.values()}


def test_alignments_to_standard_vocabularies():
    text = ONTOLOGY.read_text("utf-8")
    for ns in ("https://schema.org/", "http://purl.org/dc/terms/", "http://xmlns.com/foaf/0.1/",
               "http://purl.org/spar/fabio/", "http://purl.org/spar/pro/",
               "https://dblp.org/rdf/schema#"):
        assert ns in text


def test_misspelt_term_fails_at_once():
    import pytest

    with pytest.raises(AttributeError, match="not a term of skg"):
        SKG.Wrok  # noqa: B018


def test_seed_graph_satisfies_shapes(seed_store):
    import pyshacl

    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in seed_store.quads()),
                      format=ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=nt.decode("utf-8"), format="nt")
    conforms, _, report = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(SHAPES))
    assert conforms, report


def test_shapes_catch_a_broken_graph(seed_store):
    """The shapes are not vacuous: a position 0 and a work without title are reported."""
    import pyshacl

    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in seed_store.quads()),
                      format=ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=nt.decode("utf-8"), format="nt")
    skg = rdflib.Namespace(SKG.iri)
    slot = next(data.subjects(skg.position, None))
    data.set((slot, skg.position, rdflib.Literal(0)))
    work = next(data.subjects(RDF.type, skg.Work))
    data.remove((work, skg.title, None))
    conforms, _, report = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(SHAPES))
    assert not conforms
    assert "an author position is 1-based" in report
    assert "a work needs a non-empty title" in report
