"""Links as RDF (a linkset graph with its VoID description), review files, decisions.

A linkset named N lives in its own named graph, registered like an imported source under
``skgid:linkset/N``. For each link it holds the link triple itself (``<ours> owl:sameAs
<theirs>`` or ``skos:closeMatch``) and a ``skg:Link`` node with the score, method, evidence and
status, so a SPARQL query can explain every link. VoID describes the linkset: two
``void:Linkset``\\ s, one per link predicate, with their targets and triple counts.

Review: ``write_review`` writes every link as a CSV row with an empty ``decision`` column; a
person fills in ``accept`` or ``reject``, and ``read_review`` reads the decisions back (errors
name the file and line). Decisions are kept in their own graph (``skgid:link-decisions``) and
applied on every run: a rejected link never comes back, an accepted one is ``owl:sameAs``
whatever its score.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from ..errors import InputError
from ..identifiers import DATA_BASE, digest
from ..vocab import DCTERMS, OWL, PROV, RDF, RDFS, SKG, SKOS, VOID, XSD
from .matcher import Link

DECISIONS = DATA_BASE + "link-decisions"
DATASET = DATA_BASE + "dataset"
REVIEW_COLUMNS = ("decision", "kind", "relation", "score", "local", "local_label", "external",
                  "external_label", "method", "evidence")
RELATIONS = {"sameAs": OWL.sameAs, "closeMatch": SKOS.closeMatch}


def linkset_iri(name: str) -> str:
    return f"{DATA_BASE}linkset/{name}"


def enrichment_iri(name: str) -> str:
    return f"{DATA_BASE}enrichment/{name}"


def link_iri(local: str, external: str) -> str:
    return f"{DATA_BASE}link/{digest(local + '|' + external)}"


@dataclass(frozen=True)
class Decision:
    local: str
    external: str
    verdict: str  # "accept" or "reject"
    linkset: str = ""
    kind: str = "work"


def apply_decisions(links: list[Link], decisions: dict[tuple[str, str], Decision]) -> list[Link]:
    """Rejected links dropped; accepted ones made owl:sameAs with status "accepted"."""
    out = []
    for link in links:
        d = decisions.get(link.pair)
        if d is None:
            out.append(link)
        elif d.verdict == "accept":
            link.relation, link.status = "sameAs", "accepted"
            out.append(link)
    return out


def linkset_quads(name: str, links: list[Link], graph: str, *, target: str,
                  locations: list[str], schema: str, now: datetime | None = None) -> Iterator[Quad]:
    g = NamedNode(graph)
    ls = NamedNode(linkset_iri(name))
    candidates = NamedNode(linkset_iri(name) + "/candidates")

    def q(s, p, o):
        return Quad(s, p, o, g)

    counts = {"sameAs": 0, "closeMatch": 0}
    for link in links:
        s, o = NamedNode(link.local), NamedNode(link.external)
        yield q(s, RELATIONS[link.relation], o)
        counts[link.relation] += 1
        n = NamedNode(link_iri(link.local, link.external))
        yield q(n, RDF.type, SKG.Link)
        yield q(n, SKG.linkSubject, s)
        yield q(n, SKG.linkObject, o)
        yield q(n, SKG.linkRelation, RELATIONS[link.relation])
        yield q(n, SKG.linkKind, Literal(link.kind))
        yield q(n, SKG.score, Literal(f"{link.score:.4f}", datatype=XSD.decimal))
        yield q(n, SKG.method, Literal(link.method))
        yield q(n, SKG.evidence, Literal(link.evidence))
        yield q(n, SKG.linkStatus, Literal(link.status))
        yield q(n, SKG.inLinkset, ls)
        if link.external_label and not link.external.startswith(DATA_BASE):  # ours have labels
            yield q(o, RDFS.label, Literal(link.external_label))
    created = Literal((now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
                      datatype=XSD.dateTime)
    dataset = NamedNode(DATASET)
    yield q(dataset, RDF.type, VOID.Dataset)
    for node, predicate, count, title in (
            (ls, OWL.sameAs, counts["sameAs"], f"Links to {target} ({name})"),
            (candidates, SKOS.closeMatch, counts["closeMatch"],
             f"Candidate links to {target} ({name}), to review")):
        yield q(node, RDF.type, VOID.Linkset)
        yield q(node, DCTERMS.title, Literal(title))
        yield q(node, VOID.subjectsTarget, dataset)
        yield q(node, VOID.objectsTarget, NamedNode(target))
        yield q(node, VOID.linkPredicate, predicate)
        yield q(node, VOID.triples, Literal(str(count), datatype=XSD.integer))
        yield q(node, DCTERMS.created, created)
    for loc in locations:
        yield q(ls, SKG.targetLocation, Literal(loc))
    yield q(ls, SKG.targetSchema, Literal(schema))
    yield q(ls, PROV.generatedAtTime, created)


def decision_quads(decisions: Iterable[Decision], graph: str) -> Iterator[Quad]:
    g = NamedNode(graph)
    for d in decisions:
        n = NamedNode(f"{DATA_BASE}decision/{digest(d.local + '|' + d.external)}")
        yield Quad(n, RDF.type, SKG.Decision, g)
        yield Quad(n, SKG.linkSubject, NamedNode(d.local), g)
        yield Quad(n, SKG.linkObject, NamedNode(d.external), g)
        yield Quad(n, SKG.decision, Literal(d.verdict), g)
        yield Quad(n, SKG.linkKind, Literal(d.kind), g)
        if d.linkset:
            yield Quad(n, SKG.inLinkset, NamedNode(d.linkset), g)


DECISIONS_QUERY = """SELECT ?local ?external ?verdict ?linkset ?kind WHERE {
  ?d a skg:Decision ; skg:linkSubject ?local ; skg:linkObject ?external ; skg:decision ?verdict .
  OPTIONAL { ?d skg:inLinkset ?linkset }
  OPTIONAL { ?d skg:linkKind ?kind }
}"""


def decisions_from_rows(rows: Iterable[dict[str, str]]) -> dict[tuple[str, str], Decision]:
    return {(r["local"], r["external"]): Decision(r["local"], r["external"], r["verdict"],
                                                  r.get("linkset", ""), r.get("kind", "work"))
            for r in rows}


# ---- review files -----------------------------------------------------------------------------

def write_review(links: list[Link], path: Path, linkset: str) -> int:
    """Every link as a row to decide on, candidates first, weakest first."""
    order = sorted(links, key=lambda k: (k.relation != "closeMatch", k.kind, k.score, k.local))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([*REVIEW_COLUMNS, "linkset"])
        for k in order:
            w.writerow(["", k.kind, k.relation, f"{k.score:.4f}", k.local, k.local_label,
                        k.external, k.external_label, k.method, k.evidence, linkset])
    return len(order)


def read_review(path: Path) -> list[Decision]:
    """The rows with a decision. Errors say file, line and what to write."""
    try:
        f = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"cannot read review file: {e.strerror}.", path=str(path)) from None
    out = []
    with f:
        reader = csv.DictReader(f)
        missing = {"decision", "local", "external"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"review file lacks column(s) {', '.join(sorted(missing))}; write "
                             'it with "scholkg link ... --review FILE".', path=str(path), line=1)
        for row in reader:
            line = reader.line_num
            verdict = (row.get("decision") or "").strip().lower()
            if not verdict:
                continue
            if verdict not in ("accept", "reject"):
                raise InputError(f'decision "{row["decision"]}" is neither "accept" nor '
                                 '"reject" (or empty, to leave the link as it is).',
                                 path=str(path), line=line)
            local, external = (row.get("local") or "").strip(), (row.get("external") or "").strip()
            for value, col in ((local, "local"), (external, "external")):
                try:
                    NamedNode(value)
                except ValueError:
                    raise InputError(f'column "{col}" holds "{value}", not an IRI; keep the '
                                     "IRIs the review file was written with.", path=str(path),
                                     line=line) from None
            kind = (row.get("kind") or "work").strip()
            if kind not in ("work", "person", "venue"):
                raise InputError(f'kind "{kind}" is not work, person or venue; keep the value '
                                 "the review file was written with.", path=str(path), line=line)
            out.append(Decision(local, external, verdict, (row.get("linkset") or "").strip(),
                                kind))
    return out
