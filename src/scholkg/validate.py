"""Validate the graph: each source's graph against ``ontology/shapes.ttl`` (pyshacl), and the
ontology itself (it parses, and declares every term the code uses).

Each source graph is checked on its own: the union may hold disagreements between sources (two
years for one paper), which are information, not errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, SH

from .catalog import ontology_dir
from .errors import ScholkgError
from .identifiers import DATA_BASE
from .vocab import SKG


@dataclass(frozen=True)
class Violation:
    graph: str
    focus: str
    path: str
    message: str
    severity: str

    def as_dict(self) -> dict[str, str]:
        return {"graph": self.graph, "focus": self.focus, "path": self.path,
                "message": self.message, "severity": self.severity}


ENRICHMENT = DATA_BASE + "enrichment/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def check_ontology(folder: Path | None = None) -> list[str]:
    """Problems with the ontology files: parse errors, terms the code uses but does not declare."""
    folder = folder or ontology_dir()
    problems = []
    graphs = {}
    for name in ("scholkg.ttl", "shapes.ttl"):
        try:
            graphs[name] = rdflib.Graph().parse(folder / name, format="turtle")
        except Exception as e:  # rdflib raises many kinds on bad Turtle
            problems.append(f"{folder / name}: does not parse: {e}")
    onto = graphs.get("scholkg.ttl")
    if onto is not None:
        kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
        for name, term in SKG.terms.items():
            if not set(onto.objects(rdflib.URIRef(term.value), RDF.type)) & kinds:
                problems.append(f"skg:{name} is used by the code but not declared in "
                                f"{folder / 'scholkg.ttl'}")
    return problems


def _with_sources(store, graph: str, triples: list) -> list:
    """An enrichment graph adds to works and persons the source graphs describe: it is checked
    together with them (its violations are those whose focus node it mentions)."""
    out = list(triples)
    for g in store.committed_graphs()[1:]:
        if g != graph and not g.startswith(ENRICHMENT):
            out.extend(ox.Triple(q.subject, q.predicate, q.object) for q in store.graph_quads(g))
    return out


def validate(store, *, shapes: Path | None = None) -> list[Violation]:
    """SHACL violations of every committed source graph (empty when the graph conforms)."""
    import pyshacl

    problems = check_ontology()
    if problems:
        raise ScholkgError("the ontology is broken: " + "; ".join(problems))
    shape_graph = rdflib.Graph().parse(shapes or ontology_dir() / "shapes.ttl")
    out: list[Violation] = []
    for graph in store.committed_graphs()[1:]:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.graph_quads(graph)]
        mentioned = None
        if graph.startswith(ENRICHMENT):
            mentioned = {n.value for t in triples for n in (t.subject, t.object)}
            triples = _with_sources(store, graph, triples)
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        data = rdflib.Graph().parse(data=nt.decode("utf-8"), format="nt")
        conforms, report, _ = pyshacl.validate(data, shacl_graph=shape_graph)
        if conforms:
            continue
        for result in report.subjects(RDF.type, SH.ValidationResult):
            if mentioned is not None and str(report.value(result, SH.focusNode)) not in mentioned:
                continue  # the source graph's own problem, reported with it
            out.append(Violation(
                graph=graph,
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or ""),
                severity=str(report.value(result, SH.resultSeverity) or "").rsplit("#", 1)[-1]))
    return sorted(out, key=lambda v: (v.graph, v.focus, v.path, v.message))
