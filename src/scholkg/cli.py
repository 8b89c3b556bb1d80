"""The ``scholkg`` command line: thin over the library. Each command opens the store, makes one
or two library calls, renders, and turns ScholkgError into one line on stderr with exit 1."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .catalog import Catalog
from .cli_link import register as register_link_commands
from .errors import QueryTimeout, ScholkgError
from .export import EXPORT_FORMATS, export, export_format, format_for_path
from .importer import import_paths, remove_sources, write_rejects
from .query import DEFAULT_LIMIT, DEFAULT_TIMEOUT, QUERY_LIMIT, run_canned, run_sparql
from .render import FORMATS, render
from .sources import FORMAT_CHOICES
from .stats import stats
from .store import GraphStore
from .validate import validate

#: works imported at once from which the import suggests scholkg optimize
BIG_IMPORT = 100_000


def default_store() -> Path:
    """$SCHOLKG_STORE, else $XDG_DATA_HOME/scholkg/store (~/.local/share/scholkg/store)."""
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                          "share")
    return Path(data) / "scholkg" / "store"


def handle_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except QueryTimeout as e:
            click.echo(f"Error: {e}", err=True)
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(1)  # the abandoned query thread holds the store: end the process now
        except ScholkgError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)
    return wrapper


def _store(ctx: click.Context, *, read_only: bool = False) -> GraphStore:
    return GraphStore.open(ctx.obj["store"], read_only=read_only, wait=ctx.obj["wait"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path),
              envvar="SCHOLKG_STORE", show_envvar=True,
              help="Store folder. Default: $XDG_DATA_HOME/scholkg/store "
                   "(~/.local/share/scholkg/store).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              metavar="SECONDS",
              help="If another process is using the store, wait this long for it.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(__version__, prog_name="scholkg")
@click.pass_context
def main(ctx: click.Context, store: Path | None, wait: float, quiet: bool) -> None:
    """Turn scholarly records into an RDF knowledge graph, query it, export it.

    \b
    Example:
        scholkg import data/
        scholkg query coauthors -p author "Aojun Zhou"
        scholkg export -o graph.ttl
    """
    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING,
                        format="warning: %(message)s", stream=sys.stderr, force=True)
    ctx.ensure_object(dict)
    ctx.obj["store"] = store or default_store()
    ctx.obj["quiet"] = quiet
    ctx.obj["wait"] = wait


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="auto",
              show_default=True, help="Input format; auto detects by content and extension.")
@click.option("--replace", is_flag=True,
              help="Replace a source of the same file name imported from another folder.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the valid records of a file and leave out the invalid ones "
                   "(default: one invalid record stops the whole import).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("scholkg-rejected.jsonl"), show_default=True,
              help="With --skip-invalid: where to write the rejected records and why (JSON Lines).")
@click.option("--optimize", is_flag=True,
              help="Then compact the store, as scholkg optimize (after a large import).")
@click.option("--low-memory/--no-low-memory", default=True, show_default=True,
              help="Load in pieces (the default: 1.8 GiB for a million works); "
                   "--no-low-memory loads in one run of Oxigraph's loader: 2.5 GiB, and slower "
                   "on two cores.")
@click.pass_context
@handle_errors
def import_cmd(ctx: click.Context, paths: tuple[Path, ...], fmt: str, replace: bool,
               skip_invalid: bool, report: Path, optimize: bool,
               low_memory: bool) -> None:
    """Import record files and folders. Each file becomes one source graph; importing a file
    again replaces its graph (unchanged files are skipped). All or nothing: on any error the
    store is left as it was.

    \b
    Example:
        scholkg import data/
        scholkg import page.txt --format arrow
        scholkg import dblp.xml.gz refs.bib works.jsonl.gz meta.csv
        scholkg import refs.bib --skip-invalid --report rejected.jsonl
        scholkg import dblp.xml.gz --optimize
    """
    bar = _ProgressBar(enabled=not ctx.obj["quiet"] and sys.stderr.isatty())
    try:
        with _store(ctx) as gs:
            reports = import_paths(gs, paths, fmt=fmt, replace=replace,
                                   skip_invalid=skip_invalid, progress=bar.update,
                                   low_memory=low_memory)
            bar.close()
            for r in reports:
                skipped = f", {len(r.rejected)} rejected" if r.rejected else ""
                click.echo(f"{r.status}: {r.path} ({r.format}, {r.works} works, {r.records} "
                           f"records{skipped})", err=True)
            if optimize:
                _optimize(gs)
            # (in one run or in pieces, the merging was left for later: scholkg.compaction)
            elif sum(r.works for r in reports if r.status != "unchanged") >= BIG_IMPORT:
                click.echo("tip: scholkg optimize compacts the store (about a minute per "
                           "million works); the next write then does not wait for RocksDB to do "
                           "it, and queries read fewer files.", err=True)
    finally:
        bar.close()
    if any(r.rejected for r in reports):
        n = write_rejects(reports, report)
        first = next(x.error for r in reports for x in r.rejected)
        click.echo(f"warning: {n} invalid records left out, listed in {report}; the first: "
                   f"{first}", err=True)


@main.command("remove")
@click.argument("sources", nargs=-1, required=True)
@click.pass_context
@handle_errors
def remove_cmd(ctx: click.Context, sources: tuple[str, ...]) -> None:
    """Remove imported sources (by file name, path or source IRI) and everything read from
    them; what other sources say stays. All or nothing.

    \b
    Example:
        scholkg remove refs.bib
        scholkg remove data/aojun-zhou.jsonl dblp.xml.gz
    """
    with _store(ctx) as gs:
        removed = remove_sources(gs, sources)
    for path in removed:
        click.echo(f"removed: {path}", err=True)


@main.command("optimize")
@click.pass_context
@handle_errors
def optimize_cmd(ctx: click.Context) -> None:
    """Compact the store's files after a large import: the next write (replacing or removing a
    source, linking) then does not wait for RocksDB to compact them, and queries read fewer
    files. The data stays as it is (about a minute for a million works).

    \b
    Example:
        scholkg import dblp.xml.gz && scholkg optimize
    """
    with _store(ctx) as gs:
        _optimize(gs)


def _optimize(gs: GraphStore) -> None:
    if gs.path is None:
        return
    before = _files(gs.path)
    t = time.perf_counter()
    gs.optimize()
    took = time.perf_counter() - t
    after = _files(gs.path)
    click.echo(f"optimized: {before[0]} files ({before[1] / 2**20:,.0f} MiB) -> {after[0]} "
               f"files ({after[1] / 2**20:,.0f} MiB) in {took:.1f} s", err=True)


def _files(folder: Path) -> tuple[int, int]:
    """Number and total size of the store's table files (RocksDB may delete some meanwhile)."""
    tables = []
    for f in folder.glob("*.sst"):
        try:
            tables.append(f.stat().st_size)
        except FileNotFoundError:
            pass
    return len(tables), sum(tables)


class _ProgressBar:
    """A progress bar on stderr, per file, driven by the line being read."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar = None
        self._path: str | None = None
        self._pos = 0

    def update(self, path: str, line: int, total: int) -> None:
        if not self.enabled or total <= 0:  # no bar when the length is unknown (gzip)
            return
        if path != self._path:
            self.close()
            self._path = path
            self._pos = 0
            self._bar = click.progressbar(length=total, label=Path(path).name, file=sys.stderr)
            self._bar.__enter__()
        if self._bar is not None and line > self._pos:
            self._bar.update(line - self._pos)
            self._pos = line

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


_format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="Output: table (default on a terminal, else csv), csv, tsv, json and xml (W3C SPARQL "
         "results), jsonl; turtle, ntriples, jsonld, rdfxml, trig for CONSTRUCT/DESCRIBE.")
_limit_option = click.option(
    "--limit", type=click.IntRange(min=1), default=None,
    help=f"Return at most this many rows (default: {DEFAULT_LIMIT}, or the canned query's own, "
         "as \"scholkg queries show NAME\" says); truncation is reported on stderr.")
_timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT,
    show_default=True, help="Stop a query that runs longer than this many seconds.")


def _emit(result, fmt: str | None) -> None:
    click.echo(render(result, fmt or _default_format()), nl=False)
    if result.truncated:
        click.echo(f"warning: result truncated at {result.limit} rows; raise --limit for more.",
                   err=True)


@main.command("query")
@click.argument("name")
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="KEY VALUE",
              help="A parameter value; see \"scholkg queries show NAME\".")
@_format_option
@_limit_option
@_timeout_option
@click.pass_context
@handle_errors
def query_cmd(ctx, name: str, params, fmt: str | None, limit: int | None,
              timeout: float) -> None:
    """Run the canned query NAME with parameters.

    \b
    Example:
        scholkg query works-by-author -p author "Aojun Zhou"
        scholkg query works-in-venue -p venue ICLR -p year 2024 --format json
        scholkg query venue-works-per-year -p venue ICLR -p venue NeurIPS
        scholkg query coauthor-network -p author "Aojun Zhou" --format turtle
    """
    q = Catalog().get(name)
    values: dict[str, list[str]] = {}
    for key, value in params:
        values.setdefault(key, []).append(value)
    with _store(ctx, read_only=True) as gs:
        result = run_canned(gs, q, values, limit=QUERY_LIMIT if limit is None else limit,
                            timeout=timeout)
    _emit(result, fmt)


@main.group("queries")
def queries_group() -> None:
    """List and show the canned queries.

    \b
    Example:
        scholkg queries list
        scholkg queries show coauthors
    """


@queries_group.command("list")
@handle_errors
def queries_list() -> None:
    """List canned queries: name, parameters ([optional]) and title.

    \b
    Example:
        scholkg queries list
    """
    cat = Catalog()
    rows = [(q.name, " ".join(p.signature() for p in q.params), q.title) for q in cat]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    for name, sig, title in rows:
        click.echo(f"{name.ljust(w0)}  {sig.ljust(w1)}  {title}".rstrip())


@queries_group.command("show")
@click.argument("name")
@handle_errors
def queries_show(name: str) -> None:
    """Print the .rq file of a canned query (valid SPARQL for any client).

    \b
    Example:
        scholkg queries show coauthors
    """
    click.echo(Catalog().get(name).text, nl=False)


@main.command("sparql")
@click.argument("query")
@_format_option
@_limit_option
@_timeout_option
@click.option("--allow-update", is_flag=True,
              help="Run SPARQL updates (INSERT, DELETE, ...) too, in one transaction. Data "
                   "outside any GRAPH goes to the default graph, which queries see.")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE calls to other SPARQL endpoints (off by default).")
@click.pass_context
@handle_errors
def sparql_cmd(ctx, query: str, fmt: str | None, limit: int | None, timeout: float,
               allow_update: bool, allow_service: bool) -> None:
    """Run an ad-hoc SPARQL query (text, @FILE, or - for stdin) over all graphs; read-only
    unless --allow-update. The prefixes skg, rdf, rdfs, xsd, prov, dcterms, owl, schema, foaf,
    fabio, pro, dblp are predeclared.

    \b
    Example:
        scholkg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?w a skg:Work }'
        echo 'ASK WHERE { ?p a skg:Person }' | scholkg sparql -
        scholkg sparql --allow-update 'INSERT DATA { <https://example.org/w> a skg:Work }'
    """
    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        try:
            query = Path(query[1:]).read_text("utf-8")
        except OSError as e:
            raise click.BadParameter(f"cannot read {query[1:]}: {e.strerror}") from None
    with _store(ctx, read_only=not allow_update) as gs:
        result = run_sparql(gs, query, limit=limit or DEFAULT_LIMIT, timeout=timeout,
                            allow_update=allow_update, allow_service=allow_service)
    if result.form == "UPDATE":
        click.echo("update applied", err=True)
        return
    _emit(result, fmt)


@main.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
@click.option("--format", "fmt", default=None,
              help=f"One of {', '.join(EXPORT_FORMATS)} (default: from the -o extension, else "
                   "turtle). Graph formats hold the union of all sources; nquads and trig keep "
                   "each source's named graph.")
@click.pass_context
@handle_errors
def export_cmd(ctx, output: Path | None, fmt: str | None) -> None:
    """Export the graph as RDF.

    \b
    Example:
        scholkg export -o graph.ttl
        scholkg export --format nquads > graph.nq
    """
    f = export_format(fmt) if fmt else (format_for_path(str(output)) if output else None)
    f = f or EXPORT_FORMATS["turtle"]
    with _store(ctx, read_only=True) as gs:
        if output is None:
            export(gs, sys.stdout.buffer, f)
            return
        tmp = output.with_name(output.name + ".part")
        try:
            export(gs, str(tmp), f)
            tmp.replace(output)
        finally:
            tmp.unlink(missing_ok=True)
    click.echo(f"wrote {output} ({f.name})", err=True)


@main.command("validate")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
@click.pass_context
@handle_errors
def validate_cmd(ctx, fmt: str) -> None:
    """Check every source graph against the SHACL shapes (ontology/shapes.ttl) and the ontology
    itself. Exit status 1 when something violates them.

    \b
    Example:
        scholkg validate
        scholkg validate --format json
    """
    with _store(ctx, read_only=True) as gs:
        violations = validate(gs)
    if fmt == "json":
        click.echo(json.dumps({"conforms": not violations,
                               "violations": [v.as_dict() for v in violations]}, indent=1))
    elif violations:
        for v in violations:
            click.echo(f"{v.severity}: {v.focus}\n  path: {v.path}\n  {v.message}\n"
                       f"  in graph {v.graph}")
    else:
        click.echo("conforms: every source graph satisfies ontology/shapes.ttl")
    if violations:
        click.echo(f"{len(violations)} violation(s)", err=True)
        sys.exit(1)


@main.command("stats")
@_format_option
@click.pass_context
@handle_errors
def stats_cmd(ctx, fmt: str | None) -> None:
    """Counts of what the store holds, and the imported sources.

    \b
    Example:
        scholkg stats
    """
    with _store(ctx, read_only=True) as gs:
        s = stats(gs)
    click.echo(render(s.summary, fmt or "table"), nl=False)
    if (fmt or "table") == "table":
        click.echo("")
        click.echo(render(s.sources, "table"), nl=False)


register_link_commands(main, _store, handle_errors)


if __name__ == "__main__":  # pragma: no cover
    main()
