"""Run canned and ad-hoc SPARQL; results come back as typed, capped values.

>>> from scholkg.store import GraphStore
>>> r = run_sparql(GraphStore.open(None), "SELECT ?x WHERE { VALUES ?x { 1 2 } }")
>>> r.variables, len(r.rows), r.truncated
(['x'], 2, False)
"""

from __future__ import annotations

import enum
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .catalog import ROWS, CannedQuery, without_lines
from .errors import ParameterError, QueryError, QueryTimeout
from .indexrows import rows_block
from .params import coerce_values
from .sparqltext import code_only
from .textindex import MAX_HITS, words
from .vocab import PREFIXES, XSD

#: Rows returned unless --limit (or a canned query's ``#+ limit:``) says otherwise.
DEFAULT_LIMIT = 1000


class _Own(enum.Enum):
    LIMIT = "the canned query's own limit"


#: ``run_canned(limit=QUERY_LIMIT)``: the query's ``#+ limit:``, else :data:`DEFAULT_LIMIT`.
QUERY_LIMIT = _Own.LIMIT

#: Seconds a query may run on the command line unless --timeout says otherwise.
DEFAULT_TIMEOUT = 60.0

_UPDATE = re.compile(  # matched against code_only(text): IRIs and strings blanked out
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


@dataclass
class Result:
    """A query result. ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE.

    SELECT: ``variables`` and ``rows`` (dicts of variable -> term; unbound variables absent).
    ASK: ``boolean``. CONSTRUCT/DESCRIBE: ``triples``. ``truncated`` says the limit cut rows.
    """

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False
    limit: int | None = None

    def records(self) -> list[dict[str, str]]:
        """SELECT rows as plain dicts of variable -> value (unbound variables left out)."""
        return [{v: r[v].value for v in self.variables if v in r} for r in self.rows]


def bind(query: CannedQuery, values: Mapping[str, Sequence[str]], store, *,
         hits: int | None = MAX_HITS) -> str:
    """The query text with a VALUES block for every given parameter (and defaults), and for
    the rows of the author index a query asks for (``#+ rows:``).

    Values are coerced to RDF terms by kind and written with the engine's own term syntax, so a
    value can never change the query's structure. ``hits``: at most this many search hits or
    author index rows (None: every row; a search gives at most MAX_HITS).
    """
    for name in values:
        query.param(name)  # raises for unknown names
    blocks = []
    given: list[str] | None = None  # the persons or venues the author index finds rows of
    options: dict[str, list[str]] = {}  # every parameter's values, for the index's rows
    for p in query.params:
        raw = list(values.get(p.name, []))
        if not raw and p.default is not None:
            raw = [p.default]
        if not raw:
            if p.required:
                example = f' (e.g. -p {p.name} "{_example_value(p.kind)}")'
                raise ParameterError(f'query "{query.name}" needs parameter "{p.name}" '
                                     f"({p.kind}){example}.")
            continue
        if len(raw) > 1 and not p.multiple:
            raise ParameterError(f'parameter "{p.name}" was given {len(raw)} times; it takes '
                                 "one value.")
        if p.kind == "words":
            blocks.append(_words_block(p, raw[0], store, min(hits or MAX_HITS, MAX_HITS)))
            continue
        terms: list = []
        for v in raw:
            for t in coerce_values(p, v, store):
                if t not in terms:
                    terms.append(t)
        options[p.name] = [t.value for t in terms]
        if query.rows and p.kind == ROWS[query.rows][1]:
            given = [*(given or []), *(t.value for t in terms)]
            continue
        blocks.append(f"VALUES ?{p.name} {{ {' '.join(str(t) for t in terms)} }}")
    if query.rows:
        blocks.append(rows_block(query.rows, given, store, hits, options))
    text = query.text
    for at in reversed(query.where_offsets if blocks else ()):
        text = text[:at] + "\n  " + "\n  ".join(blocks) + "\n" + text[at:]
    return without_lines(text, (n for n in query.with_tags if not values.get(n)))


def _words_block(p, value: str, store, hits: int) -> str:
    """A ``words`` parameter binds ``?work`` and ``?score``: the ``hits`` best works the
    full-text index finds for the words, with their BM25 score. The words themselves never
    enter the query."""
    if not words(value):
        raise ParameterError(f'parameter "{p.name}" (words): "{value}" has no word to search '
                             'for (letters or digits).')
    rows = " ".join(f"({ox.NamedNode(w)} {ox.Literal(str(s), datatype=XSD.decimal)})"
                    for w, s in store.text_search(value, hits))
    return f"VALUES (?work ?score) {{ {rows} }}"


def _example_value(kind: str) -> str:
    return {"person": "Aojun Zhou", "venue": "ICLR", "year": "2025", "integer": "10",
            "text": "sparsity", "words": "sparse training", "doi": "10.1609/aaai.v32i1.11663",
            "orcid": "0000-0002-1825-0097", "iri": "https://..."}.get(kind, "...")


def run_canned(store, query: CannedQuery, values: Mapping[str, Sequence[str]] | None = None, *,
               limit: int | None | _Own = QUERY_LIMIT, timeout: float | None = None) -> Result:
    """Bind ``values`` into ``query`` and run it on ``store``, at most ``timeout`` seconds.
    At most ``limit`` rows (None: all); by default as many as the query's ``#+ limit:`` says,
    else :data:`DEFAULT_LIMIT`."""
    if limit is QUERY_LIMIT:
        limit = query.limit or DEFAULT_LIMIT
    # a search or the author index binds no more rows than can be shown (and one more, to say
    # the rows were cut)
    text = bind(query, values or {}, store, hits=None if limit is None else limit + 1)
    runs_on = _NOTHING if query.answered else store
    return _timed(lambda: _run(runs_on, text, limit=limit, origin=str(query.path)), timeout,
                  f'query "{query.name}"')


class _Nothing:
    """No store: what a query whose rows the author index gives (``CannedQuery.answered``)
    runs on."""

    def __init__(self):
        self._store = ox.Store()

    def query(self, text: str):
        return self._store.query(text, prefixes=dict(PREFIXES))


_NOTHING = _Nothing()


def run_sparql(store, text: str, *, limit: int | None = DEFAULT_LIMIT,
               timeout: float | None = None, allow_update: bool = False,
               allow_service: bool = False) -> Result:
    """Run an ad-hoc query. Updates are refused unless ``allow_update``; federated SERVICE
    calls to other endpoints unless ``allow_service``."""
    code = code_only(text)
    if not allow_service and re.search(r"\bSERVICE\b", code, re.IGNORECASE):
        raise QueryError("the query calls a remote endpoint (SERVICE); that is off unless you "
                         "ask for it with --allow-service.")
    if _UPDATE.match(code):
        if not allow_update:
            raise QueryError("this is a SPARQL update; \"scholkg sparql\" only runs read-only "
                             "queries (SELECT, ASK, CONSTRUCT, DESCRIBE) unless you pass "
                             "--allow-update.")
        store.update(text)
        return Result("UPDATE")
    return _timed(lambda: _run(store, text, limit=limit, origin="<query>"), timeout, "the query")


def _timed(fn, timeout: float | None, what: str) -> Result:
    """Run ``fn`` with a deadline. The engine releases the GIL while it evaluates, so a worker
    thread can be abandoned at the deadline; it stops when its query ends (the CLI exits)."""
    if timeout is None:
        return fn()
    box: dict = {}

    def work():
        try:
            box["result"] = fn()
        except BaseException as e:  # handed to the caller
            box["error"] = e

    worker = threading.Thread(target=work, daemon=True, name="scholkg-query")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"{what} did not finish within {timeout:g} s; narrow it (parameters, "
                           "a smaller --limit) or allow more time with --timeout.")
    if "error" in box:
        raise box["error"]
    return box["result"]


def _run(store, text: str, *, limit: int | None, origin: str) -> Result:
    try:
        raw = store.query(text)
    except SyntaxError as e:
        raise QueryError(f"{origin}: SPARQL syntax error: {e}") from None
    except (OSError, RuntimeError) as e:
        raise QueryError(f"{origin}: query failed: {e}") from None
    if isinstance(raw, ox.QueryBoolean):
        return Result("ASK", boolean=bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        rows = []
        truncated = False
        try:
            for sol in raw:
                if limit is not None and len(rows) >= limit:
                    truncated = True
                    break
                # by position: indexing a solution by name is four times slower
                rows.append({v: t for v, t in zip(variables, sol, strict=True) if t is not None})
        except (OSError, RuntimeError) as e:
            raise QueryError(f"{origin}: query failed: {e}") from None
        return Result("SELECT", variables=variables, rows=rows, truncated=truncated, limit=limit)
    triples = []
    truncated = False
    for t in raw:
        if limit is not None and len(triples) >= limit:
            truncated = True
            break
        triples.append(t)
    return Result("CONSTRUCT", triples=triples, truncated=truncated, limit=limit)
