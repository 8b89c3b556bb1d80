"""Render query results: a text table, or the W3C SPARQL 1.1 result formats (JSON, XML, CSV,
TSV), JSON Lines, and RDF formats for CONSTRUCT/DESCRIBE results.

The W3C formats are written here rather than by the engine because results are capped by
``--limit`` first; tests read every output back with pyoxigraph's own result parser.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import QueryError
from .query import Result
from .vocab import EXPORT_PREFIXES, PREFIXES

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "jsonl")
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
}
FORMATS = (*SELECT_FORMATS, *GRAPH_FORMATS)


def render(result: Result, fmt: str) -> str:
    """``result`` as text in ``fmt``."""
    if result.form == "CONSTRUCT":
        if fmt == "table":
            fmt = "turtle"
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f'a CONSTRUCT/DESCRIBE result cannot be written as "{fmt}"; use one '
                             f'of {", ".join(GRAPH_FORMATS)}.')
        data = ox.serialize(result.triples, format=GRAPH_FORMATS[fmt], prefixes=dict(EXPORT_PREFIXES))
        return data.decode("utf-8")
    if fmt in GRAPH_FORMATS:
        raise QueryError(f'a {result.form} result cannot be written as "{fmt}"; use one of '
                         f'{", ".join(SELECT_FORMATS)}.')
    return {"table": table, "csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml,
            "jsonl": to_jsonl}[fmt](result)


def compact(term) -> str:
    """A term as a person reads it: literal values bare, IRIs with a known prefix shortened."""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if prefix in ("skgid",):
                continue
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def table(result: Result) -> str:
    if result.form == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    head = result.variables
    body = [[compact(r[v]) if v in r else "" for v in head] for r in result.rows]
    widths = [max([len(h)] + [len(row[i]) for row in body]) for i, h in enumerate(head)]
    numeric = [all(_is_number(r.get(v)) for r in result.rows if v in r) and any(
        v in r for r in result.rows) for v in head]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(c.rjust(widths[i]) if numeric[i] else c.ljust(widths[i]))
        return "  ".join(out).rstrip()

    lines = [line(head), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in body]
    return "\n".join(lines) + "\n"


def _is_number(term) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value.endswith(
        ("#integer", "#decimal", "#double", "#int", "#long", "#float"))


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(result: Result) -> str:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    doc = {"head": {"vars": result.variables},
           "results": {"bindings": [{v: _json_term(t) for v, t in r.items()}
                                    for r in result.rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_jsonl(result: Result) -> str:
    """One JSON object per row, values as plain strings: convenient for scripts."""
    if result.form == "ASK":
        return json.dumps({"boolean": bool(result.boolean)}) + "\n"
    return "".join(json.dumps({v: r[v].value for v in result.variables if v in r},
                              ensure_ascii=False) + "\n" for r in result.rows)


def to_xml(result: Result) -> str:
    out = ['<?xml version="1.0"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.form == "ASK":
        out += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>",
                "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["</head>", "<results>"]
    for r in result.rows:
        out.append("<result>")
        for v, t in r.items():
            out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        attr = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attr}>{escape(term.value)}</literal>"


def to_csv(result: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.form == "ASK":
        w.writerow(["_askResult"])
        w.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    w.writerow(result.variables)
    for r in result.rows:
        w.writerow([r[v].value if v in r else "" for v in result.variables])
    return buf.getvalue()


def to_tsv(result: Result) -> str:
    if result.form == "ASK":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for r in result.rows:
        lines.append("\t".join(str(r[v]) if v in r else "" for v in result.variables))
    return "\n".join(lines) + "\n"
