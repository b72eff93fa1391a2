"""The published record gathered from public reports: PAR INDEX, SIPAS and PCI figures that newspapers, provincial
portals and the Ministry print in text ("đạt 86,12 %, xếp thứ 12/63, tăng 5 bậc"), national averages, and the
provinces a source places in a group (top five, bottom five) without an exact rank.

`data/raw/published/press_figures.csv` holds the evidence: one row per figure per source, with the page, its
publisher and date, what it says (in our words), whether the figure is printed or derived from a stated change
(and how), and any conflict with another source. Several sources may give the same cell; `choose` keeps one
value per cell by a fixed rule (below), so the database is rebuilt the same way every time, and the other values
stay in the evidence and in the figure's note."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from etl.batch import Batch
from etl import schemes
from etl.reference import PUBLISHED, source_key_for_url

PRESS = PUBLISHED / "press_figures.csv"
COLUMNS = ["index", "year", "province", "province_code", "score", "approx_score", "rank", "rank_of", "how",
           "derivation", "group", "url", "source_key", "publisher", "published_on", "date_basis", "says",
           "confidence", "conflict"]
INDICES = ("PAR INDEX", "SIPAS", "PCI")


def provinces_in(year: int) -> int:
    return schemes.n_provinces(year)


def read_evidence(path: Path = PRESS) -> pd.DataFrame:
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in d.columns]
    if missing:
        raise ValueError(f"{path.name}: thiếu cột {', '.join(missing)}")
    d["year"] = d.year.astype(int)
    for c in ("score", "approx_score"):
        d[c] = pd.to_numeric(d[c].replace("", None), errors="raise").astype("float64")
    d["rank"] = pd.to_numeric(d["rank"].replace("", None), errors="raise").astype("Int64")
    d["rank_of"] = pd.to_numeric(d["rank_of"].replace("", None), errors="raise").astype("Int64")
    d["source_key"] = [k or (source_key_for_url(u) if u else "") for k, u in zip(d.source_key, d.url)]
    return d


def _decimals(v: float) -> int:
    s = f"{v:.6f}".rstrip("0")
    return len(s.split(".")[1]) if "." in s else 0


def _agree(a: float, b: float) -> bool:
    """The same figure, one of them rounded (70,69 and 70,7 agree; 83,6 and 83,68 do not)."""
    if a == b:
        return True
    da, db = _decimals(a), _decimals(b)
    return (da > db and round(a, db) == b) or (db > da and round(b, da) == a)


def _weight(r: dict) -> float:
    return (1.0 if r["confidence"] == "high" else 0.5) * (1.0 if r["how"] == "read" else 0.8)


def _present(v) -> bool:
    return v is not None and not pd.isna(v)


def _pick(rows: list[dict], col: str):
    """(value, the row it is taken from, the other values) by the rule: most support from the sources (a source
    that agrees up to rounding supports it; high confidence counts 1, medium ½; derived ×0.8), then the most
    precise, then printed over derived, then the earliest publication."""
    cand = [r for r in rows if _present(r[col])]
    if not cand:
        return None, None, []
    values = sorted({float(r[col]) for r in cand})
    best_key, best = None, None
    for v in values:
        support = sum(_weight(r) for r in cand if _agree(float(r[col]), v))
        same = [r for r in cand if float(r[col]) == v]
        key = (-round(support, 6), -_decimals(v), -int(any(r["how"] == "read" for r in same)),
               min(r["published_on"] for r in same))
        if best_key is None or key < best_key:
            best_key, best = key, v
    same = sorted((r for r in cand if float(r[col]) == best), key=lambda r: (-_weight(r), r["published_on"]))
    others = []
    for v in values:
        if v != best and not _agree(v, best):
            o = next(r for r in cand if float(r[col]) == v)
            others.append(f"{_fmt(v)} ({o['publisher']}, {o['url'] or o['source_key']})")
    return best, same[0], others


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def choose(ev: pd.DataFrame) -> pd.DataFrame:
    """One row per index, year and province (province_code '' = the national average): score and rank with how
    each is known ('published' when printed, 'derived' from a stated change), the source of each, and a note
    naming conflicting values."""
    cells: dict[tuple, list[dict]] = {}
    for r in ev.to_dict("records"):
        cells.setdefault((r["index"], int(r["year"]), r["province_code"]), []).append(r)
    out = []
    for (index, year, code), rows in sorted(cells.items()):
        score, srow, s_other = _pick(rows, "score")
        rank, rrow, r_other = _pick(rows, "rank")
        groups = sorted({r["group"] for r in rows if r["group"]})
        approx = [r["approx_score"] for r in rows if _present(r["approx_score"])]
        main = srow if srow is not None else rrow
        notes = []
        if main is not None:
            notes.append(main["says"])
            if main["how"] == "derived":
                notes.append("derived: " + main["derivation"])
        if rrow is not None and srow is not None and rrow["source_key"] != srow["source_key"]:
            notes.append(f"rank from {rrow['publisher']} ({rrow['url'] or rrow['source_key']})")
            if rrow["how"] == "derived":
                notes.append("rank derived: " + rrow["derivation"])
        if s_other or r_other:
            notes.append("other sources give " + "; ".join(s_other + r_other))
        out.append(dict(
            index_name=index, year=year, province_code=code or None, province_name=rows[0]["province"],
            score=score, rank=None if rank is None else int(rank),
            score_provenance=None if srow is None else ("published" if srow["how"] == "read" else "derived"),
            rank_provenance=None if rrow is None else ("published" if rrow["how"] == "read" else "derived"),
            source_key=None if main is None else main["source_key"],
            rank_source_key=None if rrow is None else rrow["source_key"],
            approx_score=float(approx[0]) if approx else None,
            group="; ".join(groups) or None, note=" | ".join(n for n in notes if n) or None))
    df = pd.DataFrame(out)
    df["rank"] = df["rank"].astype("Int64")
    return _settle_rank_collisions(df, ev)


def _violations(g: pd.DataFrame, code: str, rank: int, score: float | None) -> int:
    """How many other ranked provinces of the year this (rank, score) contradicts (ahead with a lower score)."""
    if score is None or pd.isna(score):
        return 0
    o = g[(g.province_code != code) & g["rank"].notna() & g.score.notna()]
    return int((((o["rank"] < rank) & (o.score < score)) | ((o["rank"] > rank) & (o.score > score))).sum())


def _settle_rank_collisions(df: pd.DataFrame, ev: pd.DataFrame) -> pd.DataFrame:
    """Two provinces given the same rank in one index-year (sources disagree, or a rank derived from a stated change
    collides with a printed one): the printed rank, then the one its score agrees with, then the higher score keeps
    it; the other takes another source's rank for it if one fits, else keeps its score without a rank, and its
    note says why."""
    df = df.copy()
    for (index, year), g in df[df.province_code.notna()].groupby(["index_name", "year"]):
        for _ in range(len(g)):
            g = df[(df.index_name == index) & (df.year == year) & df.province_code.notna()]
            r = g["rank"]
            dup = g[r.notna() & r.duplicated(keep=False)]
            if dup.empty:
                break
            rank = int(dup["rank"].iloc[0])
            same = dup[dup["rank"] == rank]
            order = sorted(same.index, key=lambda i: (df.at[i, "rank_provenance"] != "published",
                                                       _violations(g, df.at[i, "province_code"], rank, df.at[i, "score"]),
                                                       -(df.at[i, "score"] if pd.notna(df.at[i, "score"]) else -1)))
            keep = order[0]
            for i in order[1:]:
                code = df.at[i, "province_code"]
                taken = set(g["rank"].dropna().astype(int))
                alts = ev[(ev["index"] == index) & (ev.year == year) & (ev.province_code == code) & ev["rank"].notna()]
                alt = next((a for a in alts.itertuples() if int(a.rank) not in taken
                            and _violations(g, code, int(a.rank), df.at[i, "score"]) == 0), None)
                why = (f"rank {rank} also given to {df.at[keep, 'province_name']} by its source; "
                       + (f"kept {int(alt.rank)} from {alt.publisher}" if alt is not None else "rank not kept"))
                df.at[i, "note"] = " | ".join(x for x in (df.at[i, "note"], why) if isinstance(x, str))
                if alt is not None:
                    df.at[i, "rank"] = int(alt.rank)
                    df.at[i, "rank_provenance"] = "published" if alt.how == "read" else "derived"
                    df.at[i, "rank_source_key"] = alt.source_key
                else:
                    df.at[i, "rank"] = pd.NA
                    df.at[i, "rank_provenance"] = None
                    df.at[i, "rank_source_key"] = None
    return df


def check(chosen: pd.DataFrame) -> list[str]:
    """What must hold of the chosen record: ranks unique within an index-year and within 1..N, values in range."""
    problems = []
    prov = chosen[chosen.province_code.notna()]
    for (index, year), g in prov.groupby(["index_name", "year"]):
        n = provinces_in(year)
        r = g["rank"].dropna()
        if ((r < 1) | (r > n)).any():
            problems.append(f"{index} {year}: rank outside 1..{n}")
        dup = r[r.duplicated(keep=False)]
        if len(dup):
            names = ", ".join(f"{p} ({k})" for p, k in zip(g.loc[dup.index, "province_name"], dup))
            problems.append(f"{index} {year}: the same rank twice: {names}")
        s = g.score.dropna()
        if ((s < 0) | (s > 100)).any():
            problems.append(f"{index} {year}: score outside 0..100")
    return problems


def sources(ev: pd.DataFrame) -> pd.DataFrame:
    """One source row per page: its publisher and date as the title (what a tooltip shows), the link."""
    rows = []
    for key, g in ev[ev.url != ""].groupby("source_key", sort=True):
        r = g.sort_values("published_on").iloc[0]
        rows.append(dict(source_key=key, title=f"{r.publisher}, {_date(r.published_on)}",
                         citation=f"{r.publisher}, {_date(r.published_on)}", url=r.url,
                         licence="số liệu trích dẫn từ văn bản công khai", note=f"press_figures.csv; date from {r.date_basis}"))
    return pd.DataFrame(rows)


def _date(iso: str) -> str:
    """2020-05-19 -> 19/05/2020; 2020-05 -> 05/2020; 2020 -> 2020 (as precise as the source allows)."""
    return "/".join(reversed(iso.split("-")))


def facts() -> pd.DataFrame:
    """The chosen record in the shape the demo's generator reads: value, rank, a published group as 'ranks a-b',
    approximate values, and the national mean (province_code missing)."""
    c = choose(read_evidence())
    rows = []
    for r in c.itertuples():
        rank_note = (_group_ranks(r.group, provinces_in(r.year)) if pd.isna(r.rank) and isinstance(r.group, str)
                     else None)
        rows.append(dict(index_name=r.index_name, year=r.year, province_code=r.province_code,
                         province_name_vi=r.province_name, value=r.score if r.score is not None else math.nan,
                         rank=r.rank, rank_note=rank_note, source_key=r.source_key, note=r.note,
                         value_provenance=r.score_provenance, rank_provenance=r.rank_provenance,
                         approx=r.approx_score if r.approx_score is not None and not pd.isna(r.approx_score) else None))
    df = pd.DataFrame(rows)
    df["rank"] = df["rank"].astype("Int64")
    df["value"] = df.value.astype("float64")
    return df


def _group_ranks(group: str, n: int) -> str | None:
    """'top 5' -> 'ranks 1-5'; 'bottom 3' -> 'ranks 61-63'; 'outside top 30' -> 'ranks 31-63'; else None."""
    import re
    g = group.lower()
    if m := re.search(r"outside top (\d+)", g):
        return f"ranks {int(m.group(1)) + 1}-{n}"
    if m := re.search(r"ranks (\d+)\s*[–-]\s*(\d+)", g):
        return f"ranks {m.group(1)}-{m.group(2)}"
    if m := re.search(r"\btop (\d+)", g):
        return f"ranks 1-{m.group(1)}"
    if m := re.search(r"\bbottom (\d+)", g):
        return f"ranks {n - int(m.group(1)) + 1}-{n}"
    return None


def pci_total(year: int) -> pd.DataFrame:
    """The PCI measure of a year known from the press: the weighted total only (as the VCCI tables print it)."""
    return pd.DataFrame([dict(index_name="PCI", year=year, measure_code="total", parent_code=None, depth="total",
                              name_vi="Chỉ số PCI (có trọng số)", name_en="PCI (weighted)", max_score=100.0,
                              scale="0-100", sort_order=0, note=None)])


def press_batch(measures_for, indices: tuple[str, ...] = INDICES) -> Batch:
    """PAR INDEX, SIPAS and PCI as the press states them: only the province-years a source gives (a score, a rank or
    both), each with its source; published national averages. Nothing is filled in (the demo does that)."""
    c = choose(read_evidence())
    c = c[c.index_name.isin(indices)]
    b = Batch("press")
    prov = c[c.province_code.notna() & (c.score.notna() | c["rank"].notna())]
    rows = [dict(index_name=r.index_name, year=r.year, province_code=r.province_code, measure_code="total",
                 score=r.score, rank=r.rank, ci_low=None, ci_high=None, std_error=None,
                 provenance=r.score_provenance if isinstance(r.score_provenance, str) else r.rank_provenance,
                 rank_provenance=r.rank_provenance if isinstance(r.rank_provenance, str) else None,
                 source_key=r.source_key, note=r.note) for r in prov.itertuples()]
    df = pd.DataFrame(rows)
    df["rank"] = df["rank"].astype("Int64")
    df["score"] = df.score.astype("float64")
    b.add("province_score", df)
    for index, year in sorted(set(zip(df.index_name, df.year))):
        b.add("measure", measures_for(index, year) if index != "PCI" else pci_total(year))
    nat = c[c.province_code.isna() & c.score.notna()]
    b.add("national_stat", pd.DataFrame([dict(index_name=r.index_name, year=r.year, measure_code="total", stat="mean",
                                              value=r.score, provenance=r.score_provenance, source_key=r.source_key,
                                              note=r.note) for r in nat.itertuples()]))
    return b
