"""Which named graphs a SPARQL update may write.

After an update the store rebuilds what it derives from the graphs the update changed: their
author indexes, texts and the statistics. Oxigraph does not say which graphs an update changed,
so without this every graph is read again (about ten minutes at a million works, for one
corrected triple). The update's text says it: the graphs of its ``INSERT DATA`` / ``DELETE
DATA`` blocks and templates, its ``WITH`` graph, and the targets of ``LOAD``, ``CLEAR``,
``DROP``, ``CREATE``, ``ADD``, ``MOVE`` and ``COPY``. Where it does not say (a graph given by
a variable, ``DROP ALL``), the answer is "any"; so it is when the update writes the default
graph, which every query of the store reads beside the named graphs, those that derive the
indexes and statistics of a graph too.

The update is parsed with rdflib's SPARQL parser, whose time grows faster than the text (4 s
for a 38 kB ``INSERT DATA``, 94 s for 198 kB): a longer update, or one rdflib cannot parse
(Oxigraph then judges it), counts as writing any graph.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Updates longer than this (characters) are not parsed here: any graph may change.
MAX_PARSED = 20_000


def written_graphs(update: str, prefixes: Mapping[str, str] = {}) -> set[str] | None:
    """The IRIs of the named graphs ``update`` may change, or None when it may change any."""
    if len(update) > MAX_PARSED:
        return None
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        ops = translateUpdate(parseUpdate(update), initNs=dict(prefixes)).algebra
    except Exception:  # rdflib's parse errors have no common base class
        return None
    graphs: set[str] = set()

    def part(op, key: str):
        return op[key] if key in op else None  # (rdflib's get gives the key back when missing)

    def named(term) -> bool:
        """Add ``term`` if it is a graph's IRI; False if it is not one graph's: a variable,
        ALL, NAMED, or the default graph (None, DEFAULT)."""
        if isinstance(term, URIRef):
            graphs.add(str(term))
            return True
        return False

    for op in ops:
        name = op.name
        if name in ("InsertData", "DeleteData", "DeleteWhere", "Modify"):
            blocks = [op] if name != "Modify" else [
                b for b in (part(op, "delete"), part(op, "insert")) if b is not None]
            # triples outside GRAPH go to the WITH graph, else to the default graph
            if any(part(b, "triples") for b in blocks) and not named(part(op, "withClause")):
                return None
            if not all(named(g) for b in blocks for g in part(b, "quads") or {}):
                return None
        elif name in ("Load", "Clear", "Drop", "Create"):
            if not named(part(op, "graphiri")):
                return None
        elif name in ("Add", "Copy"):
            if not named(op["graph"][1]):
                return None
        elif name == "Move":  # the source is emptied
            if not (named(op["graph"][0]) and named(op["graph"][1])):
                return None
        else:  # a form not known here
            return None
    return graphs
