"""The same works from 1 to N sources: the catalogue's queries against their first (plain) form.

Oxigraph (0.5) gives a triple of the union once per graph that holds it, so a query that joins
several values of a work side by side grows with the number of sources to the power of the
number of values. This imports the bundled data under 1..N file names (N sources of every
work), then times each rewritten canned query and its first form (tests/test_query_forms.py)
for the most prolific person and the work of most sources, in one process, and how long
linking takes to read the works (the scholkg schema, before and after).

    python bench/many_sources.py --max 6
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scholkg import GraphStore, import_paths  # noqa: E402
from scholkg.errors import QueryTimeout  # noqa: E402
from scholkg.link.targets import LocalSide  # noqa: E402
from tests.test_query_forms import PLAIN, canned, persons_of, plain, works_of  # noqa: E402

DATA = ROOT / "data" / "aojun-zhou.jsonl"


def timed(f, runs: int, limit: float) -> float | None:
    """Median seconds of ``runs`` calls after one warm-up; None when the warm-up takes longer
    than ``limit``."""
    start = time.perf_counter()
    try:
        f()
    except QueryTimeout:
        return None
    if time.perf_counter() - start > limit:
        return None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def old_schema(commit: str):
    """The scholkg link schema as it was at ``commit`` (read with git, loaded as a module)."""
    import subprocess

    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:src/scholkg/link/schemas.py"],
                          check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "schemas_old.py"
    path.write_text(text, "utf-8")
    spec = importlib.util.spec_from_file_location("scholkg.link.schemas_old", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ScholkgSchema(external=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max", type=int, default=6, help="most sources of every work")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limit", type=float, default=30.0,
                    help="a first form slower than this (seconds) is reported, not repeated")
    ap.add_argument("--old-schema", default="9bf7ac9",
                    help="git commit whose link schema is the 'before' (default: the last one "
                         "that joined every value)")
    a = ap.parse_args()
    before = old_schema(a.old_schema)
    print(f"{'sources':>7}  {'query':24} {'first form':>12} {'now':>10}")
    for k in range(1, a.max + 1):
        tmp = Path(tempfile.mkdtemp(prefix="scholkg-many-"))
        files = []
        for i in range(k):
            files.append(tmp / f"{i}-{DATA.name}")
            shutil.copy(DATA, files[-1])
        gs = GraphStore.open(tmp / "s")
        import_paths(gs, files)
        person, work = persons_of(gs, 1)[0], works_of(gs, 1)[0]
        for name in sorted(PLAIN):
            old = timed(partial(plain, gs, name, person, work), a.runs, a.limit)
            new = timed(partial(canned, gs, name, person, work), a.runs, a.limit)
            shown = f"{old * 1000:9.1f} ms" if old is not None else f"> {a.limit:.0f} s".rjust(12)
            print(f"{k:7}  {name:24} {shown:>12} {new * 1000:7.1f} ms", flush=True)
        side = LocalSide(gs)
        iris = side.work_iris()
        now = timed(partial(side.describe, iris), a.runs, a.limit)
        side.schema = before
        old = timed(partial(side.describe, iris), a.runs, a.limit)
        shown = f"{old * 1000:9.1f} ms" if old is not None else f"> {a.limit:.0f} s".rjust(12)
        print(f"{k:7}  {'link: read the works':24} {shown:>12} {now * 1000:7.1f} ms", flush=True)
        gs.close()
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
