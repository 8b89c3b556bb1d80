"""Store statistics: the collection summary and the list of imported sources."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog
from .query import Result, run_canned, run_sparql

SOURCES_QUERY = """
PREFIX skg: <https://w3id.org/scholkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?file ?format ?records ?imported ?source WHERE {
  GRAPH ?source { ?source a skg:Source ; skg:sourcePath ?file ; skg:sourceFormat ?format ;
                          skg:recordCount ?records ; prov:generatedAtTime ?imported }
} ORDER BY ?file
"""


@dataclass
class Stats:
    summary: Result
    sources: Result


def stats(store, catalog: Catalog | None = None) -> Stats:
    cat = catalog or Catalog()
    return Stats(run_canned(store, cat.get("collection-summary"), {}, limit=None),
                 run_sparql(store, SOURCES_QUERY, limit=None))
