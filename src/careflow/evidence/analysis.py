"""Questions over the evidence library: spend trends, normalised savings, data-quality checks, search and lever pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from careflow.evidence.library import (
    ANNEX,
    CaseStudy,
    Figure,
    Lever,
    Library,
    LibraryCouncil,
    SpendYear,
)
from careflow.reference.bibliography import SourceDocument, cite

# ---------------------------------------------------------------- spend and savings


def spend_series(council: LibraryCouncil) -> list[SpendYear]:
    """The council's spend rows on its usual measure that can be compared across years, in year order."""
    rows = [
        row
        for row in council.spend
        if (row.measure is None or row.measure == council.spend_measure) and row.comparable and row.amount is not None
    ]
    return sorted(rows, key=lambda row: row.year)


def spend_trend_pct(council: LibraryCouncil, last_year: str = "2013/14") -> float | None:
    """% change in spend from the first comparable year to the last one up to `last_year` (2011/12–2013/14 mostly)."""
    rows = [row for row in spend_series(council) if row.year <= last_year]
    if len(rows) < 2:
        return None
    first, last = rows[0].amount, rows[-1].amount
    assert first is not None and last is not None
    return (last - first) / first * 100


def average_spend(council: LibraryCouncil, last_year: str = "2013/14") -> float | None:
    """Mean yearly spend over the programme years, the size measure used for normalising and peer matching."""
    values = [row.amount for row in spend_series(council) if row.year <= last_year and row.amount is not None]
    return mean(values) if values else None


@dataclass
class SavingsView:
    """A council's savings put on a common footing: £ a year and % of average yearly spend."""

    stated: Figure | None
    basis: str
    per_year: float | None
    pct_of_spend: float | None
    how: str


def savings_per_year(council: LibraryCouncil) -> SavingsView:
    """Normalise what the source states (a total over n years, a per-year figure, cumulative) to £ a year."""
    spend = average_spend(council)
    per_year: float | None = None
    stated: Figure | None = None
    basis = "none"
    how = "no savings figure stated"
    if council.savings:
        statement = council.savings[0]
        stated, basis = statement, statement.basis
        amount = statement.amount
        assert amount is not None
        if statement.basis == "per_year":
            per_year = amount
            how = f"stated per year ({statement.period})"
        else:
            per_year = amount / statement.years
            how = f"{statement.basis} £{amount / 1e6:,.3f}m over {statement.years} years ({statement.period})"
    else:
        delivered = [y for y in council.savings_by_year if y.status == "delivered" and not y.cumulative]
        if delivered:
            total = sum(y.amount or 0.0 for y in delivered)
            per_year = total / len(delivered)
            basis = "by_year"
            how = f"mean of {len(delivered)} stated yearly figures ({', '.join(y.year for y in delivered)})"
    pct = per_year / spend * 100 if per_year is not None and spend else None
    return SavingsView(stated=stated, basis=basis, per_year=per_year, pct_of_spend=pct, how=how)


# ---------------------------------------------------------------- data quality


@dataclass
class QualityFlag:
    """An inconsistency in the source: what is printed, how we read it, and why."""

    council: str
    document: SourceDocument
    line: int
    printed: str | None
    interpreted: float | None
    note: str
    origin: str  # "figure" (on a figure), "council" (recorded against the entry) or "check" (found by summing)
    citation: str = ""  # the publication in words at the line's page or section (filled in from document and line)

    def __post_init__(self) -> None:
        self.citation = self.citation or cite(self.document, f"L{self.line}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "council": self.council,
            "document": self.document,
            "line": self.line,
            "printed": self.printed,
            "interpreted": self.interpreted,
            "note": self.note,
            "origin": self.origin,
            "citation": self.citation,
        }


def printed_precision(printed: str) -> float:
    """Half a unit of the last printed digit, in £: '£9.7 million' → 50,000; '£4.827 million' → 500."""
    match = re.search(r"(\d[\d,]*)(?:\.(\d+))?\s*(million|m\b|M\b)?", printed)
    if match is None:
        return 0.0
    decimals = len(match.group(2) or "")
    scale = 1e6 if match.group(3) else 1.0
    return 0.5 * 10 ** (-decimals) * scale


@dataclass
class SumCheck:
    council: str
    stated: Figure
    parts: str
    parts_sum: float
    matches: bool


def sum_checks(council: LibraryCouncil) -> list[SumCheck]:
    """Compare each stated total with the parts the source presents for it (levers, areas or years)."""
    checks = []
    for statement in council.savings:
        if statement.breakdown is None:
            continue
        parts: list[Figure]
        if statement.breakdown == "levers":
            parts = [
                lv
                for lv in council.levers
                if lv.has_amount and not lv.area_total and not lv.investment and lv.status == "delivered"
            ]
            label = "itemised levers"
        elif statement.breakdown == "levers_by_area":
            parts = [lv for lv in council.levers if lv.area_total]
            label = "service-area subtotals"
        else:
            # the programme years, including a projected final year where the stated total counts it
            parts = [y for y in council.savings_by_year if not y.cumulative and y.year <= "2013/14"]
            label = "yearly savings"
        total = sum(part.amount or 0.0 for part in parts)
        stated = statement.amount or 0.0
        tolerance = max(printed_precision(statement.printed or ""), 1.0)
        checks.append(SumCheck(council.name, statement, label, total, abs(total - stated) <= tolerance + 1e-6))
    return checks


def quality_flags(library: Library) -> list[QualityFlag]:
    """Every recorded flag (on figures and entries) plus every stated total that its parts do not reproduce."""
    flags: list[QualityFlag] = []
    for council in library.councils:
        for _section, figure in council.figures():
            if figure.flag:
                flags.append(
                    QualityFlag(council.name, ANNEX, figure.line, figure.printed, figure.amount, figure.flag, "figure")
                )
        for flag in council.flags:
            flags.append(QualityFlag(council.name, ANNEX, flag.line, flag.printed, flag.value, flag.note, "council"))
        if council.spend_measure in ("budget", "outturn") and council.spend:
            first = spend_series(council)[0] if spend_series(council) else council.spend[0]
            flags.append(
                QualityFlag(
                    council.name,
                    ANNEX,
                    first.line,
                    first.printed,
                    first.amount,
                    f"Spend is printed as a {council.spend_measure}, not gross spend: trends and savings as % of "
                    "spend are on that basis and not strictly comparable with other councils.",
                    "check",
                )
            )
        for check in sum_checks(council):
            if not check.matches:
                stated = check.stated
                flags.append(
                    QualityFlag(
                        council.name,
                        ANNEX,
                        stated.line,
                        stated.printed,
                        check.parts_sum,
                        f"The {check.parts} add up to £{check.parts_sum / 1e6:,.3f}m, not the "
                        f"£{(stated.amount or 0) / 1e6:,.3f}m stated; the interpreted value is the sum of the parts.",
                        "check",
                    )
                )
    return sorted(flags, key=lambda f: (f.council, f.line))


# ---------------------------------------------------------------- search


@dataclass
class LeverHit:
    council: str
    council_type: str
    category: str
    category_label: str
    label: str
    amount: float | None
    printed: str | None
    year: str | None
    status: str
    client_group: str
    document: SourceDocument
    line: int
    flag: str | None = None
    investment: bool = False  # money the council spent, not a saving
    related_metrics: list[dict[str, Any]] = field(default_factory=list)
    citation: str = ""  # the publication in words at the line's page or section (filled in from document and line)

    def __post_init__(self) -> None:
        self.citation = self.citation or cite(self.document, f"L{self.line}")

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", " ", text.lower().replace("-", ""))


def _matches(query: str, haystack: str) -> bool:
    """Every query word appears in the text, allowing simple word endings ('retendered' finds 'retender')."""
    words = [w for w in _normalise(query).split() if len(w) >= 2]
    hay = _normalise(haystack)
    return all((w[: max(4, len(w) - 2)] if len(w) > 5 else w) in hay for w in words)


def _lever_hit(library: Library, council: LibraryCouncil, lever: Lever) -> LeverHit:
    category = library.taxonomy.categories[lever.category]
    related = [
        {"label": m.label, "printed": m.printed, "value": m.amount, "unit": m.unit, "line": m.line}
        for m in council.metrics
        if m.line == lever.line
    ]
    return LeverHit(
        council=council.name,
        council_type=council.type,
        category=lever.category,
        category_label=category.label,
        label=lever.label,
        amount=lever.amount,
        printed=lever.printed,
        year=lever.year,
        status=lever.status,
        client_group=lever.client_group,
        document=ANNEX,
        line=lever.line,
        flag=lever.flag,
        investment=lever.investment,
        related_metrics=related,
    )


def search_levers(
    library: Library,
    text: str = "",
    category: str | None = None,
    client_group: str | None = None,
    min_gbp: float | None = None,
) -> list[LeverHit]:
    """Levers across the 48 councils matching the text and filters, largest amounts first."""
    hits = []
    for council in library.councils:
        for lever in council.levers:
            if category and lever.category != category:
                continue
            if client_group and lever.client_group not in (client_group, "all"):
                continue
            if min_gbp is not None and (lever.amount is None or lever.amount < min_gbp):
                continue
            if lever.area_total and category != "by_area":
                continue
            haystack = " ".join(
                [
                    lever.label,
                    lever.category,
                    library.taxonomy.categories[lever.category].label,
                    council.name,
                    council.full_name,
                ]
            )
            if text and not _matches(text, haystack):
                continue
            hits.append(_lever_hit(library, council, lever))
    return sorted(hits, key=lambda h: (-(h.amount or -1.0), h.council, h.line))


def search_case_studies(library: Library, text: str = "", category: str | None = None) -> list[CaseStudy]:
    found = []
    for case in library.case_studies:
        if category and case.category != category:
            continue
        haystack = " ".join([case.title, case.council, case.category, *(r.label for r in case.results)])
        if text and not _matches(text, haystack):
            continue
        found.append(case)
    return found


# ---------------------------------------------------------------- lever pages


def category_for_opportunity_lever(library: Library, lever_id: str) -> list[str]:
    """Taxonomy categories linked to an opportunity-model lever id (e.g. 'short_term_services' → reablement)."""
    return [name for name, c in library.taxonomy.categories.items() if c.opportunity_lever == lever_id]


def lever_page(library: Library, category: str, opportunity_values: dict[str, float] | None = None) -> dict[str, Any]:
    """One lever category: councils that pulled it (with amounts and lines), case studies, and — when the caller
    passes the opportunity model's results as {lever_id: net £ a year} — what that lever is worth for the user."""
    if category not in library.taxonomy.categories:
        from careflow.errors import InputError, Problem

        raise InputError(
            [Problem("lever category", repr(category), "one of: " + ", ".join(library.taxonomy.categories))]
        )
    info = library.taxonomy.categories[category]
    hits = search_levers(library, category=category)
    councils: dict[str, list[LeverHit]] = {}
    for hit in hits:
        councils.setdefault(hit.council, []).append(hit)
    worth: dict[str, Any] | None = None
    if info.opportunity_lever and opportunity_values is not None and info.opportunity_lever in opportunity_values:
        worth = {
            "opportunity_lever": info.opportunity_lever,
            "net_gbp_per_year": float(opportunity_values[info.opportunity_lever]),
            "relation": info.relation,
        }
    delivered = [h.amount for h in hits if h.amount is not None and h.status == "delivered" and not h.investment]
    return {
        "category": category,
        "label": info.label,
        "theme": library.taxonomy.theme_label(category),
        "opportunity_lever": info.opportunity_lever,
        "relation": info.relation,
        "councils_that_pulled_it": [
            {
                "council": name,
                "levers": [h.as_dict() for h in council_hits],
                "total_with_amounts_gbp": sum(
                    h.amount or 0.0 for h in council_hits if h.status == "delivered" and not h.investment
                ),
            }
            for name, council_hits in sorted(councils.items())
        ],
        "council_count": len(councils),
        "delivered_amounts": {
            "count": len(delivered),
            "min": min(delivered) if delivered else None,
            "median": _quantile(sorted(delivered), 0.5) if delivered else None,
            "max": max(delivered) if delivered else None,
        },
        "case_studies": search_case_studies(library, category=category),
        "worth_for_you": worth,
    }


# ---------------------------------------------------------------- distributions


def _quantile(values: list[float], q: float) -> float:
    """Linear-interpolation quantile of sorted values (numpy's default method)."""
    if len(values) == 1:
        return values[0]
    position = q * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def describe(values: list[float]) -> dict[str, float | int | None]:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0, "min": None, "q1": None, "median": None, "q3": None, "max": None}
    return {
        "n": len(ordered),
        "min": ordered[0],
        "q1": _quantile(ordered, 0.25),
        "median": _quantile(ordered, 0.5),
        "q3": _quantile(ordered, 0.75),
        "max": ordered[-1],
    }


def percentile_rank(values: list[float], value: float) -> float:
    """Share of the distribution at or below the value, in % (ties count half)."""
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return (below + 0.5 * equal) / len(values) * 100


def evidence_for_opportunity(
    library: Library, opportunity_values: dict[str, float] | None = None
) -> dict[str, dict[str, Any]]:
    """For each opportunity-model lever id: the linked categories, the councils that pulled them and, if given,
    the opportunity model's net £ a year — the hook for showing peer evidence beside the opportunity report."""
    lever_ids = sorted({c.opportunity_lever for c in library.taxonomy.categories.values() if c.opportunity_lever})
    result: dict[str, dict[str, Any]] = {}
    for lever_id in lever_ids:
        pages = [lever_page(library, category) for category in category_for_opportunity_lever(library, lever_id)]
        councils = sorted({entry["council"] for page in pages for entry in page["councils_that_pulled_it"]})
        result[lever_id] = {
            "categories": [{"category": p["category"], "label": p["label"], "relation": p["relation"]} for p in pages],
            "councils": councils,
            "case_studies": sorted({(c.council, c.title) for p in pages for c in p["case_studies"]}),
            "net_gbp_per_year": None if opportunity_values is None else opportunity_values.get(lever_id),
        }
    return result
