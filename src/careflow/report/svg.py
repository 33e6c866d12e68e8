"""Small line, band and bar charts written straight to SVG from the numbers, for pages that must answer at once.

matplotlib takes about a tenth of a second per chart and more to import; the interactive what-if draws four
charts per request, so it builds them here with f-strings instead. Text stays text (searchable, no fonts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

PALETTE = ["#1f5f8b", "#e07b39", "#4a9d5b", "#b8434a", "#7a5ea8", "#8c6d46", "#c9a227", "#5b8fa8"]
RIGHT, TOP = 12, 12  # margins in px; the left and bottom ones grow with the labels they hold


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
    _marks: list[tuple[str, dict]] = field(default_factory=list)
    _legend: list[tuple[str, str, str]] = field(default_factory=list)  # (label, colour, style)

    def band(self, low: Sequence[float], high: Sequence[float], colour: str) -> Chart:
        self._marks.append(("band", {"low": list(low), "high": list(high), "colour": colour}))
        return self

    def line(self, values: Sequence[float], colour: str, label: str = "", dash: str = "") -> Chart:
        self._marks.append(("line", {"values": list(values), "colour": colour, "dash": dash}))
        if label:
            self._legend.append((label, colour, dash))
        return self

    def bars(
        self, tops: Sequence[float], bottoms: Sequence[float], colours: Sequence[str], labels: bool = True
    ) -> Chart:
        self._marks.append(
            ("bars", {"tops": list(tops), "bottoms": list(bottoms), "colours": list(colours), "labels": labels})
        )
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
        return (min(finite), max(finite)) if finite else (0.0, 1.0)

    def svg(self) -> str:
        low, high = self._range()
        ticks = nice_ticks(low, high)
        y0, y1 = ticks[0], ticks[-1]
        longest = max((len(c) for c in self.categories), default=0)
        # Slanted x labels reach down and to the left by about 4.5 px a character.
        left = max(64, int(4.5 * len(self.categories[0])) if self.categories else 0)
        bottom = max(48, 16 + int(4.5 * longest))
        height = self.height + max(bottom - 64, 0)
        plot_w, plot_h = self.width - left - RIGHT, height - TOP - bottom
        n = max(len(self.categories), 1)
        slot = plot_w / n

        def x(i: float) -> float:
            return left + slot * (i + 0.5)

        def y(v: float) -> float:
            return TOP + plot_h * (1 - (v - y0) / ((y1 - y0) or 1.0))

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
                    upper, lower = max(top, bottom), min(top, bottom)
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
        base = TOP + plot_h
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{base}" y2="{base}" stroke="#333"/>')
        for i, label in enumerate(self.categories):
            parts.append(
                f'<text transform="translate({x(i):.1f},{base + 12}) rotate(-40)" text-anchor="end" font-size="10">'
                f"{escape(label)}</text>"
            )
        parts.append(
            f'<text transform="translate(14,{TOP + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle">'
            f"{escape(self.y_label)}</text>"
        )
        for k, (label, colour, dash) in enumerate(self._legend):
            ly = TOP + 8 + 14 * k
            style = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{left + 8}" x2="{left + 28}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"{style}/>'
                f'<text x="{left + 32}" y="{ly + 4}" font-size="10">{escape(label)}</text>'
            )
        parts.append("</svg>")
        return "".join(parts)
