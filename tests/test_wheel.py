"""The built wheel carries ontology/ and queries/ and works from a clean virtualenv."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_lists_queries(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = dist.glob("scholkg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "scholkg/ontology/scholkg.ttl" in names and "scholkg/ontology/shapes.ttl" in names
    assert "scholkg/queries/coauthors.rq" in names
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True, timeout=600)
    out = subprocess.run([str(env_dir / "bin" / "scholkg"), "queries", "list"], check=True,
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "coauthors" in out.stdout and "works-by-author" in out.stdout
    out = subprocess.run([str(env_dir / "bin" / "scholkg"), "--help"], check=True,
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "Example:" in out.stdout
    # the installed package finds its own ontology, not the source tree's
    out = subprocess.run([str(py), "-c", "from scholkg.catalog import ontology_dir, queries_dir;"
                          "print(ontology_dir()); print(queries_dir())"],
                         check=True, capture_output=True, text=True, cwd=tmp_path)
    assert all(str(env_dir) in line for line in out.stdout.splitlines())
