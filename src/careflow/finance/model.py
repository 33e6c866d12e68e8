"""The finance inputs as typed records: budget lines, positions, savings, reserves, capital, MTFS, printed figures.

Money is held in £ (fields named `*_gbp`), as everywhere in careflow; the workbook reader converts the £m users
enter (`careflow.finance.money`), and only the committee tables, charts and workbook show £m again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LineKind = Literal["group", "expenditure", "income"]
ReserveKind = Literal["reserve", "provision"]
MtfsCategory = Literal["previous_gap", "pressure", "funding", "savings_change", "new_savings"]
AdjustmentTreatment = Literal["in_target", "reversal"]
ExemptionComponent = Literal["gap", "respread"]


@dataclass(frozen=True)
class Settings:
    """What the pack is about and how it is judged (one row)."""

    council: str
    department: str
    financial_year: str
    period: int
    previous_period: int | None = None
    savings_year: str = ""
    rag_green_percent: float = 100.0
    rag_amber_percent: float = 50.0
    contingency_line: str | None = None
    contingency_amount_gbp: float | None = None
    contingency_source: str = ""


@dataclass(frozen=True)
class BudgetLine:
    """A node of the budget hierarchy. Groups roll up their children; other lines carry a budget."""

    code: str
    name: str
    parent: str | None
    kind: LineKind
    budget_gbp: float | None = None
    prior_year_actual_gbp: float | None = None
    prior_year_variance_gbp: float | None = None
    source: str = ""


@dataclass(frozen=True)
class ForecastPosition:
    """The forecast outturn of one line at one period, with the commentary that explains it."""

    code: str
    period: int
    forecast_gbp: float
    previous_variance_gbp: float | None = None  # as reported at the previous period, when that period is not recorded
    source: str = ""


@dataclass(frozen=True)
class Commentary:
    """The explanation of a line's or an area's variance at a period."""

    code: str
    period: int
    text: str
    source: str = ""


@dataclass(frozen=True)
class Saving:
    """One saving's target for one year (negative = a reduction in spend), and its forecast if that year is current."""

    code: str
    programme: str
    workstream: str
    description: str
    year: str
    target_gbp: float
    forecast_gbp: float | None = None
    source: str = ""


@dataclass(frozen=True)
class SavingsAdjustment:
    """A change between the agreed gross savings and the service's target or net savings for a year."""

    year: str
    description: str
    amount_gbp: float
    treatment: AdjustmentTreatment
    source: str = ""


@dataclass(frozen=True)
class Reserve:
    code: str
    name: str
    kind: ReserveKind
    opening_gbp: float
    planned_use_gbp: float
    source: str = ""


@dataclass(frozen=True)
class CapitalScheme:
    code: str
    scheme: str
    budget_gbp: float
    forecast_gbp: float
    next_year_budget_gbp: float
    source: str = ""


@dataclass(frozen=True)
class MtfsLine:
    """One line of the medium-term gap for one year (positive widens the gap)."""

    code: str
    category: MtfsCategory
    description: str
    year: str
    amount_gbp: float
    source: str = ""


@dataclass(frozen=True)
class CouncilTaxYear:
    """Council-tax assumptions for a year; the first year carries the forecast yield the rest build on."""

    year: str
    increase_percent: float
    precept_percent: float
    base_growth_percent: float
    in_gap: bool
    council_tax_gbp: float | None = None
    source: str = ""


@dataclass(frozen=True)
class RespreadShare:
    """The share of the final year's gap moved to an earlier year."""

    year: str
    share_percent: float
    source: str = ""


@dataclass(frozen=True)
class Department:
    """A department for the allocation of new savings, weighted by its net budget (or a proxy for it)."""

    code: str
    name: str
    allocation_basis: float  # a weight: only each department's share of the total matters, so it has no unit
    previously_agreed_savings_gbp: float = 0.0
    new_changes_gbp: float = 0.0
    source: str = ""


@dataclass(frozen=True)
class Exemption:
    department: str
    year: str
    component: ExemptionComponent
    source: str = ""


@dataclass(frozen=True)
class PrintedFigure:
    """A figure as the source prints it, kept beside the computed one so differences can be flagged."""

    table: str
    item: str
    measure: str
    as_printed: float  # in the printed unit (£m for money, % for percentages): its kind is the column's
    source: str = ""
    row: int | None = None  # where it sits on the printed sheet, to locate problems
    period: int | None = None  # the period whose paper printed it; compared only in a report for that period


@dataclass(frozen=True)
class FinancePack:
    """Everything one budget-monitoring and planning pack holds."""

    settings: Settings
    lines: tuple[BudgetLine, ...]
    positions: tuple[ForecastPosition, ...]
    commentary: tuple[Commentary, ...] = ()
    savings: tuple[Saving, ...] = ()
    savings_adjustments: tuple[SavingsAdjustment, ...] = ()
    reserves: tuple[Reserve, ...] = ()
    capital: tuple[CapitalScheme, ...] = ()
    mtfs_lines: tuple[MtfsLine, ...] = ()
    council_tax: tuple[CouncilTaxYear, ...] = ()
    respread: tuple[RespreadShare, ...] = ()
    departments: tuple[Department, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    printed: tuple[PrintedFigure, ...] = field(default=())
    document: str = ""  # the source document the `source` line references point into
