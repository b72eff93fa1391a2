"""Overview (Tổng quan): for one province and year, a card per index (score, rank "8/63", change since last
year, rank sparkline, one sentence), the domains furthest below the national median, and alerts for domains
that fell."""
import streamlit as st

from ui import provinces as P
from ui.filters import url_choice, url_threshold
from ui.i18n import num, t
from ui.tables import table
from ui.units import name, require_db

require_db()
st.title(t("ov_title"))
st.caption(t("ov_intro"))

all_years = sorted({int(y) for y in P.index_years().year})
c1, c2 = st.columns([3, 1])
year = url_choice(t("year"), list(reversed(all_years)), "year", default=max(all_years), container=c2)
province = P.pick_province(year, c1)
plist = P.provinces(P.scheme_of(year))
pname = dict(zip(plist.province_code, name(plist, "province_name"))).get(province, province)   # for the export notes
cards, weak, changes = P.overview_data(province, year)


def move_text(r: dict) -> str:
    if r["rank"] is None:
        return t("ov_no_rank")
    if r["change_basis"] == "members":
        return t("ov_sentence_merger", rank=r["rank"], n=r["n"],
                 delta=("+" if r["score_change"] >= 0 else "") + num(r["score_change"]))
    if r["rank_change"] is None:
        return t("ov_sentence_first", rank=r["rank"], n=r["n"])
    k = r["rank_change"]
    move = t("places_up_short", n=k) if k > 0 else t("places_down_short", n=-k) if k < 0 else t("places_same_short")
    return t("ov_sentence", rank=r["rank"], n=r["n"], move=move)


# --- one card per index
any_illustrative = False
for col, index in zip(st.columns(len(P.INDEX_ORDER)), P.INDEX_ORDER):
    r = cards.get(index)
    with col.container(border=True):
        st.markdown(f"**{index}**")
        if r is None:
            st.caption(t("no_index_year", index=index, year=year))
            continue
        if r["year"] != year:
            st.caption(t("ov_latest_year", year=r["year"], asked=year))
        any_illustrative |= r["illustrative"]
        delta = None if r["score_change"] is None else ("+" if r["score_change"] >= 0 else "") + num(r["score_change"])
        st.metric(t("score"), "–" if r["score"] is None else num(r["score"]), delta, help=t("ov_rank_help"),
                  chart_data=[-x for x in r["rank_history"]] if len(r["rank_history"]) > 1 else None,
                  chart_type="line")
        st.markdown(f"### {r['rank']}/{r['n']}" if r["rank"] is not None else "### –")
        st.caption(move_text(r))
        if r["rank"] is not None and r["n"] < P.n_ranked(r["year"]):
            # PAPI ranks only the provinces its survey covered that year: "32/61" says out of how many, and why
            st.caption(t("ov_ranked_fewer", index=index, year=r["year"], n=r["n"], total=P.n_ranked(r["year"])))
        st.caption(t("ov_source", source=P.source_md(r["source"])))
        if r["illustrative"]:
            st.caption("⚠ " + t("illustrative_chart"))
if any_illustrative:
    st.caption(t("src_illustrative"))

# --- weakest domains against the national median
st.subheader(t("ov_weak"))
for index, w in weak.items():
    st.markdown(f"**{index}**")
    if w.empty:
        st.caption(t("ov_none_below"))
        continue
    table(w.assign(label=w[P.label_col()], source_text=w.source.map(P.source_label)), {"label": t("measure"), "score": t("score"), "median": t("median"),
                                              "gap_pct": t("ov_gap"), "source_text": t("source_col")},
          key=f"ov_weak_{index}", export=f"linh_vuc_yeu_{index.replace(' ', '_')}_{year}",
          source=P.source_caption(index, False), decimals={"score": 2, "median": 2, "gap_pct": 1}, signed=("gap_pct",),
          kinds={"gap_pct": "pp"}, title=f"{t('ov_weak')}: {index}",
          filters={t("province"): pname, t("index"): index, t("year"): year})

# --- alerts
st.subheader(t("ov_alerts"))
a1, a2 = st.columns(2)
min_pct = url_threshold(t("ov_alert_points"), "alert_pct", 5.0, [1, 2, 3, 5, 7.5, 10, 15, 20], 1, container=a1)
min_places = int(url_threshold(t("ov_alert_places"), "alert_places", 5, [1, 2, 3, 5, 10, 15, 20], 0, container=a2))
fell = changes[(changes.fell_pct >= min_pct) | (changes.fell_places >= min_places)] if len(changes) else changes
if len(fell):
    table(fell.assign(label=fell[P.label_col()], source_text=fell.source.map(P.source_label)),
          {"index": t("index"), "label": t("measure"), "score": t("score"), "score_change": t("change"),
           "rank_change": t("rank_change"), "source_text": t("source_col")},
          key="ov_alerts", export=f"canh_bao_linh_vuc_{year}", decimals={"score": 2, "score_change": 2, "rank_change": 0},
          signed=("score_change", "rank_change"), kinds={"rank_change": "count"}, title=t("ov_alerts"),
          source=" ".join(P.source_caption(i, False) for i in sorted(set(fell["index"]), key=P.INDEX_ORDER.index)),
          filters={t("province"): pname, t("year"): year, t("ov_alert_points"): num(min_pct, 1),
                   t("ov_alert_places"): min_places})
else:
    st.success(t("ov_no_alerts"))
st.caption(" ".join(P.source_caption(i, False) for i in P.INDEX_ORDER))
