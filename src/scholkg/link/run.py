"""The linking job as the CLI and the Python API call it.

``link(gs, target, name=...)`` reads our works, matches them against the target, links persons
and venues through the matched works, applies the decisions of earlier reviews, and writes the
linkset and its enrichment graph in one commit (or, with ``dry_run``, writes nothing and returns
what it would link). ``review(gs, file)`` stores decisions and recomputes the linksets they touch
from the locations recorded in them (caches make that cheap). ``propose`` is in
:mod:`.persons`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ScholkgError
from ..store import GraphStore
from . import persons
from .enrich import enrichment_quads
from .linkset import (
    DATASET,
    DECISIONS,
    DECISIONS_QUERY,
    Decision,
    apply_decisions,
    decision_quads,
    decisions_from_rows,
    enrichment_iri,
    linkset_iri,
    linkset_quads,
    read_review,
    write_review,
)
from .matcher import Link, match_works, person_links, venue_links
from .targets import BATCH, EndpointTarget, FileTarget, LocalSide, Target, rows
from .views import WorkView

log = logging.getLogger(__name__)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class LinkError(ScholkgError):
    """A linking job cannot run as asked."""


@dataclass
class LinkReport:
    name: str
    target: str
    works: int
    links: list[Link]
    seconds: float
    written: bool
    enrichment_quads: int = 0
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{n} {kind} {rel}" for (kind, rel), n in sorted(self.counts.items())]
        verb = "linked" if self.written else "would link"
        return (f'{verb} {self.works} works against {self.target} as linkset "{self.name}": '
                f"{', '.join(parts) or 'nothing'} ({self.seconds:.1f} s)")


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise LinkError(f'linkset name "{name}" is not usable: use letters, digits, ".", "_" or '
                        '"-" (e.g. dblp, wikidata-2026).')
    return name


def open_target(locations: list[str], *, schema: str, cache: Path, timeout: float = 30.0,
                min_interval: float = 1.0) -> Target:
    """Files, or one SPARQL endpoint URL."""
    urls = [x for x in locations if re.match(r"^[a-z]+://", x, re.IGNORECASE)]
    if urls:
        if len(locations) != 1:
            raise LinkError("give either one SPARQL endpoint URL or files, not both.")
        return EndpointTarget(urls[0], schema=schema, cache=cache, timeout=timeout,
                              min_interval=min_interval)
    return FileTarget([Path(x) for x in locations], schema=schema, cache=cache)


def local_views(gs: GraphStore, name: str) -> Iterator[WorkView]:
    """Our works, as our sources and other linksets describe them (not this linkset)."""
    side = LocalSide(gs, exclude=[linkset_iri(name), enrichment_iri(name)])
    iris = side.work_iris()
    for i in range(0, len(iris), BATCH):
        views = side.describe(iris[i:i + BATCH])
        yield from (views[w] for w in iris[i:i + BATCH] if w in views)


def stored_decisions(gs: GraphStore) -> dict[tuple[str, str], Decision]:
    return decisions_from_rows(rows(gs.query(DECISIONS_QUERY)))


def link(gs: GraphStore, target: Target, *, name: str, locations: list[str],
         dry_run: bool = False, enrich: bool = True, review_file: Path | None = None,
         progress: Callable[[int], None] | None = None) -> LinkReport:
    check_name(name)
    start = time.monotonic()
    works = 0

    def counted() -> Iterator[WorkView]:
        nonlocal works
        for v in local_views(gs, name):
            works += 1
            yield v

    matches = match_works(counted(), target, progress=progress)
    schema = target.schema
    links = [Link("work", m.local.iri, schema.public_iri(m.external), m.relation,
                  m.result.score, m.result.method, "; ".join(m.result.evidence),
                  m.local.label, m.external.label) for m in matches]
    links += person_links(matches, schema.public_person)
    links += venue_links(matches)
    ls = linkset_iri(name)
    decisions = stored_decisions(gs)
    links = apply_decisions(links, decisions)
    found = {k.pair for k in links}
    for d in decisions.values():  # accepted by a person, not found this time: kept
        if d.verdict == "accept" and d.linkset == ls and (d.local, d.external) not in found:
            links.append(Link(d.kind, d.local, d.external, "sameAs", 1.0, "review",
                              "accepted in review", status="accepted"))
    rejected_pairs = {p for p, d in decisions.items() if d.verdict == "reject"}
    matches = [m for m in matches
               if (m.local.iri, schema.public_iri(m.external)) not in rejected_pairs]
    report = LinkReport(name, target.description, works, links, 0.0, written=not dry_run)
    for k in links:
        report.counts[(k.kind, k.relation)] = report.counts.get((k.kind, k.relation), 0) + 1
    if review_file is not None:
        write_review(links, review_file, ls)
    if not dry_run:
        stamp = uuid.uuid4().hex[:16]  # a new version each run; the old one is dropped
        graph = f"{ls}/v/{stamp}"
        gs.write(linkset_quads(name, links, graph, target=target.iri, locations=locations,
                               schema=schema.name))
        changes = {ls: graph}
        if enrich:
            eg = f"{enrichment_iri(name)}/v/{stamp}"
            report.enrichment_quads = gs.write(enrichment_quads(
                [m for m in matches if m.relation == "sameAs"],
                [k for k in links if k.kind == "person"], eg, ls))
            changes[enrichment_iri(name)] = eg
        gs.commit(changes)
    report.seconds = time.monotonic() - start
    return report


def propose_persons(gs: GraphStore, *, dry_run: bool = False,
                    review_file: Path | None = None) -> LinkReport:
    """In-graph proposals (see :mod:`.persons`), kept as the linkset "same-persons"."""
    start = time.monotonic()
    ls = linkset_iri(persons.NAME)
    links = apply_decisions(persons.propose(gs), stored_decisions(gs))
    report = LinkReport(persons.NAME, "this graph", 0, links, 0.0, written=not dry_run)
    for k in links:
        report.counts[(k.kind, k.relation)] = report.counts.get((k.kind, k.relation), 0) + 1
    if review_file is not None:
        write_review(links, review_file, ls)
    if not dry_run:
        stamp = uuid.uuid4().hex[:16]
        graph = f"{ls}/v/{stamp}"
        gs.write(linkset_quads(persons.NAME, links, graph, target=DATASET, locations=[],
                               schema="self"))
        gs.commit({ls: graph})
    report.seconds = time.monotonic() - start
    return report


def export_linkset(gs: GraphStore, name: str, output, *, format) -> None:
    """The linkset's graph (links, their descriptions, VoID) as RDF."""
    graph = gs.current_graphs().get(linkset_iri(check_name(name)))
    if graph is None:
        known = ", ".join(r["name"] for r in linksets(gs)) or "none"
        raise LinkError(f'no linkset "{name}" (linksets: {known}).')
    gs.dump_graph(graph, output, format=format)


def linksets(gs: GraphStore) -> list[dict[str, str]]:
    """Each linkset: name, target, schema, link counts, when."""
    q = """SELECT ?ls ?target ?schema ?created
       (SUM(IF(?rel = owl:sameAs, 1, 0)) AS ?same) (SUM(IF(?rel = skos:closeMatch, 1, 0)) AS ?close)
    WHERE { ?ls a void:Linkset ; void:linkPredicate owl:sameAs ; void:objectsTarget ?target ;
                skg:targetSchema ?schema ; dcterms:created ?created .
            OPTIONAL { ?l skg:inLinkset ?ls ; skg:linkRelation ?rel } }
    GROUP BY ?ls ?target ?schema ?created ORDER BY ?ls"""
    out = []
    for r in rows(gs.query(q)):
        r["name"] = r.pop("ls").rsplit("/", 1)[-1]
        out.append(r)
    return out


def remove_linkset(gs: GraphStore, name: str) -> None:
    ls = linkset_iri(check_name(name))
    current = gs.current_graphs()
    if ls not in current:
        known = ", ".join(r["name"] for r in linksets(gs)) or "none"
        raise LinkError(f'no linkset "{name}" (linksets: {known}).')
    gs.remove_sources([s for s in (ls, enrichment_iri(name)) if s in current])


def locations_of(gs: GraphStore, ls: str) -> tuple[list[str], str]:
    q = f"""SELECT ?loc ?schema WHERE {{ <{ls}> skg:targetSchema ?schema
                                          OPTIONAL {{ <{ls}> skg:targetLocation ?loc }} }}"""
    rs = list(rows(gs.query(q)))
    return sorted({r["loc"] for r in rs if "loc" in r}), (rs[0]["schema"] if rs else "auto")


def review(gs: GraphStore, path: Path, *, cache: Path) -> list[LinkReport]:
    """Store the decisions of a review file, then recompute the linksets they belong to."""
    new = read_review(path)
    if not new:
        return []
    decisions = stored_decisions(gs)
    for d in new:
        decisions[(d.local, d.external)] = d
    graph = f"{DECISIONS}/v/{uuid.uuid4().hex[:16]}"
    gs.write(decision_quads(decisions.values(), graph))
    gs.commit({DECISIONS: graph})
    reports = []
    current = gs.current_graphs()
    for ls in sorted({d.linkset for d in new if d.linkset}):
        if ls not in current:
            continue
        locations, schema = locations_of(gs, ls)
        if schema == "self":
            reports.append(propose_persons(gs))
            continue
        try:
            target = open_target(locations, schema=schema, cache=cache)
        except ScholkgError as e:
            raise LinkError(f"decisions stored, but linkset {ls} cannot be recomputed: {e} "
                            "Rerun scholkg link with the target's files or URL.") from None
        try:
            reports.append(link(gs, target, name=ls.rsplit("/", 1)[-1], locations=locations))
        finally:
            target.close()
    return reports
