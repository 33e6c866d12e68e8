"""The backtest as a self-contained HTML page (scores, calibration plot, error spread, each council) and JSON."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from careflow.report.charts import PALETTE, to_svg
from careflow.report.html import Section, chart, paragraphs, render_page, table
from careflow.simulate.backtest import Backtest, PairResult

NOMINAL = np.linspace(0.1, 0.9, 9)  # central bands P45–P55 … P5–P95


def observed_coverage(pair: PairResult) -> np.ndarray:
    """For each nominal central band (10%…90%), the share of actual outcomes inside it, from each one's rank."""
    pit = np.array(pair.extra["pit"])
    return np.array([(np.abs(pit - 0.5) <= level / 2).mean() for level in NOMINAL])


def calibration_plot(backtest: Backtest) -> str:
    """Nominal against observed coverage of central bands, one line per pair; on the diagonal, bands are honest."""
    fig = Figure(figsize=(6.5, 5.0), dpi=96)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#777777", linestyle="--", linewidth=1, label="bands that mean what they say")
    ax.axhspan(0.7, 0.9, xmin=0.75, xmax=0.85, color="#dddddd", zorder=0)
    for i, pair in enumerate(backtest.pairs):
        ax.plot(
            NOMINAL,
            observed_coverage(pair),
            marker="o",
            markersize=4,
            color=PALETTE[i % len(PALETTE)],
            label=f"{pair.label} (n = {len(pair.codes)})",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("nominal coverage of the central band (0.8 = P10–P90)")
    ax.set_ylabel("share of actual outcomes inside the band")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    return to_svg(fig)


def error_plot(backtest: Backtest) -> str:
    """The spread of P50 errors (P50 ÷ actual − 1) for each pair, as strips of points."""
    fig = Figure(figsize=(7.5, 3.6), dpi=96)
    ax = fig.add_subplot()
    rng = np.random.default_rng(0)  # jitter only, fixed so the same inputs give the same picture
    for i, pair in enumerate(backtest.pairs):
        e = pair.error * 100
        ax.scatter(e, i + rng.uniform(-0.15, 0.15, len(e)), s=8, color=PALETTE[i % len(PALETTE)], alpha=0.7)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(range(len(backtest.pairs)), [p.label for p in backtest.pairs], fontsize=7)
    ax.set_xlabel("P50 error, % of actual (positive: projected too much)")
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


SCORE_HEADERS = [
    "Pair",
    "n",
    "Inside P10–P90",
    "Below P10",
    "Above P90",
    "Inside P25–P75",
    "Mean error",
    "Mean absolute error",
]


def score_rows(backtest: Backtest) -> list[list[Any]]:
    rows = []
    for pair in backtest.pairs:
        s = pair.scores()
        rows.append(
            [
                pair.label,
                int(s["councils"]),
                _pct(s["coverage_p10_p90"]),
                _pct(s["below_p10"]),
                _pct(s["above_p90"]),
                _pct(s["coverage_p25_p75"]),
                _pct(s["mean_error"]),
                _pct(s["mean_absolute_error"]),
            ]
        )
    return rows


def calibration_text(backtest: Backtest) -> list[str]:
    c = backtest.calibration
    return [
        f"Model-error term: a random walk in the logarithm of spend, σ = {c.national:.3f} per √year for England "
        f"and {c.council:.3f} for a council (√({c.national:.3f}² + {c.council_idiosyncratic:.3f}²)). "
        f"England's σ comes from {c.england_pairs} pairs of years (origins from {c.england_since}, 1 to 5 years "
        f"ahead) in NHS Digital's Table 4: the root mean square of log(actual growth ÷ model growth) per √year, "
        f"bias included (England grew {abs(c.england_bias_per_year) * 100:.1f}% a year "
        f"{'less' if c.england_bias_per_year < 0 else 'more'} than the model over those pairs). A council's extra "
        f"σ is the spread (10th–90th percentile, as a normal σ) of {c.council_pairs} councils' departures from "
        "the model over 2020-21 → 2021-22, once the common departure is taken out.",
        "Honesty about fitting: in the councils' spend pair, each council is scored with a σ fitted on the other "
        "councils (leave one out) and on England's years up to the origin only; the clients pair is scored with "
        "a σ sized on a different pair of years; the England rows use the shipped default σ, which was fitted on "
        "origins from 2015-16, so those origins are in-sample.",
    ]


def html_page(backtest: Backtest) -> str:
    detail_sections = []
    for pair in backtest.pairs:
        rows = [
            [code, name, f"{b:,.0f}", f"{a:,.0f}", f"{band[0]:,.0f}", f"{band[2]:,.0f}", f"{band[4]:,.0f}", _pct(e)]
            for code, name, b, a, band, e in zip(
                pair.codes, pair.names, pair.base, pair.actual, pair.bands, pair.error, strict=True
            )
        ]
        detail_sections.append(
            Section(
                pair.label,
                paragraphs(f"Measure: {pair.measure}.", pair.note)
                + table(
                    ["Code", "Area", pair.origin, "Actual", "P10", "P50", "P90", "P50 error"],
                    rows,
                    numeric=(2, 3, 4, 5, 6, 7),
                ),
            )
        )
    sections = [
        Section(
            "Summary",
            paragraphs(
                f"Each area projected from a published year to a later published year with careflow's default "
                f"growth drivers and model-error term, {backtest.runs:,} runs, random seed {backtest.seed}; the actual "
                "figure is then compared with the projected P50 and bands. Error is P50 ÷ actual − 1.",
            )
            + table(SCORE_HEADERS, score_rows(backtest), numeric=tuple(range(1, 8)))
            + chart(
                calibration_plot(backtest),
                "Calibration: share of actual outcomes inside each central band; the grey box marks the "
                "70–90% target for P10–P90",
            )
            + chart(error_plot(backtest), "P50 errors, one point per area (or per origin year for England)"),
        ),
        Section("How the bands were sized", paragraphs(*calibration_text(backtest))),
        *detail_sections,
        Section("Sources", paragraphs(*backtest.sources)),
    ]
    return render_page("Backtest — do the bands mean what they say?", sections, subtitle="careflow projections")
