"""The province's plan on the targets, plan and alerts pages: a plan year as a table (Excel, Word), the editor for a
signed-in user (drafted from the targets, saved through etl.plan like a load), and tracking a plan against its year's
results.
Storage and validation are etl.plan's, tracking analysis.plan's, the Word documents ui.exports.word's: this is a face."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis import plan as ap
from analysis import units as au
from etl import plan as ep
from etl.problems import Rejected
from ui import safe, units as U
from ui import data as D
from ui.data import is_demo, q
from ui.i18n import lang, num, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table

DRAFT_LINES = 8
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def kind_label(kind: str) -> str:
    return t(f"pl_kind_{kind}")


def measure_label(r) -> str:
    """'PAR INDEX · 3. Cải cách thủ tục hành chính', 'Sở, ban, ngành · 2.1. Xây dựng văn bản QPPL'."""
    name = r.name_en if lang() == "en" and isinstance(getattr(r, "name_en", None), str) else r.name_vi
    head = r.index_name if r.scope == "index" else t(r.level)
    return f"{head} · {name}" if r.item_code == "total" else f"{head} · {r.item_code}. {name}"


def options(plan_year: int) -> pd.DataFrame:
    o = q("plan_choices", year=int(plan_year)).copy()
    o["key"] = [ep.measure_key(*r) for r in zip(o.scope, o.index_name, o.level, o.item_code)]
    o["label"] = [measure_label(r) for r in o.itertuples()]
    return o


def lines_of(plan_year: int) -> pd.DataFrame:
    return q("plan_lines", plan_year=int(plan_year))


def draft(tg: pd.DataFrame, level: str, plan_year: int, opts: pd.DataFrame) -> pd.DataFrame:
    """A first draft from the targets: the items with the most recoverable points, each asked to close half its gap
    to the maximum (as % of the maximum), by the end of the plan year."""
    keys = set(opts.key)
    rows = []
    for r in tg.itertuples() if len(tg) else []:
        key = ep.measure_key("unit", None, level, r.item_code)
        if key not in keys or r.recoverable <= 0:
            continue
        share = 100 * r.mean_share
        rows.append(dict(scope="unit", index_name=None, level=level, item_code=r.item_code, agency=r.agency,
                         target_kind="pct", target_value=round(share + (100 - share) / 2, 1),
                         deadline=dt.date(plan_year, 12, 31), actions=None))
        if len(rows) == DRAFT_LINES:
            break
    return pd.DataFrame(rows, columns=ep.FIELDS)


def _to_editor(lines: pd.DataFrame, opts: pd.DataFrame) -> pd.DataFrame:
    """The editor's rows: text columns as strings and the deadline as a date, typed even when there is no row yet
    (an empty untyped column is refused by the editor's column types)."""
    label = dict(zip(opts.key, opts.label))
    text = lambda values: pd.Series(list(values), dtype="string")   # noqa: E731
    return pd.DataFrame({
        "item": text(label.get(ep.measure_key(*r)) for r in zip(lines.scope, lines.index_name, lines.level,
                                                                 lines.item_code)),
        "agency": text(lines.agency),
        "target_kind": text(kind_label(k) for k in lines.target_kind),
        # as text in the session's format ("82,5"): a number column would show and expect "82.5" in Vietnamese
        "target_value": text(None if pd.isna(v) else num(v, 2 if float(v) != int(v) else 0)
                             for v in pd.to_numeric(lines.target_value)),
        "deadline": pd.to_datetime(pd.Series(list(lines.deadline), dtype="object")).dt.date
        if len(lines) else pd.Series([], dtype="datetime64[ns]"),
        "actions": text(lines.actions),
    })


def _from_editor(edited: pd.DataFrame, opts: pd.DataFrame, successors: pd.DataFrame) -> pd.DataFrame:
    """The plan's lines from the editor's rows. A line left without an agency gets the one its framework names, in
    force in the plan year (an agency restructured away hands it to its successor: queries/agency_successors.sql)."""
    by_label = opts.set_index("label")
    kinds = {kind_label(k): k for k in ep.KINDS}
    rows = []
    for r in edited.to_dict("records"):
        if all(ep._blank(v) for v in r.values()):
            continue                                   # an empty row the editor added
        o = by_label.loc[r["item"]] if r.get("item") in by_label.index else None
        rows.append(dict(scope=None if o is None else o.scope, index_name=None if o is None else o.index_name,
                         level=None if o is None else o.level, item_code=None if o is None else o.item_code,
                         agency=framework_agency(o, successors) if ep._blank(r.get("agency")) and o is not None
                         else r.get("agency"), target_kind=kinds.get(r.get("target_kind"), r.get("target_kind")),
                         target_value=typed_number(r.get("target_value")), deadline=r.get("deadline"),
                         actions=r.get("actions")))
    return pd.DataFrame(rows, columns=ep.FIELDS)


def framework_agency(o, successors: pd.DataFrame) -> str | None:
    """The agency the framework names for a measure, in force (index measures name none)."""
    if not isinstance(o.agency_vi, str) or not o.agency_vi:
        return None
    one = pd.DataFrame({"agency": [o.agency_vi], "agency_en": [o.agency_en]})
    return au.agencies_in_force(one, successors).agency.iloc[0]


def typed_number(v):
    """A number as typed in the editor: '82,5' or '82.5' (and '1.234,5' the Vietnamese way); anything else is
    returned as it is, for the plan's checks to name."""
    if not isinstance(v, str):
        return v
    s = v.strip().replace(" ", "").replace("\u00a0", "")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return v


def signed_in() -> str | None:
    """The signed-in editor's name (the history records it), or None: only an editor drafts and saves plans."""
    from ui.admin.face import current_admin
    who = current_admin()
    return who.name if who is not None and who.can_edit else None


def editor(plan_year: int, tg: pd.DataFrame, level: str) -> None:
    """The plan of `plan_year`: for a signed-in user on the real database, an editable table and 'Lưu kế hoạch'."""
    user = signed_in()
    if is_demo() or st.session_state.get("_db") == "demo":
        st.info(t("pl_demo_readonly"), icon=":material/info:")
        return
    if not user:
        st.info(t("pl_sign_in"), icon=":material/lock:")
        st.page_link("app_pages/admin.py", label=t("ad_title"), icon=":material/admin_panel_settings:")
        return
    opts = options(plan_year)
    saved = lines_of(plan_year)
    start = saved if not saved.empty else draft(tg, level, plan_year, opts)
    if saved.empty:
        st.caption(t("pl_draft_note", year=plan_year, n=len(start)))
    cfg = {"item": st.column_config.SelectboxColumn(t("pl_col_item"), options=list(opts.label), required=True,
                                                    width="large"),
           "agency": st.column_config.TextColumn(t("pl_col_agency"), max_chars=ep.MAX_AGENCY, width="medium"),
           "target_kind": st.column_config.SelectboxColumn(t("pl_col_kind"), options=[kind_label(k) for k in ep.KINDS]),
           "target_value": st.column_config.TextColumn(t("pl_col_target"), max_chars=12),
           "deadline": st.column_config.DateColumn(t("pl_col_deadline"), format="DD/MM/YYYY"),
           "actions": st.column_config.TextColumn(t("pl_col_actions"), max_chars=ep.MAX_ACTIONS, width="large")}
    st.caption(t("pl_editor_help"))
    edited = st.data_editor(_to_editor(start, opts), column_config=cfg, num_rows="dynamic", hide_index=True,
                            width="stretch", key=f"pl_editor_{plan_year}")
    if st.button(t("pl_save"), type="primary", icon=":material/save:", key="pl_save"):
        try:
            successors = q("agency_successors", year=int(plan_year), home=q("home_unit_codes").province_code.tolist())
            n = ep.save(D.DB_PATH, plan_year, _from_editor(edited, opts, successors), user, lang=lang())
        except Rejected as e:
            st.error(t("pl_rejected", n=len(e.problems)), icon=":material/error:")
            st.text("\n".join(p.text(lang()) for p in e.problems[:30]))
            return
        st.session_state["pl_done"] = t("pl_saved", year=plan_year, n=n)
        st.session_state.pop(f"pl_editor_{plan_year}", None)
        st.rerun()


def lines_table(lines: pd.DataFrame) -> pd.DataFrame:
    """The plan's lines for people: measure, agency, target with its kind, deadline, actions."""
    opts = options(int(lines.plan_year.iloc[0]))
    label = dict(zip(opts.key, opts.label))
    out = lines.copy()
    out["item"] = [label.get(ep.measure_key(*r), f"{r[3]}. {n}")
                   for r, n in zip(zip(lines.scope, lines.index_name, lines.level, lines.item_code), lines.item_name)]
    out["kind"] = [kind_label(k) for k in lines.target_kind]
    out["target"] = [target_text(k, v) for k, v in zip(lines.target_kind, lines.target_value)]
    out["deadline_text"] = [pd.Timestamp(d).strftime("%d/%m/%Y") for d in lines.deadline]
    return out


def target_text(kind: str, value) -> str:
    if kind == "rank":
        return t("pl_rank_value", n=int(value))
    return num(value) + (" %" if kind == "pct" else "")


PLAN_COLS = ["line_no", "item", "agency", "kind", "target", "deadline_text", "actions"]


def plan_headers() -> dict[str, str]:
    return {"line_no": t("pl_col_line"), "item": t("pl_col_item"), "agency": t("pl_col_agency"),
            "kind": t("pl_col_kind"), "target": t("pl_col_target"), "deadline_text": t("pl_col_deadline"),
            "actions": t("pl_col_actions")}


def show(plan_year: int) -> None:
    """The plan of `plan_year` as stored: the table, Excel/CSV and the Word plan."""
    lines = lines_of(plan_year)
    if lines.empty:
        if not (signed_in() and not is_demo()):          # the editor below says it with the draft
            st.caption(t("pl_none", year=plan_year))
        return
    view = lines_table(lines)
    illustrative = bool((lines.provenance == "illustrative").any())
    if illustrative:
        U.illustrative_banner(True)
    heads = plan_headers()
    table(view, heads, key=f"pl_table_{plan_year}")
    downloads(view, heads, f"ke_hoach_{plan_year}", f"pl_dl_{plan_year}",
              export_notes(t("pl_title", year=plan_year), {t("pl_year"): plan_year}, illustrative, t("pl_source")))
    from ui.exports import word
    name = (t("demo_file_prefix") if is_demo() else "") + f"ke_hoach_cchc_{plan_year}.docx"
    st.download_button(t("pl_word_plan"), data=lambda: word.plan_bytes(plan_year), file_name=name, mime=DOCX,
                       key=f"pl_word_{plan_year}", icon=":material/description:")


def tracking(plan_year: int) -> pd.DataFrame | None:
    """Each line of the plan of `plan_year` against that year's results (None when there is no plan)."""
    lines = lines_of(plan_year)
    if lines.empty:
        return None
    home = q("home_unit_codes").province_code.tolist()
    return ap.track(lines, q("plan_measures", year=int(plan_year), home=home),
                    q("plan_measures", year=int(plan_year) - 1, home=home))


def value_text(kind: str, value) -> str:
    if value is None or pd.isna(value):
        return "–"
    return target_text(kind, round(float(value)) if kind == "rank" else value)


def tracking_section(plan_year: int) -> None:
    """The plan of `plan_year` against that year's results: reached / not reached / no data per line, by agency."""
    tr = tracking(plan_year)
    if tr is None:
        return
    st.subheader(t("pl_track_title", year=plan_year))
    st.caption(t("pl_track_intro", year=plan_year, prev=plan_year - 1))
    names = {"reached": t("pl_reached"), "missed": t("pl_missed"), "no_data": t("pl_no_data")}
    k = st.columns(3)
    for col, s in zip(k, names):
        col.metric(names[s], f"{int((tr.status == s).sum())}/{len(tr)}", border=True)
    view = lines_table(tr)
    view["actual_text"] = [value_text(k_, v) for k_, v in zip(tr.target_kind, tr.actual)]
    view["before_text"] = [value_text(k_, v) for k_, v in zip(tr.target_kind, tr.before)]
    view["change_text"] = ["–" if pd.isna(c) else ("+" if c > 0 else "") + num(c) for c in tr.change]
    view["status_text"] = tr.status.map(names)
    heads = {"line_no": t("pl_col_line"), "item": t("pl_col_item"), "agency": t("pl_col_agency"),
             "target": t("pl_col_target"), "actual_text": t("pl_actual"), "before_text": t("pl_before"),
             "change_text": t("pl_change"), "status_text": t("pl_status")}
    table(view, heads, key=f"pl_track_{plan_year}")
    downloads(view, heads, f"theo_doi_ke_hoach_{plan_year}", f"pl_track_dl_{plan_year}",
              export_notes(t("pl_track_title", year=plan_year), {t("pl_year"): plan_year},
                           bool((tr.provenance == "illustrative").any()), t("pl_source")))
    agencies = ap.by_agency(tr)
    st.markdown(f"**{t('pl_by_agency')}**")
    table(agencies, {"agency": t("pl_col_agency"), "lines": t("pl_n_lines"), "reached": names["reached"],
                     "missed": names["missed"], "no_data": names["no_data"]}, key=f"pl_track_ag_{plan_year}",
          export=f"theo_doi_ke_hoach_{plan_year}_theo_co_quan", source=t("pl_source"))


def section(year: int, level: str, tg: pd.DataFrame) -> None:
    """On the targets page, under the targets of `year`: tracking the plan of `year`, then next year's plan."""
    done = st.session_state.pop("pl_done", None)
    st.divider()
    tracking_section(int(year))
    plan_year = int(year) + 1
    st.subheader(t("pl_section", year=plan_year))
    if done:
        st.success(done, icon=":material/check_circle:")
    st.caption(t("pl_intro"))
    show(plan_year)
    editor(plan_year, tg, level)
    from ui.exports import word
    p34 = U.scope_code() or None                       # the province whose units are shown
    name = (t("demo_file_prefix") if is_demo() else "") + f"bao_cao_cchc_{year}_{level}.docx"
    st.download_button(t("pl_word_report"), data=lambda: word.report_bytes(int(year), level, p34), file_name=name,
                       mime=DOCX, key=f"pl_report_{year}_{level}", icon=":material/summarize:")


def missed_alerts(year: int) -> None:
    """On the alerts page: the lines of the plan of `year` not reached, each with its agency, target and result."""
    tr = tracking(int(year))
    if tr is None or (tr.status == "no_data").all():
        return
    st.subheader(t("pl_alert_title", year=year))
    missed = tr[tr.status == "missed"].reset_index(drop=True)
    if missed.empty:
        st.success(t("pl_alert_none", year=year))
        return
    view = lines_table(missed)
    view["actual_text"] = [value_text(k, v) for k, v in zip(missed.target_kind, missed.actual)]
    view["change_text"] = ["–" if pd.isna(c) else ("+" if c > 0 else "") + num(c) for c in missed.change]
    agencies = safe.md("; ".join(dict.fromkeys(missed.agency)))        # typed by users: text, never Markdown
    st.warning(t("pl_alert_count", n=len(missed), total=len(tr), agencies=agencies),
               icon=":material/flag:")
    heads = {"line_no": t("pl_col_line"), "item": t("pl_col_item"), "agency": t("pl_col_agency"),
             "target": t("pl_col_target"), "actual_text": t("pl_actual"), "change_text": t("pl_change")}
    table(view, heads, key=f"pl_alert_{year}")
    downloads(view, heads, f"canh_bao_ke_hoach_{year}", f"pl_alert_dl_{year}",
              export_notes(t("pl_alert_title", year=year), {t("pl_year"): year},
                           bool((missed.provenance == "illustrative").any()), t("pl_source")))
