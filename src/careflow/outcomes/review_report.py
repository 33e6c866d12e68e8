"""The case-review summary as a printable HTML page and an Excel workbook, with method and sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from careflow.outcomes.analysis import (
    BOOTSTRAP_DRAWS,
    REFERENCE_GAP_REASONS,
    REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT,
    REFERENCE_SHORT_TERM_RATIO,
    SMALL_SAMPLE,
    TOO_SMALL,
    ReviewSummary,
    Share,
)
from careflow.report.charts import bar_with_range
from careflow.report.excel import write_results
from careflow.report.html import Section, chart, escape, paragraphs, render_page, table


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def share_rows(summary: ReviewSummary) -> list[tuple[str, Share]]:
    rows = [("All reviews", summary.more_independent)]
    rows += [(f"Decision point: {k}", v) for k, v in summary.by_decision_point.items()]
    rows += [(f"Cohort: {k}", v) for k, v in summary.by_cohort.items()]
    return rows


def method_notes() -> list[str]:
    return [
        "Shares: the number of cases whose MDT ideal is more independent than the actual outcome (a lower rung "
        "on the independence ladder, or the same rung with fewer hours), divided by the cases reviewed.",
        "Intervals: 95% Wilson score intervals, which stay inside 0–100% and behave well for small samples.",
        f"Warnings: below {SMALL_SAMPLE} cases a share is marked indicative; below {TOO_SMALL} it is too few to "
        "support a figure.",
        f"Money: mean of (actual − ideal) weekly cost per case, with a 95% percentile bootstrap interval from "
        f"{BOOTSTRAP_DRAWS:,} resamples using a fixed random seed, so the same file always gives the same interval.",
    ]


def render_review_summary(summary: ReviewSummary, source: str) -> str:
    rows = share_rows(summary)
    plotted = [(label, s) for label, s in rows if s.share is not None and s.n >= TOO_SMALL]
    shares_chart = (
        chart(
            bar_with_range(
                [label for label, _ in plotted],
                [(s.share or 0) * 100 for _, s in plotted],
                [s.low * 100 for _, s in plotted],
                [s.high * 100 for _, s in plotted],
                "% of reviewed cases (95% Wilson interval)",
            ),
            f"Groups with at least {TOO_SMALL} cases.",
        )
        if plotted
        else ""
    )
    share_table = table(
        ["Group", "Cases", "More independent ideal", "Share", "95% interval", "Warning"],
        [
            [label, s.n, s.successes, _pct(s.share), f"{_pct(s.low)}–{_pct(s.high)}", s.warning or ""]
            for label, s in rows
        ],
        numeric=(1, 2, 3),
        total_rows=(0,),
        row_classes=["flag" if s.warning else "" for _, s in rows],
    )
    mdt = summary.mdt_at_least_as_independent
    money_rows = [
        [label, m.n, "–" if m.mean is None else f"£{m.mean:,.2f}",
         "–" if m.low is None or m.high is None else f"£{m.low:,.2f} – £{m.high:,.2f}", m.warning or ""]
        for label, m in (("All reviewed cases", summary.weekly_saving),
                         ("Cases with a more independent ideal", summary.weekly_saving_where_gap))
    ]  # fmt: skip
    reason_rows = [
        [reason, s.successes, _pct(s.share), f"{_pct(s.low)}–{_pct(s.high)}",
         _pct(REFERENCE_GAP_REASONS[reason].value) if reason in REFERENCE_GAP_REASONS else ""]
        for reason, s in summary.gap_reasons.items()
    ]  # fmt: skip
    missed = summary.short_term_missed
    ratio = "–" if summary.short_term_ratio is None else f"{summary.short_term_ratio:.2f}"
    sections = [
        Section(
            "Could people have had a more independent outcome?",
            f'<div class="summary">{escape(_pct(summary.more_independent.share))} of {summary.cases} reviewed '
            f"cases (95% interval {escape(_pct(summary.more_independent.low))}–"
            f"{escape(_pct(summary.more_independent.high))}) could have had a more independent outcome.</div>"
            + share_table
            + shares_chart,
        ),
        Section(
            "The MDT and the practitioner",
            paragraphs(
                f"The MDT's ideal was at least as independent as the practitioner's proposal in {mdt.successes} of "
                f"{mdt.n} cases ({_pct(mdt.share)}, 95% interval {_pct(mdt.low)}–{_pct(mdt.high)}). Across more "
                f"than 1,000 national reviews the figure was {_pct(REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT.value)} "
                f"({REFERENCE_MDT_AT_LEAST_AS_INDEPENDENT.describe()})."
            ),
        ),
        Section(
            "Weekly cost: actual minus ideal",
            table(["Cases", "n", "Mean £ per week", "95% bootstrap interval", "Warning"], money_rows, numeric=(1, 2)),
        ),
        Section(
            "Why the ideal did not happen",
            table(
                ["Main reason", "Cases", "Share of cases with a gap", "95% interval", "National reviews"],
                reason_rows,
                numeric=(1, 2, 4),
            )  # fmt: skip
            + paragraphs(f"National split: {REFERENCE_GAP_REASONS['practitioner decision'].describe()}.", css="note"),
        ),
        Section(
            "Short-term services",
            paragraphs(
                f"{missed.successes} of {missed.n} people ({_pct(missed.share)}, 95% interval {_pct(missed.low)}–"
                f"{_pct(missed.high)}) should have been offered a short-term service but were not. "
                f"{summary.short_term_should_have} should have been offered one; {summary.short_term_offered} were "
                f"offered one: a ratio of {ratio}. National reviews found about twice as many could benefit as "
                f"received one ({REFERENCE_SHORT_TERM_RATIO.describe()})."
            ),
        ),
        Section("Method", paragraphs(*method_notes(), css="note")),
    ]
    return render_page(f"Case reviews: {source}", sections, subtitle=f"{summary.cases} reviewed cases")


def review_summary_sheets(summary: ReviewSummary) -> dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]:
    return {
        "Shares": (
            ["group", "cases", "more independent ideal", "share", "low (95%)", "high (95%)", "warning"],
            [[label, s.n, s.successes, s.share, s.low, s.high, s.warning or ""] for label, s in share_rows(summary)],
        ),
        "Money": (
            ["cases", "n", "mean £ per week (actual − ideal)", "low (95%)", "high (95%)"],
            [["all", summary.weekly_saving.n, summary.weekly_saving.mean, summary.weekly_saving.low,
              summary.weekly_saving.high],
             ["with a gap", summary.weekly_saving_where_gap.n, summary.weekly_saving_where_gap.mean,
              summary.weekly_saving_where_gap.low, summary.weekly_saving_where_gap.high]],
        ),
        "Reasons": (
            ["reason", "cases", "share of gap cases", "low (95%)", "high (95%)", "national reviews"],
            [[k, s.successes, s.share, s.low, s.high,
              REFERENCE_GAP_REASONS[k].value if k in REFERENCE_GAP_REASONS else None]
             for k, s in summary.gap_reasons.items()],
        ),
    }  # fmt: skip


def render_review_summary_files(summary: ReviewSummary, source: str) -> dict[str, bytes]:
    """reviews_summary.html and reviews_summary.xlsx as bytes."""
    from careflow.files import rendered_bytes

    notes = [f"Case-review summary for {source}", *method_notes()]
    workbook = rendered_bytes(lambda path: write_results(path, review_summary_sheets(summary), notes=notes), ".xlsx")
    return {
        "reviews_summary.html": render_review_summary(summary, source).encode("utf-8"),
        "reviews_summary.xlsx": workbook,
    }
