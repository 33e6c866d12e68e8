"""The national atlas: every council's opportunity on one offline page — map, distribution and sortable table.

The map is drawn from ONS's Counties and Unitary Authorities boundaries (GeoJSON in British National Grid
metres, EPSG:27700). BNG is already a flat projection, so eastings and northings map linearly to the SVG
view box; only the y axis flips (northings grow upwards, SVG y downwards). No tiles, no network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from markupsafe import Markup, escape

from careflow.errors import InputError, Problem
from careflow.opportunity.parameters import LEVERS

VIEW_WIDTH = 560.0
# Councils of 2021-22 whose areas ONS's December 2023 boundaries show as their successors.
SUCCESSORS = {
    "E10000006": ("E06000063", "E06000064"),  # Cumbria → Cumberland; Westmorland and Furness
    "E10000023": ("E06000065",),  # North Yorkshire (county) → North Yorkshire (unitary)
    "E10000027": ("E06000066",),  # Somerset (county) → Somerset (unitary)
}
PALETTE = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")  # ColorBrewer PuBu, colour-blind safe
NO_DATA = "#d9d9d9"


@dataclass
class AtlasRow:
    code: str
    name: str
    net_gbp: float
    levers: dict[str, float]
    total_gbp: float
    pct: float
    flags: int


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def read_boundaries(path: Path) -> dict[str, tuple[str, list[list[list[float]]]]]:
    """English areas of the ONS boundaries file: code → (name, rings of [easting, northing])."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        features = document["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(
            [Problem(str(path), f"not a GeoJSON feature collection ({error})", "ONS CTYUA boundaries (GeoJSON)")]
        ) from None
    out = {}
    for feature in features:
        props = feature.get("properties") or {}
        code = next((str(v) for k, v in props.items() if k.upper().endswith("CD") and v), "")
        name = next((str(v) for k, v in props.items() if k.upper().endswith("NM") and v), code)
        if code.startswith("E") and feature.get("geometry"):
            out[code] = (name, _rings(feature["geometry"]))
    if not out:
        raise InputError([Problem(str(path), "no English areas", "features with CTYUA..CD codes starting E")])
    return out


def classes(values: list[float]) -> list[float]:
    """Upper bounds of five quantile classes."""
    return [float(x) for x in np.quantile(values, [0.2, 0.4, 0.6, 0.8, 1.0])] if values else []


def colour(value: float | None, bounds: list[float]) -> str:
    if value is None:
        return NO_DATA
    for bound, fill in zip(bounds, PALETTE, strict=False):
        if value <= bound:
            return fill
    return PALETTE[-1]


def map_svg(boundaries: dict[str, tuple[str, list[list[list[float]]]]], rows: list[AtlasRow]) -> Markup:
    """A choropleth of opportunity as % of net spend; each area has a title (its name and value)."""
    by_code: dict[str, AtlasRow] = {r.code: r for r in rows}
    for old, new_codes in SUCCESSORS.items():
        if old in by_code:
            for code in new_codes:
                by_code.setdefault(code, by_code[old])
    points = np.array([pt[:2] for _, rings in boundaries.values() for ring in rings for pt in ring])
    (min_x, min_y), (max_x, max_y) = points.min(axis=0), points.max(axis=0)
    scale = VIEW_WIDTH / (max_x - min_x)
    height = (max_y - min_y) * scale
    bounds = classes([r.pct for r in rows])
    parts = []
    for code, (name, rings) in sorted(boundaries.items()):
        row = by_code.get(code)
        d = " ".join(
            "M" + " L".join(f"{(x - min_x) * scale:.1f},{(max_y - y) * scale:.1f}" for x, y, *_ in ring) + " Z"
            for ring in rings
        )
        shown = (
            f"{row.name}: {row.pct * 100:.1f}% of net spend (£{row.total_gbp / 1e6:,.1f}m)"
            + (f" — shown for {name}, its successor area" if row.code != code else "")
            if row
            else f"{name}: no data (no return, or not a council in these tables)"
        )
        parts.append(
            f'<path d="{d}" fill="{colour(row.pct if row else None, bounds)}" stroke="#555" stroke-width="0.3">'
            f"<title>{escape(shown)}</title></path>"
        )
    legend = []
    low = min((r.pct for r in rows), default=0.0)
    for i, (bound, fill) in enumerate(zip(bounds, PALETTE, strict=False)):
        y = 20 + i * 18
        legend.append(
            f'<rect x="10" y="{y}" width="14" height="14" fill="{fill}" stroke="#555" stroke-width="0.3"/>'
            f'<text x="30" y="{y + 11}" font-size="11">{low * 100:.1f}–{bound * 100:.1f}%</text>'
        )
        low = bound
    legend.append(
        f'<rect x="10" y="{20 + 5 * 18}" width="14" height="14" fill="{NO_DATA}"/>'
        f'<text x="30" y="{31 + 5 * 18}" font-size="11">no data</text>'
    )
    return Markup(
        f'<svg viewBox="0 0 {VIEW_WIDTH:.0f} {height:.0f}" width="100%" role="img" '
        'aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="map-title">Opportunity as a share of net spend, by council</title>'
        '<desc id="map-desc">Choropleth map of England by county and unitary authority, five classes of equal '
        "numbers of councils; the table below gives every value.</desc>"
        + "".join(parts)
        + '<g aria-hidden="true">'
        + "".join(legend)
        + "</g></svg>"
    )


def histogram_svg(values: list[float]) -> Markup:
    """Bars of how many councils have each opportunity share (one percentage point per bar)."""
    if not values:
        return Markup("")
    pct = np.array(values) * 100
    edges = np.arange(np.floor(pct.min()), np.ceil(pct.max()) + 1.0, 1.0)
    if len(edges) < 2:
        edges = np.array([edges[0], edges[0] + 1])
    counts, _ = np.histogram(pct, bins=edges)
    width, height, pad = 560.0, 180.0, 30.0
    bar = (width - 2 * pad) / len(counts)
    top = counts.max() or 1
    bars = []
    for i, n in enumerate(counts):
        h = (height - 2 * pad) * n / top
        x = pad + i * bar
        bars.append(
            f'<rect x="{x:.1f}" y="{height - pad - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" fill="#2b8cbe">'
            f"<title>{n} councils at {edges[i]:.0f}–{edges[i + 1]:.0f}%</title></rect>"
        )
        if i % max(1, len(counts) // 10) == 0:
            bars.append(f'<text x="{x:.1f}" y="{height - 12:.1f}" font-size="10">{edges[i]:.0f}%</text>')
    q1, median, q3 = np.percentile(pct, [25, 50, 75])
    return Markup(
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="100%" role="img" aria-labelledby="dist-title" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="dist-title">Distribution of opportunity as % of net spend: median {median:.1f}%, '
        f"interquartile range {q1:.1f}–{q3:.1f}%, {len(values)} councils</title>" + "".join(bars) + "</svg>"
    )


def atlas_rows(lines: list[Any]) -> list[AtlasRow]:
    rows = [
        AtlasRow(
            line.item.code,
            line.item.name,
            line.item.baseline.net_spend(),
            line.levers,
            line.total,
            line.share,
            len(line.review.flags),
        )
        for line in lines
        if not line.item.code.startswith("E92")
    ]
    return sorted(rows, key=lambda r: -r.pct)


TABLE_COLUMNS = (
    "ons_code",
    "council",
    "net_spend_gbp",
    *(f"{lever.id}_gbp" for lever in LEVERS),
    *(f"{lever.id}_pct_of_net" for lever in LEVERS),
    "total_gbp",
    "total_pct_of_net",
    "plausibility_flags",
)


def table_values(rows: list[AtlasRow]) -> list[list[Any]]:
    return [
        [
            r.code,
            r.name,
            round(r.net_gbp, 2),
            *(round(r.levers.get(lever.id, 0.0), 2) for lever in LEVERS),
            *(round(r.levers.get(lever.id, 0.0) / r.net_gbp * 100, 3) if r.net_gbp else None for lever in LEVERS),
            round(r.total_gbp, 2),
            round(r.pct * 100, 3),
            r.flags,
        ]
        for r in rows
    ]


def render_atlas(result: Any, lines: list[Any], boundaries: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    rows = atlas_rows(lines)
    env = Environment(loader=PackageLoader("careflow.imports", "templates"), autoescape=select_autoescape(["html"]))
    mapped = {r.code for r in rows} | {
        c for old in SUCCESSORS if old in {r.code for r in rows} for c in SUCCESSORS[old]
    }
    return env.get_template("atlas.html").render(
        pub=result.publication,
        result=result,
        rows=rows,
        levers=LEVERS,
        map_svg=map_svg(boundaries, rows),
        histogram=histogram_svg([r.pct for r in rows]),
        unmapped=sorted(name for code, (name, _) in boundaries.items() if code not in mapped),
        top=rows[:5],
        bottom=rows[-5:],
    )
