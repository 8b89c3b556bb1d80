"""Linking at scale: 100,000 local works against 1,000,000 external (dblp-shaped) ones.

Generates the data with bench/linkgen.py unless it is there already, then measures, each phase
in its own process so that every peak RSS is that phase's own:

1. importing the local records (scholkg import);
2. loading the external graph into the target cache (Oxigraph's bulk loader, then the key index);
3. matching and writing the linkset and enrichment (scholkg link, cache warm).

    python bench/link_scale.py                            # 100k vs 1M, data in /tmp/linkscale
    python bench/link_scale.py --local 10000 --external 100000 --data /tmp/linksmall
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PHASE = r"""
import json, resource, sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from scholkg.store import GraphStore
phase, data, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
external = str(data / "external.nt.gz")
t = time.monotonic()
out = {{}}
if phase == "import":
    from scholkg.importer import import_paths
    with GraphStore.open(work / "store") as gs:
        r = import_paths(gs, [data / "local.jsonl"])
        out["works"] = sum(x.works for x in r)
elif phase == "load":
    from scholkg.link.targets import FileTarget
    FileTarget([Path(external)], cache=work / "cache").close()
else:
    from scholkg.link.run import link, open_target
    target = open_target([external], schema="auto", cache=work / "cache")
    with GraphStore.open(work / "store") as gs:
        rep = link(gs, target, name="scale", locations=[external])
    target.close()
    out["links"] = {{f"{{k}} {{r}}": n for (k, r), n in sorted(rep.counts.items())}}
    out["works"] = rep.works
out["seconds"] = time.monotonic() - t
out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run_phase(phase: str, data: Path, work: Path) -> dict:
    code = PHASE.format(src=str(ROOT / "src"))
    r = subprocess.run([sys.executable, "-c", code, phase, str(data), str(work)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{phase} failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--local", type=int, default=100_000)
    ap.add_argument("--external", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, default=Path("/tmp/linkscale"))
    ap.add_argument("--work", type=Path, default=None, help="store and cache (default DATA/run)")
    ap.add_argument("--phases", default="import,load,link",
                    help="phases to run; with link only, the store and cache of an earlier run "
                         "are reused")
    args = ap.parse_args()
    phases = args.phases.split(",")
    work = args.work or args.data / "run"
    if not (args.data / "external.nt.gz").exists():
        t = time.monotonic()
        subprocess.run([sys.executable, str(ROOT / "bench" / "linkgen.py"), "--local",
                        str(args.local), "--external", str(args.external), "--seed",
                        str(args.seed), "--out", str(args.data)], check=True)
        print(f"generated in {time.monotonic() - t:.0f} s")
    if "import" in phases and work.exists():
        subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True, exist_ok=True)
    size = (args.data / "external.nt.gz").stat().st_size / 2**20
    print(f"local: {args.data / 'local.jsonl'}; external: {args.data / 'external.nt.gz'} "
          f"({size:.0f} MiB gzip)")
    total = 0.0
    for phase in phases:
        r = run_phase(phase, args.data, work)
        total += r["seconds"]
        extra = {k: v for k, v in r.items() if k not in ("seconds", "peak_rss_mib")}
        print(f"{phase:7} {r['seconds']:8.1f} s   peak RSS {r['peak_rss_mib']:7.0f} MiB   "
              f"{json.dumps(extra)}")
    du = sum(f.stat().st_size for f in work.rglob("*") if f.is_file()) / 2**20
    print(f"total   {total:8.1f} s; store + target cache on disk: {du:.0f} MiB "
          f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
