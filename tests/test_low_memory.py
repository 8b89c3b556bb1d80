"""Loading in pieces (``import --low-memory``, the default): the same store as one run of the
loader (``--no-low-memory``), the same errors."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholkg import GraphStore, cli, import_paths, importer
from scholkg.cli import main
from scholkg.errors import InputError

from .conftest import DATA, quads_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import write_dblp  # noqa: E402

NOW = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def dblp_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dblp") / "dblp.xml"
    write_dblp(path, 2_500, seed=11)  # about 110,000 quads: three chunks of the pipeline
    return path


def imported(path: Path, files, **options) -> set:
    with GraphStore.open(path) as gs:
        import_paths(gs, files, now=NOW, **options)
        return quads_of(gs)


@pytest.mark.parametrize("parallel_bytes", [0, 1 << 40], ids=["second process", "one process"])
@pytest.mark.parametrize("piece", [1, 60_000])
def test_pieces_give_the_store_of_one_run(tmp_path, monkeypatch, dblp_file, parallel_bytes,
                                          piece):
    """Piece of 1 line: every chunk is a run of its own (four runs here, two at a time)."""
    whole = imported(tmp_path / "one", [DATA, dblp_file], low_memory=False,
                     parallel_bytes=parallel_bytes)
    monkeypatch.setattr(importer, "LOAD_PIECE", piece)
    pieces = imported(tmp_path / "pieces", [DATA, dblp_file], low_memory=True,
                      parallel_bytes=parallel_bytes)
    assert pieces == whole and len(whole) > 100_000


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(0, 40), max_size=30), piece=st.integers(0, 100))
def test_any_chunks_in_any_pieces_load_every_line(sizes, piece):
    """However the lines are chunked and pieced (0: one run), each is loaded once and counted."""
    lines = [f"<urn:s{i}> <urn:p> <urn:o{i}> <urn:g> .\n" for i in range(sum(sizes))]
    chunks, at = [], 0
    for n in sizes:
        chunks.append("".join(lines[at:at + n]).encode())
        at += n
    gs = GraphStore.open(None)
    assert gs.load_nquads(chunks, piece=piece) == len(lines)
    loaded = gs._s.quads_for_pattern(None, None, None, ox.NamedNode("urn:g"))
    assert sorted(q.subject.value for q in loaded) == sorted(f"urn:s{i}"
                                                             for i in range(len(lines)))


def test_an_error_mid_stream_stops_both_runs(store_dir):
    """The error of the stream comes out as it is (not the other run's stopping), and no run
    goes on reading after it."""
    read = []

    def chunks():
        for i in range(50):
            read.append(i)
            if i == 7:
                raise InputError("bad record", path="x.xml", line=i)
            yield f"<urn:s{i}> <urn:p> <urn:o> <urn:g> .\n".encode()

    with GraphStore.open(store_dir) as gs:
        before = threading.active_count()
        with pytest.raises(InputError, match="bad record") as e:
            gs.load_nquads(chunks(), piece=1)
        assert e.value.line == 7 and read == list(range(8))
        assert threading.active_count() == before


def test_bad_record_late_in_a_file_leaves_the_store_as_it_was(store_dir, tmp_path,
                                                              monkeypatch, dblp_file):
    good = imported(store_dir, [DATA])
    broken = tmp_path / "broken" / "dblp.xml"
    broken.parent.mkdir()
    for dtd in dblp_file.parent.glob("*.dtd"):
        (broken.parent / dtd.name).write_bytes(dtd.read_bytes())
    text = dblp_file.read_text("utf-8")
    cut = text.rindex("<article")
    broken.write_text(text[:cut] + "<article><title>no key</title></article>\n</dblp>\n",
                      "utf-8")
    monkeypatch.setattr(importer, "LOAD_PIECE", 1)
    with GraphStore.open(store_dir) as gs:
        with pytest.raises(InputError) as e:
            import_paths(gs, [broken], low_memory=True, parallel_bytes=0)
        assert e.value.path == str(broken) and e.value.line > 10_000
        assert quads_of(gs) == good
    with GraphStore.open(store_dir) as gs:
        assert quads_of(gs) == good


@pytest.mark.parametrize("options, pieces", [({}, True), ({"low_memory": True}, True),
                                             ({"low_memory": False}, False)])
def test_pieces_unless_one_run_is_asked_for(store_dir, monkeypatch, options, pieces):
    asked = []
    load = GraphStore.load_nquads

    def watch(self, chunks, *, piece=0):
        asked.append(piece)
        return load(self, chunks, piece=piece)

    monkeypatch.setattr(GraphStore, "load_nquads", watch)
    imported(store_dir, [DATA], **options)
    assert asked == [importer.LOAD_PIECE if pieces else 0]


@pytest.mark.parametrize("mode", ["--low-memory", "--no-low-memory"])
@pytest.mark.parametrize("big, tip", [(1_000, True), (10_000, False)])
def test_cli_low_memory(runner, store_dir, dblp_file, monkeypatch, mode, big, tip):
    """Either way a big load leaves RocksDB the backlog that the tip to optimize is about
    (its merging yields to the import: scholkg.compaction)."""
    monkeypatch.setattr(cli, "BIG_IMPORT", big)
    r = runner.invoke(main, ["--store", str(store_dir), "import", str(dblp_file), mode])
    assert r.exit_code == 0, r.output
    assert "imported:" in r.output and "2500 works" in r.output
    assert ("tip: scholkg optimize" in r.output) == tip
