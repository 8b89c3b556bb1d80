"""Export the store in any RDF format.

Graph formats (Turtle, N-Triples, RDF/XML, JSON-LD) hold one graph: the union of all sources,
with triples stated by several sources written once. Dataset formats (N-Quads, TriG) keep each
source in its named graph, provenance included.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .errors import ScholkgError
from .store import GraphStore


@dataclass(frozen=True)
class ExportFormat:
    name: str
    rdf_format: ox.RdfFormat
    aliases: tuple[str, ...]

    @property
    def dataset(self) -> bool:
        return self.rdf_format.supports_datasets


EXPORT_FORMATS = {
    f.name: f
    for f in (
        ExportFormat("turtle", ox.RdfFormat.TURTLE, ("ttl", "text/turtle")),
        ExportFormat("ntriples", ox.RdfFormat.N_TRIPLES, ("nt", "application/n-triples")),
        ExportFormat("nquads", ox.RdfFormat.N_QUADS, ("nq", "application/n-quads")),
        ExportFormat("trig", ox.RdfFormat.TRIG, ("application/trig",)),
        ExportFormat("jsonld", ox.RdfFormat.JSON_LD, ("json-ld", "application/ld+json")),
        ExportFormat("rdfxml", ox.RdfFormat.RDF_XML, ("rdf", "xml", "owl",
                                                      "application/rdf+xml")),
    )
}


def export_format(name: str) -> ExportFormat:
    """A format by name, alias, MIME type or file extension."""
    key = name.lower().lstrip(".")
    if key in EXPORT_FORMATS:
        return EXPORT_FORMATS[key]
    for f in EXPORT_FORMATS.values():
        if key in f.aliases:
            return f
    raise ScholkgError(f'unknown export format "{name}"; choose one of '
                       f'{", ".join(EXPORT_FORMATS)}.')


def format_for_path(path: str) -> ExportFormat | None:
    """The format a file name's extension asks for, if any ("out.nt" -> ntriples)."""
    if "." not in path:
        return None
    try:
        return export_format(path.rsplit(".", 1)[1])
    except ScholkgError:
        return None


def export(store: GraphStore, output, fmt: ExportFormat) -> None:
    """Write the store to ``output`` (a path or a binary file object)."""
    if fmt.dataset:
        store.dump_dataset(output, format=fmt.rdf_format)
    else:
        store.dump_union(output, format=fmt.rdf_format)
