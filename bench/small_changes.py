"""A small source added to a big store, replaced, updated and removed: how long each commit
takes, and how long reading the big graphs' authorships out of the store (what a replacement or
a removal did before each graph kept its own author index) takes in the same run.

Each step is a `scholkg` process on the store given (say the one `import_throughput.py --keep`
leaves); the store ends as it began (the small source removed). The update adds one triple to
the small source's graph, named in the update (`INSERT DATA { GRAPH <g> ... }`); with
`--update-baseline` the same triple is added again through a graph variable, which does not say
which graph it writes, so every graph is derived again (what every update did before). Prints
seconds and peak RSS of each step (the largest single process, and the sum over its processes,
sampled), and with `--baseline` the ratio of the read out of the store to the replacement.

    python bench/small_changes.py --store /tmp/kg1m/s --baseline --update-baseline
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_jsonl  # noqa: E402
from import_throughput import run  # noqa: E402

from scholkg import GraphStore  # noqa: E402
from scholkg.importer import source_iri  # noqa: E402

#: Reads the authorships of the store's data graphs as a rebuild from the store does.
FROM_STORE = """
import sys
from scholkg import GraphStore
from scholkg.authorindex import from_store
with GraphStore.open(sys.argv[1], read_only=True) as gs:
    part = from_store(gs, gs._data_graphs(gs.committed_graphs()))
    print(len(part.persons))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True, help="a big store (changed, then put back)")
    ap.add_argument("--works", type=int, default=200, help="works of the small source")
    ap.add_argument("--baseline", action="store_true",
                    help="also read the big graphs' authorships out of the store (minutes)")
    ap.add_argument("--update-baseline", action="store_true",
                    help="also run the update through a graph variable (minutes)")
    args = ap.parse_args()
    scholkg = shutil.which("scholkg")
    if scholkg is None:
        sys.exit("scholkg is not on PATH (pip install -e .)")
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small-source.jsonl"
        write_jsonl(small, args.works, seed=4242)
        base = [scholkg, "--quiet", "--store", str(args.store)]
        steps = []

        def step(label: str, cmd: list[str]) -> float:
            seconds, rss, _, tree = run(cmd)
            steps.append((label, seconds, rss, tree))
            print(f"  {label:<38} {seconds:8.1f} s  peak RSS {rss:7.1f} MiB "
                  f"(all its processes together: {tree:.1f} MiB)", flush=True)
            return seconds

        print(f"store {args.store}, small source of {args.works} works:")
        step("import (a source added)", [*base, "import", str(small)])
        lines = small.read_text("utf-8").splitlines()
        small.write_text("\n".join(lines[: len(lines) // 2]) + "\n", "utf-8")
        replaced = step("import again (the source replaced)", [*base, "import", str(small)])
        with GraphStore.open(args.store, read_only=True) as gs:
            graph = gs.current_graphs()[source_iri(small)]
        triple = '<urn:scholkg:bench> rdfs:label "an update"'
        named = step("update naming the graph it writes",
                     [*base, "sparql", "--allow-update",
                      f"INSERT DATA {{ GRAPH <{graph}> {{ {triple} }} }}"])
        if args.update_baseline:
            anyone = step("the same through a graph variable",
                          [*base, "sparql", "--allow-update",
                           f"INSERT {{ GRAPH ?g {{ {triple} }} }} WHERE {{ VALUES ?g {{ <{graph}> }} }}"])
            print(f"  through a variable / naming the graph: {anyone / named:.1f}")
        step("remove (the source removed)", [*base, "remove", str(small)])
        if args.baseline:
            read = step("authorships read out of the store",
                        [sys.executable, "-c", FROM_STORE, str(args.store)])
            print(f"  read out of the store / replacement: {read / replaced:.1f}")


if __name__ == "__main__":
    main()
