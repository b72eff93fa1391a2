"""The province's plan (Kế hoạch nâng cao Chỉ số CCHC): validate the lines a user drafted and save them as a new
database version, like a load (etl/db.py: one transaction, invariants, atomic swap, in the load history).

A line sets a target on one measure (an index's total or domain for the province, or a criterion or domain of the
province's own index at one level), names the agency that must reach it, a deadline and the actions."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pandas as pd

import queries
from etl import db as dbmod
from etl import schemes
from etl.problems import Problem, Rejected

KINDS = ("points", "pct", "rank")
MAX_LINES = 500
MAX_AGENCY = 200
MAX_ACTIONS = 4000
FIELDS = ["scope", "index_name", "level", "item_code", "agency", "target_kind", "target_value", "deadline",
          "actions"]
# the columns a problem names, as the editor and the Excel export head them
COLUMN = {"item": ("Chỉ tiêu", "Measure"), "agency": ("Cơ quan chủ trì", "Lead agency"),
          "target_kind": ("Loại mục tiêu", "Target kind"), "target_value": ("Mục tiêu", "Target"),
          "deadline": ("Thời hạn", "Deadline"), "actions": ("Nhiệm vụ, giải pháp", "Actions")}
KIND_NAMES = {"points": ("điểm", "points"), "pct": ("% điểm tối đa", "% of maximum"), "rank": ("thứ hạng", "rank")}


def plan_name(plan_year: int, lang: str = "vi") -> str:
    return f"Kế hoạch năm {plan_year}" if lang == "vi" else f"Plan for {plan_year}"


def choices(con: duckdb.DuckDBPyConnection, plan_year: int) -> pd.DataFrame:
    """What targets can be set on in `plan_year` (queries/plan_choices.sql), with a key per measure. Runs on `con`
    itself, not a cursor: the demo build calls it inside its transaction, which a cursor would not see."""
    c = con.execute(queries.sql("plan_choices"), {"year": int(plan_year)}).df()
    c["key"] = [measure_key(*r) for r in zip(c.scope, c.index_name, c.level, c.item_code)]
    return c


def measure_key(scope, index_name, level, item_code) -> str:
    """One string per measure: 'index|PAR INDEX|3', 'unit|department|2.1'."""
    return f"index|{index_name}|{item_code}" if scope == "index" else f"unit|{level}|{item_code}"


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT \
        or (isinstance(v, str) and not v.strip())


def _date(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(v.strip(), fmt).date()
            except ValueError:
                pass
    return None


def _target(r: dict, o, plan_year: int, lang: str, col: dict, bad) -> tuple[str | None, float | None]:
    """A line's target kind and value, checked against what its measure allows; problems through `bad`."""
    kind = r.get("target_kind")
    allowed = KINDS if o.scope == "index" else KINDS[:2]
    if kind not in allowed:
        bad("unknown_value", "target_kind", value="" if _blank(kind) else kind,
            expected=", ".join(KIND_NAMES[k][0 if lang == "vi" else 1] for k in allowed))
        kind = None
    value = r.get("target_value")
    try:
        value = None if _blank(value) else float(value)
    except (TypeError, ValueError):
        bad("not_number", "target_value", value=value)
        return kind, None
    if value is None or not math.isfinite(value):
        bad("required", "target_value", expected=col["target_value"].lower())
        return kind, None
    if kind:
        top = {"points": o.max_points, "pct": 100.0, "rank": float(schemes.n_provinces(plan_year))}[kind]
        low = 1.0 if kind == "rank" else 0.0
        if not low <= value <= top or (kind == "rank" and value != int(value)):
            bad("out_of_range", "target_value", value=value, expected=f"{low:g}–{top:g}")
    return kind, value


def validate(lines: pd.DataFrame, plan_year: int, options: pd.DataFrame, lang: str = "vi") -> tuple[pd.DataFrame, list[Problem]]:
    """The lines as they will be stored (numbered 1…n, names from the framework) and the problems found; each
    problem names the plan, the line and the column. `options`: choices(con, plan_year)."""
    where = plan_name(plan_year, lang)
    col = {k: v[0 if lang == "vi" else 1] for k, v in COLUMN.items()}
    probs: list[Problem] = []
    if not 2000 <= int(plan_year) <= 2100:
        return lines, [Problem("bad_year", file=where, value=plan_year, expected="2000–2100")]
    if len(lines) > MAX_LINES:
        return lines, [Problem("too_many_rows", file=where, value=len(lines), expected=MAX_LINES)]
    opts = options.set_index("key")
    first_deadline, last_deadline = dt.date(plan_year - 1, 1, 1), dt.date(plan_year + 1, 12, 31)
    seen: dict[tuple[str, str], int] = {}
    out = []
    for i, r in enumerate(lines.to_dict("records"), start=1):
        def bad(code, column, **kw):
            probs.append(Problem(code, file=where, row=i, column=col[column], **kw))
        key = measure_key(r.get("scope"), r.get("index_name"), r.get("level"), r.get("item_code"))
        if _blank(r.get("item_code")):
            bad("required", "item", expected=col["item"].lower())
            continue
        if key not in opts.index:
            bad("unknown_plan_item", "item", value=r.get("item_code"), expected=plan_year)
            continue
        o = opts.loc[key]
        agency = "" if _blank(r.get("agency")) else str(r["agency"]).strip()
        if not agency:
            bad("required", "agency", expected=col["agency"].lower())
        elif len(agency) > MAX_AGENCY:
            bad("too_long", "agency", value=len(agency), expected=MAX_AGENCY)
        kind, value = _target(r, o, plan_year, lang, col, bad)
        deadline = _date(r.get("deadline"))
        if deadline is None or not first_deadline <= deadline <= last_deadline:
            bad("bad_date", "deadline", value="" if _blank(r.get("deadline")) else str(r.get("deadline")),
                expected=f"{first_deadline:%d/%m/%Y}–{last_deadline:%d/%m/%Y}")
        actions = "" if _blank(r.get("actions")) else str(r["actions"]).strip()
        if len(actions) > MAX_ACTIONS:
            bad("too_long", "actions", value=len(actions), expected=MAX_ACTIONS)
        if (key, kind) in seen:
            bad("duplicate", "item", detail=str(seen[(key, kind)]))
        seen[(key, kind)] = i
        out.append(dict(plan_year=int(plan_year), line_no=len(out) + 1, scope=o.scope,
                        index_name=o.index_name if o.scope == "index" else None,
                        level=o.level if o.scope == "unit" else None, item_code=o.item_code,
                        item_name=o.name_vi, agency=agency, target_kind=kind, target_value=value,
                        deadline=deadline, actions=actions or None))
    return pd.DataFrame(out, columns=["plan_year", "line_no", "scope", "index_name", "level", "item_code",
                                      "item_name", "agency", "target_kind", "target_value", "deadline",
                                      "actions"]), probs


def save(db: Path, plan_year: int, lines: pd.DataFrame, user: str | None, provenance: str = "entered",
         lang: str = "vi") -> int:
    """Replace the plan of `plan_year` with `lines` as a new database version; returns the number of lines.
    Raises Rejected (nothing written, the refusal recorded in the history) when a line is wrong."""
    db = Path(db)
    name = f"ke-hoach-{int(plan_year)}"
    con = duckdb.connect(str(db), read_only=True)
    try:
        options = choices(con, plan_year)
    finally:
        con.close()
    clean, probs = validate(lines, int(plan_year), options, lang)
    if probs:
        dbmod.record_rejection(db, name, None, "plan", "\n".join(p.text() for p in probs[:50]), user)
        raise Rejected(probs)
    now = dt.datetime.now().replace(microsecond=0)
    clean = clean.assign(provenance=provenance, updated_by=user, updated_at=now)

    def prepare(con: duckdb.DuckDBPyConnection) -> int:
        con.execute("delete from plan_line where plan_year = $y", {"y": int(plan_year)})
        if not clean.empty:
            con.register("_plan_df", clean)
            try:
                con.execute("insert into plan_line by name select * from _plan_df")
            finally:
                con.unregister("_plan_df")
        return len(clean)

    return dbmod.commit_new_version(db, prepare, file_name=name, sha=None, kind="plan", user=user)
