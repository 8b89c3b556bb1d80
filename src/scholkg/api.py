"""The Python API in one object: open a store, import, query, export.

>>> import scholkg
>>> kg = scholkg.open(None)            # in memory; a path opens (or creates) a store on disk
>>> _ = kg.import_files("data/")        # doctest: +SKIP
>>> kg.query("coauthors", author="Aojun Zhou").records()[0]   # doctest: +SKIP
{'name': 'Zimu Lu', 'works': '8', 'first': '2024', 'last': '2026', 'coauthor': 'https://...'}
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .catalog import CannedQuery, Catalog
from .export import export, export_format
from .importer import SourceReport, import_paths
from .query import DEFAULT_LIMIT, QUERY_LIMIT, Result, _Own, run_canned, run_sparql
from .stats import Stats, stats
from .store import GraphStore


class KnowledgeGraph:
    """A scholkg store with its canned-query catalogue."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
                 queries: Path | None = None):
        self.store = GraphStore.open(path, read_only=read_only)
        self.catalog = Catalog(queries)

    def import_files(self, *paths: str | os.PathLike[str], format: str = "auto",
                     replace: bool = False, skip_invalid: bool = False,
                     low_memory: bool = True) -> list[SourceReport]:
        """Import files and folders (all or nothing); see :func:`scholkg.import_paths`."""
        return import_paths(self.store, paths, fmt=format, replace=replace,
                            skip_invalid=skip_invalid, low_memory=low_memory)

    def query(self, name: str, *, limit: int | None | _Own = QUERY_LIMIT,
              timeout: float | None = None, **params: str | Sequence[str]) -> Result:
        """Run the canned query ``name``; each keyword is a parameter (a value or a list). At
        most ``limit`` rows (None: all); by default as many as the query's ``#+ limit:`` says,
        else 1,000."""
        values = {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}
        return run_canned(self.store, self.catalog.get(name), values, limit=limit,
                          timeout=timeout)

    def sparql(self, text: str, *, limit: int | None = DEFAULT_LIMIT,
               timeout: float | None = None) -> Result:
        """Run a read-only SPARQL query over all sources."""
        return run_sparql(self.store, text, limit=limit, timeout=timeout)

    def export(self, output, format: str = "turtle") -> None:
        """Write the graph to a path or binary file in an RDF format (turtle, nquads, ...)."""
        export(self.store, str(output) if isinstance(output, Path) else output,
               export_format(format))

    def optimize(self) -> None:
        """Compact the store's files after a large import (see :meth:`GraphStore.optimize`)."""
        self.store.optimize()

    def stats(self) -> Stats:
        return stats(self.store, self.catalog)

    def queries(self) -> Iterable[CannedQuery]:
        return iter(self.catalog)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open(path: str | os.PathLike[str] | None = None, *, read_only: bool = False  # noqa: A001
         ) -> KnowledgeGraph:
    """Open the store at ``path`` (None: a temporary in-memory one)."""
    return KnowledgeGraph(path, read_only=read_only)
