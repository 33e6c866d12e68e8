"""The outcomes-based performance framework: indicator registry, monthly data, values, targets and RAG."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from careflow.errors import InputError, Problem, Problems
from careflow.provenance import Quoted, Value, assumed, quoted
from careflow.reference.bibliography import cite
from careflow.tabular import InputColumn, Table, read_tables

SEED_000 = "000_d3172df9c3520f0e.txt"
SEED_001 = "001_cb6dbf76d77fc339.txt"
SEED_004 = "004_b1b9453300d05414.txt"

Direction = Literal["higher", "lower"]
Rag = Literal["green", "amber", "red", "no data"]
# How a month's counts make a financial year's: flows (people who finished reablement, discharges) add up
# over the year; stocks (people receiving support at month end) are read at the year end, 31 March.
Basis = Literal["flow", "stock"]

# Raw monthly counts a council supplies; indicators are computed from these.
MEASURES: dict[str, str] = {
    "population_18_64": "Resident population aged 18–64 (latest estimate)",
    "population_65_plus": "Resident population aged 65 and over (latest estimate)",
    "permanent_admissions_18_64": "Permanent admissions to residential and nursing care, aged 18–64, in the month",
    "permanent_admissions_65_plus": "Permanent admissions to residential and nursing care, aged 65+, in the month",
    "reablement_discharges_65_plus": "People aged 65+ discharged from hospital into reablement 91 days before",
    "at_home_91_days": "Of those, people still at home 91 days after discharge",
    "short_term_episodes_ended": "Short-term service episodes that ended in the month",
    "short_term_no_or_lower_support": "Of those, episodes followed by no ongoing support or lower-level support",
    "front_door_contacts": "New contacts at the community front door",
    "front_door_resolved_without_assessment": "Of those, contacts resolved without a formal assessment",
    "delayed_days_social_care": "Delayed transfer of care days attributable to social care in the month",
    "delayed_days_trajectory": "The agreed trajectory (target) for social-care delayed days in the month",
    "reviews_due": "Long-term support reviews due (including those already overdue) at month end",
    "reviews_overdue": "Of those, reviews not done within 12 months of the last one (overdue) at month end",
    "packages_reviewed": "Home-care packages reviewed in the month (give a provider to break down by provider)",
    "packages_reduced": "Of those, packages whose hours were reduced",
    "packages_increased": "Of those, packages whose hours were increased",
    "reablement_finished": "People finishing reablement in the month",
    "reablement_days_total": "Total days on the service for the people finishing reablement",
    "reablement_independent": "People needing no ongoing care when they finished reablement",
    "ongoing_packages_after_reablement": "People with an ongoing care package after reablement",
    "ongoing_weekly_cost_total": "Total weekly cost in £ of those ongoing packages",
    # The refreshed ASCOF measures (2023/24 onward; from client-level data from 2024/25)
    "reablement_new_clients": "People finishing reablement in the month who were not receiving services before it",
    "reablement_no_further_request": "Of those, people for whom no further request for ongoing support was made",
    "hospital_discharges_65_plus": "People aged 65+ discharged from hospital in the month",
    "discharged_to_reablement_65_plus": "Of those, people discharged into reablement",
    "reablement_discharges_12_weeks_before": "People aged 65+ discharged from hospital into reablement 12 weeks "
    "before the month",
    "in_community_12_weeks": "Of those, people still in the community 12 weeks after discharge (no long-term care "
    "home admission, no emergency readmission, not died)",
    "long_term_support_ld_18_64": "People aged 18–64 with a learning disability receiving long-term support at "
    "month end",
    "long_term_support_ld_18_64_at_home": "Of those, people living in their own home or with family",
    "long_term_support_18_64": "People aged 18–64 receiving long-term support at month end",
    "long_term_support_18_64_at_home": "Of those, people living in their own home or with family",
    "long_term_support_65_plus": "People aged 65+ receiving long-term support at month end",
    "long_term_support_65_plus_at_home": "Of those, people living in their own home or with family",
    "long_term_community_support": "People receiving long-term community support at month end",
    "self_directed_support": "Of those, people receiving self-directed support (a personal budget or direct payment)",
    "direct_payments": "Of those, people receiving direct payments",
}
WEEKS = "weeks in month"  # a denominator computed from the calendar, not supplied


@dataclass(frozen=True)
class Indicator:
    """One indicator: how it is computed, which way is better, its target and RAG band, and its source."""

    id: str
    name: str
    numerator: str
    denominator: str | None  # a measure, WEEKS, or None for a count
    scale: float  # 100 for a percentage, 100,000 for a rate per 100,000
    unit: str
    period: str
    direction: Direction
    target: float | None  # default target; a council may set its own (targets sheet)
    amber_margin: float  # within this distance on the wrong side of target: amber; beyond: red
    source: str
    target_provenance: Value | None = None
    target_measure: str | None = None  # a trajectory supplied month by month, used instead of `target`
    window: int = 1  # months summed in the numerator (12 = rolling year)
    by_provider: bool = False
    reference: Value | None = None
    ascof: str | None = None  # the refreshed ASCOF measure (2023/24 onward) this indicator computes, if any
    basis: Basis = "flow"

    def definition(self) -> str:
        below = {None: "", WEEKS: " ÷ weeks in the month"}.get(self.denominator, f" ÷ {self.denominator}")
        scale = f" × {self.scale:,.0f}" if self.scale != 1 else ""
        window = f" (numerator summed over {self.window} months)" if self.window > 1 else ""
        return f"{self.numerator}{below}{scale}{window}"


ASCOF_SOURCE_ID = "dhsc-ascof-2024-25"
ASCOF_DOCUMENT = "dhsc-ascof-time-series-2024-25.ods"


def ascof_source(code: str) -> str:
    """The refreshed measure's definition, cited in words (DHSC's time series prints each table's definition)."""
    return f"ASCOF {code} definition (2023/24 onward), {cite(ASCOF_SOURCE_ID, location=f'Table {code.lower()} notes')}"


def england_2024_25(code: str, value: float) -> Value:
    """England's 2024-25 outcome for a refreshed measure, quoted from its table in DHSC's time series (row 8,
    column F: the England row and the 2024-25 outcome on every refreshed measure's sheet)."""
    return Value(
        value=value,
        provenance=Quoted(
            document=ASCOF_DOCUMENT, line=f"Table_{code.lower()}!F8", as_printed=f"{value:g}", source_id=ASCOF_SOURCE_ID,
            location=f"Table {code.lower()}, England, 2024 to 2025 outcome (used as an illustrative default target)",
        ),
    )  # fmt: skip


REGISTRY: tuple[Indicator, ...] = (
    Indicator(
        "admissions_65_plus", "Permanent admissions to residential and nursing care, 65+, per 100,000",
        "permanent_admissions_65_plus", "population_65_plus", 100_000, "per 100,000", "rolling 12 months",
        "lower", 600.0, 20.0, f"ASCOF 2A definition; observed in Norfolk: 616 (April 2016) → 633 (March 2017), {cite(SEED_004, 'L502')}",
        assumed(600.0, "illustrative default just below Norfolk's April 2016 level; set your own"),
        window=12, reference=quoted(633, SEED_004, "L502", "reducing to 633 by March 2017"), ascof="2C",
    ),
    Indicator(
        "admissions_18_64", "Permanent admissions to residential and nursing care, 18–64, per 100,000",
        "permanent_admissions_18_64", "population_18_64", 100_000, "per 100,000", "rolling 12 months",
        "lower", 19.0, 2.0, f"ASCOF 2A definition; observed in Norfolk: 21 (April 2016) → 19 (March 2017), {cite(SEED_004, 'L502')}",
        assumed(19.0, "illustrative default at the level observed in Norfolk in March 2017 (an outturn, not a target "
                      "any source sets); set your own"),
        window=12, reference=quoted(19, SEED_004, "L502", "19 per 100,000 population by March 2017"), ascof="2B",
    ),
    Indicator(
        "still_home_91_days", "Older people still at home 91 days after discharge into reablement",
        "at_home_91_days", "reablement_discharges_65_plus", 100, "%", "month of discharge",
        "higher", 85.0, 3.0, "ASCOF 2B definition (no source report gives a figure)",
        assumed(85.0, "illustrative default; no source report gives a figure; set your own"),
    ),
    Indicator(
        "short_term_no_or_lower_support", "Short-term service users needing no or lower ongoing support",
        "short_term_no_or_lower_support", "short_term_episodes_ended", 100, "%", "month",
        "higher", 79.0, 4.0, f"ASCOF 2D definition; observed in county areas: 79% in 2014/15, {cite(SEED_000, 'L946')}",
        assumed(79.0, "illustrative default at the level observed in county areas in 2014/15 (an observation, not a "
                      "target any source sets); set your own"),
        reference=quoted(79, SEED_000, "L946", "79%"),
    ),
    Indicator(
        "front_door_resolved", "Front-door contacts resolved without a formal assessment",
        "front_door_resolved_without_assessment", "front_door_contacts", 100, "%", "month",
        "higher", 62.0, 5.0, f"observed in Somerset: 62% of calls resolved without a full assessment (as reported in 2021), {cite(SEED_001, 'L1272')}",
        assumed(62.0, "illustrative default at the level observed in Somerset's contact centre (an observation, not a "
                      "target any source sets); set your own"),
        reference=quoted(62, SEED_001, "L1272", "On average 62% of these calls are resolved"),
    ),
    Indicator(
        "delayed_days_social_care", "Delayed transfer of care days attributable to social care, against trajectory",
        "delayed_days_social_care", None, 1, "days", "month",
        "lower", None, 50.0, f"Norfolk's agreed trajectory 860.3 (Jul-17) to 587.3 (Mar-18), {cite(SEED_004, 'L1171')}",
        target_measure="delayed_days_trajectory",
    ),
    Indicator(
        "reviews_overdue", "Long-term support reviews overdue",
        "reviews_overdue", "reviews_due", 100, "%", "month end",
        "lower", 10.0, 5.0, "Annual review duty (Care Act); no source report gives a figure",
        assumed(10.0, "illustrative default; set your own"),
    ),
    Indicator(
        "packages_reduced_on_review", "Home-care packages reduced on review",
        "packages_reduced", "packages_reviewed", 100, "%", "month",
        "higher", 20.0, 5.0, f"Provider-led reviews (trusted providers lever, {cite(SEED_001, 'L693')}); no source sets a target",
        assumed(20.0, "illustrative default; set your own"), by_provider=True,
    ),
    Indicator(
        "packages_increased_on_review", "Home-care packages increased on review",
        "packages_increased", "packages_reviewed", 100, "%", "month",
        "lower", 15.0, 5.0, f"Provider-led reviews (trusted providers lever, {cite(SEED_001, 'L693')}); no source sets a target",
        assumed(15.0, "illustrative default; rising needs are legitimate, so read with care"), by_provider=True,
    ),
    Indicator(
        "reablement_finishing_per_week", "People finishing reablement per week",
        "reablement_finished", WEEKS, 1, "people per week", "month",
        "higher", 25.0, 3.0, f"Lancashire's contract measure (volume), {cite(SEED_001, 'L2125')}",
        assumed(25.0, "illustrative default; scale to your population"),
    ),
    Indicator(
        "reablement_average_days", "Average time to reable",
        "reablement_days_total", "reablement_finished", 1, "days", "month",
        "lower", 28.0, 7.0, f"Lancashire's contract measure (volume), {cite(SEED_001, 'L2126')}",
        assumed(28.0, "illustrative default: reablement usually lasts 2–6 weeks"),
    ),
    Indicator(
        "reablement_independent", "People independent after reablement",
        "reablement_independent", "reablement_finished", 100, "%", "month",
        "higher", 60.0, 5.0, f"Lancashire's contract measure (effectiveness), {cite(SEED_001, 'L2127')}",
        assumed(60.0, "illustrative default; set your own"),
    ),
    Indicator(
        "reablement_ongoing_weekly_cost", "Average weekly cost of ongoing care after reablement",
        "ongoing_weekly_cost_total", "ongoing_packages_after_reablement", 1, "£ per week", "month",
        "lower", 200.0, 25.0, f"Lancashire's contract measure (effectiveness), {cite(SEED_001, 'L2128')}",
        assumed(200.0, "illustrative default; set your own"),
    ),
    # The refreshed ASCOF measures (2023/24 onward), defined as in DHSC's ASCOF handbook of definitions and the
    # time series' table notes; default targets are England's 2024-25 outcome there (set your own).
    Indicator(
        "reablement_no_further_request", "People not previously receiving services with no further request after reablement",
        "reablement_no_further_request", "reablement_new_clients", 100, "%", "month", "higher",
        77.1, 3.0, ascof_source("2A"), england_2024_25("2A", 77.1), ascof="2A",
    ),
    Indicator(
        "community_12_weeks_after_discharge", "Older people still in the community 12 weeks after discharge into reablement",
        "in_community_12_weeks", "reablement_discharges_12_weeks_before", 100, "%", "month of discharge + 12 weeks",
        "higher", 60.7, 3.0, ascof_source("2D(1)"), england_2024_25("2D(1)", 60.7), ascof="2D(1)",
    ),
    Indicator(
        "discharges_offered_reablement", "Older people discharged from hospital who received reablement",
        "discharged_to_reablement_65_plus", "hospital_discharges_65_plus", 100, "%", "month", "higher",
        5.7, 1.0, ascof_source("2D(2)"), england_2024_25("2D(2)", 5.7), ascof="2D(2)",
    ),
    Indicator(
        "ld_living_at_home_18_64", "Adults 18–64 with a learning disability in long-term support living at home or with family",
        "long_term_support_ld_18_64_at_home", "long_term_support_ld_18_64", 100, "%", "month end", "higher",
        81.4, 3.0, ascof_source("2E(1)"), england_2024_25("2E(1)", 81.4), ascof="2E(1)",
        basis="stock",
    ),
    Indicator(
        "living_at_home_18_64", "Adults 18–64 in long-term support living at home or with family",
        "long_term_support_18_64_at_home", "long_term_support_18_64", 100, "%", "month end", "higher",
        77.4, 3.0, ascof_source("2E(2a)"), england_2024_25("2E(2a)", 77.4), ascof="2E(2a)",
        basis="stock",
    ),
    Indicator(
        "living_at_home_65_plus", "Adults 65+ in long-term support living at home or with family",
        "long_term_support_65_plus_at_home", "long_term_support_65_plus", 100, "%", "month end", "higher",
        60.3, 3.0, ascof_source("2E(2b)"), england_2024_25("2E(2b)", 60.3), ascof="2E(2b)",
        basis="stock",
    ),
    Indicator(
        "self_directed_support", "Community care users receiving self-directed support",
        "self_directed_support", "long_term_community_support", 100, "%", "month end", "higher",
        82.4, 3.0, ascof_source("3D(1a)"), england_2024_25("3D(1a)", 82.4), ascof="3D(1a)", basis="stock",
    ),
    Indicator(
        "direct_payments", "Community care users receiving direct payments",
        "direct_payments", "long_term_community_support", 100, "%", "month end", "higher",
        24.5, 3.0, ascof_source("3D(2a)"), england_2024_25("3D(2a)", 24.5), ascof="3D(2a)", basis="stock",
    ),
)  # fmt: skip
BY_ID = {i.id: i for i in REGISTRY}


@dataclass(frozen=True)
class AscofCode:
    """An indicator's ASCOF measure under the older numbering and under the refreshed one (2023/24 onward).

    `successor` names careflow's indicator for the refreshed definition where the measure was redefined when
    renumbered (client-level data from 2024/25), so that the older indicator is never read as the new one."""

    older: str
    refreshed: str
    successor: str | None = None

    def describe(self) -> str:
        if self.successor:
            return (
                f"older ASCOF {self.older}; renamed {self.refreshed} in 2023/24 and redefined from 2024/25 "
                f"(careflow's {self.successor})"
            )
        return f"ASCOF {self.refreshed} from 2023/24 ({self.older} before)"


ASCOF_RENUMBERING_SOURCE = (
    "DHSC, Measures from the Adult Social Care Outcomes Framework, England: time series of aggregated measures,"
    " 2015-16 to 2024-25, notes on renamed measures"
)
# DHSC's notes: "Measure 2A(1) was renamed to 2B in 2023 to 2024" (and 2A(2) → 2C, 2B(1) → 2D(1), 2D → 2A,
# 1G → 2E, 1C(1A) → 3D(1a)); the delayed-transfers measure has no refreshed code: it was withdrawn.
# Measures no longer collected nationally (delayed transfers of care stopped in March 2020): shown only for
# councils whose data includes them, and dated by that data.
WITHDRAWN = {"delayed_days_social_care": "delayed transfers of care, collected nationally until March 2020"}
ASCOF_CODES: dict[str, AscofCode] = {
    "admissions_18_64": AscofCode("2A(1)", "2B"),
    "admissions_65_plus": AscofCode("2A(2)", "2C"),
    "still_home_91_days": AscofCode("2B(1)", "2D(1)", successor="community_12_weeks_after_discharge"),
    "short_term_no_or_lower_support": AscofCode("2D", "2A", successor="reablement_no_further_request"),
}

MONTHLY = Table(
    name="monthly",
    description="One row per month, measure and (optionally) provider: the raw counts indicators are computed from.",
    columns=(
        InputColumn("month", "Calendar month as YYYY-MM (e.g. 2017-07), or any date in the month", "month"),
        InputColumn("measure", "Which count this row holds", "text", choices=tuple(MEASURES)),
        InputColumn("value", "The count (or £ total, or population) for the month", "number"),
        InputColumn("provider", "Provider name or code, for by-provider measures; blank for the whole council", "text",
               required=False),
    ),
    example_rows=(("2017-07", "delayed_days_social_care", 912, ""),),
)  # fmt: skip
TARGETS = Table(
    name="targets",
    description="Optional: your own targets, replacing careflow's illustrative defaults.",
    columns=(
        InputColumn("indicator", "Indicator id", "text", choices=tuple(BY_ID)),
        InputColumn("target", "Target value, in the indicator's unit", "number", minimum=None),
        InputColumn("amber_margin", "How far on the wrong side of target is still amber", "number", required=False),
    ),
    required=False,
)
TRACKED = Table(
    name="tracked",
    description="Optional: the indicators your council tracks (one id a row); blank or absent tracks them all.",
    columns=(InputColumn("indicator", "Indicator id (careflow indicators list)", "text", choices=tuple(BY_ID)),),
    required=False,
)

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_index(text: str) -> int | None:
    """'2017-07' → a whole number counting months, so months can be compared and stepped; None if invalid."""
    found = MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        return None
    return int(found.group(1)) * 12 + int(found.group(2)) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def weeks_in_month(index: int) -> float:
    return calendar.monthrange(index // 12, index % 12 + 1)[1] / 7


@dataclass
class MonthlyData:
    """Monthly counts: (measure, provider or '') → {month index: value}; plus any local targets."""

    values: dict[tuple[str, str], dict[int, float]] = field(default_factory=dict)
    targets: dict[str, tuple[float, float | None]] = field(default_factory=dict)
    tracked: tuple[str, ...] = ()  # from the workbook's 'tracked' sheet; empty: every indicator
    summed_from_providers: set[tuple[str, int]] = field(default_factory=set)  # (measure, month) with no whole row

    def get(self, measure: str, month: int, provider: str = "") -> float | None:
        return self.values.get((measure, provider), {}).get(month)

    def months(self) -> list[int]:
        """Every month from the first to the last in the data (gaps included, so they show)."""
        present = [m for (_, p), series in self.values.items() if p == "" for m in series]
        return list(range(min(present), max(present) + 1)) if present else []

    def providers(self) -> list[str]:
        return sorted({p for (_, p) in self.values if p})


def load_monthly(path: Path) -> MonthlyData:
    """Read and check monthly indicator data (workbook, CSV folder, or one CSV of the monthly table)."""
    problems = Problems()
    path = Path(path)
    # One CSV file holds only the monthly table; a workbook or folder may add targets and the tracked list.
    one_csv = path.is_file() and path.suffix.lower() == ".csv"
    tables = read_tables(path, [MONTHLY] if one_csv else [MONTHLY, TARGETS, TRACKED], problems)
    data = MonthlyData()
    file = str(path)
    seen: dict[tuple[str, str, int], int] = {}
    for row in tables.get(MONTHLY.name, []):
        index = month_index(str(row["month"]))
        if index is None:
            problems.add(Problem(file, f"'{row['month']}'", "a month as YYYY-MM", MONTHLY.name, row["_row"], "month"))
            continue
        provider = (row.get("provider") or "").strip()
        key = (row["measure"], provider, index)
        if key in seen:
            problems.add(
                Problem(
                    file,
                    f"a second value for {row['measure']} in {month_label(index)}"
                    + (f" for provider '{provider}'" if provider else ""),
                    f"one row per month, measure and provider (first at row {seen[key]})",
                    MONTHLY.name,
                    row["_row"],
                    "measure",
                )
            )
            continue
        seen[key] = row["_row"]
        data.values.setdefault((row["measure"], provider), {})[index] = float(row["value"])
    check_provider_sums(data, seen, file, problems)
    for row in tables.get(TARGETS.name, []):
        data.targets[row["indicator"]] = (float(row["target"]), row.get("amber_margin"))
    data.tracked = tuple(dict.fromkeys(row["indicator"] for row in tables.get(TRACKED.name, [])))
    if not problems and not data.months():
        problems.add(Problem(str(path), "no council-wide monthly values", "at least one month of data", MONTHLY.name))
    problems.raise_if_any()
    return data


PROVIDER_TOLERANCE = 1e-6  # counts are whole numbers; this only absorbs floating-point noise from spreadsheets


def check_provider_sums(
    data: MonthlyData, rows: dict[tuple[str, str, int], int], file: str, problems: Problems
) -> None:
    """Provider rows must add up to the council-wide row of the same measure and month, so that the by-provider
    table and the council's indicator tell one story. Where a month has provider rows and no council-wide row,
    the council-wide figure is their sum (and says so)."""
    by_month: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for (measure, provider, month), row in rows.items():
        if provider:
            by_month.setdefault((measure, month), []).append((provider, row))
    for (measure, month), parts in sorted(by_month.items()):
        total = sum(data.values[(measure, p)][month] for p, _ in parts)
        whole_row = rows.get((measure, "", month))
        if whole_row is None:
            data.values.setdefault((measure, ""), {})[month] = total
            data.summed_from_providers.add((measure, month))
            continue
        whole = data.values[(measure, "")][month]
        if abs(total - whole) > PROVIDER_TOLERANCE * max(1.0, abs(whole)):
            listed = ", ".join(f"{p} {data.values[(measure, p)][month]:,.0f} (row {r})" for p, r in sorted(parts))
            problems.add(
                Problem(
                    file,
                    f"{measure} for {month_label(month)}: the council-wide value is {whole:,.0f} but the providers "
                    f"add up to {total:,.0f} ({listed})",
                    "provider rows that add up to the council-wide value (add a row for any other providers, or "
                    "correct the total)",
                    MONTHLY.name,
                    whole_row,
                    "value",
                )
            )


def select_indicators(tracked: Sequence[str] | None, origin: str = "--track") -> tuple[Indicator, ...]:
    """The indicators a council tracks, in the order given; every indicator when none are named. An unknown id
    is a located problem that lists the ids careflow knows."""
    if not tracked:
        return REGISTRY
    unknown = [t for t in tracked if t not in BY_ID]
    if unknown:
        raise InputError(
            [
                Problem(origin, f"'{t}', which is not an indicator careflow knows", "one of: " + ", ".join(BY_ID))
                for t in unknown
            ]
        )
    return tuple(BY_ID[t] for t in dict.fromkeys(tracked))


@dataclass(frozen=True)
class Reading:
    """An indicator's value for one month (and provider), with target, RAG and why a value may be missing."""

    indicator: str
    month: str
    provider: str
    value: float | None
    target: float | None
    rag: Rag
    note: str = ""


def compute(indicator: Indicator, data: MonthlyData, month: int, provider: str = "") -> tuple[float | None, str]:
    """The indicator's value in a month, or None with the reason (missing months, zero denominator)."""
    window = range(month - indicator.window + 1, month + 1)
    missing = [m for m in window if data.get(indicator.numerator, m, provider) is None]
    if missing:
        shown = ", ".join(month_label(m) for m in missing[:3]) + (" …" if len(missing) > 3 else "")
        return None, f"no {indicator.numerator} for {shown}"
    numerator = sum(data.get(indicator.numerator, m, provider) or 0.0 for m in window)
    if indicator.denominator is None:
        return numerator * indicator.scale, ""
    if indicator.denominator == WEEKS:
        denominator: float | None = sum(weeks_in_month(m) for m in window)
    else:
        # A population is a stock, so the latest month's figure is the denominator even for rolling rates
        denominator = data.get(indicator.denominator, month, provider)
        if denominator is None:
            return None, f"no {indicator.denominator} for {month_label(month)}"
    if not denominator:
        return None, f"{indicator.denominator} is zero, so the indicator cannot be computed"
    return numerator / denominator * indicator.scale, ""


def target_for(indicator: Indicator, data: MonthlyData, month: int) -> tuple[float | None, float]:
    margin = indicator.amber_margin
    if indicator.id in data.targets:
        target, local_margin = data.targets[indicator.id]
        return target, margin if local_margin is None else float(local_margin)
    if indicator.target_measure:
        return data.get(indicator.target_measure, month), margin
    return indicator.target, margin


def rag(value: float | None, target: float | None, direction: Direction, amber_margin: float) -> Rag:
    """Green on or better than target; amber within the margin on the wrong side; red beyond it."""
    if value is None or target is None:
        return "no data"
    shortfall = (target - value) if direction == "higher" else (value - target)
    if shortfall <= 0:
        return "green"
    return "amber" if shortfall <= amber_margin else "red"


def reading(indicator: Indicator, data: MonthlyData, month: int, provider: str = "") -> Reading:
    value, note = compute(indicator, data, month, provider)
    target, margin = target_for(indicator, data, month)
    if target is None and not note:
        note = "no target set"
    return Reading(
        indicator.id, month_label(month), provider, value, target, rag(value, target, indicator.direction, margin), note
    )


def trend(indicator: Indicator, now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "not comparable"
    if abs(now - before) < 1e-9:
        return "no change"
    better = now > before if indicator.direction == "higher" else now < before
    return "improving" if better else "worsening"


@dataclass
class IndicatorResult:
    indicator: Indicator
    series: list[Reading]  # every month, oldest first
    latest: Reading
    previous: Reading | None
    year_ago: Reading | None
    change: float | None
    trend: str
    by_provider: list[Reading]
    withdrawn: str = ""  # for a measure no longer collected nationally: what it was and until when

    def dated_name(self) -> str:
        """The name, and for a withdrawn measure what it was and the date of the council's latest value."""
        if not self.withdrawn:
            return self.indicator.name
        return f"{self.indicator.name} (withdrawn measure: {self.withdrawn}; your data to {self.latest.month})"

    def commentary(self) -> str:
        i, r = self.indicator, self.latest
        if r.value is None:
            return f"{self.dated_name()}: no value for {r.month} ({r.note})."
        text = f"{self.dated_name()} was {format_value(r.value, i.unit)} in {r.month}"
        if r.target is not None:
            text += f" against a target of {format_value(r.target, i.unit)} ({r.rag})"
        text += "."
        if self.change is not None:
            text += f" {self.trend.capitalize()} since the previous month ({self.change:+,.1f})."
        if self.year_ago is not None and self.year_ago.value is not None:
            text += f" A year earlier it was {format_value(self.year_ago.value, i.unit)}."
        if r.note and r.value is not None:
            text += f" {r.note[0].upper()}{r.note[1:]}."
        return text


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.1f}%"
    if unit.startswith("£"):
        return f"£{value:,.2f}"
    return f"{value:,.1f}"


def evaluate(data: MonthlyData, indicators: Sequence[Indicator] | None = None) -> list[IndicatorResult]:
    """Every tracked indicator for every month in the data, the latest compared with the previous month and a
    year ago. Without `indicators`, those the data's 'tracked' sheet names, or all of them."""
    if indicators is None:
        indicators = select_indicators(data.tracked, TRACKED.name)
    months = data.months()
    results = []
    for indicator in indicators:
        withdrawn = WITHDRAWN.get(indicator.id, "")
        own = data.values.get((indicator.numerator, ""))
        if withdrawn and not own:
            continue  # an old measure is shown only where the council has the data for it
        series = [reading(indicator, data, m) for m in months]
        by_month = dict(zip(months, series, strict=True))
        # A withdrawn measure is dated by the council's own last value, not by the newest month of other data
        last = max(own) if withdrawn and own else months[-1]
        latest = by_month[last]
        if any(
            (indicator.numerator, m) in data.summed_from_providers for m in range(last - indicator.window + 1, last + 1)
        ):
            latest = replace(latest, note="council-wide figure is the sum of the provider rows")
        previous = by_month.get(last - 1)
        year_ago = by_month.get(last - 12)
        change = (
            latest.value - previous.value
            if previous is not None and latest.value is not None and previous.value is not None
            else None
        )
        providers = (
            [
                reading(indicator, data, last, p)
                for p in data.providers()
                if data.get(indicator.numerator, last, p) is not None
            ]
            if indicator.by_provider
            else []
        )
        results.append(
            IndicatorResult(
                indicator, series, latest, previous, year_ago, change,
                trend(indicator, latest.value, previous.value if previous else None), providers, withdrawn,
            )
        )  # fmt: skip
    return results


def financial_year_value(indicator: Indicator, data: MonthlyData, year_end: int) -> tuple[float | None, str]:
    """The indicator over the financial year ending in March of `year_end` (ASCOF's period), and why not.

    Rolling-year rates are read at March; flows add numerators and denominators over April–March; stocks are
    read at 31 March. Any missing month makes the value missing: a part-year is not a year."""
    march = year_end * 12 + 2  # month index of March in `year_end`
    if indicator.window == 12 or indicator.basis == "stock" or indicator.denominator in (None, WEEKS):
        return compute(indicator, data, march)
    months = range(march - 11, march + 1)
    missing = [
        month_label(m)
        for m in months
        if data.get(indicator.numerator, m) is None or data.get(str(indicator.denominator), m) is None
    ]
    if missing:
        return None, f"no data for {', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}"
    numerator = sum(data.get(indicator.numerator, m) or 0.0 for m in months)
    denominator = sum(data.get(str(indicator.denominator), m) or 0.0 for m in months)
    if not denominator:
        return None, f"{indicator.denominator} is zero over the year"
    return numerator / denominator * indicator.scale, ""
