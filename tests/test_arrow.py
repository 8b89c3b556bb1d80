"""The Arrow "author name cluster" reader on the seed page and on hand-made pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholkg.errors import InputError
from scholkg.model import NameCluster, Rejected, Work
from scholkg.sources import arrow

from .conftest import strict


def read(path: Path):
    return strict(arrow.read(path, str(path)))


@pytest.fixture(scope="module")
def seed_records(seed_path):
    return read(seed_path)


def works_of(records) -> list[Work]:
    return [r for r in records if isinstance(r, Work)]


def by_title(records, prefix: str) -> Work:
    (w,) = [w for w in works_of(records) if w.title.startswith(prefix)]
    return w


def test_cluster_record(seed_records):
    c = seed_records[0]
    assert isinstance(c, NameCluster)
    assert (c.name, c.paper_count, c.author_rows) == ("Aojun Zhou", 20, 2)
    assert c.origin.line == 5


def test_twenty_works_148_listed_slots(seed_records):
    works = works_of(seed_records)
    assert len(works) == 20
    assert sum(len(w.ordered_authors) for w in works) == 148
    assert sum(len(w.authors) for w in works) == 149  # + Aojun Zhou on UI-Genie


def test_header_fields(seed_records):
    w = by_title(seed_records, "Step-Controlled DPO")
    assert (w.venue.name, w.venue.kind, w.year, w.work_type) == \
        ("TMLR", "journal", 2025, "journal-article")
    w = by_title(seed_records, "From Solver to Tutor")
    assert (w.venue.name, w.venue.kind, w.year, w.work_type) == \
        ("AAAI", "conference", 2026, "conference-paper")


def test_eight_names_may_be_cut(seed_records):
    mavis = by_title(seed_records, "MAVIS")
    assert len(mavis.authors) == 8 and not mavis.authors_complete
    assert mavis.authors[-1].name == "Aojun Zhou" and mavis.authors[-1].position == 8
    mint = by_title(seed_records, "MINT-CoT")
    assert len(mint.authors) == 7 and mint.authors_complete


def test_cluster_subject_added_at_unknown_position(seed_records):
    ui = by_title(seed_records, "UI-Genie")
    assert [a.name for a in ui.ordered_authors][:2] == ["Han Xiao", "Guozhi Wang"]
    extra = [a for a in ui.authors if a.position is None]
    assert [a.name for a in extra] == ["Aojun Zhou"]
    assert not ui.authors_complete
    for w in works_of(seed_records):
        assert "Aojun Zhou" in [a.name for a in w.authors], w.title
        assert w.clusters == ["Aojun Zhou"]


def test_homonym_numbers_split(seed_records):
    w = by_title(seed_records, "MathCoder2")
    ke = w.authors[2]
    assert (ke.name, ke.homonym, ke.display_name) == ("Ke Wang", "0036", "Ke Wang 0036")
    assert w.authors[-1].homonym == "0001"


def test_broken_links_recovered(seed_records):
    assert by_title(seed_records, "UI-Genie").links.code == \
        ["https://github.com/Euphoria16/UI-Genie"]
    assert by_title(seed_records, "WebGen-Bench").links.code == \
        ["https://github.com/mnluzimu/WebGen-Bench"]
    assert by_title(seed_records, "JourneyDB").links.project == ["https://journeydb.github.io"]
    assert by_title(seed_records, "DominoSearch").links.code == \
        ["https://github.com/NM-sparsity/DominoSearch"]
    assert by_title(seed_records, "ThinK").links.code == \
        ["https://github.com/SalesforceAIResearch/ThinK"]
    assert by_title(seed_records, "Graph Lottery").links.all() == []


def test_origin_lines_point_at_headers(seed_records, seed_path):
    lines = seed_path.read_text("utf-8").splitlines()
    for w in works_of(seed_records):
        assert lines[w.origin.line - 1].endswith(("Conference Paper", "Journal Article"))


PAGE = """Arrow Research search

Author name cluster

Jane Roe

20 papers
1 author rows

Possible papers

{body}
"""


def write(tmp_path, body: str) -> Path:
    p = tmp_path / "page.txt"
    p.write_text(PAGE.format(body=body), "utf-8")
    return p


def test_multi_word_venue_and_cluster_present(tmp_path):
    p = write(tmp_path, "Transactions on Machine Learning Research Journal 2023 Journal Article"
                        "\n\nA Title\n\n  • Jane ROE\n  • John Doe\n\nAbstract.\n")
    (w,) = works_of(read(p))
    assert w.venue.name == "Transactions on Machine Learning Research"
    assert len(w.authors) == 2 and w.authors_complete  # "Jane ROE" is the subject: not added


@pytest.mark.parametrize("body, line, needle", [
    ("ICLR Conference 20x5 Conference Paper\n\nT\n\n  • A B\n", 12, '"20x5" is not a year'),
    ("ICLR Conference 2025 Conference Paper\n\n  • A B\n", 14, "author line before"),
    ("ICLR Conference 2025 Conference Paper\n\nT\n\nAbstract only.\n", 12, "lists no authors"),
    ("ICLR Conference Conference Paper\n\nT\n\n  • A B\n", 12, "does not read as"),
    ("ICLR Conference 2025 Conference Paper\n\nT\n\n  •   \n", 16, "empty author line"),
])
def test_bad_pages_name_file_and_line(tmp_path, body, line, needle):
    p = write(tmp_path, body)
    with pytest.raises(InputError) as e:
        read(p)
    assert e.value.line == line
    assert needle in str(e.value)
    assert str(e.value).startswith(f"{p}:{line}: ")


def test_not_a_cluster_page(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("Hello\n\nICLR Conference 2025 Conference Paper\n\nT\n\n  • A\n", "utf-8")
    with pytest.raises(InputError, match="not an Arrow"):
        read(p)


def test_bad_encoding_and_nul(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(PAGE.format(body="").encode() + b"caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8") as e:
        read(p)
    assert e.value.line == 13
    p.write_bytes(b"Arrow Research search\n\x00\n")
    with pytest.raises(InputError, match="NUL") as e:
        read(p)
    assert e.value.line == 2


def test_bad_block_is_rejected_and_reading_goes_on(tmp_path):
    p = write(tmp_path, "ICLR Conference 20x5 Conference Paper\n\nT\n\n  • A B\n\n"
                        "ICLR Conference 2025 Conference Paper\n\nGood\n\n  • C D\n")
    recs = list(arrow.read(p, str(p)))
    assert isinstance(recs[1], Rejected) and recs[1].error.line == 12
    assert isinstance(recs[2], Work) and recs[2].title == "Good"
