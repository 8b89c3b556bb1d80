from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scholkg import GraphStore, import_paths

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_460bfa54b708b64f.txt"
DATA = ROOT / "data" / "aojun-zhou.jsonl"


@pytest.fixture(scope="session")
def seed_path(tmp_path_factory) -> Path:
    """A copy of the seed page (the shared original is read-only and must stay untouched)."""
    if not SEED.exists():
        pytest.fail(f"seed page missing at {SEED}; tests need ../shared/seeds")
    dst = tmp_path_factory.mktemp("seed") / "aojun-zhou-arrow.txt"
    shutil.copy(SEED, dst)
    return dst


@pytest.fixture(scope="session")
def seed_store(seed_path) -> GraphStore:
    """An in-memory store holding the seed page. Read-only use only."""
    gs = GraphStore.open(None)
    import_paths(gs, [seed_path])
    return gs


@pytest.fixture()
def store_dir(tmp_path) -> Path:
    return tmp_path / "store"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def strict(records) -> list:
    """The records a reader yields; the first rejected one raises its error (strict mode)."""
    from scholkg.model import Rejected

    out = []
    for r in records:
        if isinstance(r, Rejected):
            raise r.error
        out.append(r)
    return out


def data_quads(gs: GraphStore) -> list:
    """The committed quads less the derived statistics graph (its counts change with any
    import or removal)."""
    from scholkg.statistics import STATISTICS

    return [q for q in gs.quads() if not q.graph_name.value.startswith(STATISTICS)
            and q.subject.value != STATISTICS]


def quads_of(gs: GraphStore) -> set:
    return set(gs.quads())


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current results (review the diff!).")


def names_sorted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` with the names of a ``printed_as`` in code-point order (GROUP_CONCAT joins
    them in the order the engine meets them)."""
    return [{**r, **({"printed_as": " | ".join(sorted(r["printed_as"].split(" | ")))}
                     if "printed_as" in r else {})} for r in rows]
