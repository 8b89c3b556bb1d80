"""Canned queries: ``queries/*.rq`` files whose ``#+`` header lines describe them.

A file stays valid SPARQL that runs unchanged in any SPARQL client; the header is comments::

    #+ title: Works of an author
    #+ description: Every work of the person, in author order position.
    #+ param: author person required -- The author, by name ("Aojun Zhou") or IRI.
    #+ param: year year optional -- Only works of this year.
    #+ example: scholkg query works-by-author -p author "Aojun Zhou"
    #+ limit: 100
    SELECT ... WHERE { ... ?author ... }

``limit`` (optional) is how many rows the query shows unless ``--limit`` says otherwise
(:data:`scholkg.query.DEFAULT_LIMIT` when absent): a search, say, shows a page of the best hits.

``rows`` (optional) names rows that the store's author index computes from the query's
``person`` parameters, or its ``venue`` or ``integer`` ones (see :data:`ROWS` and
:mod:`scholkg.indexrows`), bound in a ``VALUES`` block like a parameter's: ``coauthor-pairs``
binds ``?a ?la ?b ?lb ?n`` (two persons, their names, their shared works among the persons'
works; most shared first), ``coauthors`` binds ``?coauthor ?name ?works ?first ?last``, and so
on. Those parameters are then not bound themselves.

Parameter values are bound as RDF terms in a ``VALUES`` block placed at the start of the query's
top-level ``WHERE`` group, or where each line holding only the comment ``# scholkg:bind`` stands
(inside a subquery that must see the values, say; a query may have several, and each gets the
block); nothing a user types is ever pasted into query text.

A line that ends with the comment ``# scholkg:with NAME`` (``NAME`` an optional parameter) is
left out of the query when that parameter has no value: a query can then start from the value
when it is given (``?work skg:hasAuthor ?author .  # scholkg:with author``) and go over the
whole graph when it is not, instead of filtering every row on ``BOUND(?author)``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import ParameterError, QueryError
from .sparqltext import code_only, where_group_offset

KINDS = ("iri", "person", "venue", "integer", "year", "text", "words", "doi", "orcid")
#: ``#+ rows:`` names -> the variables they bind, and the kind of parameter (persons, venues...)
#: whose rows they are, which is then not bound itself (:mod:`scholkg.indexrows`).
ROWS = {"coauthor-pairs": (("a", "la", "b", "lb", "n"), "person"),
        "coauthors-of-coauthors": (("person", "name", "shared_coauthors"), "person"),
        "coauthors": (("coauthor", "name", "works", "first", "last"), "person"),
        "venue-authors": (("person", "name", "works", "first", "last"), "venue"),
        "venue-years": (("year", "works", "authors"), "venue"),
        "venue-newcomers": (("year", "new_authors"), "venue"),
        "venue-pairs": (("a", "la", "b", "lb", "n"), "venue"),
        "career": (("first", "last", "span_years", "works", "active_years", "venues",
                    "coauthors"), "person"),
        "author-venues": (("venue", "works", "first", "last"), "person"),
        "years": (("year", "works"), "person"),
        "collaborations": (("a", "name_a", "b", "name_b", "works", "first", "last"), "integer"),
        "author-works": (("year", "title", "venue", "position", "role", "listed", "complete",
                          "work"), "person"),
        "author-roles": (("year", "role", "work"), "person"),
        "linked-works": (("year", "title", "printed_as", "work"), "person"),
        "related": (("shared_authors", "year", "title", "other"), "iri"),
        # the works that can be among the rows shown, for the query to list (parameters left
        # bound, the query's own patterns kept: the index only narrows where it starts)
        "venue-works": (("work", "venue"), "venue"),
        "recent": (("work",), None),
        "unidentified": (("work",), None)}

_PARAM = re.compile(
    r"^(?P<name>[a-z][a-z0-9_]*)\s+(?P<kind>[a-z]+)\s+"
    r"(?P<req>required|optional(?:=(?P<default>\S+))?)(?:\s+(?P<multi>multiple))?"
    r"\s*(?:--\s*(?P<desc>.*))?$"
)
_ANSWERED = re.compile(r"\bWHERE\s*\{\s*FILTER\s*\(\s*BOUND\s*\(\s*\?\w+\s*\)\s*\)\s*\}",
                       re.IGNORECASE)
_HEADER = re.compile(r"^#\+\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*)$")
_BIND_MARKER = re.compile(r"^[ \t]*#[ \t]*scholkg:bind[ \t]*$", re.MULTILINE)
_WITH = r"#[ \t]*scholkg:with[ \t]+"  # then the parameter's name, at the end of the line
_WITH_TAG = re.compile(_WITH + r"(?P<name>\S+)[ \t]*$")


def without_lines(text: str, names: Iterable[str]) -> str:
    """``text`` less its lines tagged ``# scholkg:with NAME`` for any of ``names``."""
    alternatives = "|".join(re.escape(n) for n in names)
    if not alternatives:
        return text
    return re.sub(rf"^.*{_WITH}(?:{alternatives})[ \t]*$\n?", "", text, flags=re.MULTILINE)
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool
    default: str | None
    description: str
    multiple: bool = False

    def signature(self) -> str:
        many = "..." if self.multiple else ""
        if self.required:
            return f"{self.name}:{self.kind}{many}"
        d = f"={self.default}" if self.default is not None else ""
        return f"[{self.name}:{self.kind}{d}{many}]"


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    text: str
    path: Path
    form: str  # SELECT, CONSTRUCT, ASK or DESCRIBE
    where_offsets: tuple[int, ...]  # where VALUES blocks go: the bind markers, or just after
    # the "{" that opens the top-level WHERE group
    limit: int | None = None  # rows shown unless the caller says otherwise (None: the default)
    rows: str | None = None  # rows the author index binds (a name in ROWS)
    with_tags: tuple[str, ...] = ()  # optional parameters whose "# scholkg:with" lines go
    # when they have no value

    @property
    def where_offset(self) -> int:
        return self.where_offsets[0]

    @property
    def answered(self) -> bool:
        """Whether the author index gives every row (``#+ rows:``) and the query reads nothing
        else: its WHERE group is ``FILTER(BOUND(?x))`` and the rows bound there. It then runs
        on an empty store (a term bound in a ``VALUES`` block is looked up in the store it runs
        on: 1,000 titles took 30 ms on a million works, 4 ms on no store)."""
        return self.rows is not None and _ANSWERED.search(code_only(self.text)) is not None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        names = [p.name for p in self.params]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f' Did you mean "{close[0]}"?' if close else ""
        valid = ", ".join(names) or "none"
        raise ParameterError(f'query "{self.name}" has no parameter "{name}".{hint} '
                         f"Parameters: {valid}.")


def queries_dir() -> Path:
    """The folder of bundled canned queries: inside the installed package, or the source tree."""
    packaged = resources.files("scholkg").joinpath("queries")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "queries"


def ontology_dir() -> Path:
    packaged = resources.files("scholkg").joinpath("ontology")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "ontology"


def parse_query_file(path: Path) -> CannedQuery:
    text = path.read_text("utf-8")
    fields: dict[str, list[tuple[int, str]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line.strip())
        if m:
            fields.setdefault(m.group("key"), []).append((number, m.group("value").strip()))
    unknown = set(fields) - {"title", "description", "param", "example", "limit", "rows"}
    if unknown:
        key = sorted(unknown)[0]
        line = fields[key][0][0]
        raise QueryError(f'{path}:{line}:1: unknown header "#+ {key}:" (expected title, '
                         "description, param, example, limit, rows).")
    rows = None
    for number, value in fields.get("rows", [])[:1]:
        if value not in ROWS:
            raise QueryError(f'{path}:{number}:1: unknown rows "{value}" (expected one of '
                             f'{", ".join(ROWS)}).')
        missing = [v for v in ROWS[value][0] if not re.search(rf"[?$]{v}\b", code_only(text))]
        if missing:
            raise QueryError(f'{path}:{number}:1: rows "{value}" bind ?{" ?".join(ROWS[value][0])}'
                             f', but the query never uses ?{missing[0]}.')
        rows = value
    limit = None
    for number, value in fields.get("limit", [])[:1]:
        if not re.fullmatch(r"[1-9]\d*", value):
            raise QueryError(f'{path}:{number}:1: limit "{value}" is not a whole number of rows '
                             '(e.g. "#+ limit: 100").')
        limit = int(value)
    if "title" not in fields:
        raise QueryError(f'{path}:1:1: missing "#+ title:" header.')
    params = []
    for number, value in fields.get("param", []):
        m = _PARAM.match(value)
        if not m:
            raise QueryError(f'{path}:{number}:1: param "{value}" does not read as '
                             '"NAME KIND required|optional[=DEFAULT] [multiple] -- description".')
        if m.group("kind") not in KINDS:
            raise QueryError(f'{path}:{number}:1: unknown parameter kind "{m.group("kind")}" '
                             f'(expected one of {", ".join(KINDS)}).')
        name = m.group("name")
        if m.group("kind") == "words":  # binds ?work and ?score (see scholkg.query)
            if not re.search(r"[?$]work\b", code_only(text)):
                raise QueryError(f'{path}:{number}:1: parameter "{name}" (words) binds ?work '
                                 "and ?score, but the query never uses ?work.")
        elif rows and m.group("kind") == ROWS[rows][1]:
            pass  # the author index reads it
        elif not re.search(rf"[?$]{name}\b", code_only(text)):
            raise QueryError(f'{path}:{number}:1: parameter "{name}" is declared but the query '
                             f"never uses ?{name}.")
        params.append(Param(name, m.group("kind"), m.group("req") == "required",
                            m.group("default"), (m.group("desc") or "").strip(),
                            multiple=m.group("multi") is not None))
    optional = {p.name for p in params if not p.required and p.default is None}
    with_tags: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _WITH_TAG.search(line)
        if m is None or line.lstrip().startswith("#"):
            continue
        if m.group("name") not in optional:
            raise QueryError(f'{path}:{number}:{m.start() + 1}: "# scholkg:with '
                             f'{m.group("name")}" names no optional parameter without default '
                             f'(optional ones: {", ".join(sorted(optional)) or "none"}).')
        if m.group("name") not in with_tags:
            with_tags.append(m.group("name"))
    form = _FORM.search(code_only(text))
    if form is None:
        raise QueryError(f"{path}:1:1: not a SPARQL query (no SELECT, CONSTRUCT, ASK or "
                         "DESCRIBE).")
    offsets = tuple(m.start() for m in _BIND_MARKER.finditer(text)) or (where_group_offset(text),)
    if offsets[0] is None:
        raise QueryError(f'{path}:1:1: the query needs an explicit top-level "WHERE {{" so that '
                         "parameters can be bound.")
    return CannedQuery(
        name=path.stem,
        title=fields["title"][0][1],
        description=" ".join(v for _, v in fields.get("description", [])),
        params=tuple(params),
        examples=tuple(v for _, v in fields.get("example", [])),
        text=text,
        path=path,
        form=form.group(1).upper(),
        where_offsets=offsets,
        limit=limit,
        rows=rows,
        with_tags=tuple(with_tags),
    )


class Catalog:
    """All canned queries of one folder, by name."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or queries_dir()
        if not self.folder.is_dir():
            raise QueryError(f'canned query folder "{self.folder}" does not exist.')
        self._queries = {p.stem: parse_query_file(p) for p in sorted(self.folder.glob("*.rq"))}

    def __iter__(self):
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def names(self) -> list[str]:
        return list(self._queries)

    def get(self, name: str) -> CannedQuery:
        try:
            return self._queries[name]
        except KeyError:
            close = difflib.get_close_matches(name, self.names(), n=1)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            raise QueryError(f'Unknown canned query "{name}".{hint} Run "scholkg queries list" '
                             "to see all queries.") from None


def catalog_markdown(catalog: Catalog) -> str:
    """The catalogue as a Markdown page (docs/queries.md is this, checked by a test)."""
    out = ["# Canned queries", "",
           "Generated from the `#+` headers of `queries/*.rq` by `python -m scholkg.catalog > "
           "docs/queries.md`; a test fails when this page and the files disagree.", "",
           "Each file is valid SPARQL: `scholkg queries show NAME` prints it for any SPARQL "
           "client. Parameters are bound as RDF terms in a `VALUES` block, never pasted into "
           "the text: at the start of the top-level `WHERE` group, or at each line "
           "`# scholkg:bind` (inside the subqueries that must start from the bound values, so "
           "that the engine does not scan the whole graph first). A line that ends with "
           "`# scholkg:with NAME` is left out when the optional parameter NAME has no value "
           "(`works-per-year` starts from the person's works when a person is given, and "
           "counts every work when not). Parameter kinds: "
           + ", ".join(f"`{k}`" for k in KINDS) + ".", "",
           "Queries see the union of the sources' graphs, where Oxigraph (0.5) gives a triple "
           "once per graph that holds it: a work described by five sources has each of its "
           "values five times. A query that joins several values of a work side by side "
           "multiplies those copies (5^9 rows for one work in the first `works-by-author`, "
           "which then did not finish within a minute); the catalogue reads each value in a "
           "subquery of its "
           "own, grouped by the work, and counts with `DISTINCT` "
           "(`tests/test_query_forms.py` runs every query on many sources and on the same "
           "data merged into one graph, and compares).", "",
           "| query | parameters | title |", "|---|---|---|"]
    for q in catalog:
        sig = " ".join(f"`{p.signature()}`" for p in q.params) or "none"
        out.append(f"| [{q.name}](#{q.name}) | {sig} | {q.title} |")
    for q in catalog:
        out += ["", f"## {q.name}", "", f"**{q.title}.** {q.description}".rstrip(), ""]
        if q.limit is not None:
            out += [f"Shows the first {q.limit} rows unless `--limit` says otherwise.", ""]
        if q.rows is not None:
            out += [f"Binds `?{' ?'.join(ROWS[q.rows][0])}` from the store's author index "
                    f"(`#+ rows: {q.rows}`); the file's comment gives the same rows in plain "
                    "SPARQL, for other clients.", ""]
        if q.params:
            out.append("Parameters:")
            out.append("")
            for p in q.params:
                req = "required" if p.required else (
                    f"optional, default `{p.default}`" if p.default else "optional")
                if p.multiple:
                    req += ", several allowed"
                out.append(f"- `{p.name}` ({p.kind}, {req}): {p.description}")
            out.append("")
        out.append("```sh")
        out += list(q.examples)
        out.append("```")
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(catalog_markdown(Catalog()))
