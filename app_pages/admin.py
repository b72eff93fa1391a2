"""Data administration (Quản trị dữ liệu), behind the admin password: upload a workbook or CSV → validation
report (file, sheet, row, column, value, problem) → if clean, what will change → confirm → load; blank
templates; the load history; roll back to any of the last 5 database versions.

Loading builds a new database file beside the current one and swaps it in (etl/db.py): sessions reading
keep their version until their next interaction, then move to the new one with a short notice."""
from pathlib import Path

import streamlit as st

from etl import db as dbmod
from etl.files import MAX_FILE_BYTES
from etl.problems import Rejected
from ui import safe
from ui.admin import face as A
from ui.data import DB_PATH
from ui.i18n import lang, t
from ui.tables import table

st.title(t("ad_title"))
if st.session_state.get("_db") == "demo":
    st.info(t("ad_real_only"), icon=":material/verified:")
who = A.require_admin()           # a named account (or, before any exists, the old shared password)
user = who.name                   # what the load history records
c1, c2 = st.columns([4, 1], vertical_alignment="center")
c1.caption(t("ad_signed_in", name=safe.md(user), role=t(f"ad_role_{who.role}")))
c2.button(t("ad_sign_out"), on_click=A.sign_out, icon=":material/logout:", key="ad_sign_out")
done = st.session_state.pop("ad_done", None)
if done:
    st.success(done, icon=":material/check_circle:")

REPORT_COLS = {"file": t("ad_col_file"), "sheet": t("ad_col_sheet"), "row": t("ad_col_row"),
               "column": t("ad_col_column"), "value": t("ad_col_value"), "problem": t("ad_col_problem")}


def show_refusal(report: dict, key: str) -> None:
    """The count, each problem as a plain line (st.text: names from the file are never markup), and the
    same as a table to sort or download."""
    st.error(t("ad_rejected", n=len(report["problems"]), file=safe.md(report["name"])), icon=":material/error:")
    st.text("\n".join(report["texts"][:30]) + ("\n…" if len(report["texts"]) > 30 else ""))
    table(report["problems"], REPORT_COLS, key=key, export="bao_cao_kiem_tra",
          title=t("ad_report_title", file=report["name"]))


def review_annex(report: dict, file_id: str, n: int) -> None:
    """The Ministry's annex with rows that disagree: each shown with the image of its line (a PDF) and what
    disagrees; the user corrects the cells in a grid, checks again, and loads once every row agrees."""
    key = f"ad_review_{file_id}"
    if key not in st.session_state:
        with st.spinner(t("ad_reading_annex")):
            st.session_state[key] = A.ministry_review(Path(report["path"]))
    rv = st.session_state[key]
    if "error" in rv:
        show_refusal(dict(rv["error"], name=report["name"]), "ad_problems")
        return
    a = rv["read"]
    st.warning(t("ad_annex_flagged", file=safe.md(report["name"]), index=a.index_name, year=a.year, n=len(a.lines),
                 bad=len(rv["flagged"]), how=t(f"ad_annex_{a.source}")), icon=":material/fact_check:")
    if rv["general"]:
        st.text("\n".join(rv["general"]))
    if not rv["flagged"] and not rv["general"]:
        st.success(t("ad_annex_agrees"), icon=":material/task_alt:")
    lines = rv.get("lines", a.lines)
    for i in rv["flagged"][:12]:             # the image of each disagreeing line, beside what disagrees
        ln = lines[i]
        img = A.row_image(Path(report["path"]), ln)
        where = f"{ln.sheet}, {t('ad_col_row').lower()} {ln.row}"
        if img is not None:                      # the printed line, full width, then what disagrees in it
            st.image(img, caption=where, width="stretch")
        st.text(("" if img is not None else f"{where}: {ln.name}\n") + "\n".join(rv["why"].get(i, [])))
    # the whole table in one grid, rows that disagree first: correct a cell, delete a line that is not a province
    # (a title the OCR took for a row), add a province the reading missed
    frame = rv.get("edited_frame")
    frame = (a.frame() if frame is None else frame).reset_index(drop=True)
    frame["problem"] = ["; ".join(rv["why"].get(i, [])) for i in range(len(frame))]
    frame = frame.sort_values("problem", key=lambda p: p.eq(""), kind="stable")
    st.caption(t("ad_annex_grid_help"))
    edited = st.data_editor(
        frame[["line", "sheet", "row", "name", *a.columns, "problem"]], key=f"ad_grid_{file_id}", num_rows="dynamic",
        disabled=["sheet", "row", "problem"], hide_index=True,
        column_config={"line": None, "sheet": t("ad_col_sheet"), "row": t("ad_col_row"), "name": t("province"),
                       "problem": t("ad_col_problem")} | {
            c: st.column_config.NumberColumn(A.annex_col_label(c), format="%.2f") for c in a.columns})
    if st.button(t("ad_annex_recheck"), icon=":material/refresh:", key="ad_recheck"):
        base = edited.drop(columns="problem").reset_index(drop=True)
        rv = A.ministry_recheck(rv, base)
        rv["edited_frame"] = base
        st.session_state[key] = rv
        st.rerun()
    if not rv["problems"] and st.button(t("ad_confirm"), type="primary", icon=":material/upload:",
                                        key="ad_confirm_annex"):
        with st.spinner(t("ad_loading")):
            out = A.ministry_load(rv, Path(report["path"]), DB_PATH, user)
        if out["ok"]:
            for k in (key, "ad_report"):
                st.session_state.pop(k, None)
            st.session_state["ad_upload_n"] = n + 1
            st.session_state["ad_done"] = t("ad_loaded", file=safe.md(report["name"]))
            st.rerun()
        show_refusal(dict(out, name=report["name"]), "ad_problems_load")


# key + on_change: the chosen tab survives reruns (a rollback confirmation, a load); an account that may only read
# the history gets no load tab and no rollback buttons
if who.can_edit:
    load_tab, history_tab, template_tab = st.tabs([t("ad_tab_load"), t("ad_tab_history"), t("ad_tab_templates")],
                                                  key="ad_tab", on_change="rerun")
else:
    st.info(t("ad_history_only"), icon=":material/visibility:")
    load_tab = None
    history_tab, template_tab = st.tabs([t("ad_tab_history"), t("ad_tab_templates")], key="ad_tab_ro",
                                        on_change="rerun")

if load_tab is not None:
    with load_tab:
        st.markdown(t("ad_load_help", mb=MAX_FILE_BYTES // (1024 * 1024)))
        n = st.session_state.get("ad_upload_n", 0)
        up = st.file_uploader(t("ad_upload"), type=["xlsx", "xlsm", "csv", "pdf"], key=f"ad_upload_{n}")
        if lang() == "vi":
            # Streamlit writes its uploader's button and limits in English with no setting for them: the same words in
            # Vietnamese, drawn over the hidden originals (the texts are ours, never a user's)
            st.html(f"""<style>
    [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p,
    [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
    [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after
      {{ content: "{t('ad_upload_button')}"; font-size: 1rem; }}
    [data-testid="stFileUploaderDropzoneInstructions"] span::after
      {{ content: "{t('ad_upload_limits', mb=MAX_FILE_BYTES // (1024 * 1024))}"; font-size: 0.875rem; }}
    </style>""")
        if up is not None:
            report = st.session_state.get("ad_report")
            if report is None or report["file_id"] != up.file_id:
                try:
                    A.refuse_if_too_large(up.name, up.size)
                    path = A.save_upload(up.name, up.getvalue())
                    with st.spinner(t("ad_checking")):
                        report = dict(A.validate(path, DB_PATH, user=user), file_id=up.file_id, path=str(path),
                                      name=path.name)
                except Rejected as e:      # too large: refused before it is written or parsed
                    report = dict(A.refused(e), file_id=up.file_id, path=None, name=A.safe_name(up.name))
                st.session_state["ad_report"] = report
            if not report["ok"] and report.get("kind") == "ministry":
                review_annex(report, up.file_id, n)
            elif not report["ok"]:
                show_refusal(report, "ad_problems")
                only_new = report.get("kind") == "annex" and report.get("unknown") and set(report["codes"]) == {"unknown_unit"}
                if only_new:
                    # an annex naming units not in the list: created only if the user says they are new
                    st.warning(t("ad_new_units", n=len(report["unknown"]), names=", ".join(safe.md(u) for u in report["unknown"][:20])),
                               icon=":material/person_add:")
                    if st.button(t("ad_create_units"), key="ad_create_units"):
                        with st.spinner(t("ad_checking")):
                            report = dict(A.validate(Path(report["path"]), DB_PATH, create_units=True, user=user),
                                          file_id=up.file_id, path=report["path"], name=report["name"])
                        st.session_state["ad_report"] = report
                        st.rerun()
            else:
                st.success(t("ad_valid", file=safe.md(report["name"])), icon=":material/task_alt:")
                ch = report["changes"].assign(what=lambda d: d.what.replace({"unit": t("ad_unit_scores"),
                                                                              "annex": t("ad_annex_scores")}),
                                              year=lambda d: d.year.astype(str))     # 2025, not 2.025
                table(ch, {"what": t("ad_col_what"), "year": t("year"), "n": t("ad_col_n"), "rows_new": t("ad_col_new"),
                           "rows_replaced": t("ad_col_replaced")}, key="ad_changes")
                for note in report["notes"]:
                    st.caption(safe.md(note))
                if st.button(t("ad_confirm"), type="primary", icon=":material/upload:", key="ad_confirm"):
                    with st.spinner(t("ad_loading")):
                        out = A.load(Path(report["path"]), DB_PATH, user, create_units=report.get("create_units", False))
                    if out["ok"]:
                        st.session_state.pop("ad_report", None)
                        st.session_state["ad_upload_n"] = n + 1          # a fresh, empty uploader
                        st.session_state["ad_done"] = t("ad_loaded", file=safe.md(report["name"]))
                        st.rerun()
                    show_refusal(dict(out, name=report["name"]), "ad_problems_load")

with history_tab:
    st.subheader(t("ad_history"))
    h = A.history(DB_PATH)
    table(h, {"started_at": t("ad_col_when"), "user_name": t("ad_col_who"), "file_name": t("ad_col_file"),
              "file_sha256": t("ad_col_sha"), "kind": t("ad_col_kind"), "rows": t("ad_col_rows"),
              "result": t("ad_col_result"), "message": t("ad_col_message")}, key="ad_history",
          export="lich_su_nap", title=t("ad_history"))
    st.subheader(t("ad_versions"))
    cur = A.version_info(DB_PATH)
    st.markdown(t("ad_current") + " " + t("ad_version_line", when=A.when_text(cur["written_at"]),
                                          file=safe.md(cur["last_file"] or "–"),
                                          p=cur["province_rows"], u=cur["unit_rows"]))
    st.caption(t("ad_versions_help", n=dbmod.KEEP_VERSIONS))
    vs = A.versions(DB_PATH)
    if vs.empty:
        st.info(t("ad_no_versions"))
    described = {}                      # a version is named by when it was written and its last load, never its file
    for i, v in enumerate(vs.itertuples()):
        described[v.path] = A.version_words(v.written_at, v.last_file)
        with st.container(border=True, key=f"ad_version_{i}"):
            a, b = st.columns([5, 2], vertical_alignment="center")
            a.markdown(t("ad_version_line", when=A.when_text(v.written_at), file=safe.md(v.last_file or "–"),
                         p=v.province_rows if v.province_rows is not None else "–",
                         u=v.unit_rows if v.unit_rows is not None else "–"))
            if v.last_result == "damaged":
                b.caption(t("ad_damaged"))
            elif who.can_edit and b.button(t("ad_rollback"), key=f"ad_rb_{i}", icon=":material/history:"):
                st.session_state["ad_rb_pending"] = v.path
    pending = st.session_state.get("ad_rb_pending")
    if pending and pending in described and who.can_edit:
        st.warning(t("ad_rollback_confirm", name=described[pending]), icon=":material/warning:")
        y, n_ = st.columns(2)
        if y.button(t("ad_rollback_yes"), type="primary", key="ad_rb_yes"):
            from etl.db import rollback_to
            try:
                rollback_to(DB_PATH, Path(pending), user=user)
                st.session_state["ad_done"] = t("ad_rolled_back", name=described[pending])
            except Rejected as e:
                st.session_state["ad_done"] = "; ".join(p.text(lang()) for p in e.problems[:3])
            st.session_state.pop("ad_rb_pending", None)
            st.rerun()
        if n_.button(t("ad_rollback_no"), key="ad_rb_no"):
            st.session_state.pop("ad_rb_pending", None)
            st.rerun()

with template_tab:
    st.markdown(t("templates_help"))
    A.template_downloads(DB_PATH, key="ad_tpl")
