"""Issue 21: the plan and the results report as Word documents. Each document is opened with python-docx and every
number in its tables compared with SQL written here (not the app's queries); both are rendered to PDF by LibreOffice
and checked for the Vietnamese text and for everything staying inside the page margins."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import duckdb
import pandas as pd
import pytest
from docx import Document

from etl import plan as ep
from tests.test_plan import expected_status, line
from ui.exports import word

TODAY = dt.date(2024, 12, 20)


def vi(x, d: int = 2) -> str:
    s = f"{x:,.{d}f}"
    return s.replace(",", " ").replace(".", ",").replace(" ", ".")


def rows_of(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def table_headed(doc, first: str, second: str | None = None):
    found = [t for t in doc.tables if t.rows[0].cells[0].text == first
             and (second is None or t.rows[0].cells[1].text == second)]
    assert len(found) == 1, [t.rows[0].cells[0].text for t in doc.tables]
    return found[0]


@pytest.fixture(scope="module")
def plan_doc(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        data = word.plan_data(con, 2025)
        return Document(io.BytesIO(word.plan_document(data, today=TODAY))), data
    finally:
        con.close()


@pytest.fixture(scope="module")
def report_doc(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        data = word.report_data(con, 2024, "department")
        return Document(io.BytesIO(word.report_document(data, today=TODAY))), data
    finally:
        con.close()


# ------------------------------------------------------------------ the plan

def test_the_plan_has_the_administrative_layout(plan_doc):
    doc, _ = plan_doc
    head = rows_of(doc.tables[0])
    assert head[0][0].split("\n") == ["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP", "———"]
    assert head[0][1].split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert head[1] == ["Số: …/KH-UBND", "Đồng Tháp, ngày 20 tháng 12 năm 2024"]
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "BẢN TRÌNH DIỄN · SỐ LIỆU MINH HỌA"
    for heading in ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ", "III. TỔ CHỨC THỰC HIỆN", "PHỤ LỤC"):
        assert heading in text
    assert any(t.startswith("Nâng cao Chỉ số cải cách hành chính (PAR INDEX)") and t.endswith("năm 2025") for t in text)


def test_the_plan_tables_match_the_database(plan_doc, con):
    doc, _ = plan_doc
    lines = con.execute("""select line_no, agency, target_kind, target_value, deadline, actions, item_code, item_name
                           from plan_line where plan_year = 2025 order by line_no""").df()
    before = expected_status(con, 2025, measured=2024)

    def value(kind, v):
        if v is None or pd.isna(v):
            return "–"
        return f"hạng {int(v)}" if kind == "rank" else vi(v) + (" %" if kind == "pct" else " điểm")
    kinds = {"points": "điểm", "pct": "% điểm tối đa", "rank": "thứ hạng"}
    appendix = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["STT", "Chỉ tiêu", "Cơ quan chủ trì"]]
    assert len(appendix) == 1
    appendix = rows_of(appendix[0])[1:]
    assert len(appendix) == len(lines)
    for r, want in zip(appendix, lines.itertuples()):
        assert r[0] == str(want.line_no) and r[1].endswith(want.item_name) and r[2] == want.agency
        assert r[3] == kinds[want.target_kind]
        assert r[4] == value(want.target_kind, before[want.line_no][1])
        assert r[5] == value(want.target_kind, want.target_value)
        assert r[6] == want.deadline.strftime("%d/%m/%Y")
    # one task table per agency under II, each with that agency's lines and actions
    tasks = [t for t in doc.tables if t.rows[0].cells[0].text == "STT" and t.rows[0].cells[2].text.startswith("Kết quả")]
    assert len(tasks) == lines.agency.nunique()
    got = {int(r[0]): (r[2], r[3], r[5]) for t in tasks for r in rows_of(t)[1:]}
    assert got == {w.line_no: (value(w.target_kind, before[w.line_no][1]), value(w.target_kind, w.target_value),
                               w.actions) for w in lines.itertuples()}
    # the purpose cites the province's position the year before, from the database
    said = con.execute("""
        select index_name, score, rank, (select count(*) from province_score n where n.index_name = s.index_name
                                          and n.year = 2024 and n.measure_code = 'total' and n.score is not null)
        from province_score s where year = 2024 and province_code = '87' and measure_code = 'total'
          and score is not null
        order by list_position(['PAR INDEX', 'SIPAS', 'PAPI', 'PCI'], index_name)""").fetchall()
    sentence = "; ".join(f"{i} đạt {vi(sc)} điểm" + (f", xếp thứ {r}/{n}" if r is not None else "") for i, sc, r, n in said)
    assert any(p.text.startswith(f"Năm 2024, {sentence}. ") for p in doc.paragraphs)


def test_names_from_users_are_plain_text(db_copy):
    hostile = 'Sở <b>"Tư pháp"</b> & =HYPERLINK("http://x")'
    ep.save(db_copy, 2026, pd.DataFrame([line(agency=hostile, actions="<script>alert(1)</script>")]), "Lan")
    con = duckdb.connect(str(db_copy), read_only=True)
    try:
        doc = Document(io.BytesIO(word.plan_document(word.plan_data(con, 2026), today=TODAY)))
    finally:
        con.close()
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert hostile in cells and "<script>alert(1)</script>" in cells
    assert any(p.text == f"1. {hostile}" for p in doc.paragraphs)


# ------------------------------------------------------------------ the report

HOMES = """(select old_code from province_crosswalk where new_scheme = 'p34' and new_code =
             (select new_code from province_crosswalk where old_code = '87' and new_scheme = 'p34') union select '87')"""


def test_the_report_position_and_domains_match_sql(report_doc, con):
    doc, _ = report_doc
    pos = rows_of(table_headed(doc, "Chỉ số"))[1:]
    want = con.execute("""
        with t as (select index_name, year, province_code, score, rank from province_score
                   where measure_code = 'total' and score is not null and year in (2023, 2024))
        select a.index_name, a.score, a.rank, (select count(*) from t n where n.index_name = a.index_name
                                                 and n.year = 2024), b.score, b.rank
        from t a left join t b on b.index_name = a.index_name and b.year = 2023 and b.province_code = '87'
        where a.year = 2024 and a.province_code = '87'
        order by list_position(['PAR INDEX', 'SIPAS', 'PAPI', 'PCI'], a.index_name)""").fetchall()
    assert len(pos) == len(want) == 4
    for r, (idx, score, rank, n, score_prev, rank_prev) in zip(pos, want):
        assert r == [idx, vi(score), "–" if rank is None else f"{rank}/{n}", vi(score_prev),
                     "–" if rank_prev is None else str(rank_prev)]
    dom = rows_of(table_headed(doc, "Lĩnh vực"))[1:]
    want = con.execute("""
        with d as (select province_code, measure_code, 100 * score / max_score as pct, score, max_score
                   from province_scores where index_name = 'PAR INDEX' and year = 2024
                     and measure_depth = 'domain' and score is not null)
        select * from (
            select h.measure_code, h.score, h.max_score, h.pct, median(d.pct) as med
            from d h join d on d.measure_code = h.measure_code where h.province_code = '87'
            group by all) order by measure_code::int""").fetchall()
    assert len(dom) == len(want) == 8
    for r, (code, score, mx, pct, med) in zip(dom, want):
        assert r[0].startswith(f"{code}. ")
        assert r[1:5] == [vi(score), vi(mx), vi(pct, 1), vi(med, 1)]
        assert r[5] == ("+" if pct - med > 0 else "") + vi(pct - med, 1)


def test_the_report_units_criteria_and_cuts_match_sql(report_doc, con):
    doc, _ = report_doc
    weakest = rows_of(table_headed(doc, "Mã"))[1:]
    want = con.execute(f"""
        select item_code, sum(points_lost), count_if(points_lost > 1e-9), 100 * avg(final_score) / any_value(max_points)
        from unit_scores where unit_level = 'department' and year = 2024 and item_depth = 'criterion'
          and province_code in {HOMES}
        group by item_code having sum(points_lost) > 0 order by 2 desc, item_code limit 10""").fetchall()
    assert [(r[0], r[3], r[4], r[5]) for r in weakest] == [(c, vi(lost), str(n), vi(share, 1)) for c, lost, n, share in want]
    ranking = rows_of(table_headed(doc, "Hạng"))[1:]
    want = con.execute(f"""
        with t as (select unit_name, sum(final_score) as s, sum(max_points) as m from unit_scores
                   where unit_level = 'department' and year = 2024 and item_depth = 'domain'
                     and province_code in {HOMES} group by unit_name)
        select unit_name, s, m, (select band_code from unit_band where province_code = '*' and level = '*'
                                   and min_score_pct <= 100 * s / m + 1e-9 order by min_score_pct desc limit 1)
        from t order by s / m desc, unit_name""").fetchall()
    assert [tuple(r[1:]) for r in ranking] == [(u, vi(s), vi(m), vi(100 * s / m), b) for u, s, m, b in want]
    assert [int(r[0]) for r in ranking] == sorted(int(r[0]) for r in ranking)
    cuts = rows_of(table_headed(doc, "Đơn vị", "Tự chấm"))[1:]
    want = con.execute(f"""
        select unit_name, sum(self_score), sum(appraised_score), sum(self_score - appraised_score),
               count_if(self_score - appraised_score > 1e-9)
        from unit_scores where unit_level = 'department' and year = 2024 and item_depth = 'sub_criterion'
          and province_code in {HOMES} and self_score is not null and appraised_score is not null
        group by unit_name having sum(self_score - appraised_score) > 0 order by 4 desc, any_value(unit_id) limit 10""").fetchall()
    assert [tuple(r) for r in cuts] == [(u, vi(s), vi(a), vi(c), str(k), vi(100 * c / s, 1)) for u, s, a, c, k in want]


def test_every_report_section_has_a_picture_a_table_and_a_source(report_doc):
    doc, data = report_doc
    assert len(doc.inline_shapes) == 5
    sources = [p.text for p in doc.paragraphs if p.text.startswith("Nguồn: ")]
    assert len(sources) == 5 and all(len(s) > 12 for s in sources)
    assert "Bản trình diễn · số liệu minh họa" in sources[-1]          # illustrative units say so
    assert doc.paragraphs[0].text == "BẢN TRÌNH DIỄN · SỐ LIỆU MINH HỌA"


def test_a_province_and_year_without_units_still_reports(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        doc = Document(io.BytesIO(word.report_document(word.report_data(con, 2023, "district"), today=TODAY)))
    finally:
        con.close()
    text = [p.text for p in doc.paragraphs]
    for missing in ("Chưa có điểm tiêu chí năm 2023 của UBND cấp huyện.", "Chưa có kết quả năm 2023 của UBND cấp huyện.",
                    "Không có điểm bị trừ khi thẩm định năm 2023 của UBND cấp huyện."):
        assert missing in text
    assert "BẢN TRÌNH DIỄN · SỐ LIỆU MINH HỌA" not in text


# ------------------------------------------------------------------ as LibreOffice shows them

def test_libreoffice_renders_both_inside_the_margins(plan_doc, report_doc, built_db, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Writer is needed: .ci/run installs libreoffice-writer-nogui"
    import pdfplumber
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        (tmp_path / "plan.docx").write_bytes(word.plan_document(word.plan_data(con, 2025), today=TODAY))
        (tmp_path / "report.docx").write_bytes(word.report_document(word.report_data(con, 2024), today=TODAY))
    finally:
        con.close()
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "plan.docx"),
                    str(tmp_path / "report.docx")], check=True, capture_output=True, timeout=240)
    cm = 72 / 2.54
    for name in ("plan", "report"):
        with pdfplumber.open(tmp_path / f"{name}.pdf") as pdf:
            text = "\n".join(p.extract_text() for p in pdf.pages)
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
            assert "ỦY BAN NHÂN DÂN" in text and "TỈNH ĐỒNG THÁP" in text
            for page in pdf.pages:
                xs = [c["x0"] for c in page.chars] + [r["x0"] for r in page.rects] + [i["x0"] for i in page.images]
                x1 = [c["x1"] for c in page.chars] + [r["x1"] for r in page.rects] + [i["x1"] for i in page.images]
                assert min(xs) >= 3 * cm - 2 and max(x1) <= page.width - 2 * cm + 2, (name, page.page_number)
        assert len(pdfplumber.open(tmp_path / f"{name}.pdf").pages) <= (4 if name == "plan" else 8)


@pytest.mark.parametrize("p34,year,level,body,codes", [
    ("25", 2024, "department", "TỈNH PHÚ THỌ", ("17", "25", "26")),          # Hòa Bình's departments, as published
    ("79", 2017, "district", "THÀNH PHỐ HỒ CHÍ MINH", ("74", "77", "79")),  # Bình Dương's districts
])
def test_a_report_for_another_province(real_db, p34, year, level, body, codes):
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        data = word.report_data(con, year, level, p34=p34)
        doc = Document(io.BytesIO(word.report_document(data, today=TODAY)))
        want = con.execute(f"""
            select unit_name, total from (
                select u.name_vi as unit_name, coalesce(sum(s.final_score), any_value(y.total_score)) as total
                from unit_year y join unit u using (unit_id)
                left join unit_scores s on s.unit_id = y.unit_id and s.year = y.year and s.item_depth = 'domain'
                where y.year = $y and u.level = $l and u.province_code in {codes}
                group by u.name_vi) order by total desc, unit_name""", {"y": year, "l": level}).fetchall()
    finally:
        con.close()
    assert rows_of(doc.tables[0])[0][0].split("\n")[1] == body
    ranking = rows_of(table_headed(doc, "Hạng"))[1:]
    assert len(ranking) == len(want) > 0
    assert [(r[1], r[2]) for r in ranking] == [(u, vi(s)) for u, s in want]
