"""The plan and the results report as Word documents (python-docx) in the layout of a provincial administrative
document: the issuing body and the national motto side by side, the number and the place-and-date line, the title,
the sections, tables and (in the report) chart pictures drawn with matplotlib. Every number comes from the database
through queries/*.sql (plan_data, report_data take a connection, so tests compare them with SQL); the documents are
Vietnamese, as the province issues them. Names from the data are written as plain text runs, never as markup."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

import queries
from analysis import plan as ap
from analysis import units as au
from etl import plan as ep
from ui.i18n import lower, num as _num

FONT = "Times New Roman"          # the font of administrative documents (Nghị định 30/2020/NĐ-CP)
DEMO_MARK = "Bản trình diễn · số liệu minh họa"
INDICES = ["PAR INDEX", "SIPAS", "PAPI", "PCI"]
KIND_VI = {k: v[0] for k, v in ep.KIND_NAMES.items()}
STATUS_VI = {"reached": "Đạt", "missed": "Chưa đạt", "no_data": "Chưa có số liệu"}
LEVEL_VI = {"department": "Sở, ban, ngành", "district": "UBND cấp huyện", "commune": "UBND cấp xã"}


def num(x, decimals: int = 2) -> str:
    return _num(x, decimals, "vi")


def target_text(kind: str, value) -> str:
    if value is None or pd.isna(value):
        return "–"
    if kind == "rank":
        return f"hạng {int(round(float(value)))}"
    return num(value) + (" %" if kind == "pct" else " điểm")


# ------------------------------------------------------------------ data (every number from SQL)

def _home(con, p34: str | None = None) -> dict:
    """The province a document is about (34-province code; None: the home province), its 2025 successor and the
    codes its units carry."""
    h = queries.run(con, "report_province", p34=p34).iloc[0]
    return dict(code_p63=h.code_p63, code_p34=h.code_p34, name_p63=h.name_p63_vi, name_p34=h.name_p34_vi,
                units=[str(c) for c in h.unit_codes])


def _is_demo(con) -> bool:
    k = queries.run(con, "database_kind")
    return bool(len(k)) and k.kind.iloc[0] != "real"


def styled(name: str) -> str:
    """'tỉnh Đồng Tháp', 'thành phố Hồ Chí Minh' (a centrally-run city's name already says 'Thành phố')."""
    return "thành phố " + name[len("Thành phố "):] if name.startswith("Thành phố ") else f"tỉnh {name}"


def short_name(name: str) -> str:
    """'Hồ Chí Minh' for the place-and-date line."""
    return name[len("Thành phố "):] if name.startswith("Thành phố ") else name


def province_name(home: dict, year: int) -> str:
    return home["name_p34"] if year >= 2025 and isinstance(home["name_p34"], str) else home["name_p63"]


def plan_data(con, plan_year: int) -> dict:
    """The plan of `plan_year` with each line's value the year before (its baseline), from the database."""
    home = _home(con)
    lines = queries.run(con, "plan_lines", plan_year=int(plan_year))
    before = queries.run(con, "plan_measures", year=int(plan_year) - 1, home=home["units"])
    tracked = ap.track(lines, before.iloc[0:0], before) if len(lines) else lines.assign(before=[])
    return dict(plan_year=int(plan_year), home=home, province=province_name(home, plan_year), lines=tracked,
                position=_index_position(con, home, int(plan_year) - 1), demo=_is_demo(con),
                illustrative=bool(len(lines)) and bool((lines.provenance == "illustrative").any()))


def _index_position(con, home: dict, year: int) -> pd.DataFrame:
    """The province's total on each index in `year`: score, maximum, rank, provinces with a figure, source."""
    code = home["code_p34"] if year >= 2025 else home["code_p63"]
    rows = []
    for index in INDICES:
        d = queries.run(con, "index_year_scores", index=index, year=int(year))
        tot = d[(d.measure_code == "total") & d.score.notna()]
        mine = tot[tot.province_code == code]
        if mine.empty:
            continue
        r = mine.iloc[0]
        rows.append(dict(index_name=index, year=year, score=float(r.score), max_score=r.max_score,
                         rank=None if pd.isna(r["rank"]) else int(r["rank"]), n=len(tot),
                         provenance=r.provenance, source=r.source))
    return pd.DataFrame(rows, columns=["index_name", "year", "score", "max_score", "rank", "n", "provenance",
                                       "source"])


def _source_titles(con, keys) -> str:
    src = queries.run(con, "sources_list")
    titles = [src.loc[src.source_key == k, "title"].iloc[0] if (src.source_key == k).any() else str(k)
              for k in dict.fromkeys(k for k in keys if isinstance(k, str))]
    return "; ".join(titles)


def report_data(con, year: int, level: str = "department", top: int = 10, p34: str | None = None) -> dict:
    """Everything the results report shows for `year`: the province on each index (with the year before), PAR INDEX
    domains against the national median, the weakest criteria at `level` with their agencies, the units' ranking
    and the appraisal cuts, each with its source. `p34`: the province (34-province code); None: the home province."""
    home = _home(con, p34)
    code = home["code_p34"] if year >= 2025 else home["code_p63"]
    position = _index_position(con, home, year)
    prev = _index_position(con, home, year - 1)
    position = position.merge(prev[["index_name", "score", "rank"]].rename(
        columns={"score": "score_prev", "rank": "rank_prev"}), on="index_name", how="left")
    par = queries.run(con, "index_year_scores", index="PAR INDEX", year=int(year))
    dom = par[(par.measure_depth == "domain") & par.score.notna()].assign(
        pct=lambda d: 100 * d.score / d.max_score)
    med = dom.groupby("measure_code").agg(median_pct=("pct", "median"), n=("province_code", "nunique")).reset_index()
    domains = dom[dom.province_code == code][["measure_code", "measure_name", "score", "max_score", "pct",
                                              "provenance", "source"]].merge(med, on="measure_code")
    domains = domains.assign(gap=domains.pct - domains.median_pct).sort_values(
        "measure_code", key=lambda s: s.astype(int)).reset_index(drop=True)
    items = queries.run(con, "unit_items", level=level, depth="criterion", provinces=home["units"], year=int(year))
    successors = queries.run(con, "agency_successors", year=int(year) + 1, home=home["units"])
    weakest = au.agencies_in_force(au.targets(items), successors) if len(items) else pd.DataFrame()
    weakest = weakest[weakest.recoverable > 0].head(top).reset_index(drop=True) if len(weakest) else weakest
    totals = queries.run(con, "unit_totals", level=level, provinces=home["units"])
    bands = queries.run(con, "unit_bands", level=level, provinces=home["units"])
    ranked = au.rank_units(totals, bands) if len(totals) else totals
    ranked = ranked[ranked.year == year].sort_values(["rank", "unit_name"]).reset_index(drop=True) \
        if len(ranked) else ranked
    cuts = au.unit_cuts(queries.run(con, "unit_cuts", level=level, depth="sub_criterion", provinces=home["units"],
                                    year=int(year)))
    cuts = cuts[cuts.cut > 0].head(top).reset_index(drop=True)
    unit_src = queries.run(con, "unit_sources", provinces=home["units"], year=int(year))
    unit_source = "; ".join(unit_src.title) if len(unit_src) else \
        f"Kết quả chấm điểm Chỉ số CCHC của các đơn vị thuộc {styled(province_name(home, year))} (cơ sở dữ liệu của ứng dụng)"
    units_illustrative = bool(len(items)) and bool((items.provenance == "illustrative").any())
    if units_illustrative:
        unit_source += f" · {DEMO_MARK}"
    return dict(year=int(year), level=level, home=home, province=province_name(home, year), position=position,
                position_source=_source_titles(con, position.source), domains=domains,
                domains_source=_source_titles(con, domains.source), weakest=weakest, ranked=ranked, cuts=cuts,
                unit_source=unit_source, demo=_is_demo(con),
                illustrative=bool((position.provenance == "illustrative").any()) or units_illustrative)


# ------------------------------------------------------------------ layout helpers

def _document() -> Document:
    doc = Document()
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Cm(21), Cm(29.7)           # A4
    s.left_margin, s.right_margin, s.top_margin, s.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    st = doc.styles["Normal"]
    st.font.name, st.font.size = FONT, Pt(13)
    st.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    st.paragraph_format.space_after = Pt(4)
    return doc


def _heading(doc, text: str):
    """A section or agency heading: bold, kept on the page of what follows it."""
    p = _para(doc, text, bold=True)
    p.paragraph_format.keep_with_next = True
    return p


def _para(container, text: str = "", bold=False, italic=False, size=None, align=None, color=None,
          indent=False, after=None):
    p = container.add_paragraph()
    if text:
        r = p.add_run(text)
        r.bold, r.italic = bold, italic
        if size:
            r.font.size = Pt(size)
        if color:
            r.font.color.rgb = RGBColor.from_string(color)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    return p


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    table._tbl.tblPr.append(borders)


def _header_block(doc, body_lines: list[str], number: str, place_date: str) -> None:
    """Issuing body (left) and national motto (right), each with its short rule, then number and date."""
    t = doc.add_table(rows=2, cols=2)
    _no_borders(t)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, [6.0, 10.0])
    left, right = t.cell(0, 0), t.cell(0, 1)
    left.paragraphs[0].text = ""
    _run_lines(left, [(body_lines[0], False), *[(x, True) for x in body_lines[1:]], ("———", True)], size=12)
    _run_lines(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True),
                       ("——————————", True)], size=12)
    _run_lines(t.cell(1, 0), [(number, False)], size=13)
    p = t.cell(1, 1).paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(place_date)
    r.italic, r.font.size = True, Pt(13)


def _run_lines(cell, lines: list[tuple[str, bool]], size: int) -> None:
    first = True
    for text, bold in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        r = p.add_run(text)
        r.bold, r.font.size = bold, Pt(size)


def _table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float], size: int = 11):
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, h in zip(t.rows[0].cells, header):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = cell.paragraphs[0].add_run(h)
        r.bold, r.font.size = True, Pt(size)
    _repeat_header(t.rows[0])
    for values in rows:
        cells = t.add_row().cells
        for cell, v in zip(cells, values):
            r = cell.paragraphs[0].add_run(_txt(v))
            r.font.size = Pt(size)
    _widths(t, widths_cm)
    return t


def _txt(v) -> str:
    """A cell's text: empty for a missing value (never 'nan')."""
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _widths(t, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both keep (the grid and every cell)."""
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    for col, w in zip(t.columns, widths_cm):
        col.width = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    e = OxmlElement("w:tblHeader")
    e.set(qn("w:val"), "true")
    tr_pr.append(e)


def _source(doc, text: str) -> None:
    _para(doc, f"Nguồn: {text}", italic=True, size=10, after=8)


def _demo_mark(doc, on: bool) -> None:
    if on:
        _para(doc, DEMO_MARK.upper(), bold=True, size=12, align="center", color="B45309")


def _date_line(province: str, when: dt.date) -> str:
    return f"{province}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"


def _to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ the plan

def plan_document(d: dict, today: dt.date | None = None) -> bytes:
    """'Kế hoạch nâng cao Chỉ số CCHC năm …': purpose and requirements, tasks per agency (a table each), the
    organisation, the signature block, and an appendix with every target."""
    today = today or dt.date.today()
    y, prov, lines = d["plan_year"], d["province"], d["lines"]
    doc = _document()
    _demo_mark(doc, d["demo"] or d["illustrative"])
    _header_block(doc, ["ỦY BAN NHÂN DÂN", styled(prov).upper()], "Số: …/KH-UBND", _date_line(short_name(prov), today))
    _para(doc, "")
    _para(doc, "KẾ HOẠCH", bold=True, size=14, align="center", after=0)
    _para(doc, f"Nâng cao Chỉ số cải cách hành chính (PAR INDEX), Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) "
               f"và Chỉ số hiệu quả quản trị và hành chính công (PAPI) năm {y}", bold=True, size=14, align="center")
    _heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    _heading(doc, "1. Mục đích")
    pos = d["position"]
    if len(pos):
        said = "; ".join(f"{r.index_name} đạt {num(r.score)} điểm"
                         + (f", xếp thứ {int(r.rank)}/{r.n}" if pd.notna(r.rank) else "")
                         for r in pos.itertuples())
        _para(doc, f"Năm {y - 1}, {said}. Kế hoạch này xác định nội dung cần nâng điểm, cơ quan chủ trì và mục "
                   f"tiêu cụ thể của từng cơ quan để duy trì và nâng cao thứ hạng các chỉ số của tỉnh năm {y}.",
              indent=True, align="justify")
    else:
        _para(doc, f"Xác định nội dung cần nâng điểm, cơ quan chủ trì và mục tiêu cụ thể của từng cơ quan để duy trì "
                   f"và nâng cao thứ hạng các chỉ số của tỉnh năm {y}.", indent=True, align="justify")
    _heading(doc, "2. Yêu cầu")
    _para(doc, "Các cơ quan, đơn vị được giao chủ trì xây dựng kế hoạch chi tiết, tổ chức thực hiện đúng thời hạn; "
               f"báo cáo kết quả về Sở Nội vụ để tổng hợp, báo cáo Ủy ban nhân dân {styled(prov)}.", indent=True, align="justify")
    _heading(doc, "II. NHIỆM VỤ")
    for i, (agency, g) in enumerate(lines.groupby("agency", sort=False), start=1):
        _heading(doc, f"{i}. {agency}")
        _table(doc, ["STT", "Chỉ tiêu", f"Kết quả năm {y - 1}", f"Mục tiêu năm {y}", "Thời hạn", "Nhiệm vụ, giải pháp"],
               [[str(r.line_no), _item_text(r), target_text(r.target_kind, r.before),
                 target_text(r.target_kind, r.target_value), _deadline(r.deadline), _txt(r.actions)]
                for r in g.itertuples()], [1.2, 4.4, 2.2, 2.2, 2.2, 3.8])
        _para(doc, "", after=2)
    _heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    last = _para(doc, "Sở Nội vụ theo dõi, đôn đốc, tổng hợp kết quả thực hiện kế hoạch; khi có kết quả chỉ số "
                      f"năm {y}, báo cáo Ủy ban nhân dân {styled(prov)} mức độ đạt mục tiêu của từng cơ quan.",
                 indent=True, align="justify")
    last.paragraph_format.keep_with_next = True        # never a signature alone on its page
    _signature(doc)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", bold=True, align="center", after=0)
    _para(doc, f"CHỈ TIÊU NĂM {y} CỦA CÁC CƠ QUAN CHỦ TRÌ", bold=True, align="center", after=0)
    _para(doc, f"(Kèm theo Kế hoạch số …/KH-UBND ngày … tháng … năm {today.year} của Ủy ban nhân dân "
               f"{styled(prov)})", italic=True, align="center")
    _table(doc, ["STT", "Chỉ tiêu", "Cơ quan chủ trì", "Loại mục tiêu", f"Kết quả năm {y - 1}", "Mục tiêu",
                 "Thời hạn"],
           [[str(r.line_no), _item_text(r), r.agency, KIND_VI[r.target_kind], target_text(r.target_kind, r.before),
             target_text(r.target_kind, r.target_value), _deadline(r.deadline)] for r in lines.itertuples()],
           [1.2, 4.0, 3.0, 1.8, 1.9, 1.9, 2.2], size=10)
    _source(doc, f"kết quả năm {y - 1} tính từ cơ sở dữ liệu của ứng dụng (điểm, thứ hạng công bố của tỉnh; "
                 "bình quân điểm các đơn vị của tỉnh đối với tiêu chí của Bộ chỉ số CCHC của tỉnh)"
            + ("; " + DEMO_MARK if d["demo"] or d["illustrative"] else ""))
    return _to_bytes(doc)


def _item_text(r) -> str:
    head = r.index_name if r.scope == "index" else LEVEL_VI.get(r.level, r.level)
    return f"{head}: {r.item_name}" if r.item_code == "total" else f"{head}: {r.item_code}. {r.item_name}"


def _deadline(v) -> str:
    return "" if v is None or pd.isna(v) else pd.Timestamp(v).strftime("%d/%m/%Y")


def _signature(doc) -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _widths(t, [8.0, 8.0])
    keep = OxmlElement("w:cantSplit")                 # the signature block never splits across two pages
    t.rows[0]._tr.get_or_add_trPr().append(keep)
    left, right = t.cell(0, 0), t.cell(0, 1)
    p = left.paragraphs[0]
    r = p.add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    for x in ("- Như mục II;", "- Chủ tịch, các PCT UBND tỉnh;", "- Lưu: VT, SNV."):
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        q.add_run(x).font.size = Pt(11)
    _run_lines(right, [("TM. ỦY BAN NHÂN DÂN", True), ("CHỦ TỊCH", True)], size=13)


# ------------------------------------------------------------------ the results report

def report_document(d: dict, today: dt.date | None = None) -> bytes:
    """'Báo cáo kết quả Chỉ số CCHC năm …': the province on each index, PAR INDEX domains against the national
    median, the weakest criteria and their agencies, the units' ranking and the appraisal cuts; a chart picture and
    a table each, every figure with its source."""
    from ui.exports import word_charts as wc
    today = today or dt.date.today()
    y, prov = d["year"], d["province"]
    level = LEVEL_VI.get(d["level"], d["level"])
    doc = _document()
    _demo_mark(doc, d["demo"] or d["illustrative"])
    _header_block(doc, ["ỦY BAN NHÂN DÂN", styled(prov).upper()], "Số: …/BC-UBND", _date_line(short_name(prov), today))
    _para(doc, "")
    _para(doc, "BÁO CÁO", bold=True, size=14, align="center", after=0)
    _para(doc, f"Kết quả Chỉ số cải cách hành chính năm {y} của {styled(prov)}", bold=True, size=14, align="center")

    _heading(doc, f"I. VỊ TRÍ CỦA {styled(prov).upper()} TRÊN CÁC CHỈ SỐ")
    pos = d["position"]
    if len(pos):
        doc.add_picture(io.BytesIO(wc.position_chart(pos)), width=Cm(15))
        _table(doc, ["Chỉ số", "Điểm", "Xếp hạng", f"Điểm năm {y - 1}", f"Xếp hạng năm {y - 1}"],
               [[r.index_name, num(r.score), _rank(r.rank, r.n), num(r.score_prev), _rank(r.rank_prev, None)]
                for r in pos.itertuples()], [3.4, 2.6, 2.6, 3.2, 3.2])
        _source(doc, d["position_source"])
    else:
        _para(doc, f"Chưa có số liệu các chỉ số năm {y} của tỉnh.", indent=True)

    _heading(doc, "II. CÁC LĨNH VỰC CỦA PAR INDEX SO VỚI TRUNG VỊ CẢ NƯỚC")
    dom = d["domains"]
    if len(dom):
        doc.add_picture(io.BytesIO(wc.domain_chart(dom, prov)), width=Cm(15))
        _table(doc, ["Lĩnh vực", "Điểm", "Tối đa", "% tối đa", "Trung vị (%)", "Chênh lệch (điểm %)"],
               [[f"{r.measure_code}. {r.measure_name}", num(r.score), num(r.max_score), num(r.pct, 1),
                 num(r.median_pct, 1), ("+" if r.gap > 0 else "") + num(r.gap, 1)] for r in dom.itertuples()],
               [5.4, 1.8, 1.6, 2.0, 2.2, 2.8], size=10)
        _source(doc, f"{d['domains_source']}; trung vị của {int(dom.n.max())} tỉnh, thành phố có số liệu năm {y}")
    else:
        _para(doc, f"Chưa có điểm các lĩnh vực PAR INDEX năm {y} của tỉnh.", indent=True)

    _heading(doc, f"III. CÁC TIÊU CHÍ MẤT NHIỀU ĐIỂM NHẤT ({level.upper()})")
    wk = d["weakest"]
    if len(wk):
        doc.add_picture(io.BytesIO(wc.weakest_chart(wk)), width=Cm(15))
        _table(doc, ["Mã", "Tiêu chí", "Cơ quan chủ trì", "Điểm mất (tổng)", "Số đơn vị mất điểm", "Đạt bình quân (%)"],
               [[r.item_code, r.item_name, _txt(r.agency), num(r.recoverable), str(int(r.n_units_losing)),
                 num(100 * r.mean_share, 1)] for r in wk.itertuples()], [1.2, 4.8, 3.6, 2.0, 2.0, 2.2], size=10)
        _source(doc, d["unit_source"])
    else:
        _para(doc, f"Chưa có điểm tiêu chí năm {y} của {lower(level)}.", indent=True)

    _heading(doc, f"IV. XẾP HẠNG CÁC ĐƠN VỊ ({level.upper()})")
    rk = d["ranked"]
    if len(rk):
        doc.add_picture(io.BytesIO(wc.ranking_chart(rk)), width=Cm(15))
        _table(doc, ["Hạng", "Đơn vị", "Điểm", "Tối đa", "Chỉ số (%)", "Xếp loại"],
               [[str(int(r.rank)), r.unit_name, num(r.total_score), num(r.max_total), num(r.score_pct),
                 _txt(r.band)] for r in rk.itertuples()], [1.4, 6.0, 2.0, 2.0, 2.2, 2.0], size=10)
        _source(doc, d["unit_source"])
    else:
        _para(doc, f"Chưa có kết quả năm {y} của {lower(level)}.", indent=True)

    _heading(doc, "V. ĐIỂM BỊ TRỪ KHI THẨM ĐỊNH")
    cuts = d["cuts"]
    if len(cuts):
        doc.add_picture(io.BytesIO(wc.cuts_chart(cuts)), width=Cm(15))
        _table(doc, ["Đơn vị", "Tự chấm", "Thẩm định", "Điểm bị trừ", "Số nội dung bị trừ", "% điểm tự chấm"],
               [[r.unit_name, num(r.self_total), num(r.appraised_total), num(r.cut), str(int(r.n_items_cut)),
                 num(r.cut_pct_of_claim, 1)] for r in cuts.itertuples()], [5.2, 2.0, 2.0, 2.0, 2.2, 2.2], size=10)
        _source(doc, d["unit_source"])
    else:
        _para(doc, f"Không có điểm bị trừ khi thẩm định năm {y} của {lower(level)}.", indent=True)
    _signature(doc)
    return _to_bytes(doc)


def _rank(rank, n) -> str:
    if rank is None or pd.isna(rank):
        return "–"
    return f"{int(rank)}/{int(n)}" if n else f"{int(rank)}"


# ------------------------------------------------------------------ for the app (built only when clicked)

def plan_bytes(plan_year: int) -> bytes:
    from ui.data import connection
    return plan_document(plan_data(connection(), plan_year))


def report_bytes(year: int, level: str, p34: str | None = None) -> bytes:
    from ui.data import connection
    return report_document(report_data(connection(), year, level, p34=p34))
