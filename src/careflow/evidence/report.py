"""The evidence library as one self-contained HTML page: browsable by lever and by council, with charts."""

from __future__ import annotations

from careflow.console import gbp_m
from careflow.evidence.analysis import (
    average_spend,
    quality_flags,
    savings_per_year,
    search_levers,
    spend_trend_pct,
)
from careflow.evidence.library import ANNEX, Library
from careflow.evidence.peers import benchmark_values, benchmarks
from careflow.reference.bibliography import cite
from careflow.report.charts import PALETTE, figure, to_svg
from careflow.report.html import Section, chart, escape, paragraphs, render_page, table

CAVEATS = (
    "Figures are what councils reported to the LGA Adult Social Care Efficiency programme for 2011/12–2013/14: "
    "self-reported, unaudited, and on mixed bases (gross spend, budget or outturn; totals, yearly or cumulative "
    "savings; delivered, projected or targeted). Amounts for different levers and councils cover different periods, "
    "so sums across councils show where effort went, not a comparable national total. Every figure cites its publication and page or section."
)


def _m(value: float | None) -> str:
    return gbp_m(value, 3)


def savings_by_category(library: Library) -> dict[str, float]:
    """Sum of delivered, itemised lever amounts by category (mixed periods — see the caveats)."""
    totals: dict[str, float] = {}
    for hit in search_levers(library):
        if hit.amount is not None and hit.status == "delivered" and not hit.investment:
            totals[hit.category] = totals.get(hit.category, 0.0) + hit.amount
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def _category_chart(library: Library) -> str:
    totals = savings_by_category(library)
    labels = [library.taxonomy.categories[c].label for c in totals]
    values = [v / 1e6 for v in totals.values()]
    fig, ax = figure(8.0, 0.38 * len(labels) + 1.2)
    y = list(range(len(labels)))[::-1]
    ax.barh(y, values, color=PALETTE[0])
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("£m, delivered amounts as printed (mixed periods)")
    for yi, v in zip(y, values, strict=True):
        ax.text(v, yi, f" {v:,.1f}", va="center", fontsize=7)
    return to_svg(fig)


def _rate_chart(library: Library) -> str:
    rates = benchmark_values(library)["home_care_hourly_rate"]
    ordered = sorted(rates.items(), key=lambda kv: kv[1][0])
    names = [n for n, _ in ordered]
    values = [v for _, (v, _) in ordered]
    fig, ax = figure(8.0, 0.32 * len(names) + 1.4)
    y = list(range(len(names)))
    ax.barh(y, values, color=PALETTE[1])
    ax.set_yticks(y, names, fontsize=8)
    stats = benchmarks(library)["home_care_hourly_rate"]
    for key, style in (("q1", ":"), ("median", "-"), ("q3", ":")):
        ax.axvline(stats[key], color="#333333", linestyle=style, linewidth=0.9)
    ax.set_xlabel("£ per hour (lines: lower quartile, median, upper quartile)")
    for yi, v in zip(y, values, strict=True):
        ax.text(v, yi, f" £{v:,.2f}", va="center", fontsize=7)
    return to_svg(fig)


def build_page(library: Library) -> str:
    sections = [
        Section(
            "What this library can and cannot support",
            paragraphs(
                "It can show which councils tackled a problem, how they went about it, the order of magnitude of "
                "what they reported and where to read more (every figure cites its publication and page or section; contacts are in the "
                "source, not here).",
                "It cannot support adding savings across councils, forecasting a saving for your council or "
                "ranking councils' performance: the figures are 2011/12–2013/14 cash, self-reported, and their "
                "bases differ — see the basis column and the data quality flags at the end.",
            ),
        )
    ]

    rows = []
    for c in library.councils:
        view = savings_per_year(c)
        trend = spend_trend_pct(c)
        rows.append(
            [
                c.number,
                c.name,
                c.type.replace("_", " "),
                _m(average_spend(c)),
                "" if trend is None else f"{trend:+.1f}%",
                _m(view.per_year),
                view.basis.replace("_", " "),
                "" if view.pct_of_spend is None else f"{view.pct_of_spend:.1f}%",
                len(c.levers),
                f"L{c.line}",
            ]
        )
    sections.append(
        Section(
            "Councils",
            table(
                [
                    "#",
                    "council",
                    "type",
                    "avg spend £m",
                    "trend",
                    "savings £m/yr",
                    "basis",
                    "% of spend",
                    "levers",
                    "source",
                ],
                rows,
                numeric=(0, 3, 4, 5, 7, 8),
            ),
        )
    )
    sections.append(
        Section(
            "Savings by lever category",
            chart(_category_chart(library), "Sum of delivered itemised amounts by category, as printed.")
            + chart(_rate_chart(library), "Home care hourly rates printed by councils (latest rate each)."),
        )
    )

    by_lever = []
    for name, category in library.taxonomy.categories.items():
        hits = search_levers(library, category=name)
        if not hits:
            continue
        lever = (
            f" · opportunity lever {category.opportunity_lever} ({category.relation})"
            if category.opportunity_lever
            else ""
        )
        by_lever.append(
            f'<h3 id="lever-{escape(name)}">{escape(category.label)}</h3>'
            f'<p class="note">Theme {escape(library.taxonomy.theme_label(name))}{escape(lever)}</p>'
            + table(
                ["council", "lever", "£m", "printed", "year", "status", "source"],
                [
                    [h.council, h.label, _m(h.amount), h.printed or "", h.year or "", h.status, f"L{h.line}"]
                    for h in hits
                ],
                numeric=(2,),
            )
        )
    lever_links = " · ".join(
        f'<a href="#lever-{escape(name)}">{escape(category.label)}</a>'
        for name, category in library.taxonomy.categories.items()
        if search_levers(library, category=name)
    )
    sections.append(Section("Library by lever", f'<p class="note">{lever_links}</p>' + "".join(by_lever)))

    by_council = []
    for c in library.councils:
        by_council.append(
            f'<h3 id="council-{c.number}">{c.number}. {escape(c.full_name)}</h3>'
            + table(
                ["year", "measure", "£m", "printed", "source"],
                [[s.year, s.measure or c.spend_measure, _m(s.amount), s.printed or "", f"L{s.line}"] for s in c.spend],
                numeric=(2,),
            )
            + table(
                ["lever", "category", "£m", "status", "source"],
                [[lv.label, lv.category, _m(lv.amount), lv.status, f"L{lv.line}"] for lv in c.levers],
                numeric=(2,),
            )
        )
    council_links = " · ".join(f'<a href="#council-{c.number}">{escape(c.name)}</a>' for c in library.councils)
    sections.append(Section("Library by council", f'<p class="note">{council_links}</p>' + "".join(by_council)))

    case_rows = [
        [case.council, case.title, r.label, r.printed or "", cite(case.document, f"L{r.line}")]
        for case in library.case_studies
        for r in case.results
    ]
    sections.append(
        Section("Case studies from other reports", table(["council", "case", "result", "printed", "source"], case_rows))
    )
    flags = quality_flags(library)
    sections.append(
        Section(
            "Data quality flags",
            table(
                ["council", "source", "printed", "interpreted", "note"],
                [
                    [
                        f.council,
                        f"L{f.line}",
                        f.printed or "",
                        "" if f.interpreted is None else f"{f.interpreted:,.2f}",
                        f.note,
                    ]
                    for f in flags
                ],
            ),
        )
    )
    return render_page(
        "Evidence library: what other councils did and saved",
        sections,
        subtitle=f"{len(library.councils)} councils from {cite(ANNEX)}, {len(library.case_studies)} case studies",
        banner=CAVEATS,
    )
