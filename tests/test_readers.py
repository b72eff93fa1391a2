"""The readers' registry (etl/readers.py): each reader recognises its own file, the first that does wins, the
command line and the load history read the same list, and adding a reader is one entry."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl import readers
from etl.__main__ import main
from etl.batch import Batch
from etl.loaders import detect_kind, read_any
from etl.problems import Rejected
from tests.helpers import write_long, write_national


def _csv(path: Path, rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


# one small file per kind, as its users write it: (file name, rows)
FILES = {
    "ministry": ("phu_luc_bo_noi_vu.csv", [["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
                                            ["STT", "Tỉnh, thành phố", "Tổng điểm", "Xếp hạng"],
                                            [1, "Hà Nội", 90.1, 1]]),
    "annex": ("phu_luc_don_vi.csv", [["Kết quả Chỉ số CCHC các sở, ban, ngành năm 2024"],
                                     ["STT", "Tên đơn vị", "Tổng điểm", "Xếp hạng"], [1, "Sở Nội vụ", 90, 1]]),
    "papi": ("papi_2024.csv", [["TinhID", "Tỉnh", "Tham gia của người dân ở cấp cơ sở"], [1, "Hà Nội", 5.1]]),
    "units": ("diem_don_vi.csv", [["Đơn vị", "Năm", "Mã tiêu chí", "Tự chấm", "Thẩm định"],
                                  ["Sở Nội vụ", 2024, "1.1", 3, 2.5]]),
    "national": ("bang_tinh.csv", [["chi_so", "nam", "tinh", "tong_diem", "xep_hang"],
                                   ["PAR INDEX", 2024, "Hà Nội", 90.1, 1]]),
}


@pytest.mark.parametrize("kind", list(FILES))
def test_each_reader_recognises_its_own_file(tmp_path, kind):
    name, rows = FILES[kind]
    assert detect_kind(_csv(tmp_path / name, rows)) == kind


def test_the_more_specific_reader_wins(tmp_path):
    """An annex's words ("Tên đơn vị", "Tổng điểm") with criterion codes is the unit-score template, not an annex;
    the ministry's table of provinces has "Tổng điểm" and "Xếp hạng" too, but is the ministry's."""
    both = _csv(tmp_path / "a.csv", [["Tên đơn vị", "Mã tiêu chí", "Tổng điểm"], ["Sở Nội vụ", "1.1", 3]])
    assert detect_kind(both) == "units"
    assert [r.kind for r in readers.READERS] == ["ministry", "annex", "papi", "units", "national"]


def test_a_pdf_is_the_ministry_annex(tmp_path):
    pdf = tmp_path / "phu_luc.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert detect_kind(pdf) == "ministry"


def test_workbooks_are_recognised_too(tmp_path):
    assert detect_kind(write_national(tmp_path / "tinh.xlsx", [["PAR INDEX", 2024, "01", "Hà Nội", 90, 1]])) == \
        "national"
    assert detect_kind(write_long(tmp_path / "don_vi.xlsx", [["Sở Nội vụ", 2024, "1.1", 3, 2.5, None]])) == "units"


def test_an_unrecognised_file_is_refused_in_vietnamese_naming_the_file(tmp_path):
    f = _csv(tmp_path / "bảng <lạ>.csv", [["a", "b"], [1, 2]])
    with pytest.raises(Rejected) as e:
        detect_kind(f)
    assert [p.text() for p in e.value.problems] == [
        "bảng <lạ>.csv: Không nhận ra loại tệp; hãy dùng mẫu tải từ ứng dụng"]
    assert [p.text("en") for p in e.value.problems] == [
        "bảng <lạ>.csv: Cannot tell what kind of file this is; use a template downloaded from the app"]
    with pytest.raises(Rejected) as e:                 # a kind no reader has is refused the same way
        read_any(f, tmp_path / "none.duckdb", kind="framework")
    assert [p.code for p in e.value.problems] == ["unknown_kind"]


def test_the_command_line_offers_the_registered_kinds_and_no_framework(tmp_path, capsys):
    """`--kind framework` was offered and read nothing (an unknown kind): frameworks are built from
    data/raw/frameworks/ (frameworks.csv and one file each), so the choice is gone."""
    f = _csv(tmp_path / "khung.csv", [["code", "name_vi", "max_points"], ["1", "Lĩnh vực 1", 10]])
    with pytest.raises(SystemExit) as e:
        main(["check", str(f), "--kind", "framework"])
    assert e.value.code == 2
    err = " ".join(capsys.readouterr().err.replace("'", "").split())
    assert "invalid choice: framework (choose from ministry, annex, papi, units, national)" in err


def test_adding_a_reader_is_one_entry(tmp_path, monkeypatch, capsys):
    """A new reader, put first in the list: detection finds it, `read_any` runs it, the command line offers it, and
    the load history names its batches."""
    got = []

    def read(path, options):
        got.append((path.name, options.one_year))
        return Batch("pci_scores")

    pci = readers.Reader("pci", lambda g: g.mentions("pci"), read, batch_kind="pci_scores", help="PCI")
    monkeypatch.setattr(readers, "READERS", [pci, *readers.READERS])
    f = _csv(tmp_path / "pci.csv", [["PCI", "Tỉnh"], [70.1, "Hà Nội"]])
    assert detect_kind(f) == "pci"
    assert read_any(f, tmp_path / "none.duckdb", years=[2024]).kind == "pci_scores"
    assert got == [("pci.csv", 2024)]
    assert readers.loaded_as("pci") == "pci_scores" and readers.loaded_as("units") == "unit_scores"
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "pci: PCI" in " ".join(capsys.readouterr().out.split())


def test_a_refused_file_is_recorded_under_its_readers_kind(db_copy, tmp_path):
    """The load history names a refused file by the kind its reader's batches carry ('units' -> 'unit_scores'),
    from the command line's load and from the admin page's check alike; a file no reader knows, as '?'."""
    import json

    import ui.admin.face as A
    from etl import db as dbmod
    from etl.loaders import load_file
    rows = [["Sở Nội vụ", 2025, "1.1.1", 3, "tám", None]]
    with pytest.raises(Rejected):
        load_file(write_long(tmp_path / "cli.xlsx", rows), db_copy)
    assert not A.validate(write_long(tmp_path / "admin.xlsx", rows), db_copy)["ok"]
    assert not A.validate(_csv(tmp_path / "la.csv", [["a", "b"], [1, 2]]), db_copy)["ok"]
    lines = [json.loads(x) for x in dbmod.journal_path(db_copy).read_text(encoding="utf-8").splitlines()]
    assert [(e["file_name"], e["kind"]) for e in lines if e["result"] == "rejected"] == [
        ("cli.xlsx", "unit_scores"), ("admin.xlsx", "unit_scores"), ("la.csv", "?")]
