"""scholkg: scholarly records -> RDF knowledge graph in an embedded Oxigraph store.

Library first: everything the CLI does is one call here.

>>> import scholkg
>>> kg = scholkg.open(None)
>>> kg.query("collection-summary").records()[0]["works"]
'0'
"""

from .api import KnowledgeGraph, open  # noqa: A004
from .catalog import CannedQuery, Catalog
from .errors import InputError, ParameterError, QueryError, ScholkgError, StoreError
from .export import export, export_format
from .importer import import_paths
from .query import Result, run_canned, run_sparql
from .store import GraphStore

__version__ = "0.1.0"

__all__ = [
    "KnowledgeGraph", "open", "Catalog", "CannedQuery", "GraphStore", "InputError",
    "ParameterError", "QueryError", "Result", "ScholkgError", "StoreError", "export",
    "export_format", "import_paths", "run_canned", "run_sparql", "__version__",
]
