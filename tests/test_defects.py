"""What officials hit (issue 19): each test failed before its fix."""
from __future__ import annotations

from etl.text import vi_sort_key
from tests.helpers import run_page


def test_province_pickers_list_provinces_in_vietnamese_order():
    at = run_page("overview", province="87", year=2024)                  # the 63 provinces
    options = list(at.selectbox(key="w_province").options)          # as shown (AppTest gives the labels)
    assert options == sorted(options, key=vi_sort_key)
    i = options.index
    assert i("Cần Thơ") < i("Đà Nẵng") < i("Đắk Lắk") < i("Điện Biên") < i("Đồng Nai") < i("Đồng Tháp") < i("Gia Lai")
    assert options[-1] == "Yên Bái"


def test_an_empty_number_cell_shows_a_dash_not_none(on_real):
    """Đồng Tháp's real PAR INDEX has gaps: the trend table's empty cells read '–' (Streamlit drew 'None')."""
    at = run_page("trends", index="PAR INDEX", year=2020, province="87")
    for df in at.dataframe:
        v = df.value
        assert not v.isna().any().any(), list(v.columns)
        assert "None" not in v.astype(str).to_string()


def test_the_load_history_speaks_vietnamese(real_copy):
    from ui.admin import face as A
    h = A.history(real_copy)
    assert set(h.kind) <= {"Dựng lại từ dữ liệu gốc"} and set(h.result) <= {"Đã dựng"}
    assert "None" not in h.astype(str).to_string()


# --- two loader defects found with hostile files -------------------------------------------------------------

def test_an_annex_whose_last_name_is_a_formula_without_value_is_refused(db_copy, tmp_path):
    """The last unit's name was '=…' with no computed value: its row was dropped silently while the rest of the
    year was replaced. Refused now, with the cell."""
    import hashlib

    import pytest

    from etl.loaders import load_file
    from etl.problems import Rejected
    from tests.helpers import write_annex
    last = {}

    def edit(rows):
        last["row"] = len(rows)
        rows[-1][1] = '=CONCATENATE("Sở ", "Y tế")'          # openpyxl writes no computed value
    f = write_annex(tmp_path / "cong_thuc.xlsx", db_copy, edit=edit)
    before = hashlib.sha256(db_copy.read_bytes()).hexdigest()
    with pytest.raises(Rejected) as e:
        load_file(f, db_copy)
    hits = [p for p in e.value.problems if p.code == "formula_no_value"]
    assert hits and hits[0].column == "B" and "CONCATENATE" in hits[0].text()
    assert hashlib.sha256(db_copy.read_bytes()).hexdigest() == before


def test_created_units_never_collide_with_earlier_ones(db_copy, tmp_path):
    """Two long names cut to one 24-letter slug, created by two annexes of the same year: the second ended in a
    database error (TransactionException) instead of a unit of its own."""
    import duckdb

    from etl.loaders import load_file
    from tests.helpers import annex_units, write_annex
    first = annex_units(db_copy)[0][0]
    a = "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng"
    b = "Ban Quản lý dự án đầu tư xây dựng công trình giao thông"
    load_file(write_annex(tmp_path / "a.xlsx", db_copy, names={first: a}), db_copy, create_units=True)
    load_file(write_annex(tmp_path / "b.xlsx", db_copy, names={first: b}), db_copy, create_units=True)
    con = duckdb.connect(str(db_copy), read_only=True)
    got = dict(con.execute("select name_vi, unit_id from unit where name_vi in ($a, $b)", {"a": a, "b": b}).fetchall())
    con.close()
    assert set(got) == {a, b} and got[a] != got[b]


def test_a_refused_upload_is_in_the_history(db_copy, tmp_path):
    """The admin page checks an upload before loading it; a refusal there was missing from the history."""
    from tests.helpers import long_rows, write_long
    from ui.admin import face as A
    rows = long_rows(db_copy)
    rows[0][4] = -1
    r = A.validate(write_long(tmp_path / "am.xlsx", rows), db_copy, user="Lan")
    assert not r["ok"]
    h = A.history(db_copy)
    assert (h.file_name.iloc[0], h.result.iloc[0], h.user_name.iloc[0], h.kind.iloc[0]) == (
        "am.xlsx", "Bị từ chối", "Lan", "Điểm đơn vị")
    assert "nhỏ hơn 0" in h.message.iloc[0]


def test_targets_go_to_the_agency_in_force_after_the_2025_restructuring(app_db):
    """Targets set on 2024 results (acted on in 2025) named 'Sở Thông tin và Truyền thông', merged into Sở Khoa
    học và Công nghệ in 2025."""
    at = run_page("targets", level="department", year=2024)
    assert not at.exception
    agencies = set(at.dataframe[0].value.agency_name.dropna())
    assert "Sở Thông tin và Truyền thông" not in agencies
    assert "Sở Khoa học và Công nghệ (nhận từ Sở Thông tin và Truyền thông)" in agencies


def test_agencies_in_force_on_small_frames():
    import pandas as pd

    from analysis.units import agencies_in_force
    tg = pd.DataFrame(dict(agency=["Sở A", "Sở B", "Sở C", None], agency_en=["A", "B", "C", None]))
    succ = pd.DataFrame(dict(name_vi=["Sở A", "Sở B"], name_en=["A", "B"], successor_vi=["Sở D", None],
                             successor_en=["D", None]))
    out = agencies_in_force(tg, succ)
    assert list(out.agency[:3]) == ["Sở D (nhận từ Sở A)", "Sở B (đã sắp xếp 2025)", "Sở C"]
    assert out.agency_en[0] == "D (taking over from A)" and out.agency.isna().iloc[3]


def test_the_export_page_never_carries_choices_to_the_other_kind():
    """National choices (a year units lack, 'total', score/rank columns) switched to unit scores gave '0 dòng',
    an English 'Choose options' and a table without scores. Each kind keeps its own choices."""
    at = run_page("export", index="PAPI", years="2016", depths="total", measures="score,rank")
    assert len(at.dataframe[0].value) > 0
    assert set(at.dataframe[0].value.measure_code) == {"Tổng (chỉ số)"}        # words, not the code 'total'
    at.radio(key="w_what").set_value("units").run()
    assert not at.exception
    units = at.dataframe[0].value
    assert len(units) > 0 and "final_score" in units.columns                   # its own defaults, with scores
    assert all(m.placeholder != "Choose options" for m in at.multiselect)
    at.radio(key="w_what").set_value("index").run()
    assert at.multiselect(key="w_years").value == [2016]                       # the national choices kept


def test_the_unit_export_picks_domains():
    """Journey 3: an analyst exports two domains of the departments."""
    at = run_page("export", what="units", level="department", udepths="domain,criterion", domains="2,5")
    df = at.dataframe[0].value
    assert len(df) > 0 and set(df.item_code.str.split(".").str[0]) == {"2", "5"}


def test_a_rank_out_of_fewer_provinces_says_why():
    """PAPI 2022 ranks 61 provinces: the card's "32/61" says out of how many were published that year."""
    at = run_page("overview", province="87", year=2022)
    text = "\n".join(c.value for c in at.caption)
    assert "PAPI 2022 chỉ công bố kết quả của 61/63 tỉnh" in text
    assert "PAR INDEX 2022 chỉ công bố" not in text


# --- the history and the rollback say what the admin saw ----------------------------------------------------

def test_the_history_counts_the_rows_the_preview_counted(db_copy, tmp_path):
    """The preview said 884 rows, the history 898: it also counted the unit-year rows the file implies."""
    from tests.helpers import long_rows, write_long
    from ui.admin import face as A
    f = write_long(tmp_path / "ok.xlsx", long_rows(db_copy, share=0.6))
    r = A.validate(f, db_copy, user="Lan")
    assert r["ok"]
    shown = int(r["changes"].rows_new.sum())
    assert A.load(f, db_copy, "Lan")["ok"]
    h = A.history(db_copy)
    assert (h.file_name.iloc[0], h.result.iloc[0]) == ("ok.xlsx", "Đã nạp")
    assert int(h.rows.iloc[0]) == shown == 68


def test_the_rollback_confirmation_names_the_version_by_its_time_and_last_load(app_db, tmp_path, monkeypatch):
    """It named the kept file ('index-20261203-….duckdb'), whose time is when it was replaced: the current
    version's time. Now: 'phiên bản ghi lúc <its own time> (lần nạp cuối: <its last file>)', and the history says
    the same."""
    from etl import db as dbmod
    from etl.loaders import load_file
    from tests.helpers import long_rows, write_long
    from tests.test_admin import _admin, _all_text, _sign_in
    from ui.admin import face as A
    monkeypatch.setenv("PAR_DB", str(app_db))
    before = dbmod.version_info(app_db)
    load_file(write_long(tmp_path / "sua.xlsx", long_rows(app_db, share=0.6)), app_db, user="Lan")
    at = _sign_in(_admin())
    history_tab = 1
    next(b for b in at.tabs[history_tab].button if b.key == "ad_rb_0").click().run()
    warning = " ".join(w.value for w in at.warning).replace("\\", "")      # as Markdown draws it
    assert A.when_text(before["written_at"]) in warning, warning
    assert "lần nạp cuối" in warning and ".duckdb" not in warning
    assert A.when_text(dbmod.version_info(app_db)["written_at"]) not in warning      # not the current version's time
    at.button(key="ad_rb_yes").click().run()
    h = A.history(app_db)
    assert h.result.iloc[0] == "Đã quay về"
    assert h.message.iloc[0].startswith("Về phiên bản ghi lúc " + A.when_text(before["written_at"]))
    assert "Đã khôi phục phiên bản ghi lúc" in _all_text(at).replace("\\", "")


# --- charts read by every viewer -----------------------------------------------------------------------------

def _lab(rgb):
    """sRGB (0–255) → CIE Lab (D65)."""
    def lin(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb)
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _seen_by(matrix, hex_colour):
    """The colour as a red–green colour-blind viewer sees it (Machado, Oliveira and Fernandes 2009, severity 1)."""
    def lin(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def gamma(c):
        c = min(max(c, 0.0), 1.0)
        return 255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)
    rgb = [lin(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)]
    return [gamma(sum(m * c for m, c in zip(row, rgb))) for row in matrix]


DEUTAN = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
PROTAN = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]


def test_the_papi_quartile_map_reads_for_red_green_colour_blind_viewers():
    """The four groups were green → red (#1a9850 … #d73027): the two middle groups looked alike to a deuteranope
    (ΔE 6). Every pair now stays apart (ΔE ≥ 20) with both kinds of red–green colour blindness, and the map and
    heatmaps use a red–blue scale."""
    import itertools
    import math

    from ui import charts
    for matrix in (DEUTAN, PROTAN):
        seen = {g: _lab(_seen_by(matrix, c)) for g, c in charts.PAPI_QUARTILES.items()}
        gaps = [math.dist(seen[a], seen[b]) for a, b in itertools.combinations(seen, 2)]
        assert min(gaps) >= 20, gaps
    assert "Gn" not in charts.SEQUENTIAL


def test_no_legend_entry_without_a_name():
    """The SIPAS map listed its colour scale as "trace 0" beside "Tỉnh đang chọn"."""
    import json
    at = run_page("national_ranking", index="SIPAS", year=2023, db="demo")
    maps = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert maps
    for spec in maps:
        if spec.get("layout", {}).get("showlegend") is False:
            continue
        shown = [d for d in spec["data"] if d.get("showlegend") is not False]
        assert all(d.get("name") for d in shown if len(shown) > 1 or d.get("showlegend")), \
            [(d.get("type"), d.get("name")) for d in shown]


def test_the_methodology_page_has_no_english_in_vietnamese(on_real):
    """Licences ("free download; redistribution terms to confirm", "factual figure quoted") and method-change notes
    ("Domains renamed and re-weighted…") were English in the Vietnamese interface; the illustrative source's title
    named a Python file."""
    for db in (None, "demo"):
        at = run_page("methodology", **({"db": db} if db else {}))
        shown = "\n".join(df.value.astype(str).to_string() for df in at.dataframe)
        shown += "\n".join(m.value for m in at.markdown)
        for english in ("free download", "factual figure", "to confirm", "to verify", "Domains renamed",
                        "added to the survey", "revised after", "From 1 July", ".py", "provenance"):
            assert english not in shown, (db, english)
        assert "Đổi tên và trọng số các lĩnh vực" in shown and "tải về miễn phí" in shown
    at = run_page("methodology", lang="en")
    shown = "\n".join(df.value.astype(str).to_string() for df in at.dataframe)
    assert "Domains renamed and re-weighted" in shown


def test_a_version_kept_with_one_english_note_rolls_back(real_copy, tmp_path):
    """A version kept before the method notes had two languages is migrated when it is rolled back to."""
    import duckdb

    from etl import db as dbmod
    old = tmp_path / "kept.duckdb"
    old.write_bytes(real_copy.read_bytes())
    con = duckdb.connect(str(old))
    con.execute("alter table method_break drop column note_vi")
    con.execute("alter table method_break rename column note_en to note")
    con.close()
    dbmod.rollback_to(real_copy, old, user="Lan")
    con = duckdb.connect(str(real_copy), read_only=True)
    try:
        got = con.execute("select note_vi, note_en from method_break where index_name = 'PAPI' and year = 2018").fetchone()
    finally:
        con.close()
    assert got == (None, "Environmental governance and e-governance; total scale 8–80")


def test_templates_for_any_year_and_level_the_coming_one_included(built_db):
    """The templates were fixed to department 2025, district 2024, commune 2025, and their help asked officials to
    open a terminal ('python -m etl load')."""
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from etl.templates import template_bytes
    coming = dt.date.today().year + 1
    at = run_page("home")
    help_text = " ".join(m.value for m in at.markdown)
    assert "python" not in help_text and "Quản trị dữ liệu" in help_text
    years = list(at.selectbox(key="tpl_year").options)
    assert years[0] == str(coming) and "2018" in years
    at.selectbox(key="tpl_level").select("commune").run()
    at.selectbox(key="tpl_year").select(coming).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"Mẫu điểm đơn vị: UBND cấp xã {coming}" in labels, labels
    ws = load_workbook(io.BytesIO(template_bytes("units", built_db, "commune", coming)))["DiemDonVi"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows and {r[1] for r in rows} == {coming}


def test_no_label_sits_under_the_illustrative_badge():
    """The demo's histogram put the home province's name above the plot, where the illustrative badge covers it."""
    import json
    at = run_page("national_ranking", index="PAR INDEX", year=2023, db="demo")
    hist = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if any(d.get("type") == "histogram" for d in json.loads(c.proto.spec)["data"]))
    notes = hist["layout"]["annotations"]
    badge = [a for a in notes if "⚠" in a["text"]]
    assert len(badge) == 1 and badge[0]["yanchor"] == "bottom" and badge[0]["y"] >= 1      # above the plot
    others = [a for a in notes if a not in badge and a.get("yref") == "paper"]
    assert {a["text"].split(" ")[0] for a in others} >= {"Đồng", "Trung"}
    for a in others:                                                                       # inside the plot
        assert a["yanchor"] == "top" and a["y"] <= 1, a
    assert len({a["y"] for a in others}) == len(others)                                     # one row each
