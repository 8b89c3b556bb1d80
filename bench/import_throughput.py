"""Import throughput of scholkg against Oxigraph's own bulk loader and rdflib, in one run.

Generates dblp-shaped XML (bench/generate.py), imports it with `scholkg import` (records ->
queryable store, end to end), exports the resulting graph as N-Quads, then loads that same
N-Quads file with `oxigraph load` (the CLI from the PyPI package `oxigraph`, same engine) and
parses it with rdflib. Prints quads/s and peak RSS of each (each runs in its own process) and
the ratios. The machine is noisy: compare ratios from one run, not figures across runs.

    pip install oxigraph     # the CLI, same version as pyoxigraph
    python bench/import_throughput.py --works 100000 --repeat 3
    python bench/import_throughput.py --works 1000000 --skip-rdflib --keep /tmp/kg1m
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_dblp  # noqa: E402

RDFLIB = ("import sys, rdflib; d = rdflib.Dataset(); d.parse(sys.argv[1], format='nquads'); "
          "print(len(d))")


def run(cmd: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS MiB, stdout) of a child process; exits on failure."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--works", type=int, default=100_000)
    ap.add_argument("--skip-rdflib", action="store_true", help="rdflib is slow and memory-hungry")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="import and load N times each, alternately, and compare the medians "
                         "(rdflib runs once)")
    ap.add_argument("--keep", type=Path, default=None, metavar="DIR",
                    help="work in DIR and keep it (the store is DIR/s, e.g. for "
                         "bench/query_latency.py --store DIR/s)")
    a = ap.parse_args()
    scholkg = shutil.which("scholkg") or sys.exit("scholkg is not installed")
    oxigraph = shutil.which("oxigraph") or sys.exit("the oxigraph CLI is missing: pip install oxigraph")
    if a.keep:
        shutil.rmtree(a.keep, ignore_errors=True)
        a.keep.mkdir(parents=True)
    work = a.keep or Path(tempfile.mkdtemp(prefix="scholkg-throughput-"))
    try:
        xml = work / "dblp.xml"
        write_dblp(xml, a.works)
        store, ox_store = work / "s", work / "o"

        def import_once() -> tuple[float, float]:
            shutil.rmtree(store, ignore_errors=True)
            t, rss, _ = run([scholkg, "-q", "--store", str(store), "import", str(xml)])
            return t, rss

        def load_once() -> tuple[float, float]:
            shutil.rmtree(ox_store, ignore_errors=True)
            t, rss, _ = run([oxigraph, "load", "--location", str(ox_store), "--file", str(nq)])
            return t, rss

        nq = work / "graph.nq"
        runs_s = [import_once()]
        run([scholkg, "-q", "--store", str(store), "export", "-o", str(nq)])
        quads = sum(1 for _ in open(nq, "rb"))
        runs_o = [load_once()]
        for _ in range(a.repeat - 1):  # one after the other: both sides see the same noise
            runs_s.append(import_once())
            runs_o.append(load_once())
        t_s, rss_s = statistics.median(t for t, _ in runs_s), max(r for _, r in runs_s)
        t_o, rss_o = statistics.median(t for t, _ in runs_o), max(r for _, r in runs_o)
        rows = [("scholkg import (XML -> store)", t_s, rss_s),
                ("oxigraph load (N-Quads -> store)", t_o, rss_o)]
        if not a.skip_rdflib:
            t_r, rss_r, _ = run([sys.executable, "-c", RDFLIB, str(nq)])
            rows.append(("rdflib parse (N-Quads -> memory)", t_r, rss_r))
        print(f"{a.works:,} works, {quads:,} quads, XML {xml.stat().st_size / 1e6:.1f} MB")
        if a.repeat > 1:
            print(f"  {a.repeat} runs each, one after the other; the median of each is used:")
            for (ts, _), (to, _) in zip(runs_s, runs_o, strict=True):
                print(f"    scholkg {ts:7.1f} s   oxigraph load {to:7.1f} s   ratio {to / ts:.2f}")
        for name, t, rss in rows:
            print(f"  {name:34s} {t:8.1f} s  {quads / t:10,.0f} quads/s  peak RSS {rss:8.1f} MiB")
        print(f"  scholkg / oxigraph load throughput: {t_o / t_s:.2f}")
        if not a.skip_rdflib:
            print(f"  scholkg / rdflib parse throughput:  {rows[2][1] / t_s:.2f}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
