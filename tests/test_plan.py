"""Issue 21: the province's plan — validation (each problem names the line and column), saving as a versioned load
with its history, tracking against the plan year's results (compared with SQL), the demo's sample plan, and the
plan drafted and saved on the targets page by a signed-in user, then tracked when the next year is loaded."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import plan as ap
from etl import db as dbmod
from etl import plan as ep
from etl.loaders import load_file
from etl.problems import Rejected
from tests.helpers import long_rows, write_long

ROOT = Path(__file__).resolve().parent.parent
D31 = dt.date(2026, 12, 31)


def line(scope="unit", where="department", code="2.1", agency="Sở Tư pháp", kind="pct", value=90.0,
         deadline=D31, actions="Thẩm định đúng hạn"):
    return dict(scope=scope, index_name=where if scope == "index" else None,
                level=where if scope == "unit" else None, item_code=code, agency=agency, target_kind=kind,
                target_value=value, deadline=deadline, actions=actions)


@pytest.fixture(scope="module")
def options(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        return ep.choices(con, 2026)
    finally:
        con.close()


# ------------------------------------------------------------------ validation

def test_clean_lines_are_numbered_and_named_by_the_framework(options):
    lines = pd.DataFrame([line(), line("index", "PAR INDEX", "total", "Sở Nội vụ", "rank", 5),
                          line("index", "SIPAS", "total", "Sở Nội vụ", "points", 86.5)])
    clean, probs = ep.validate(lines, 2026, options)
    assert probs == []
    assert list(clean.line_no) == [1, 2, 3]
    assert clean.item_name.iloc[0] == "Xây dựng văn bản QPPL"          # DEPT-2022's name, not the user's
    assert list(clean.target_kind) == ["pct", "rank", "points"]


def test_each_wrong_line_is_named_with_its_column(options):
    lines = pd.DataFrame([
        line(code="99.9"),                                    # 1: no such criterion
        line(kind="rank", value=3),                           # 2: a unit line cannot have a rank
        line(value=120),                                      # 3: % above 100
        line(code="1.1", agency="  "),                        # 4: no agency
        line(code="3.3", deadline=dt.date(2031, 1, 1)),       # 5: deadline outside the plan's years
        line(),                                               # 6: the same as line 3 (same measure and kind)
        line("index", "PAR INDEX", "total", "Sở Nội vụ", "rank", 64),   # 7: rank beyond the provinces of 2026
        line(code="2.2", value="nhiều"),                      # 8: not a number
        line(code="2.3", actions="x" * (ep.MAX_ACTIONS + 1)),  # 9: actions too long
    ])
    _, probs = ep.validate(lines, 2026, options)
    got = {(p.row, p.column, p.code) for p in probs}
    assert got == {(1, "Chỉ tiêu", "unknown_plan_item"), (2, "Loại mục tiêu", "unknown_value"),
                   (3, "Mục tiêu", "out_of_range"), (4, "Cơ quan chủ trì", "required"),
                   (5, "Thời hạn", "bad_date"), (6, "Chỉ tiêu", "duplicate"), (7, "Mục tiêu", "out_of_range"),
                   (8, "Mục tiêu", "not_number"), (9, "Nhiệm vụ, giải pháp", "too_long")}
    texts = [p.text() for p in probs]
    assert texts[0].startswith("Kế hoạch năm 2026, dòng 1, cột Chỉ tiêu: ")
    assert any("0–34" not in s and "1–34" in s for s in texts)                 # 34 provinces from 2025
    en = [p.text("en") for p in ep.validate(lines, 2026, options, lang="en")[1]]
    assert en[0].startswith("Plan for 2026, row 1, column Measure: ")


# ------------------------------------------------------------------ saving: a versioned load

def test_a_saved_plan_is_a_new_version_in_the_history_and_can_be_rolled_back(db_copy):
    before = dbmod.list_versions(db_copy)
    n = ep.save(db_copy, 2026, pd.DataFrame([line(), line("index", "PAR INDEX", "3", "Văn phòng UBND tỉnh",
                                                           "pct", 92)]), "Chuyên viên Lan")
    assert n == 2
    con = duckdb.connect(str(db_copy), read_only=True)
    rows = con.execute("select line_no, scope, level, index_name, item_code, agency, target_kind, target_value, "
                       "deadline, provenance, updated_by from plan_line where plan_year = 2026 order by 1").fetchall()
    log = con.execute("select file_name, kind, rows, result, user_name from load_log order by load_id desc "
                      "limit 1").fetchone()
    con.close()
    assert rows == [(1, "unit", "department", None, "2.1", "Sở Tư pháp", "pct", 90.0, D31, "entered", "Chuyên viên Lan"),
                    (2, "index", None, "PAR INDEX", "3", "Văn phòng UBND tỉnh", "pct", 92.0, D31, "entered",
                     "Chuyên viên Lan")]
    assert log == ("ke-hoach-2026", "plan", 2, "loaded", "Chuyên viên Lan")
    from ui.admin import face as A
    shown = A.history(db_copy).iloc[0]                               # the history page says what it was, in words
    assert (shown.kind, shown.file_name, shown.user_name) == ("Kế hoạch nâng cao chỉ số", "ke-hoach-2026",
                                                             "Chuyên viên Lan")
    assert len(dbmod.list_versions(db_copy)) == len(before) + 1
    # saving again replaces that year's plan whole
    ep.save(db_copy, 2026, pd.DataFrame([line(value=85)]), "Lan")
    con = duckdb.connect(str(db_copy), read_only=True)
    assert con.execute("select count(*), max(target_value) from plan_line where plan_year = 2026").fetchone() == (1, 85.0)
    con.close()
    dbmod.rollback_to(db_copy, dbmod.list_versions(db_copy)[0], user="Lan")   # the version before this save
    con = duckdb.connect(str(db_copy), read_only=True)
    assert con.execute("select count(*) from plan_line where plan_year = 2026").fetchone() == (2,)
    con.close()


def test_a_refused_plan_changes_nothing_and_is_in_the_history(db_copy):
    data = db_copy.read_bytes()
    with pytest.raises(Rejected) as e:
        ep.save(db_copy, 2026, pd.DataFrame([line(value=150)]), "Lan")
    assert e.value.problems[0].text() == ("Kế hoạch năm 2026, dòng 1, cột Mục tiêu: "
                                          "Giá trị 150 ngoài khoảng hợp lệ 0–100")
    assert db_copy.read_bytes() == data
    last = json.loads(dbmod.journal_path(db_copy).read_text(encoding="utf-8").splitlines()[-1])
    assert (last["kind"], last["result"], last["user_name"]) == ("plan", "rejected", "Lan")


def test_the_real_database_refuses_an_illustrative_plan(real_copy):
    with pytest.raises(Rejected) as e:
        ep.save(real_copy, 2026, pd.DataFrame([line()]), "Lan", provenance="illustrative")
    assert "illustrative figure in the real database" in e.value.problems[0].detail.lower()


def test_a_file_written_before_plans_gets_the_table_on_its_next_write(db_copy):
    con = duckdb.connect(str(db_copy))
    con.execute("drop table plan_line")
    con.close()
    assert ep.save(db_copy, 2026, pd.DataFrame([line()]), "Lan") == 1


# ------------------------------------------------------------------ tracking

def test_tracking_on_hand_computed_values():
    lines = pd.DataFrame([
        dict(line_no=1, agency="A", scope="unit", index_name=None, level="department", item_code="2.1",
             target_kind="pct", target_value=80.0),                 # 8/10 = 80 %: reached at equality
        dict(line_no=2, agency="A", scope="unit", index_name=None, level="department", item_code="2.2",
             target_kind="points", target_value=5.0),               # 4,5 points: missed
        dict(line_no=3, agency="B", scope="index", index_name="PAR INDEX", level=None, item_code="total",
             target_kind="rank", target_value=10.0),                # rank 8: reached (lower is better)
        dict(line_no=4, agency="B", scope="index", index_name="PAPI", level=None, item_code="total",
             target_kind="rank", target_value=20.0),                # no PAPI figure: no data
    ])
    m = pd.DataFrame([dict(scope="unit", index_name=None, level="department", item_code="2.1", score=8.0,
                           max_score=10.0, rank=None),
                      dict(scope="unit", index_name=None, level="department", item_code="2.2", score=4.5,
                           max_score=6.0, rank=None),
                      dict(scope="index", index_name="PAR INDEX", level=None, item_code="total", score=85.0,
                           max_score=100.0, rank=8.0)])
    before = m.assign(score=[7.0, 5.0, 84.0], rank=[None, None, 12.0])
    tr = ap.track(lines, m, before)
    assert list(tr.status) == ["reached", "missed", "reached", "no_data"]
    assert list(tr.actual.astype(object).where(tr.actual.notna(), None)) == [80.0, 4.5, 8.0, None]
    assert tr.change.iloc[0] == pytest.approx(10.0) and tr.change.iloc[1] == pytest.approx(-0.5)
    assert tr.change.iloc[2] == 4.0                                  # 12th -> 8th: 4 places gained
    ag = ap.by_agency(tr)
    assert ag.to_dict("records") == [dict(agency="A", lines=2, reached=1, missed=1, no_data=0),
                                     dict(agency="B", lines=2, reached=1, missed=0, no_data=1)]


def expected_status(con, plan_year: int, measured: int | None = None) -> dict[int, tuple[str, float | None]]:
    """Each plan line's status and value in year `measured` (default: the plan year), computed in SQL alone
    (independent of analysis.plan)."""
    rows = con.execute("""
        with home as (select value as p63 from setting where key = 'home_province_p63'),
        code as (select case when $y >= 2025 then (select new_code from province_crosswalk, home
                                                    where old_code = p63 and new_scheme = 'p34')
                             else (select p63 from home) end as c),
        homes as (select old_code as c from province_crosswalk where new_scheme = 'p34'
                    and new_code = (select new_code from province_crosswalk, home where old_code = p63
                                    and new_scheme = 'p34')
                  union select p63 from home),
        vals as (
            select l.line_no, l.target_kind, l.target_value,
                   case when l.scope = 'index' then
                        (select case l.target_kind when 'points' then s.score when 'pct' then 100 * s.score / s.max_score
                                else s.rank end
                         from province_scores s, code where s.index_name = l.index_name and s.year = $y
                           and s.province_code = code.c and s.measure_code = l.item_code and s.score is not null)
                   else (select case l.target_kind when 'points' then avg(u.final_score)
                                else 100 * avg(u.final_score) / any_value(u.max_points) end
                         from unit_scores u where u.unit_level = l.level and u.year = $y
                           and u.item_code = l.item_code and u.province_code in (select c from homes))
                   end as v
            from plan_line l where l.plan_year = $p)
        select line_no, v, case when v is null then 'no_data'
                                when target_kind = 'rank' and v <= target_value then 'reached'
                                when target_kind <> 'rank' and v >= target_value - 1e-9 then 'reached'
                                else 'missed' end
        from vals order by line_no""", {"y": measured or plan_year, "p": plan_year}).fetchall()
    return {n: (s, v) for n, v, s in rows}


def test_the_demo_sample_plan_tracks_as_sql_says(con):
    import queries
    home = queries.run(con, "home_unit_codes").province_code.tolist()
    lines = queries.run(con, "plan_lines", plan_year=2025)
    assert len(lines) == 9 and (lines.provenance == "illustrative").all()
    tr = ap.track(lines, queries.run(con, "plan_measures", year=2025, home=home),
                  queries.run(con, "plan_measures", year=2024, home=home))
    want = expected_status(con, 2025)
    assert {r.line_no: r.status for r in tr.itertuples()} == {n: s for n, (s, _) in want.items()}
    for r in tr.itertuples():
        if want[r.line_no][1] is not None:
            assert r.actual == pytest.approx(want[r.line_no][1])
    # the sample shows every outcome on first start
    assert set(tr.status) == {"reached", "missed", "no_data"}
    clean, probs = ep.validate(lines, 2025, ep.choices(con, 2025))
    assert probs == []                                               # the sample passes the plan's own checks


# ------------------------------------------------------------------ the targets page

def _sign_in(at: AppTest, name: str) -> None:
    """Signed in as the admin page does it with the shared password (no account exists in a test copy)."""
    from ui.admin.auth import make_hash
    at.secrets["admin"] = {"password_hash": make_hash("mật-khẩu-thử-2026")}
    at.session_state["admin"] = {"name": name, "shared": True}


def _page(db: Path, signed_in: bool, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    if signed_in:
        _sign_in(at, "Chuyên viên Lan")
    for k, v in params.items():
        at.query_params[k] = str(v)
    at.run()
    at.switch_page("app_pages/targets.py")
    at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def test_demo_targets_page_shows_the_sample_plan_tracked_and_no_editor():
    at = _page(None, signed_in=True, level="department", year=2025, depth="criterion")
    heads = [s.value for s in at.subheader]
    assert "Theo dõi kế hoạch năm 2025" in heads and "Kế hoạch nâng cao chỉ số năm 2026" in heads
    m = {x.label: x.value for x in at.metric}
    assert (m["Đạt"], m["Chưa đạt"], m["Chưa có số liệu"]) == ("5/9", "3/9", "1/9")
    assert not at.get("data_editor") and not [b for b in at.button if b.key == "pl_save"]
    assert any("kế hoạch mẫu" in i.value for i in at.info)


def _department_file(db: Path, tmp: Path, year: int, shares: dict[str, float], raised: tuple[str, ...] = (),
                     raised_share: float = 0.95) -> Path:
    """A workbook of departments' scores: every sub-criterion of each unit at its share; those of the domains in
    `raised` at raised_share."""
    rows = []
    for unit, share in shares.items():
        high = long_rows(db, unit=unit, year=year, share=raised_share)
        for r, h in zip(long_rows(db, unit=unit, year=year, share=share), high):
            rows.append(h if r[2].split(".")[0] in raised else r)
    return write_long(tmp / f"diem_{year}.xlsx", rows)


def _load_departments(db: Path, tmp: Path, year: int, shares: dict[str, float], raised: tuple[str, ...] = ()) -> None:
    load_file(_department_file(db, tmp, year, shares, raised), db, user="Lan")


def test_plan_drafted_and_saved_on_the_targets_page_then_tracked_when_the_year_is_loaded(real_copy, tmp_path,
                                                                                          monkeypatch):
    import ui.data as D
    monkeypatch.setattr(D, "DB_PATH", real_copy)
    units = {"Sở Tư pháp": 0.6, "Sở Nội vụ": 0.7, "Sở Tài chính": 0.65}
    _load_departments(real_copy, tmp_path, 2024, units)
    # not signed in: the plan is read-only, with the way to sign in
    at = _page(real_copy, signed_in=False, level="department", year=2024, depth="criterion")
    assert any("Đăng nhập" in i.value for i in at.info) and not [b for b in at.button if b.key == "pl_save"]
    at = _page(real_copy, signed_in=True, level="department", year=2024, depth="criterion")
    assert any("Chưa lưu kế hoạch năm 2025" in c.value for c in at.caption)
    at.button(key="pl_save").click().run()
    assert not at.exception
    assert any("Đã lưu kế hoạch năm 2025" in s.value for s in at.success)
    con = duckdb.connect(str(real_copy), read_only=True)
    saved = con.execute("select count(*), min(target_kind), max(target_kind), any_value(updated_by) "
                        "from plan_line where plan_year = 2025").fetchone()
    con.close()
    assert saved[0] == ep_draft_lines() and saved[1:] == ("pct", "pct", "Chuyên viên Lan")
    # the next year arrives: some criteria rise past their targets, others do not
    _load_departments(real_copy, tmp_path, 2025, units, raised=("1", "2", "3", "4"))
    at = _page(real_copy, signed_in=False, level="department", year=2025, depth="criterion")
    assert "Theo dõi kế hoạch năm 2025" in [s.value for s in at.subheader]
    con = duckdb.connect(str(real_copy), read_only=True)
    want = expected_status(con, 2025)
    con.close()
    shown = next(d.value for d in at.dataframe if "status_text" in d.value.columns)
    names = {"reached": "Đạt", "missed": "Chưa đạt", "no_data": "Chưa có số liệu"}
    assert dict(zip(shown.line_no, shown.status_text)) == {n: names[s] for n, (s, _) in want.items()}
    assert {"Đạt", "Chưa đạt"} <= set(shown.status_text)


def ep_draft_lines() -> int:
    from ui.plan import DRAFT_LINES
    return DRAFT_LINES


# ------------------------------------------------------------------ the targets workbook per agency (issue 19)

def test_targets_name_the_units_losing_points_and_go_out_as_a_sheet_per_agency(con):
    import openpyxl
    from tests.helpers import run_page
    from ui.exports.tabular import excel_book, sheet_names
    from ui.units import file_slug
    at = run_page("targets", level="department", year=2025, depth="criterion")
    tg = at.dataframe[0].value
    for code in tg.item_code.head(5):
        want = con.execute("""select unit_name, points_lost from unit_scores where unit_level = 'department'
                              and year = 2025 and item_depth = 'criterion' and item_code = $c and points_lost > 1e-9
                              and province_code in ('82', '87') order by points_lost desc, unit_name""",
                           {"c": code}).fetchall()
        text = tg.loc[tg.item_code == code, "losing_units"].iloc[0]
        assert text == "; ".join(f"{u} ({vi(p)})" for u, p in want)
    assert "Tải sổ mục tiêu theo cơ quan (Excel, mỗi cơ quan một trang)" in [b.label for b in at.get("download_button")]
    headers = {"item_code": "Mã", "agency_name": "Cơ quan", "recoverable": "Điểm có thể lấy lại",
               "losing_units": "Đơn vị mất điểm (điểm mất)"}
    groups = [(a, g) for a, g in tg.groupby("agency_name", sort=True)]
    wb = openpyxl.load_workbook(io.BytesIO(excel_book(groups, headers, [("Bảng", "Mục tiêu")])))
    assert wb.sheetnames == sheet_names([a for a, _ in groups]) + ["Nguồn và ghi chú"]
    for (agency, g), ws in zip(groups, wb.worksheets):
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert [r[0] for r in rows] == list(g.item_code) and {r[1] for r in rows} == {agency}
        assert [r[3] for r in rows] == list(g.losing_units)
    assert file_slug("Sở Khoa học và Công nghệ (nhận từ Sở Thông tin và Truyền thông)").startswith("so_khoa_hoc_va_cong_nghe_nhan")
    assert sheet_names(["a/b:c[1]", "'x'", "", "Nguồn và ghi chú", "A" * 40, "a" * 40]) == [
        "a_b_c_1_", "x", "Sheet", "Nguồn và ghi chú (2)", "A" * 31, "a" * 27 + " (2)"]


def vi(x, d: int = 2) -> str:
    s = f"{x:,.{d}f}"
    return s.replace(",", " ").replace(".", ",").replace(" ", ".")


def test_alerts_name_the_plan_lines_missed(con):
    from tests.helpers import run_page
    at = run_page("unit_alerts", level="department", year=2025)
    assert "Chỉ tiêu kế hoạch năm 2025 chưa đạt" in [s.value for s in at.subheader]
    status = expected_status(con, 2025)
    missed = [n for n, (s, _) in status.items() if s == "missed"]
    shown = next(d.value for d in at.dataframe if "actual_text" in d.value.columns)
    assert list(shown.line_no) == missed
    agencies = con.execute("select agency from plan_line where plan_year = 2025 and list_contains($m, line_no) "
                           "order by line_no", {"m": missed}).fetchall()
    assert list(shown.agency) == [a for (a,) in agencies]
    assert any(w.value.startswith(f"{len(missed)}/{len(status)} chỉ tiêu chưa đạt; cơ quan chủ trì: ")
               for w in at.warning)
    at = run_page("unit_alerts", level="department", year=2024)          # no plan for 2024: nothing said
    assert not [s for s in at.subheader if "kế hoạch" in s.value]


def test_the_plan_page_shows_tracks_and_edits_any_plan_year(real_copy, monkeypatch):
    from tests.helpers import run_page
    at = run_page("plan")                                            # the demo: its sample plan, tracked
    assert at.title[0].value == "Kế hoạch và theo dõi"
    assert "Theo dõi kế hoạch năm 2025" in [s.value for s in at.subheader]
    labels = [b.label for b in at.get("download_button")]
    assert "Tải kế hoạch (Word)" in labels and not at.get("data_editor")
    assert [d for d in at.dataframe if "deadline_text" in d.value.columns][0].value.line_no.tolist() == list(range(1, 10))
    at = run_page("plan", lang="en")
    assert at.title[0].value == "Plan and tracking" and "Tracking the plan for 2025" in [s.value for s in at.subheader]
    # the real database without unit scores: a signed-in user still gets the editor for next year's plan
    import ui.data as D
    monkeypatch.setattr(D, "DB_PATH", real_copy)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    _sign_in(at, "Lan")
    at.run()
    at.switch_page("app_pages/plan.py")
    at.run()
    assert not at.exception
    con = duckdb.connect(str(real_copy), read_only=True)
    latest = con.execute("select max(year) from province_score").fetchone()[0]
    con.close()
    assert at.selectbox(key="w_plan_year").value == latest + 1
    assert len(at.get("data_editor")) == 1 and [b for b in at.button if b.key == "pl_save"]


def test_an_empty_agency_takes_the_framework_agency_in_force(con):
    """7.2 'Dịch vụ công trực tuyến' names Sở Thông tin và Truyền thông, restructured away in 2025: a line left without
    an agency goes to Sở Khoa học và Công nghệ; typed numbers are read the Vietnamese way."""
    import queries
    from ui import plan as UP
    opts = ep.choices(con, 2026)
    opts["label"] = [UP.measure_label(r) for r in opts.itertuples()]
    label = dict(zip(opts.key, opts.label))
    successors = queries.run(con, "agency_successors", year=2026, home=["82", "87"])
    edited = pd.DataFrame({"item": [label["unit|department|7.2"], label["index|PAR INDEX|total"], None],
                           "agency": [None, None, None], "target_kind": ["% điểm tối đa", "thứ hạng", None],
                           "target_value": ["82,5", "10", None], "deadline": [D31, D31, None],
                           "actions": [None, None, None]})
    lines = UP._from_editor(edited, opts, successors)
    assert len(lines) == 2                                              # the empty row the grid adds is dropped
    assert lines.agency.iloc[0] == "Sở Khoa học và Công nghệ (nhận từ Sở Thông tin và Truyền thông)"
    assert pd.isna(lines.agency.iloc[1]) and lines.target_value.tolist() == [82.5, 10.0]
    _, probs = ep.validate(lines, 2026, opts)
    assert [(p.row, p.code) for p in probs] == [(2, "required")]        # an index line needs its agency typed
