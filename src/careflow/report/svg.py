"""Small line, band and bar charts written straight to SVG from the numbers, for pages that must answer at once.

matplotlib takes about a tenth of a second per chart and more to import; a projection (its report, the web
app's what-if) draws four charts, so it builds them here with f-strings instead. Text stays text (searchable,
no fonts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

PALETTE = ["#1f5f8b", "#e07b39", "#4a9d5b", "#b8434a", "#7a5ea8", "#8c6d46", "#c9a227", "#5b8fa8"]
RIGHT, TOP = 12, 12  # margins in px; the left and bottom ones grow with the labels they hold
LEGEND_ROW = 16  # px per row of the legend, which sits above the plot so it never hides a mark


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 × a power of ten."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


@dataclass
class Chart:
    """A chart over categories on the x axis (years, steps); add bands, lines and bars, then `svg()`."""

    categories: Sequence[str]
    y_label: str
    width: int = 640
    height: int = 320
    title: str = ""
    y_min: float | None = None  # where the value axis starts, if not at the lowest mark (bars are cut there)
    _marks: list[tuple[str, dict]] = field(default_factory=list)
    _legend: list[tuple[str, str, str]] = field(default_factory=list)  # (label, colour, dash or "box")

    def band(self, low: Sequence[float], high: Sequence[float], colour: str) -> Chart:
        self._marks.append(("band", {"low": list(low), "high": list(high), "colour": colour}))
        return self

    def line(self, values: Sequence[float], colour: str, label: str = "", dash: str = "") -> Chart:
        self._marks.append(("line", {"values": list(values), "colour": colour, "dash": dash}))
        if label:
            self._legend.append((label, colour, dash))
        return self

    def bars(
        self,
        tops: Sequence[float],
        bottoms: Sequence[float],
        colours: Sequence[str],
        labels: bool = True,
        legend: str = "",
    ) -> Chart:
        """One bar a category from `bottoms` to `tops` (stack by calling again); `labels` prints each bar's size."""
        self._marks.append(
            ("bars", {"tops": list(tops), "bottoms": list(bottoms), "colours": list(colours), "labels": labels})
        )
        if legend:
            self._legend.append((legend, colours[0], "box"))
        return self

    def zero_line(self) -> Chart:
        self._marks.append(("zero", {}))
        return self

    def _range(self) -> tuple[float, float]:
        values: list[float] = []
        for kind, mark in self._marks:
            if kind == "band":
                values += mark["low"] + mark["high"]
            elif kind == "line":
                values += mark["values"]
            elif kind == "bars":
                values += mark["tops"] + mark["bottoms"]
            elif kind == "zero":
                values.append(0.0)
        finite = [v for v in values if math.isfinite(v)]
        low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
        return (low if self.y_min is None else self.y_min), high

    def _legend_rows(self, left: int) -> list[list[tuple[float, str, str, str]]]:
        """The legend laid out in rows across the plot's width: (x, label, colour, style) per entry."""
        rows: list[list[tuple[float, str, str, str]]] = []
        x = float(left)
        for label, colour, style in self._legend:
            width = 34 + 6.2 * len(label)  # swatch, gap, and about 6.2 px a character at 10 px
            if not rows or (rows[-1] and x + width > self.width - RIGHT):
                rows.append([])
                x = float(left)
            rows[-1].append((x, label, colour, style))
            x += width
        return rows

    def svg(self) -> str:
        low, high = self._range()
        ticks = nice_ticks(low, high)
        y0, y1 = ticks[0], ticks[-1]
        labels = [c.split("\n") for c in self.categories]  # a category may break over lines
        n = max(len(self.categories), 1)
        # Slanted x labels reach down and to the left by about 4.6 px a character: the left margin makes room for
        # whichever label reaches furthest left of its slot, the bottom one for the longest line and extra lines.
        reach = [4.6 * max(len(line) for line in lines) for lines in labels]
        slot_guess = (self.width - 64 - RIGHT) / n
        left = int(max([64.0] + [r - slot_guess * (i + 0.5) + 8 for i, r in enumerate(reach)]))
        extra_lines = max((len(lines) - 1 for lines in labels), default=0)
        bottom = max(48, 16 + int(max(reach, default=0)) + 12 * extra_lines)
        legend = self._legend_rows(left)
        plot_top = TOP + LEGEND_ROW * len(legend)
        height = self.height + max(bottom - 64, 0) + LEGEND_ROW * len(legend)
        plot_w, plot_h = self.width - left - RIGHT, height - plot_top - bottom
        slot = plot_w / n

        def x(i: float) -> float:
            return left + slot * (i + 0.5)

        def y(v: float) -> float:
            return plot_top + plot_h * (1 - (v - y0) / ((y1 - y0) or 1.0))

        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" role="img" font-family="DejaVu Sans, sans-serif" font-size="11">'
        ]
        if self.title:
            parts.append(f"<title>{escape(self.title)}</title>")
        for t in ticks:
            parts.append(
                f'<line x1="{left}" x2="{left + plot_w}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e4e4e4"/>'
                f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t:,.6g}</text>'
            )
        for kind, mark in self._marks:
            if kind == "band":
                upper = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(mark["high"]))
                lower = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(mark["low"]))))
                parts.append(f'<polygon points="{upper} {lower}" fill="{mark["colour"]}" fill-opacity="0.25"/>')
            elif kind == "line":
                points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(mark["values"]))
                dash = f' stroke-dasharray="{mark["dash"]}"' if mark["dash"] else ""
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{mark["colour"]}" stroke-width="2"{dash}/>'
                )
            elif kind == "bars":
                for i, (top, bottom, colour) in enumerate(
                    zip(mark["tops"], mark["bottoms"], mark["colours"], strict=True)
                ):
                    if max(top, bottom) <= y0:
                        continue
                    upper, lower = max(top, bottom), max(min(top, bottom), y0)
                    parts.append(
                        f'<rect x="{x(i) - slot * 0.35:.1f}" y="{y(upper):.1f}" width="{slot * 0.7:.1f}" '
                        f'height="{max(y(lower) - y(upper), 0.5):.1f}" fill="{colour}"/>'
                    )
                    if mark["labels"]:
                        parts.append(
                            f'<text x="{x(i):.1f}" y="{y(upper) - 3:.1f}" text-anchor="middle" font-size="9">'
                            f"{top - bottom:,.1f}</text>"
                        )
            elif kind == "zero" and y0 <= 0 <= y1:
                parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#333"/>')
        base = plot_top + plot_h
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{base}" y2="{base}" stroke="#333"/>')
        for i, lines in enumerate(labels):
            # Lines stack about the tick, so a broken label stays as clear of its neighbours as a whole one.
            first = -0.575 * (len(lines) - 1)
            text = "".join(
                f'<tspan x="0" dy="{first if k == 0 else 1.15:g}em">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
            parts.append(
                f'<text transform="translate({x(i):.1f},{base + 12}) rotate(-40)" text-anchor="end" font-size="10">'
                f"{text}</text>"
            )
        parts.append(
            f'<text transform="translate(14,{plot_top + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle">'
            f"{escape(self.y_label)}</text>"
        )
        for k, row in enumerate(legend):
            ly = TOP + LEGEND_ROW * k + 4
            for lx, label, colour, style in row:
                if style == "box":
                    swatch = f'<rect x="{lx:.1f}" y="{ly - 5}" width="20" height="10" fill="{colour}"/>'
                else:
                    dash = f' stroke-dasharray="{style}"' if style else ""
                    swatch = (
                        f'<line x1="{lx:.1f}" x2="{lx + 20:.1f}" y1="{ly}" y2="{ly}" stroke="{colour}" '
                        f'stroke-width="2"{dash}/>'
                    )
                parts.append(swatch + f'<text x="{lx + 24:.1f}" y="{ly + 4}" font-size="10">{escape(label)}</text>')
        parts.append("</svg>")
        return "".join(parts)


def with_text_alternative(svg: str, alt: str) -> str:
    """Mark an inline SVG as an image with a text alternative a screen reader announces (once only)."""
    opening = svg[: svg.index(">")]
    if "aria-label=" in opening:
        return svg
    attributes = f'aria-label="{escape(alt, quote=True)}"'
    if 'role="img"' not in opening:
        attributes = 'role="img" ' + attributes
    return svg.replace("<svg", f"<svg {attributes}", 1)
