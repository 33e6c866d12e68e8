"""Charts drawn straight to SVG: well-formed files, marks inside the plot, labels whole, one text alternative."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from careflow.report.html import chart
from careflow.report.svg import LEGEND_ROW, TOP, Chart, with_text_alternative

SVG = "{http://www.w3.org/2000/svg}"


def _ys(root: ET.Element, tag: str) -> list[float]:
    """Every y coordinate of the polylines or polygons in a chart."""
    found = []
    for element in root.iter(SVG + tag):
        found += [float(point.split(",")[1]) for point in element.get("points", "").split()]
    return found


def test_a_legend_of_many_entries_sits_above_the_plot_and_never_over_a_mark() -> None:
    years = [f"20{y}/{y + 1}" for y in range(20, 30)]
    plot = Chart(years, "£m a year", width=640)
    for k in range(7):
        plot.line([100.0 + k] * len(years), "#000000", f"a long legend entry number {k}")
    svg = plot.svg()
    root = ET.fromstring(svg)
    labels = [t for t in root.iter(SVG + "text") if (t.text or "").startswith("a long legend entry")]
    rows = {t.get("y") for t in labels}
    assert len(labels) == 7 and len(rows) > 1, "seven entries do not fit on one row of 640 px"
    legend_bottom = TOP + LEGEND_ROW * len(rows)
    assert min(_ys(root, "polyline")) >= legend_bottom


def test_bars_below_the_axis_start_are_cut_at_the_axis() -> None:
    plot = Chart(["start", "change", "end"], "£m", y_min=200.0)
    svg = plot.bars([250.0, 270.0, 300.0], [0.0, 250.0, 0.0], ["#111111"] * 3).svg()
    root = ET.fromstring(svg)
    axis = max(float(line.get("y1", 0)) for line in root.iter(SVG + "line") if line.get("stroke") == "#333")
    for rect in root.iter(SVG + "rect"):
        assert float(rect.get("y", 0)) + float(rect.get("height", 0)) <= axis + 0.1
    assert re.findall(r">(-?[\d.]+)</text>", svg)[-3:] == ["250.0", "20.0", "300.0"], "labels give each bar's size"


def test_a_broken_category_keeps_every_line_and_reserves_room_for_it() -> None:
    one = Chart(["short", "a label\nbroken over\nthree lines"], "people").line([1.0, 2.0], "#000000").svg()
    text = "".join(ET.fromstring(one).itertext())
    assert "a label" in text and "broken over" in text and "three lines" in text
    whole = Chart(["short", "a label"], "people").line([1.0, 2.0], "#000000").svg()
    assert _height(one) > _height(whole)


def _height(svg: str) -> float:
    return float(ET.fromstring(svg).get("viewBox", "0 0 0 0").split()[3])


def test_a_chart_in_a_page_has_one_role_and_its_text_alternative() -> None:
    svg = Chart(["a", "b"], "£m", title="Net spend").line([1.0, 2.0], "#000000").svg()
    figure = chart(svg, "Net spend a year by scenario")
    inline = figure[figure.index("<svg") : figure.index("</svg>") + 6]
    root = ET.fromstring(inline)  # a repeated attribute would not parse
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Net spend a year by scenario"
    assert with_text_alternative(inline, "another") == inline, "a chart keeps the first text alternative it was given"
