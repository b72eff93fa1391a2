"""History from the tables provinces publish: the yearly results annex (title rows, merged headers, numbering
rows, NFD names, unknown and near-miss names, points or percent), the national table with domains in percent,
and the pages on years known only at domain level."""
from __future__ import annotations

import hashlib
import unicodedata

import duckdb
import pytest
from openpyxl import Workbook

from etl.__main__ import main
from etl.loaders import detect_kind, load_file, preview
from etl.problems import Rejected
from tests.helpers import annex_units, run_page, write_annex, write_national


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _scores(db, year, level="department"):
    con = duckdb.connect(str(db), read_only=True)
    try:
        s = con.execute("""select u.name_vi, s.item_code, s.appraised_score, s.self_score, s.provenance
                           from unit_score s join unit u using (unit_id)
                           where s.year = $y and u.level = $l order by 1, 2""", {"y": year, "l": level}).fetchall()
        y = con.execute("""select u.name_vi, y.detail_level, y.rank, y.band, y.total_score, y.provenance
                           from unit_year y join unit u using (unit_id)
                           where y.year = $y and u.level = $l order by y.rank""", {"y": year, "l": level}).fetchall()
    finally:
        con.close()
    return s, y


@pytest.mark.parametrize("level", ["department", "district"])
def test_annex_without_level_words_takes_the_level_of_its_units(db_copy, tmp_path, level):
    """A title that names no level ("KẾT QUẢ CHỈ SỐ CCHC NĂM 2018", sheet "Nam 2018"): the level is that of the units
    the names match (before: the row number was looked up instead of the name, and the file was refused with
    'không xác định được cấp')."""
    from openpyxl import load_workbook
    f = write_annex(tmp_path / "ket_qua_2018.xlsx", db_copy, level=level)
    wb = load_workbook(f)
    wb.active["A1"] = "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2018"
    wb.save(f)
    load_file(f, db_copy)
    scores, years = _scores(db_copy, 2018, level)
    assert len(years) == len(annex_units(db_copy, level)) and years[0][2] == 1


@pytest.mark.parametrize("two_rows", [True, False])
def test_annex_in_points_with_title_rows_and_merged_header(db_copy, tmp_path, two_rows):
    f = write_annex(tmp_path / "phu_luc_2018.xlsx", db_copy, two_row_header=two_rows)
    assert detect_kind(f) == "annex"
    batch, changes = preview(f, db_copy)
    assert any("được hiểu là điểm (theo tiêu đề cột)" in n for n in batch.notes)
    assert any("sẽ được thay bằng điểm lĩnh vực" in n for n in batch.notes)     # finer 2018 data is replaced
    load_file(f, db_copy)
    units = annex_units(db_copy)
    scores, years = _scores(db_copy, 2018)
    first_name, _, maxima = units[0]
    got = [a for n, c, a, s, p in scores if n == first_name]
    assert got == pytest.approx([round(m * 0.95, 2) for m in maxima])
    assert all(s is None and p == "published" for _, _, _, s, p in scores)       # an annex has no self-assessment
    assert years[0][:4] == (first_name, "domain", 1, "Tốt") and len(years) == len(units)


def test_annex_in_percent_marked_or_inferred(db_copy, tmp_path):
    for mark in (True, False):
        f = write_annex(tmp_path / f"pct_{mark}.xlsx", db_copy, percent=True, mark_unit=mark, year=2019)
        batch, _ = preview(f, db_copy)
        how = "theo tiêu đề cột" if mark else "tiêu đề không ghi rõ, suy ra từ giá trị"
        assert any(f"% điểm tối đa của lĩnh vực ({how})" in n for n in batch.notes), batch.notes
    load_file(f, db_copy)
    scores, _ = _scores(db_copy, 2019)
    name, _, maxima = annex_units(db_copy, year=2019)[0]
    assert [a for n, c, a, s, p in scores if n == name] == pytest.approx([m * 0.95 for m in maxima])


def test_annex_names_nfd_and_prefixes_match(db_copy, tmp_path):
    names = {n: unicodedata.normalize("NFD", n.upper()) for n, _, _ in annex_units(db_copy, "district", 2019)}
    f = write_annex(tmp_path / "huyen_2019.xlsx", db_copy, level="district", year=2019, names=names)
    load_file(f, db_copy)
    _, years = _scores(db_copy, 2019, "district")
    # 'Thành phố Cao Lãnh' and 'Huyện Cao Lãnh' share an alias without their prefixes: both present, distinct
    got = {n for n, *_ in years}
    assert got == set(names) and len(years) == len(names)


def test_annex_unknown_and_near_miss_names(db_copy, tmp_path):
    units = annex_units(db_copy)
    near, far = units[0][0], units[1][0]
    names = {near: near[:-1], far: "Ban Quản lý dự án mới"}
    f = write_annex(tmp_path / "moi.xlsx", db_copy, names=names)
    before = _sha(db_copy)
    with pytest.raises(Rejected) as e:
        load_file(f, db_copy)
    text = "\n".join(p.text("vi") for p in e.value.problems)
    assert f"Không có đơn vị '{near[:-1]}' trong danh sách — gần giống: {near}" in text
    assert "Không có đơn vị 'Ban Quản lý dự án mới'" in text and "dòng 7" in text and "cột B" in text
    assert _sha(db_copy) == before
    # the user confirms they are new: created, with the year and level of the annex
    out = load_file(f, db_copy, create_units=True)
    assert "Tạo 2 đơn vị mới" in out
    con = duckdb.connect(str(db_copy), read_only=True)
    new = con.execute("select name_vi, level, valid_from_year, provenance from unit where unit_id like 'NEW-%' "
                      "order by 1").fetchall()
    con.close()
    assert new == sorted([(near[:-1], "department", 2018, "published"), ("Ban Quản lý dự án mới", "department", 2018,
                                                                          "published")])


def _edit(i, j, v):
    def edit(rows):
        rows[i][j] = v
    return edit


@pytest.mark.parametrize("edit,fragments", [
    (_edit(0, 2, "tám"), ["dòng 7", "cột C", "'tám' không phải là số"]),
    (_edit(0, 2, 99), ["dòng 7", "cột C", "Điểm 99 lớn hơn điểm tối đa"]),
    (_edit(1, 11, 1.0), ["dòng 8", "cột L", "Chỉ số 1 % khác tổng điểm chia điểm tối đa"]),
    (_edit(2, 12, 99), ["dòng 9", "cột M", "Xếp hạng 99 không hợp lệ"]),
    (_edit(3, 10, 12.5), ["dòng 10", "cột K", "khác cột tổng điểm (12,5)"]),
    (lambda rows: rows.append(list(rows[0])), ["Dòng trùng lặp (đã có ở dòng 7)"]),
])
def test_annex_checks(db_copy, tmp_path, edit, fragments):
    f = write_annex(tmp_path / "sai.xlsx", db_copy, edit=edit)
    before = _sha(db_copy)
    with pytest.raises(Rejected) as e:
        load_file(f, db_copy)
    text = "\n".join(p.text("vi") for p in e.value.problems)
    for frag in fragments:
        assert frag in text, text
    assert "sai.xlsx, trang 'Nam 2018'" in text and _sha(db_copy) == before


def test_annex_one_sheet_per_year_and_totals_only(db_copy, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "2017"
    ws.append(["KẾT QUẢ CHỈ SỐ CCHC CÁC SỞ, BAN, NGÀNH"])
    ws.append(["STT", "Tên đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp hạng"])
    units = annex_units(db_copy, year=2017)
    for i, (n, _, mx) in enumerate(units):
        total = round(sum(mx) * (0.9 - 0.01 * i), 2)
        ws.append([i + 1, n, total, round(100 * total / sum(mx), 2), i + 1])
    f = tmp_path / "tong_diem.xlsx"
    wb.save(f)
    load_file(f, db_copy)
    scores, years = _scores(db_copy, 2017)
    assert scores == [] and {d for _, d, *_ in years} == {"total"}
    con = duckdb.connect(str(db_copy), read_only=True)
    import queries
    tot = queries.run(con, "unit_totals", level="department", provinces=["82", "87"])
    con.close()
    t17 = tot[tot.year == 2017].sort_values("published_rank")
    assert t17.total_score.iloc[0] == pytest.approx(round(sum(units[0][2]) * 0.9, 2))


def test_cli_detects_and_loads_an_annex(db_copy, tmp_path, capsys):
    f = write_annex(tmp_path / "phu_luc.xlsx", db_copy, year=2020)
    assert main(["--db", str(db_copy), "check", str(f)]) == 0
    out = capsys.readouterr().out
    assert "Tệp hợp lệ" in out and "được hiểu là điểm" in out
    assert main(["--db", str(db_copy), "load", str(f)]) == 0


# --- national tables with domains in percent ----------------------------------------------------------------

def _nat_rows(pct: bool):
    # PAR INDEX 2024 maxima (2022 framework): use the app's own definition
    from etl.national import measures_for
    m = measures_for("PAR INDEX", 2024)
    mx = list(m[m.measure_code != "total"].max_score)
    share = 0.9
    doms = [round(100 * share, 2) if pct else round(x * share, 2) for x in mx]
    return [["PAR INDEX", 2024, "87", None, round(sum(x * share for x in mx), 2), 5] + doms], mx


@pytest.mark.parametrize("header,pct,how", [("d{i} (%)", True, "theo tiêu đề cột"), ("d{i}", True, "suy ra từ giá trị"),
                                            ("d{i}", False, "suy ra từ giá trị")])
def test_national_domains_points_or_percent(db_copy, tmp_path, header, pct, how):
    rows, mx = _nat_rows(pct)
    f = tmp_path / "nat.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "KetQua"
    ws.append(["chi_so", "nam", "ma_tinh", "tinh", "tong_diem", "xep_hang"] + [header.format(i=i) for i in range(1, 9)])
    for r in rows:
        ws.append(r)
    wb.save(f)
    batch, _ = preview(f, db_copy)
    assert any(how in n and ("% điểm tối đa" in n) == pct for n in batch.notes), batch.notes
    load_file(f, db_copy)
    con = duckdb.connect(str(db_copy), read_only=True)
    got = [s for (s,) in con.execute("select score from province_score where index_name = 'PAR INDEX' and year = 2024 "
                                     "and province_code = '87' and measure_code <> 'total' order by measure_code")
           .fetchall()]
    con.close()
    assert got == pytest.approx([x * 0.9 for x in mx], abs=0.01)


def test_national_points_table_still_loads(db_copy, tmp_path):
    f = write_national(tmp_path / "n.xlsx", [["SIPAS", 2023, "87", None, 85.5, 4] + [None] * 8])
    load_file(f, db_copy)


# --- pages on domain-only years --------------------------------------------------------------------------------

@pytest.mark.parametrize("page,kw,expect", [
    ("criterion_gaps", dict(depth="criterion"), "Năm 2016 chỉ có điểm theo lĩnh vực"),
    ("targets", dict(depth="criterion"), "Năm 2016 chỉ có điểm theo lĩnh vực"),
    ("self_vs_appraisal", {}, "Năm 2016 chỉ có điểm theo lĩnh vực"),
    ("unit_profile", dict(unit="SO-TP"), "Năm 2016 chỉ có điểm theo lĩnh vực"),
])
def test_pages_say_what_a_domain_only_year_lacks(page, kw, expect):
    at = run_page(page, level="department", year=2016, **kw)
    assert any(expect in i.value for i in at.info)


def test_pages_still_show_what_a_domain_only_year_has():
    at = run_page("criterion_gaps", level="department", year=2016, depth="criterion")
    assert len(at.get("plotly_chart")) == 2                    # the domain heatmap and Pareto
    at = run_page("unit_ranking", level="department", year=2015)
    assert any("Năm 2015: điểm theo lĩnh vực từ phụ lục" in c.value for c in at.caption)
    ranked = at.get("dataframe")[0].value
    assert len(ranked) == 19
    at = run_page("unit_profile", level="department", year=2024, unit="SO-TP")
    assert not at.info or not any("chỉ có điểm theo lĩnh vực" in i.value for i in at.info)
    from ui import units as U
    hist = U.history("department", "SO-TP")                     # one history across domain-only and detailed years
    assert set(range(2015, 2025)) <= set(hist.year) and hist.score_pct.notna().all()
