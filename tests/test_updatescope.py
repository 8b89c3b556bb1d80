"""Which named graphs an update may write (scholkg.updatescope): what the store rebuilds after it."""

from __future__ import annotations

import pytest

from scholkg.updatescope import MAX_PARSED, written_graphs
from scholkg.vocab import PREFIXES

G, H = "https://example.org/g", "https://example.org/h"
T = "<https://example.org/s> <https://example.org/p> 1"


@pytest.mark.parametrize("update, graphs", [
    (f"INSERT DATA {{ GRAPH <{G}> {{ {T} }} }}", {G}),
    (f"INSERT DATA {{ {T} }}", None),  # the default graph: read with every graph
    (f"DELETE DATA {{ GRAPH <{G}> {{ {T} }} GRAPH <{H}> {{ {T} }} }}", {G, H}),
    (f"DELETE WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}", {G}),
    (f"DELETE {{ GRAPH <{G}> {{ ?s ?p ?o }} }} INSERT {{ GRAPH <{H}> {{ ?s ?p ?o }} }} "
     "WHERE { GRAPH ?any { ?s ?p ?o } }", {G, H}),  # read from any graph, written to two
    (f"WITH <{G}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", {G}),
    (f"WITH <{G}> INSERT {{ GRAPH <{H}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}", {H}),
    (f"INSERT {{ ?s ?p ?o }} USING <{G}> WHERE {{ ?s ?p ?o }}", None),
    (f"WITH <{G}> INSERT {{ GRAPH <{H}> {{ ?s ?p ?o }} }} USING <{G}> WHERE {{ ?s ?p ?o }}", {H}),
    ('PREFIX ex: <https://example.org/> INSERT DATA { GRAPH ex:g { ex:s ex:p "o" } }', {G}),
    ("INSERT DATA { GRAPH skgid:g { skgid:s skg:title 'o' } }",  # predeclared prefixes
     {PREFIXES["skgid"] + "g"}),
    (f"CLEAR GRAPH <{G}>", {G}),
    (f"DROP SILENT GRAPH <{G}> ; CREATE GRAPH <{H}>", {G, H}),
    ("CLEAR DEFAULT", None),
    (f"LOAD <https://example.org/x.ttl> INTO GRAPH <{G}>", {G}),
    ("LOAD <https://example.org/x.ttl>", None),
    (f"ADD <{G}> TO <{H}>", {H}),
    (f"COPY <{G}> TO DEFAULT", None),
    (f"COPY DEFAULT TO <{G}>", {G}),
    (f"MOVE <{G}> TO <{H}>", {G, H}),  # the source is emptied too
    (f"INSERT DATA {{ GRAPH <{G}> {{ {T} }} }} ; DELETE WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
     None),
    ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", None),
    ("DROP ALL", None),
    ("CLEAR NAMED", None),
    ("WITH ?g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", None),  # not SPARQL: Oxigraph's error
    ("not an update at all", None),
    (f"INSERT DATA {{ GRAPH <{G}> {{ {T} }} }}" + " " * MAX_PARSED, None),  # too long to parse
])
def test_written_graphs(update, graphs):
    assert written_graphs(update, PREFIXES) == graphs
