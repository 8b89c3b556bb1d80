"""Oxigraph's loader in one run against runs of a few hundred thousand lines, on one N-Quads file.

Loads the file into a fresh store with `GraphStore.load_nquads` (what `scholkg import` does with
the lines it maps), once in one run of the loader and once in pieces of each size given, each
in a process of its own; prints the load's time and CPU time, the peak RSS (sampled every
0.2 s), and how long the first transactional write after the load waits (RocksDB merging what
the load left in level 0). Alternates the modes `--repeat` times.

    python bench/loader_pieces.py /tmp/kg100k/graph.nq --pieces 400000
    python bench/loader_pieces.py /tmp/kg1m/graph.nq --pieces 400000 1000000 --repeat 1

(`bench/import_throughput.py --keep DIR` leaves such a file: DIR/graph.nq.)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import io, json, shutil, sys, threading, time
from itertools import islice
sys.path.insert(0, sys.argv[4])
import pyoxigraph as ox
from scholkg.store import GraphStore
src, dst, piece = sys.argv[1], sys.argv[2], int(sys.argv[3])
peak = [0]
def watch():
    while True:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    peak[0] = max(peak[0], int(line.split()[1]) // 1024)
        time.sleep(0.2)
threading.Thread(target=watch, daemon=True).start()
with open(src, "rb") as f, GraphStore.open(dst) as gs:
    chunks = (b"".join(c) for c in iter(lambda: list(islice(f, 50_000)), []))
    t, c = time.perf_counter(), time.process_time()
    lines = gs.load_nquads(chunks, piece=piece)
    load, cpu = time.perf_counter() - t, time.process_time() - c
    t = time.perf_counter()
    gs._s.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"),
                      ox.NamedNode("urn:g")))
    wait = time.perf_counter() - t
    print(json.dumps({"lines": lines, "load": load, "cpu": cpu, "wait": wait, "peak": peak[0]}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nquads", type=Path)
    ap.add_argument("--pieces", type=int, nargs="+", default=[400_000], metavar="LINES")
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    src = str(Path(__file__).resolve().parents[1] / "src")
    rows: dict[int, list[dict]] = {p: [] for p in [0, *a.pieces]}
    with tempfile.TemporaryDirectory(prefix="scholkg-pieces-") as tmp:
        for _ in range(a.repeat):
            for piece in rows:
                store = Path(tmp) / f"s{piece}-{len(rows[piece])}"
                out = subprocess.run([sys.executable, "-c", CHILD, str(a.nquads), str(store),
                                      str(piece), src], check=True, capture_output=True,
                                     text=True).stdout
                rows[piece].append(json.loads(out))
                subprocess.run(["rm", "-rf", str(store)], check=True)
    lines = rows[0][0]["lines"]
    print(f"{a.nquads}: {lines:,} lines; {a.repeat} runs of each, alternately")
    one = min(r["load"] + r["wait"] for r in rows[0])
    for piece, runs in rows.items():
        name = "one run" if piece == 0 else f"pieces of {piece:,}"
        for r in runs:
            print(f"  {name:22s} load {r['load']:7.1f} s  CPU {r['cpu']:7.1f} s  then the first "
                  f"write waits {r['wait']:6.2f} s  peak RSS {r['peak']:6,} MiB")
        best = min(r["load"] + r["wait"] for r in runs)
        print(f"  {name:22s} best load + wait {best:7.1f} s, ratio to one run {one / best:.2f}")


if __name__ == "__main__":
    main()
