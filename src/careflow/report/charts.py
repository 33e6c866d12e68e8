"""Charts as inline SVG (matplotlib), so reports open offline with no scripts, fonts or CDNs."""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from careflow.report.svg import with_text_alternative

PALETTE = ["#1f5f8b", "#e07b39", "#4a9d5b", "#b8434a", "#7a5ea8", "#8c6d46", "#c9a227", "#5b8fa8"]
# The SVG writer reads these two at save time from matplotlib's settings only; they are constants for the whole
# process (never changed per chart), so concurrent renders see the same values. Everything else is per figure.
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, and no embedded font files
matplotlib.rcParams["svg.hashsalt"] = "careflow"  # stable element ids, so the same inputs give the same file


def wrap(label: str, width: int = 28) -> str:
    """Break a long category label over lines so the bars keep most of the chart's width."""
    return textwrap.fill(label, width)


def figure(width: float = 8.0, height: float = 4.0) -> tuple[Figure, Axes]:
    """A figure of its own (matplotlib's object API: no shared current figure), styled for reports."""
    fig = Figure(figsize=(width, height), dpi=96)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def to_svg(fig: Figure, alt: str = "") -> str:
    """Render a figure as an SVG fragment for inlining in HTML (the figure is garbage once unreferenced);
    `alt` is its text alternative."""
    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    if alt:
        svg = with_text_alternative(svg, alt)
    return re.sub(
        r'width="[\d.]+pt" height="[\d.]+pt"', 'width="100%" preserveAspectRatio="xMinYMin meet"', svg, count=1
    )


def describe(labels: Sequence[str], values: Sequence[float], value_format: str = "{:,.1f}") -> str:
    """The figures a bar chart shows, as text: 'A: 1.0; B: 2.0'."""
    return "; ".join(f"{label}: {value_format.format(v)}" for label, v in zip(labels, values, strict=True))


def to_png(fig: Figure, dpi: int = 200) -> bytes:
    """Render a figure as PNG bytes (for Word, which cannot show SVG everywhere)."""
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def bar_with_range(
    labels: Sequence[str],
    central: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    xlabel: str,
    title: str = "",
) -> str:
    """Horizontal bars (central) with whiskers (low–high), largest at the top."""
    fig, ax = figure(8.0, 0.7 * len(labels) + 1.2)
    y = list(range(len(labels)))[::-1]
    err = [
        [max(c - lo, 0) for c, lo in zip(central, low, strict=True)],
        [max(h - c, 0) for c, h in zip(central, high, strict=True)],
    ]
    ax.barh(y, central, color=PALETTE[0], xerr=err, ecolor="#333333", capsize=4)
    ax.set_yticks(y, [wrap(label) for label in labels])
    ax.set_xlabel(wrap(xlabel, 70))
    for yi, value in zip(y, central, strict=True):
        ax.text(value, yi + 0.3, f" {value:,.1f}", va="center", fontsize=8, color="#333333")
    if title:
        ax.set_title(title, loc="left")
    ranges = [f"{c:,.1f} (range {lo:,.1f}–{h:,.1f})" for c, lo, h in zip(central, low, high, strict=True)]
    return to_svg(fig, f"{title or xlabel}. " + "; ".join(f"{a}: {b}" for a, b in zip(labels, ranges, strict=True)))


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    xlabel: str,
    title: str = "",
    colors: Sequence[str] | None = None,
    value_format: str = "{:,.1f}",
) -> str:
    """Horizontal bars, one per label, with the value printed at the end of each bar."""
    fig, ax = figure(8.0, 0.6 * len(labels) + 1.2)
    y = list(range(len(labels)))[::-1]
    ax.barh(y, values, color=list(colors) if colors else PALETTE[0])
    ax.set_yticks(y, [wrap(label) for label in labels])
    ax.set_xlabel(wrap(xlabel, 70))
    ax.axvline(0, color="#555555", linewidth=0.8)
    for yi, value in zip(y, values, strict=True):
        ax.text(value, yi, " " + value_format.format(value), va="center", fontsize=8)
    if title:
        ax.set_title(title, loc="left")
    return to_svg(fig, f"{title or xlabel}. {describe(labels, values, value_format)}")
