"""p50/p95 latency of every canned query on a big store, export throughput, bytes per triple.

Runs each query of the catalogue (queries/*.rq) with parameters picked from the store itself (the
most prolific person, the biggest venue, a work with a DOI, ...), once to warm up and then
``--runs`` times, through the same library call as ``scholkg query`` (and its default --limit: 1000 rows, or
the query's own ``#+ limit:``, 100 for search).
The most prolific person is the worst case; a second table runs the person- and work-centred
queries once for each of ``--sample`` persons and works drawn at random from the store (a person
by drawing an authorship, so a prolific one is drawn more often; a work uniformly), which is what
a user looking people and papers up meets.
Then exports the graph as Turtle with scholkg and with pyoxigraph's own serializer on the same
store, and divides the store's size on disk by its number of quads.

    python bench/import_throughput.py --works 1000000 --skip-rdflib --keep /tmp/kg1m
    python bench/query_latency.py --store /tmp/kg1m/s
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pyoxigraph as ox  # noqa: E402

from scholkg import Catalog, GraphStore, run_canned  # noqa: E402
from scholkg.export import EXPORT_FORMATS, export  # noqa: E402
from scholkg.query import DEFAULT_LIMIT, QUERY_LIMIT  # noqa: E402

PERSON_CENTRED = {"works-by-author", "coauthors", "author-roles-per-year", "coauthor-network",
                  "coauthors-of-coauthors", "author-career", "venues-of-author", "name-variants",
                  "person-external-ids", "person-works-linked", "author-by-orcid"}
WORK_CENTRED = {"work-record", "related-works", "work-links", "work-by-doi", "link-explain"}
AGGREGATES = {"top-authors", "top-venues", "collection-summary"}
SEARCH = {"search"}
#: the issue's targets for p50 at 1 M works, in ms
TARGET_MS = {"person": 50, "work": 50, "aggregate": 200, "search": 100}


def category(name: str) -> str:
    for label, names in (("person", PERSON_CENTRED), ("work", WORK_CENTRED),
                         ("aggregate", AGGREGATES), ("search", SEARCH)):
        if name in names:
            return label
    return "other"


def wanted(name: str, param) -> bool:
    """The parameters given: the required ones, and the person of a person-centred query
    (name-variants without one is collection-wide)."""
    return param.required or (param.kind == "person" and category(name) == "person")


#: collection-wide queries whose optional person makes them person-centred: measured both ways
PERSON_VARIANTS = {"works-per-year"}


def entries(cat: Catalog):
    """(label, query, category, parameters given) of each measurement: every query, and the
    queries of PERSON_VARIANTS once more with their person (labelled "NAME +PARAM")."""
    for q in cat:
        yield q.name, q, category(q.name), [p for p in q.params if wanted(q.name, p)]
        if q.name in PERSON_VARIANTS:
            given = [p for p in q.params if p.required or p.kind == "person"]
            person = next(p.name for p in given if p.kind == "person")
            yield f"{q.name} +{person}", q, "person", given


def first(gs: GraphStore, sparql: str) -> str | None:
    for row in gs.query(sparql):
        return next(iter(row)).value
    return None


def pick_values(gs: GraphStore) -> dict[str, str]:
    """One value per parameter kind, taken from the data."""
    person = first(gs, "SELECT ?p WHERE { ?s a skg:AuthorStatistic ; skg:rank 1 ; skg:person ?p }")
    venue = first(gs, "SELECT ?n WHERE { ?s a skg:VenueStatistic ; skg:rank 1 ; skg:name ?n }")
    work = first(gs, "SELECT ?w WHERE { ?w skg:doi ?d } LIMIT 1")
    doi = first(gs, "SELECT ?d WHERE { ?w skg:doi ?d } LIMIT 1")
    year = first(gs, "SELECT ?y WHERE { ?w skg:year ?y } LIMIT 1")
    orcid = first(gs, "SELECT ?o WHERE { ?p skg:orcid ?o } LIMIT 1") or "0000-0002-1825-0097"
    return {"person": person, "venue": venue, "iri": work, "doi": doi, "year": year,
            "orcid": orcid, "integer": "10", "text": "work", "words": "neural network"}


def sample(gs: GraphStore, n: int, seed: int = 1) -> tuple[list[str], list[str]]:
    """``n`` persons (drawn by authorship) and ``n`` works (uniformly), at random."""
    rng = random.Random(seed)
    total = {k: int(first(gs, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}") or 0)
             for k, pattern in (("a", "?w skg:hasAuthor ?p"), ("w", "?w a skg:Work"))}
    persons = [first(gs, f"SELECT ?p WHERE {{ ?w skg:hasAuthor ?p }} OFFSET "
                         f"{rng.randrange(total['a'])} LIMIT 1") for _ in range(n)]
    works = [first(gs, f"SELECT ?w WHERE {{ ?w a skg:Work }} OFFSET {rng.randrange(total['w'])} "
                       "LIMIT 1") for _ in range(n)]
    return [p for p in persons if p], [w for w in works if w]


def timings(store: Path, name: str, params: list[dict[str, list[str]]], runs: int,
            timeout: float, limit: int | None) -> tuple[list[float], int] | None:
    """Run canned query ``name`` once per parameter set in ``params`` (after one warm-up run on
    the first), ``runs`` times each, in a process of its own; milliseconds per run and the rows
    of the last, or None when a run took longer than ``timeout`` seconds.

    A process, not a thread: Oxigraph cannot stop a running query, so a query abandoned at its
    deadline would go on using a core while the next ones are measured. Its process is killed."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_measure, args=(child, store, name, params, runs, limit),
                       daemon=True)
    proc.start()
    child.close()
    times: list[float] = []
    rows = None
    slack = 5.0  # opening the store, the first time
    try:
        while rows is None:
            # each run, the warm-up too, must report within the timeout of the one before
            if not parent.poll(timeout + slack):
                break
            slack = 0.5
            kind, value = parent.recv()
            if kind == "ms":
                times.append(value)
            else:
                rows = value
    except EOFError:
        pass
    proc.kill()
    proc.join()
    if rows is None or max(times) > timeout * 1000:
        return None
    return times[1:], rows  # the first is the warm-up


def _measure(conn, store: Path, name: str, params: list, runs: int,
             limit: int | None) -> None:
    """In the measuring process: time every run (the warm-up first) and send each time as it
    is taken; a run past the deadline is never heard of (the parent kills this process)."""
    with GraphStore.open(store, read_only=True) as gs:
        q = Catalog().get(name)
        rows = 0
        for values in [params[0]] + [v for v in params for _ in range(runs)]:
            t = time.perf_counter()
            r = run_canned(gs, q, values, limit=QUERY_LIMIT if limit is None else limit)
            conn.send(("ms", (time.perf_counter() - t) * 1000))
            rows = len(r.rows) if r.form == "SELECT" else len(r.triples)
        conn.send(("rows", rows))


def sampled_table(store: Path, cat: Catalog, persons: list[str], works: list[str],
                  timeout: float, limit: int | None) -> None:
    """p50/p95 of each person- and work-centred query over the sampled values (one run each,
    after one warm-up run on the first)."""
    print(f"\n{'query':28} {'kind':9} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}  "
          f"({len(persons)} persons, {len(works)} works drawn at random)")
    met = {"person": [0, 0], "work": [0, 0]}
    for label, q, kind, req in entries(cat):
        if kind not in met or len(req) != 1 or req[0].kind not in ("person", "iri"):
            continue
        values = persons if req[0].kind == "person" else works
        got = timings(store, q.name, [{req[0].name: [v]} for v in values], 1, timeout, limit)
        met[kind][1] += 1
        if got is None:
            print(f"{label:28} {kind:9} {'> ' + str(timeout) + ' s':>9}")
            continue
        times = got[0]
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
        print(f"{label:28} {kind:9} {p50:9.1f} {p95:9.1f} {max(times):9.1f}")
        met[kind][0] += p50 <= TARGET_MS[kind]
    for kind, (ok, n) in met.items():
        print(f"{kind:9} p50 <= {TARGET_MS[kind]:3d} ms over the sample: {ok} of {n}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--skip-export", action="store_true")
    ap.add_argument("--skip-queries", action="store_true", help="only the size and the export")
    ap.add_argument("--sample", type=int, default=20, metavar="N",
                    help="persons and works drawn at random for the second table (0: none)")
    ap.add_argument("--limit", type=int, default=None,
                    help="rows asked of every query, as scholkg query --limit (default: "
                         f"{DEFAULT_LIMIT}, or the query's own)")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="a query slower than this (warm-up) is reported, not repeated")
    a = ap.parse_args()
    cat = Catalog()
    with GraphStore.open(a.store, read_only=True) as gs:
        values = pick_values(gs)
        print(f"store {a.store}; parameters: {values}")
        print(f"{'query':28} {'kind':9} {'p50 ms':>9} {'p95 ms':>9} {'rows':>6}")
        p50s: dict[str, float] = {}
        kinds: dict[str, str] = {}
        for label, q, kind, given in [] if a.skip_queries else entries(cat):
            params = {p.name: [values[p.kind]] for p in given}
            got = timings(a.store, q.name, [params], a.runs, a.timeout, a.limit)
            kinds[label] = kind
            if got is None:
                print(f"{label:28} {kind:9} {'> ' + str(a.timeout) + ' s':>9}")
                p50s[label] = float("inf")
                continue
            times, n = got
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
            p50s[label] = statistics.median(times)
            print(f"{label:28} {kind:9} {p50s[label]:9.1f} {p95:9.1f} {n:6d}")
        print()
        for kind, target in TARGET_MS.items():
            names = [n for n in p50s if kinds[n] == kind]
            slow = [n for n in names if p50s[n] > target]
            print(f"{kind:9} p50 <= {target:3d} ms: {len(names) - len(slow)} of {len(names)}"
                  + (f" (not: {', '.join(slow)})" if slow else ""))
        if a.sample and not a.skip_queries:
            sampled_table(a.store, cat, *sample(gs, a.sample), a.timeout, a.limit)
        # counted by the engine: iterating 40 M quads in Python takes longer than the queries
        quads = int(next(iter(gs._s.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0].value)
        size = sum(f.stat().st_size for f in a.store.rglob("*") if f.is_file())
        print(f"\nstore: {quads:,} quads, {size / 2**20:,.0f} MiB on disk, "
              f"{size / quads:.1f} bytes per quad (search and author indexes included)")
        if a.skip_export:
            return
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "graph.ttl"
            t = time.perf_counter()
            export(gs, str(out), EXPORT_FORMATS["turtle"])
            ours = time.perf_counter() - t
            ours_mb = out.stat().st_size / 1e6
            base = Path(tmp) / "base.ttl"
            t = time.perf_counter()
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in gs._s),
                         str(base), format=ox.RdfFormat.TURTLE)
            theirs = time.perf_counter() - t
        print(f"Turtle export: scholkg {ours:.1f} s ({ours_mb:,.0f} MB, {quads / ours:,.0f} "
              f"quads/s); pyoxigraph serialize of every quad {theirs:.1f} s "
              f"({quads / theirs:,.0f} quads/s); ratio {theirs / ours:.2f}")


if __name__ == "__main__":
    main()
