"""A small database built in code, for query and page tests whose expected numbers can be worked out by hand.

The real schema (etl/schema.sql), written by etl's own writer (`etl.db.commit_new_version`, which also checks the
database invariants) from one Batch. It holds:
- five provinces before the 2025 merger and four after: "11" (the home province) and "12" merge into "11";
  "01", "20" and "30" carry on under the same codes;
- PAR INDEX 2023, 2024 (63-province codes) and 2025 (34-province codes): a total of 100 points and two domains
  (60 + 40), every total the sum of its domains; no published ranks, so the league ranks every (complete) year;
- the home province's departments 2023–2025 (two of them merge in 2025) and districts 2023–2024 (districts end in
  2024), on two small frameworks: domain 1 (60) = criterion 1.1 = sub-criteria 1.1.1 (40) + 1.1.2 (20); domain 2
  (40) = criterion 2.1 = sub-criterion 2.1.1 (40). A unit's total is out of 100, so its points are its percent;
- hostile names and values: Markdown, HTML and formula-like names, a zero total, a null domain score, a null
  self-assessment, a zero appraisal, and two units tied.

Every number is in the tables below; tests/test_smalldb.py works out what the queries and pages must show."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import db as dbmod
from etl.batch import Batch
from etl.schemes import scheme_year_table
from etl.text import norm_name

SOURCE = "SMALL"
HOME = "11"                      # the home province, 63-province code (and its 34-province code)

# ---------------------------------------------------------------- provinces

# (code, name_vi, name_en); every p63 province is in force until 2024, every p34 one from 2025
P63 = [
    ("01", "Hà Nội", "Ha Noi"),
    ("11", "Đồng Tháp", "Dong Thap"),
    ("12", "Tiền Giang", "Tien Giang"),
    ("20", "**Bạc Liêu** <img src=x onerror=alert(1)>", "**Bac Lieu** <img src=x onerror=alert(1)>"),
    ("30", '=HYPERLINK("http://x","Cà Mau")', '=HYPERLINK("http://x","Ca Mau")'),
]
P34 = [(c, vi, en) for c, vi, en in P63 if c != "12"]             # 12 (Tiền Giang) is part of 11 from 2025
MERGED_INTO = {"01": "01", "11": "11", "12": "11", "20": "20", "30": "30"}

# ---------------------------------------------------------------- PAR INDEX: (total, domain 1, domain 2)

PAR = {
    2023: {"01": (80, 50, 30), "11": (70, 45, 25), "12": (60, 40, 20), "20": (70, 40, 30), "30": (0, 0, 0)},
    # 20: domain 2 not published (null); its total is domain 1 alone
    2024: {"01": (75, 45, 30), "11": (82, 50, 32), "12": (64, 40, 24), "20": (55, 55, None), "30": (10, 5, 5)},
    2025: {"01": (78, 48, 30), "11": (85, 52, 33), "20": (60, 35, 25), "30": (0, 0, 0)},
}
PAR_MAX = {"total": 100.0, "1": 60.0, "2": 40.0}

# ---------------------------------------------------------------- units

# (unit_id, level, name_vi, name_en, valid_from, valid_to, successor)
UNITS = [
    ("DA", "department", "Sở Nội vụ <img src=x onerror=alert(1)>", "Home Affairs <img src=x onerror=alert(1)>",
     2023, None, None),
    ("DB", "department", "**Sở Tài chính**", "**Finance**", 2023, 2024, "DD"),
    ("DC", "department", '=HYPERLINK("http://x","Sở Kế hoạch")', '=HYPERLINK("http://x","Planning")', 2023, 2024,
     "DD"),
    ("DD", "department", "Sở Tài chính [mới](http://x)", "Finance [new](http://x)", 2025, None, None),
    ("HA", "district", "Huyện <script>alert(1)</script>", "District <script>alert(1)</script>", 2023, 2024, None),
    ("HB", "district", "Thành phố Cao Lãnh", "Cao Lanh City", 2023, 2024, None),
]
# the framework tree: (code, parent, depth, max_points, sort_order)
TREE = [("1", None, "domain", 60.0, 1), ("1.1", "1", "criterion", 60.0, 2), ("1.1.1", "1.1", "sub_criterion", 40.0, 3),
        ("1.1.2", "1.1", "sub_criterion", 20.0, 4), ("2", None, "domain", 40.0, 5),
        ("2.1", "2", "criterion", 40.0, 6), ("2.1.1", "2.1", "sub_criterion", 40.0, 7)]
LEAVES = ["1.1.1", "1.1.2", "2.1.1"]
FRAMEWORKS = {"department": ("DEPT-S", 2023, None), "district": ("DIST-S", 2023, 2024)}

# (self-assessed, appraised) per leaf 1.1.1 (max 40), 1.1.2 (max 20), 2.1.1 (max 40)
SCORES = {
    2023: {
        "DA": ((38, 20, 36), (36, 18, 36)),          # appraised 90: cut 2 + 2 = 4 on two items
        "DB": ((30, 15, 30), (30, 15, 25)),          # 70: cut 5 on 2.1.1
        "DC": ((None, 10, 20), (20, 10, 20)),        # 50: 1.1.1 not self-assessed (null)
        "HA": ((30, 15, 30), (30, 15, 30)),          # 75
        "HB": ((30, 15, 30), (30, 15, 30)),          # 75: tied with HA
    },
    2024: {
        "DA": ((40, 20, 40), (32, 16, 32)),          # 80: cut 8 + 4 + 8 = 20 on three items
        "DB": ((34, 18, 30), (34, 18, 30)),          # 82: no cut
        "DC": ((20, 20, 20), (20, 0, 20)),           # 40: 1.1.2 appraised at zero, cut 20
        "HA": ((10, 0, 0), (0, 0, 0)),               # 0: cut 10
        "HB": ((40, 20, 40), (40, 20, 40)),          # 100
    },
    2025: {
        "DA": ((40, 20, 40), (40, 20, 40)),          # 100
        "DD": ((30, 20, 30), (30, 15, 30)),          # 75: cut 5 on 1.1.2; formed from DB and DC
    },
}

BANDS = [("A", 90.0, "Nhóm A", "Group A", 1), ("B", 80.0, "Nhóm B", "Group B", 2),
         ("C", 70.0, "Nhóm C", "Group C", 3), ("D", 0.0, "Dưới 70%", "Below 70%", 4)]


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def provinces() -> dict[str, pd.DataFrame]:
    province = [dict(province_code=c, scheme="p63", name_vi=vi, name_en=en, type="province", region_code="R",
                     region_vi="Vùng thử", region_en="Test region", iso_3166_2=None, valid_from_year=None,
                     valid_to_year=2024) for c, vi, en in P63]
    province += [dict(province_code=c, scheme="p34", name_vi=vi, name_en=en, type="province", region_code="R",
                      region_vi="Vùng thử", region_en="Test region", iso_3166_2=None, valid_from_year=2025,
                      valid_to_year=None) for c, vi, en in P34]
    cross = [dict(old_code=o, new_code=n, new_scheme="p34", year=2025) for o, n in MERGED_INTO.items()]
    alias = {(norm_name(r["name_vi"]), r["scheme"]): r["province_code"] for r in province}
    alias = [dict(alias_norm=a, scheme=s, province_code=c) for (a, s), c in alias.items() if a]
    return {"province": _frame(province), "province_crosswalk": _frame(cross), "province_alias": _frame(alias),
            "province_scheme": scheme_year_table()}


def par_index() -> dict[str, pd.DataFrame]:
    index_def = [dict(index_name="PAR INDEX", name_vi="Chỉ số cải cách hành chính (PAR INDEX)",
                      name_en="Public Administration Reform Index (PAR INDEX)", scale_note="0–100",
                      higher_is_better=True)]
    names = {"total": ("Tổng điểm", "Total"), "1": ("Lĩnh vực <b>1</b>", "Domain <b>1</b>"),
             "2": ("Lĩnh vực 2", "Domain 2")}
    measure, score = [], []
    for year, table in PAR.items():
        for i, (code, mx) in enumerate(PAR_MAX.items()):
            measure.append(dict(index_name="PAR INDEX", year=year, measure_code=code,
                                parent_code=None if code == "total" else "total",
                                depth="total" if code == "total" else "domain", name_vi=names[code][0],
                                name_en=names[code][1], max_score=mx, scale="points", sort_order=i, note=None))
        for province, values in table.items():
            for code, value in zip(PAR_MAX, values):
                score.append(dict(index_name="PAR INDEX", year=year, province_code=province, measure_code=code,
                                  score=None if value is None else float(value), rank=None, ci_low=None,
                                  ci_high=None, std_error=None, provenance="published", rank_provenance=None,
                                  source_key=SOURCE, note=None))
    breaks = [dict(index_name="PAR INDEX", year=2025, label_vi="Sắp xếp 34 tỉnh", label_en="34 provinces (merger)",
                   note_vi="Từ 1/7/2025", note_en="From 1 July 2025")]
    return {"index_def": _frame(index_def), "measure": _frame(measure), "province_score": _frame(score),
            "method_break": _frame(breaks)}


def unit_tables() -> dict[str, pd.DataFrame]:
    framework, items = [], []
    for level, (fid, year_from, year_to) in FRAMEWORKS.items():
        framework.append(dict(framework_id=fid, level=level, year_from=year_from, year_to=year_to,
                              name_vi=f"Bộ tiêu chí thử {fid}", name_en=f"Test framework {fid}", decision=None,
                              provenance="published", source_key=SOURCE))
        items += [dict(framework_id=fid, code=code, parent_code=parent, depth=depth, name_vi=f"Tiêu chí {code}",
                       name_en=f"Item {code}", max_points=mx, is_survey=False, agency_vi="Sở Nội vụ",
                       agency_en="Department of Home Affairs", sort_order=order)
                  for code, parent, depth, mx, order in TREE]
    unit = [dict(unit_id=u, province_code=HOME, level=lv, name_vi=vi, name_en=en, parent_unit_id=None,
                 valid_from_year=a, valid_to_year=b, successor_id=s, provenance="published")
            for u, lv, vi, en, a, b, s in UNITS]
    alias = [dict(alias_norm=norm_name(vi), unit_id=u) for u, _, vi, *_ in UNITS]
    level_of = {u: lv for u, lv, *_ in UNITS}
    score, unit_year = [], []
    for year, by_unit in SCORES.items():
        for u, (self_scores, appraised) in by_unit.items():
            fid = FRAMEWORKS[level_of[u]][0]
            unit_year.append(dict(year=year, unit_id=u, framework_id=fid, detail_level="sub_criterion",
                                  total_score=None, rank=None, band=None, provenance="published", source_key=SOURCE))
            score += [dict(year=year, unit_id=u, framework_id=fid, item_code=code,
                           self_score=None if s is None else float(s), appraised_score=float(a), survey_score=None,
                           provenance="published", source_key=SOURCE)
                      for code, s, a in zip(LEAVES, self_scores, appraised)]
    bands = [dict(province_code="*", level="*", band_code=c, min_score_pct=m, name_vi=vi, name_en=en, sort_order=o)
             for c, m, vi, en, o in BANDS]
    return {"framework": _frame(framework), "framework_item": _frame(items), "unit": _frame(unit),
            "unit_alias": _frame(alias), "unit_year": _frame(unit_year), "unit_score": _frame(score),
            "unit_band": _frame(bands)}


def batch() -> Batch:
    b = Batch("small")
    for tables in (provinces(), par_index(), unit_tables()):
        for name, df in tables.items():
            b.add(name, df)
    b.add("source", _frame([dict(source_key=SOURCE, title="Bảng thử <b>nhỏ</b> | `mã`", citation="tests/smalldb.py",
                                 url=None, licence="MIT", note=None)]))
    b.add("setting", _frame([dict(key="home_province_p63", value=HOME), dict(key="database_kind", value="real")]))
    return b


def _prepare(con) -> int:
    b = batch()
    dbmod.apply(con, b)
    return b.rows


def build(path: Path) -> Path:
    """Write the small database at `path` (a new file) through etl's writer; raises Rejected if an invariant
    fails."""
    dbmod.commit_new_version(Path(path), _prepare, file_name="tests/smalldb.py", sha=None, kind="build",
                             result="built", from_scratch=True)
    return Path(path)
