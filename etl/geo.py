"""Province boundaries for the maps: data/geo/*.geojson (sources in data/raw/published/SOURCES.md) ->
static/geo/{p63,p34}.geojson, with the province code as the feature id and coordinates rounded to 3
decimals (~100 m; half the size). `python -m etl geo` rewrites them; a test checks they are current."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"p63": ROOT / "data" / "geo" / "vietnam_provinces_63.geojson",
           "p34": ROOT / "data" / "geo" / "vietnam_provinces_34_2025.geojson"}
STATIC = ROOT / "static" / "geo"


def _round(c):
    return [_round(x) for x in c] if isinstance(c, list) and c and isinstance(c[0], list) else [round(v, 3) for v in c]


def _area(ring) -> float:
    """Signed planar area (shoelace) of a lon/lat ring: > 0 counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def _d3_winding(geometry: dict) -> list:
    """Plotly draws geo shapes with d3, which reads rings spherically: an exterior ring must run clockwise
    (holes counter-clockwise), the opposite of RFC 7946. A counter-clockwise exterior would fill the whole
    globe except the province."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    fixed = []
    for poly in polys:
        rings = []
        for i, ring in enumerate(poly):
            ccw = _area(ring) > 0
            rings.append(ring[::-1] if (ccw if i == 0 else not ccw) else ring)
        fixed.append(rings)
    return fixed if geometry["type"] == "MultiPolygon" else fixed[0]


def for_map(scheme: str) -> dict:
    g = json.loads(SOURCES[scheme].read_text(encoding="utf-8"))
    feats = []
    for f in g["features"]:
        p = f["properties"]
        feats.append({"type": "Feature", "id": p.get("province_code") or p.get("code"), "properties": {},
                      "geometry": {"type": f["geometry"]["type"],
                                   "coordinates": _round(_d3_winding(f["geometry"]))}})
    return {"type": "FeatureCollection", "features": feats}


def text(scheme: str) -> str:
    return json.dumps(for_map(scheme), separators=(",", ":"))


def write_static() -> list[Path]:
    STATIC.mkdir(parents=True, exist_ok=True)
    out = []
    for scheme in SOURCES:
        p = STATIC / f"{scheme}.geojson"
        p.write_text(text(scheme), encoding="utf-8")
        out.append(p)
    return out
