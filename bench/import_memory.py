"""Peak memory of importing dblp-shaped XML of growing size: flat means streaming works.

Generates dblp XML files of the given sizes (bench/generate.py, deterministic), imports each
into a fresh store with the real CLI in a child process, and prints the child's peak RSS, time
and throughput, and each size's peak RSS as a ratio to the smallest one's.

    python bench/import_memory.py --mb 20 200
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_dblp  # noqa: E402

#: measured: the generator writes about 335 bytes of XML per work
BYTES_PER_WORK = 335


def run(cmd: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit status) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.stderr.write(proc.stderr.read().decode() if proc.stderr else "")
    return seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, nargs="+", default=[20, 200],
                    help="XML sizes to try, in MB (default: 20 200)")
    ap.add_argument("--workdir", type=Path, default=None)
    a = ap.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="scholkg-bench-"))
    scholkg = shutil.which("scholkg") or "scholkg"
    rows = []
    for mb in sorted(a.mb):
        works = mb * 1_000_000 // BYTES_PER_WORK
        xml = work / f"dblp-{mb}mb" / "dblp.xml"
        xml.parent.mkdir(parents=True, exist_ok=True)
        write_dblp(xml, works)
        size = xml.stat().st_size / 1e6
        store = work / f"store-{mb}mb"
        shutil.rmtree(store, ignore_errors=True)
        seconds, rss_kib, code = run([scholkg, "-q", "--store", str(store), "import", str(xml)])
        if code != 0:
            sys.exit(f"import of {xml} failed with status {code}")
        rows.append((size, works, seconds, rss_kib / 1024))
        print(f"{size:8.1f} MB  {works:9,d} works  {seconds:7.1f} s  {works / seconds:8,.0f} "
              f"works/s  peak RSS {rss_kib / 1024:7.1f} MiB", flush=True)
        shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(xml.parent, ignore_errors=True)
    base = rows[0]
    print("\nratios to the smallest input:")
    for size, _works, _seconds, rss in rows:
        print(f"  input x{size / base[0]:6.1f}   peak RSS x{rss / base[3]:5.2f}")
    if a.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
