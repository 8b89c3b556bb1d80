"""Run a real Oxigraph SPARQL server (the ``oxigraph`` CLI from PyPI) on 127.0.0.1 for a test.

Not a pytest plugin: tests call :func:`oxigraph_server` themselves, usually from a fixture::

    with oxigraph_server([tmp_path / "data.ttl"], tmp_path / "oxi") as url:
        SparqlEndpoint(url, min_interval=0).select("SELECT * WHERE { ?s ?p ?o }")

The ``oxigraph`` package is in the ``test`` extra; a missing executable is an error, never a
skip, so that CI cannot pass without running these tests.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


class OxigraphServerError(RuntimeError):
    """The Oxigraph server cannot be found, loaded or started."""


def oxigraph_executable() -> str:
    """The ``oxigraph`` CLI: beside this Python (a venv's bin/) first, else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and beside.stat().st_mode & 0o111:
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise OxigraphServerError(
        f'the "oxigraph" server executable is neither beside {sys.executable} nor on PATH; install it '
        "with: pip install 'oxigraph>=0.5.13,<0.6' (or pip install -e '.[test]').")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(probe, timeout=1.0) as response:
            response.read()
            return response.status == 200
    except (OSError, ValueError):
        return False


@contextmanager
def oxigraph_server(data_files: list[Path], workdir: Path) -> Iterator[str]:
    """Load ``data_files`` into a store in ``workdir`` and serve it; yield the query URL
    (``http://127.0.0.1:PORT/query``). The server is stopped on exit."""
    exe = oxigraph_executable()
    workdir.mkdir(parents=True, exist_ok=True)
    location = workdir / "store"
    for data in data_files:
        loaded = subprocess.run([exe, "load", "--location", str(location), "--file", str(data)],
                                capture_output=True, text=True, timeout=60)
        if loaded.returncode != 0:
            raise OxigraphServerError(
                f'"oxigraph load" failed on {data} (exit {loaded.returncode}): {loaded.stderr.strip()}')
    port = _free_port()
    url = f"http://127.0.0.1:{port}/query"
    log_path = workdir / "oxigraph-serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                what = (f"exited with status {process.returncode}" if process.returncode is not None
                        else f"did not answer within {START_TIMEOUT:g} s")
                output = log_path.read_text(encoding="utf-8", errors="replace").strip()
                raise OxigraphServerError(
                    f"oxigraph serve on 127.0.0.1:{port} {what}; its output: {output or '(none)'}")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
