"""Chart pictures (PNG) for the Word report, drawn with matplotlib: a Word file cannot hold an editable chart the
way a PowerPoint pack can, and matplotlib draws one in tens of milliseconds without a browser (plotly's image export
needs Chromium through kaleido, ~0.6-2.5 s a picture). Okabe-Ito colours, values printed as in the tables (85,63)."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ui.i18n import num as _num  # noqa: E402

HOME, OTHER, BAD = "#0072B2", "#999999", "#D55E00"
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
                     "axes.spines.right": False})
MAX_BARS = 30


def num(x, decimals: int = 2) -> str:
    return _num(x, decimals, "vi")


def _short(s: str, n: int = 42) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    return buf.getvalue()


def _hbar(labels, values, texts, color, xlabel: str, xmax=None):
    h = 0.9 + 0.32 * len(labels)
    fig, ax = plt.subplots(figsize=(6.3, h))
    y = range(len(labels))[::-1]
    ax.barh(list(y), values, color=color)
    ax.set_yticks(list(y), [_short(x) for x in labels])
    for yy, v, tx in zip(y, values, texts):
        ax.text(v, yy, f" {tx}", va="center", fontsize=8)
    top = xmax or (max(values) * 1.45 if len(values) and max(values) > 0 else 1)
    ax.set_xlim(0, top)
    ax.set_xlabel(xlabel)
    return fig


def position_chart(pos) -> bytes:
    pct = [100 * s / m for s, m in zip(pos.score, pos.max_score)]
    texts = [num(s) if r is None or r != r else f"{num(s)} · hạng {int(r)}/{int(n)}"
             for s, r, n in zip(pos.score, pos["rank"], pos.n)]
    return _png(_hbar(list(pos.index_name), pct, texts, HOME, "Điểm (% điểm tối đa)", xmax=125))


def domain_chart(dom, province: str) -> bytes:
    fig, ax = plt.subplots(figsize=(6.3, 0.9 + 0.5 * len(dom)))
    y = list(range(len(dom)))[::-1]
    ax.barh([v + 0.2 for v in y], dom.pct, height=0.38, color=HOME, label=province)
    ax.barh([v - 0.2 for v in y], dom.median_pct, height=0.38, color=OTHER, label="Trung vị cả nước")
    ax.set_yticks(y, [_short(f"{c}. {n}", 38) for c, n in zip(dom.measure_code, dom.measure_name)])
    for v, p in zip(y, dom.pct):
        ax.text(p, v + 0.2, f" {num(p, 1)}", va="center", fontsize=7)
    ax.set_xlim(0, 115)
    ax.set_xlabel("% điểm tối đa của lĩnh vực")
    ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.5 / len(dom) - 0.12), ncol=2, fontsize=8, frameon=False)
    return _png(fig)


def weakest_chart(wk) -> bytes:
    return _png(_hbar([f"{c}. {n}" for c, n in zip(wk.item_code, wk.item_name)], list(wk.recoverable),
                      [f"{num(v)} · {int(k)} đơn vị" for v, k in zip(wk.recoverable, wk.n_units_losing)], BAD,
                      "Điểm bị mất (cộng mọi đơn vị)"))


def ranking_chart(rk) -> bytes:
    d = rk.head(MAX_BARS)
    return _png(_hbar(list(d.unit_name), list(d.score_pct), [num(v) for v in d.score_pct], HOME,
                      "Chỉ số (% điểm tối đa)", xmax=110))


def cuts_chart(cuts) -> bytes:
    return _png(_hbar(list(cuts.unit_name), list(cuts.cut), [num(v) for v in cuts.cut], BAD,
                      "Điểm bị trừ khi thẩm định"))
