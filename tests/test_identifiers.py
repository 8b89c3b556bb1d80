"""Identifier normalisation and IRI minting: examples and properties."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholkg import identifiers as ids
from scholkg import sparqltext, textlinks


def test_doctests():
    for mod in (ids, textlinks, sparqltext):
        assert doctest.testmod(mod).failed == 0


@pytest.mark.parametrize("a, b, same", [
    ("Dongzhi JIANG", "Dongzhi Jiang", True),
    ("Ke Wang", "Ke Wang 0036", False),
    ("Hongsheng Li", "Hongsheng Li 0001", False),
    ("Hongsheng  Li\u00a00001", "hongsheng li 0001", True),
    ("Müller", "Muller", False),
    ("Mu\u0308ller", "M\u00fcller", True),  # NFC
])
def test_person_identity(a, b, same):
    assert (ids.person_iri(a) == ids.person_iri(b)) is same


def test_name_match_key_folds_case_diacritics_and_homonym():
    assert ids.name_match_key("Dóngzhi JIANG 0002") == ids.name_match_key("dongzhi jiang")


@pytest.mark.parametrize("value, expected", [
    ("10.1609/AAAI.V32I1.11663", "10.1609/aaai.v32i1.11663"),
    ("https://doi.org/10.1000/x", "10.1000/x"),
    ("doi:10.1000/x.", "10.1000/x"),
])
def test_doi(value, expected):
    assert ids.normalise_doi(value) == expected


@pytest.mark.parametrize("bad", ["", "10.1/x", "doi", "11.1000/x"])
def test_doi_rejects(bad):
    with pytest.raises(ids.IdentifierError):
        ids.normalise_doi(bad)


def test_orcid_checksum():
    assert ids.normalise_orcid("https://orcid.org/0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert ids.normalise_orcid("000000021694233X") == "0000-0002-1694-233X"
    with pytest.raises(ids.IdentifierError):
        ids.normalise_orcid("0000-0002-1825-0098")


def test_other_identifiers():
    assert ids.normalise_arxiv("https://arxiv.org/abs/2102.04010v2") == "2102.04010v2"
    assert ids.normalise_arxiv("hep-th/9901001") == "hep-th/9901001"
    assert ids.normalise_dblp_key("https://dblp.org/rec/conf/iclr/ZhouMZLZYSL21.html") == \
        "conf/iclr/ZhouMZLZYSL21"
    assert ids.normalise_openalex("https://openalex.org/w123") == "W123"
    assert ids.wikidata_iri(ids.normalise_qid("wd:q42")) == "http://www.wikidata.org/entity/Q42"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/"):
        with pytest.raises(ids.IdentifierError):
            ids.safe_url(bad)


@given(st.text(max_size=30), st.one_of(st.none(), st.from_regex(r"[0-9]{4}", fullmatch=True)))
def test_person_key_idempotent(name, homonym):
    key = ids.person_key(name, homonym)
    assert ids.person_key(key) == key


@given(st.text(max_size=30))
def test_iris_are_valid_and_deterministic(name):
    from pyoxigraph import NamedNode

    for iri in (ids.person_iri(name), ids.venue_iri(name), ids.cluster_iri("arrow", name)):
        NamedNode(iri)  # raises on an invalid IRI
    assert ids.person_iri(name) == ids.person_iri(name)


@given(st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9][A-Za-z0-9._;()/:-]{0,20}[A-Za-z0-9]", fullmatch=True))
def test_doi_normalisation_idempotent(doi):
    n = ids.normalise_doi(doi)
    assert ids.normalise_doi(n) == n
    assert ids.normalise_doi(ids.doi_iri(n)) == n


@pytest.mark.parametrize("text, links", [
    ("see https: //github. com/a/b. Next", ["https://github.com/a/b"]),
    ("\\url{https: //github. com/NM-sparsity/DominoSearch}.",
     ["https://github.com/NM-sparsity/DominoSearch"]),
    ("at https://example.org/x(1) and http://a.org", ["https://example.org/x(1)", "http://a.org"]),
    ("ratio 2. 1M and e. g. nothing", []),
])
def test_find_links(text, links):
    assert textlinks.find_links(text) == links


@pytest.mark.parametrize("url, kind", [
    ("https://github.com/a/b", "code"),
    ("https://github.com/a", "project"),
    ("https://huggingface.co/datasets/x/y", "data"),
    ("https://zenodo.org/records/1", "data"),
    ("https://journeydb.github.io", "project"),
])
def test_link_kind(url, kind):
    assert textlinks.link_kind(url) == kind


@given(st.text())
def test_identifier_iris_are_valid_iris_whatever_the_identifier(value):
    """DOIs, dblp keys and pids become IRIs that Oxigraph accepts, whatever they hold ("#",
    "[", a stray "%", private-use characters): the importer's bulk load does not check them
    again (docs/performance.md, "Lenient loading")."""
    from pyoxigraph import NamedNode

    for to_iri in (ids.doi_iri, ids.dblp_iri, ids.dblp_pid_iri):
        assert NamedNode(to_iri(value)).value == to_iri(value)


@pytest.mark.parametrize("doi, iri", [
    ("10.1002/(sici)1097-0142(19970315)79:6<1246::aid-cncr23>3.0.co;2-#",
     "https://doi.org/10.1002/(sici)1097-0142(19970315)79:6%3C1246::aid-cncr23%3E3.0.co;2-%23"),
    ("10.1000/[x]?y", "https://doi.org/10.1000/%5Bx%5D%3Fy"),
    ("10.1000/100%zz", "https://doi.org/10.1000/100%25zz"),
    ("10.1000/100%2f", "https://doi.org/10.1000/100%2f"),
    ("10.1000/caf\u00e9", "https://doi.org/10.1000/caf\u00e9"),
])
def test_doi_iris(doi, iri):
    assert ids.doi_iri(ids.normalise_doi(doi)) == iri
