"""``scholkg link`` and ``scholkg links ...``: thin over :mod:`scholkg.link.run`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .export import export_format, format_for_path
from .link import run
from .link.schemas import SCHEMAS
from .query import Result
from .render import render


def _table(rows: list[dict[str, str]]) -> str:
    """Plain rows as a text table (values as literals, IRIs as IRIs)."""
    import pyoxigraph as ox

    def term(v: str):
        return ox.NamedNode(v) if v.startswith(("http://", "https://")) else ox.Literal(v)

    names = list(rows[0]) if rows else []
    return render(Result("SELECT", variables=names,
                         rows=[{k: term(v) for k, v in r.items() if v != ""} for r in rows]),
                  "table")


def default_cache() -> Path:
    """$SCHOLKG_CACHE, else $XDG_CACHE_HOME/scholkg (~/.cache/scholkg)."""
    if os.environ.get("SCHOLKG_CACHE"):
        return Path(os.environ["SCHOLKG_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "scholkg"


_cache_option = click.option(
    "--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where loaded target files and endpoint answers are kept. Default: $SCHOLKG_CACHE, "
         "else $XDG_CACHE_HOME/scholkg (~/.cache/scholkg).")


def _show(report: run.LinkReport, limit: int) -> None:
    rows = [{"kind": k.kind, "relation": k.relation, "score": f"{k.score:.2f}",
             "ours": k.local_label or k.local, "theirs": k.external, "method": k.method}
            for k in sorted(report.links, key=lambda k: (k.kind, -k.score, k.local_label))]
    if rows:
        click.echo(_table(rows[:limit]), nl=False)
        if len(rows) > limit:
            click.echo(f"... {len(rows) - limit} more (--show N, or --review FILE for all)",
                       err=True)


def register(main: click.Group, store_of, handle_errors) -> None:
    """Add the linking commands to the ``scholkg`` group."""

    @main.command("link")
    @click.argument("targets", nargs=-1, required=True)
    @click.option("--name", default=None,
                  help="Linkset name (default: the target's vocabulary: dblp, wikidata, scholkg). "
                       "Linking again under the same name replaces the linkset.")
    @click.option("--schema", type=click.Choice(["auto", *SCHEMAS]), default="auto",
                  show_default=True,
                  help="Vocabulary of the target; auto detects it in files (give it for URLs).")
    @click.option("--dry-run", is_flag=True, help="Print what would be linked; write nothing.")
    @click.option("--review", "review_file", type=click.Path(dir_okay=False, path_type=Path),
                  help="Also write every link and candidate to this CSV, to accept or reject.")
    @click.option("--no-enrich", is_flag=True,
                  help="Do not add identifiers and cut author lists from linked records.")
    @click.option("--timeout", type=click.FloatRange(min=1), default=30, show_default=True,
                  metavar="SECONDS", help="Endpoints: time limit per request.")
    @click.option("--interval", type=click.FloatRange(min=0), default=1, show_default=True,
                  metavar="SECONDS", help="Endpoints: least time between two requests.")
    @click.option("--show", type=click.IntRange(min=0), default=20, show_default=True,
                  help="With --dry-run: how many links to print.")
    @_cache_option
    @click.pass_context
    @handle_errors
    def link_cmd(ctx, targets, name, schema, dry_run, review_file, no_enrich, timeout, interval,
                 show, cache) -> None:
        """Link our works, persons and venues with an external graph: dump files (dblp RDF,
        Wikidata RDF, OpenAlex JSON, ...; gzip allowed) or one SPARQL endpoint URL.

        Confident links are owl:sameAs, candidates skos:closeMatch; each carries its score,
        method and evidence. Identifiers and author lists our records lack are added in an
        enrichment graph of their own.

        \b
        Example:
            scholkg link dblp-extract.nt.gz
            scholkg link works.jsonl --name openalex --dry-run
            scholkg link https://sparql.dblp.org/sparql --schema dblp --review review.csv
        """
        target = run.open_target(list(targets), schema=schema, cache=cache or default_cache(),
                                 timeout=timeout, min_interval=interval)
        try:
            with store_of(ctx) as gs:
                report = run.link(gs, target, name=name or target.schema.name,
                                  locations=[_location(t) for t in targets], dry_run=dry_run,
                                  enrich=not no_enrich, review_file=review_file)
        finally:
            target.close()
        if dry_run:
            _show(report, show)
        click.echo(report.summary(), err=True)
        if review_file:
            click.echo(f"wrote {review_file}: fill in accept/reject, then "
                       f'"scholkg links review {review_file}"', err=True)

    @main.group("links")
    def links_group() -> None:
        """Linksets: list, review, propose, export, remove.

        \b
        Example:
            scholkg links list
            scholkg links review review.csv
        """

    @links_group.command("list")
    @click.pass_context
    @handle_errors
    def links_list(ctx) -> None:
        """The linksets in the store, with their targets and counts.

        \b
        Example:
            scholkg links list
        """
        with store_of(ctx, read_only=True) as gs:
            rows = run.linksets(gs)
        if rows:
            click.echo(_table([{k: r.get(k, "") for k in ("name", "same", "close", "schema",
                                                          "target", "created")} for r in rows]),
                       nl=False)
        else:
            click.echo('no linksets yet; make one with "scholkg link FILE|URL"', err=True)

    @links_group.command("review")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @_cache_option
    @click.pass_context
    @handle_errors
    def links_review(ctx, file, cache) -> None:
        """Apply a filled-in review file: "accept" makes a link owl:sameAs, "reject" removes it
        for good (reruns keep the decision). The linksets concerned are recomputed.

        \b
        Example:
            scholkg link dblp.nt.gz --review review.csv
            scholkg links review review.csv
        """
        with store_of(ctx) as gs:
            reports = run.review(gs, file, cache=cache or default_cache())
        if not reports:
            click.echo(f"{file}: no decisions (fill the decision column with accept or reject)",
                       err=True)
        for r in reports:
            click.echo(r.summary(), err=True)

    @links_group.command("propose")
    @click.option("--dry-run", is_flag=True, help="Print the proposals; write nothing.")
    @click.option("--review", "review_file", type=click.Path(dir_okay=False, path_type=Path),
                  help="Also write the proposals to this CSV, to accept or reject.")
    @click.option("--show", type=click.IntRange(min=0), default=20, show_default=True)
    @click.pass_context
    @handle_errors
    def links_propose(ctx, dry_run, review_file, show) -> None:
        """Propose which of our persons are one person ("Ke Wang" / "Ke Wang 0036"), with the
        evidence: compatible names, shared co-authors and venues. Proposals are
        skos:closeMatch in the linkset "same-persons"; accepting one in review makes it
        owl:sameAs.

        \b
        Example:
            scholkg links propose --dry-run
            scholkg links propose --review persons.csv
        """
        with store_of(ctx) as gs:
            report = run.propose_persons(gs, dry_run=dry_run, review_file=review_file)
        if dry_run:
            _show(report, show)
        click.echo(report.summary().replace(" 0 works against this graph", ""), err=True)

    @links_group.command("export")
    @click.argument("name")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                  help="File to write (default: stdout).")
    @click.option("--format", "fmt", default=None,
                  help="turtle (default), ntriples, rdfxml or jsonld.")
    @click.pass_context
    @handle_errors
    def links_export(ctx, name, output, fmt) -> None:
        """Write a linkset (links, their scores and evidence, VoID description) as RDF.

        \b
        Example:
            scholkg links export dblp -o dblp-links.ttl
        """
        f = export_format(fmt) if fmt else (format_for_path(str(output)) if output else None)
        f = f or export_format("turtle")
        if f.dataset:
            raise click.UsageError("a linkset is one graph: choose turtle, ntriples, rdfxml or "
                                   "jsonld.")
        with store_of(ctx, read_only=True) as gs:
            if output is None:
                run.export_linkset(gs, name, sys.stdout.buffer, format=f.rdf_format)
                return
            tmp = output.with_name(output.name + ".part")
            try:
                run.export_linkset(gs, name, str(tmp), format=f.rdf_format)
                tmp.replace(output)
            finally:
                tmp.unlink(missing_ok=True)
        click.echo(f"wrote {output} ({f.name})", err=True)

    @links_group.command("remove")
    @click.argument("name")
    @click.pass_context
    @handle_errors
    def links_remove(ctx, name) -> None:
        """Remove a linkset and its enrichment graph (review decisions are kept).

        \b
        Example:
            scholkg links remove dblp
        """
        with store_of(ctx) as gs:
            run.remove_linkset(gs, name)
        click.echo(f"removed linkset {name}", err=True)


def _location(target: str) -> str:
    if "://" in target:
        return target
    return str(Path(target).resolve())
