"""Import throughput of scholkg against Oxigraph's own bulk loader and rdflib, in one run.

Generates dblp-shaped XML (bench/generate.py), imports it with `scholkg import` (records ->
queryable store, end to end), exports the resulting graph as N-Quads, then loads that same
N-Quads file with `oxigraph load` (the CLI from the PyPI package `oxigraph`, same engine; with
`--lenient` also without validation, as scholkg loads the lines it wrote) and parses it with
rdflib. Prints quads/s and peak RSS of each (each runs in its own process: the
largest single process's peak, and the peak of the sum over its processes, sampled) and the
ratios. After the first run of each, a full compaction of its store is timed: what the
load left RocksDB to merge, which the first write after it waits for in part. The machine is
noisy: compare ratios from one run, not figures across runs.

    pip install oxigraph     # the CLI, same version as pyoxigraph
    python bench/import_throughput.py --works 100000 --repeat 3
    python bench/import_throughput.py --works 1000000 --skip-rdflib --keep /tmp/kg1m
    python bench/import_throughput.py --works 1000000 --skip-rdflib --lenient --one-run
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_dblp  # noqa: E402

RDFLIB = ("import sys, rdflib; d = rdflib.Dataset(); d.parse(sys.argv[1], format='nquads'); "
          "print(len(d))")


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) * 1024 for line in f
                               if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(cmd: list[str]) -> tuple[float, float, str, float]:
    """(seconds, peak RSS MiB, stdout, peak RSS MiB of the process tree) of a child process;
    exits on failure. The first peak is the kernel's (the largest single process: wait4);
    the second is the sum over the process and its children, sampled every 0.1 s (a
    short peak between two samples is missed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    out = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024, out, peak[0] / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--works", type=int, default=100_000)
    ap.add_argument("--skip-rdflib", action="store_true", help="rdflib is slow and memory-hungry")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="import and load N times each, alternately, and compare the medians "
                         "(rdflib runs once)")
    ap.add_argument("--lenient", action="store_true",
                    help="also load with `oxigraph load --lenient` (no validation: what scholkg "
                         "does with the lines it wrote itself) and give that ratio too")
    ap.add_argument("--one-run", action="store_true",
                    help="also import in one run of the loader (`scholkg import "
                         "--no-low-memory`) and load with `oxigraph load --non-atomic` (the "
                         "engine's own way of writing as it goes, as the import's pieces do)")
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

        def import_once(*options: str) -> tuple[float, float]:
            shutil.rmtree(store, ignore_errors=True)
            t, rss, _, tree = run([scholkg, "-q", "--store", str(store), "import", str(xml),
                                   *options])
            return t, rss, tree

        def load_once(*options: str) -> tuple[float, float]:
            shutil.rmtree(ox_store, ignore_errors=True)
            t, rss, _, tree = run([oxigraph, "load", "--location", str(ox_store),
                                   "--file", str(nq), *options])
            return t, rss, tree

        def merge(path: Path, cli: str) -> float:
            """Seconds of a full compaction of the store just written: what the load left
            RocksDB to merge (the first write after a load waits for part of it)."""
            return run([cli, *(["-q", "--store", str(path), "optimize"] if cli == scholkg
                               else ["optimize", "--location", str(path)])])[0]

        nq = work / "graph.nq"
        merges: dict[str, float] = {}
        runs_s = [import_once()]
        # compacted first: a store fresh from the bulk loader reads several times slower
        # (not part of the comparison; shown below)
        t_opt = merges["scholkg import"] = merge(store, scholkg)
        t_exp = run([scholkg, "-q", "--store", str(store), "export", "-o", str(nq)])[0]
        quads = sum(1 for _ in open(nq, "rb"))
        runs_o = [load_once()]
        merges["oxigraph load"] = merge(ox_store, oxigraph)
        runs_l = [load_once("--lenient")] if a.lenient else []
        non_atomic = ["--non-atomic", *(["--lenient"] if a.lenient else [])]
        runs_1, runs_na = [], []
        if a.one_run:
            runs_1.append(import_once("--no-low-memory"))
            merges["scholkg import --no-low-memory"] = merge(store, scholkg)
            runs_na.append(load_once(*non_atomic))
            merges["oxigraph load " + " ".join(non_atomic)] = merge(ox_store, oxigraph)
        for _ in range(a.repeat - 1):  # one after the other: both sides see the same noise
            runs_s.append(import_once())
            runs_o.append(load_once())
            if a.lenient:
                runs_l.append(load_once("--lenient"))
            if a.one_run:
                runs_1.append(import_once("--no-low-memory"))
                runs_na.append(load_once(*non_atomic))
        rows = [(name, statistics.median(t for t, _, _ in runs), max(r for _, r, _ in runs),
                 max(tree for _, _, tree in runs))
                for name, runs in (("scholkg import (XML -> store)", runs_s),
                                   ("oxigraph load (N-Quads -> store)", runs_o),
                                   ("oxigraph load --lenient", runs_l),
                                   ("scholkg import --no-low-memory", runs_1),
                                   ("oxigraph load " + " ".join(non_atomic), runs_na)) if runs]
        named = {name: t for name, t, _, _ in rows}
        t_s, t_o = rows[0][1], rows[1][1]
        if not a.skip_rdflib:
            t_r, rss_r, _, tree_r = run([sys.executable, "-c", RDFLIB, str(nq)])
            rows.append(("rdflib parse (N-Quads -> memory)", t_r, rss_r, tree_r))
        print(f"{a.works:,} works, {quads:,} quads, XML {xml.stat().st_size / 1e6:.1f} MB")
        if a.repeat > 1:
            print(f"  {a.repeat} runs each, one after the other; the median of each is used:")
            for n, ((ts, _, _), (to, _, _)) in enumerate(zip(runs_s, runs_o, strict=True)):
                lenient = (f"   --lenient {runs_l[n][0]:7.1f} s   ratio {runs_l[n][0] / ts:.2f}"
                           if a.lenient else "")
                print(f"    scholkg {ts:7.1f} s   oxigraph load {to:7.1f} s   ratio {to / ts:.2f}"
                      + lenient)
                if a.one_run:
                    (t1, _, _), (tna, _, _) = runs_1[n], runs_na[n]
                    print(f"    scholkg --no-low-memory {t1:7.1f} s   ratio {to / t1:.2f}   "
                          f"oxigraph load {' '.join(non_atomic)} {tna:7.1f} s   ratio "
                          f"{tna / ts:.2f}")
        for name, t, rss, tree in rows:
            print(f"  {name:34s} {t:8.1f} s  {quads / t:10,.0f} quads/s  peak RSS {rss:8.1f} MiB"
                  f" (all its processes together: {tree:.1f} MiB)")
        print(f"  (then scholkg optimize {t_opt:.1f} s, scholkg export to N-Quads {t_exp:.1f} s)")
        print("  left to merge: a full compaction right after the first run of each took "
              + ", ".join(f"{name} {t:.1f} s" for name, t in merges.items()))
        print(f"  scholkg / oxigraph load throughput: {t_o / t_s:.2f}")
        if a.lenient:
            print(f"  scholkg / oxigraph load --lenient:  {named['oxigraph load --lenient'] / t_s:.2f}")
        if a.one_run:
            t_na = named["oxigraph load " + " ".join(non_atomic)]
            print(f"  scholkg / oxigraph load {' '.join(non_atomic)}: {t_na / t_s:.2f}")
            print(f"  scholkg --no-low-memory / oxigraph load: "
                  f"{t_o / named['scholkg import --no-low-memory']:.2f}")
        if not a.skip_rdflib:
            print(f"  scholkg / rdflib parse throughput:  {rows[-1][1] / t_s:.2f}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
