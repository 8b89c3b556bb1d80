"""Reading SPARQL text without parsing it: comments, strings and IRIs blanked out, offsets kept.

Used to find where a canned query's VALUES block goes and to spot update or SERVICE keywords.

>>> code_only('SELECT ?x WHERE { ?x <http://a/#b> "WHERE {" } # WHERE {')
'SELECT ?x WHERE { ?x                         }          '
>>> where_group_offset("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
30
"""

from __future__ import annotations

import re

_IRI = re.compile(r"<[^\s<>\"{}|^`\\]*>")


def code_only(text: str) -> str:
    """``text`` with comments, string literals and IRIs replaced by spaces (newlines kept), so
    that every offset still points at the same place."""
    out = list(text)

    def blank(start: int, end: int) -> None:
        for k in range(start, min(end, len(out))):
            if out[k] != "\n":
                out[k] = " "

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
            continue
        if ch in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            blank(i, j + len(quote))
            i = j + len(quote)
            continue
        if ch == "<":
            m = _IRI.match(text, i)
            if m:
                blank(i, m.end())
                i = m.end()
                continue
        i += 1
    return "".join(out)


def where_group_offset(text: str) -> int | None:
    """Index just after the "{" that opens the top-level WHERE group."""
    code = code_only(text)
    depth = 0
    saw_where = False
    for m in re.finditer(r"[{}]|\bWHERE\b", code, re.IGNORECASE):
        token = m.group(0)
        if token == "{":
            if depth == 0 and saw_where:
                return m.end()
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            saw_where = True
    return None
