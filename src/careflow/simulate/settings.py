"""Projection settings: horizon, runs, seed, demographic growth, unit-cost inflation, income lines — validated."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from careflow.baseline.schema import POPULATION_BANDS, PopulationBand
from careflow.provenance import Assumed, Calibrated, Derived, Provenance, Quoted

SEED_000 = "000_d3172df9c3520f0e.txt"
MAX_YEARS = 20
MAX_RUNS = 100_000


class Rate(BaseModel):
    """A yearly rate with an optional low–high range sampled per run (triangular)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    central: float = Field(ge=-1.0, le=1.0)
    low: float | None = Field(default=None, ge=-1.0, le=1.0)
    high: float | None = Field(default=None, ge=-1.0, le=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> Rate:
        low = self.central if self.low is None else self.low
        high = self.central if self.high is None else self.high
        if not low <= self.central <= high:
            raise ValueError("low ≤ central ≤ high")
        return self


def _as_rate(value: Any) -> Any:
    return {"central": value} if isinstance(value, int | float) and not isinstance(value, bool) else value


# Default yearly growth of England's adult population by band (ONS mid-year estimates, England, single year of age
# summed to bands): the central value is the observed trend mid-2016 → mid-2024; the range spans the two halves of
# that period and ONS's 2016-based projections for 2024–2034 (England, summed over lower-tier areas), corrected by
# how far those projections overshot mid-2016 → mid-2024. 90+ is one open-ended group in every ONS file; it sits
# wholly inside 85+. Councils with ONS data get their own rates (careflow.simulate.demography).
DEFAULT_GROWTH: dict[PopulationBand, Rate | list[float]] = {
    "18-64": Rate(central=0.0067, low=0.0029, high=0.0106),
    "65-74": Rate(central=0.0024, low=-0.0035, high=0.0197),
    "75-84": Rate(central=0.0299, low=0.0073, high=0.0355),
    "85+": Rate(central=0.0140, low=0.0135, high=0.0336),
}
GROWTH_SOURCE = Derived(
    formula="central: (people mid-2024 ÷ people mid-2016)^(1/8) − 1, England, ONS mid-year estimates (MYE2, single "
    "year of age; 90+ open-ended, inside 85+); low–high: the same over mid-2016 → mid-2020 and mid-2020 → mid-2024, "
    "and ONS 2016-based subnational population projections for England 2024 → 2034 less their overshoot over "
    "2016 → 2024 (85+: projected 2.2% a year against 1.4% observed)",
    inputs={
        "85+ mid-2016": 1_328_092,
        "85+ mid-2020": 1_406_410,
        "85+ mid-2024": 1_484_012,
        "75-84 mid-2016": 3_141_405,
        "75-84 mid-2024": 3_977_130,
        "18-64 mid-2016": 33_599_949,
        "18-64 mid-2024": 35_455_993,
    },
)
# Relative need per head within 65+, used to turn band growth into growth of older people's demand (assumed).
NEED_WEIGHTS: dict[PopulationBand, float] = {"18-64": 1.0, "65-74": 1.0, "75-84": 2.5, "85+": 6.0}

# Pixel's quick view for county councils (CCN 2016, L266): spending grows 4–5% a year, from 2.0% demand growth and
# 2–3% unit-cost growth.
PIXEL_DEMAND_GROWTH = 0.020
PIXEL_UNIT_COST_LOW, PIXEL_UNIT_COST_HIGH = 0.02, 0.03
PIXEL_SOURCE = Quoted(
    document=SEED_000,
    line="L266",
    as_printed="4% and 5% per year (2.0% growth in demand and 2%-3% increase in unit costs)",
)
DEFAULT_INFLATION = 0.025  # the middle of Pixel's 2–3% unit-cost growth

# Unit-cost growth by setting: wage-led. Most of a care package's price is care workers' pay, which follows the
# National Living Wage (GOV.UK, "National Minimum Wage and National Living Wage rates": £8.21 an hour from April
# 2019, £8.72 2020, £8.91 2021, £9.50 2022, £10.42 2023, £11.44 2024, about 6.8% a year) more than general prices
# (HM Treasury GDP deflator, as used in NHS Digital ASC-FR Table 4: about 2.4% a year 2016-17 → 2021-22). The
# central values sit between the two; the ranges reach from general inflation to wage growth.
UNIT_COST_GROUPS = ("care_homes", "home_care", "supported_living", "direct_payments", "other_spend")
DEFAULT_UNIT_COST_GROWTH: dict[str, Rate] = {
    "care_homes": Rate(central=0.040, low=0.025, high=0.065),
    "home_care": Rate(central=0.045, low=0.025, high=0.070),
    "supported_living": Rate(central=0.040, low=0.025, high=0.065),
    "direct_payments": Rate(central=0.035, low=0.020, high=0.060),
    "other_spend": Rate(central=0.030, low=0.020, high=0.045),  # council staff: local-government pay awards
}
UNIT_COST_SOURCE = Assumed(
    reason="wage-led unit-cost growth by setting (care homes 4.0%, home care 4.5%, supported living 4.0%, direct "
    "payments 3.5%, other spend 3.0% a year; ranges from about general inflation to wage growth): care workers' "
    "pay follows the National Living Wage (GOV.UK NLW rates, £8.21 in April 2019 to £11.44 in April 2024, about "
    "6.8% a year), general prices the GDP deflator (HM Treasury, in NHS Digital ASC-FR 2021-22 Table 4: about 2.4% "
    "a year 2016-17 → 2021-22); NHS Digital ASC-FR 2021-22 Tables 51–52 show England's care-home weekly costs up "
    "1.5–4.6% and home care's external hourly rate up 2.4% from 2020-21 to 2021-22, a year of pandemic grants"
)
# Demand per head beyond demography: working-age adults' needs have been rising (more adults with learning
# disabilities and complex needs); older people's need per head of the need-weighted population held level.
DEFAULT_WORKING_AGE_TREND = Rate(central=0.015, low=0.0, high=0.03)
DEFAULT_OLDER_TREND = Rate(central=0.0, low=-0.01, high=0.01)
DEFAULT_OTHER_SPEND_TREND = Rate(central=0.0, low=-0.02, high=0.02)
TREND_SOURCE = Assumed(
    reason="demand per head beyond demography: working-age adults +1.5% a year (0–3%), older people 0% (−1% to "
    "+1%), spend outside long- and short-term care 0% (−2% to +2%); NHS Digital ASC-FR 2021-22 Table 2 shows "
    "requests from 18–64s up 9.1% from 2019-20 to 2021-22 (560,350 → 611,505) while that population grew about "
    "1%, and requests from people aged 65+ level (1,370,205 → 1,367,045); Table 15 shows other gross current "
    "expenditure down 6.3% in 2021-22 (£4.94bn → £4.62bn) as pandemic spending ended"
)
# Model error: how far real spend growth departs from a model like this one, as a random walk, σ per √year.
# Set from the backtest (careflow.simulate.backtest.calibrate_model_error; docs/projection-calibration.md).
MODEL_ERROR_COUNCIL = 0.071
MODEL_ERROR_NATIONAL = 0.016
MODEL_ERROR_SOURCE = Calibrated(
    formula="σ per √year of a multiplicative random walk on spend: councils √(σ_England² + σ_council²), England "
    "σ_England; σ_England from the spread of England's h-year growth in gross current expenditure around the "
    "model's, 2005-06 → 2021-22 (h = 1…5), σ_council from the spread of councils' 2020-21 → 2021-22 growth "
    "around the model's, once England's own departure is taken out",
    target="NHS Digital ASC-FR 2021-22 Table 4 (England, cash) and Tables 15–17 (councils, 2020-21 and 2021-22)",
    inputs={"council": MODEL_ERROR_COUNCIL, "national": MODEL_ERROR_NATIONAL},
)
# General inflation used only to express cash growth in real terms (HM Treasury GDP deflator, as Table 4 does).
GDP_DEFLATOR_GROWTH = 0.020


class Shock(BaseModel):
    """A one-off sum in one year: a temporary grant (income) or a one-off cost, kept out of the trend."""

    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=1, le=MAX_YEARS)  # 1 = the first projected year
    amount_gbp: float = Field(gt=0.0, le=1e12, allow_inf_nan=False)
    label: str = Field(min_length=1, max_length=120)
    kind: Literal["income", "cost"]


class IncomeLine(BaseModel):
    """One line of the income that funds adult social care: its share of base-year net spend and its growth."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    share: float = Field(ge=0.0, le=1.0)
    growth: float = Field(ge=-1.0, le=1.0)


# Base-year income is assumed to equal base-year net spend (a balanced budget), split across three lines with
# assumed growth rates: council tax with the ASC precept, government grants, and other income (fees, NHS, BCF).
DEFAULT_INCOME: dict[str, IncomeLine] = {
    "council_tax_and_asc_precept": IncomeLine(share=0.60, growth=0.039),
    "grants": IncomeLine(share=0.25, growth=0.010),
    "other_income": IncomeLine(share=0.15, growth=0.020),
}
INCOME_SOURCE = Assumed(
    reason="base-year income equals base-year net spend (a balanced budget), split 60/25/15 across council tax "
    "with the ASC precept, grants and other income, growing 3.9%, 1.0% and 2.0% a year (council tax 1.99% "
    "plus a 2% precept, as councils set in recent years); replace with the council's MTFS"
)


class ProjectionSettings(BaseModel):
    """Everything the flow model needs besides the baseline and the levers; the scenario's `projection` block."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    years: int = Field(default=10, ge=1, le=MAX_YEARS)
    runs: int = Field(default=1000, ge=1, le=MAX_RUNS)
    seed: int = Field(default=0, ge=0)
    # Yearly growth per band: a rate (a number fixes it; central/low/high is sampled per run), or a fixed list
    # (year 1, 2, …; the last rate carries on).
    population_growth: dict[PopulationBand, Rate | list[float]] = Field(default_factory=lambda: dict(DEFAULT_GROWTH))
    # One rate for every setting's unit costs (fixes them all), or none: each setting's own growth below.
    unit_cost_inflation: Rate | None = None
    unit_cost_growth: dict[str, Rate] = Field(default_factory=lambda: dict(DEFAULT_UNIT_COST_GROWTH))
    working_age_trend: Rate = Field(default_factory=lambda: DEFAULT_WORKING_AGE_TREND)
    older_trend: Rate = Field(default_factory=lambda: DEFAULT_OLDER_TREND)
    other_spend_trend: Rate = Field(default_factory=lambda: DEFAULT_OTHER_SPEND_TREND)
    # σ per √year of the model-error random walk on spend; none: the calibrated default (0 switches it off).
    model_error: float | None = Field(default=None, ge=0.0, le=1.0)
    shocks: list[Shock] = Field(default_factory=list)  # one-off income or costs in given years
    income: dict[str, IncomeLine] = Field(default_factory=lambda: dict(DEFAULT_INCOME))
    # Income in the base year; None assumes it equals base-year net spend (a balanced budget). Set it when the
    # base year ran a deficit or surplus, so the funding gap starts where the council's accounts do.
    base_year_income_gbp: float | None = Field(default=None, ge=0)
    # How long, on average, a person kept out of a care home or out of long-term care stays out. The report's
    # £ per person is one year of the cost difference, so one year keeps the two models comparable (docs/method.md).
    benefit_years: float = Field(default=1.0, gt=0.0, le=50.0)
    cost_extra_short_term: bool = (
        True  # extra short-term episodes cost what today's cost (off: as the opportunity model)
    )
    step_up_share: float = Field(default=0.25, ge=0.0, le=1.0)  # care-home admissions from people already supported
    default_phasing: list[float] = Field(default_factory=lambda: [0.25, 0.75, 1.0])

    @field_validator("unit_cost_inflation", "working_age_trend", "older_trend", "other_spend_trend", mode="before")
    @classmethod
    def _number_is_central(cls, value: Any) -> Any:
        return _as_rate(value)

    @field_validator("unit_cost_growth", mode="before")
    @classmethod
    def _known_groups_over_defaults(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        unknown = [k for k in value if k not in UNIT_COST_GROUPS]
        if unknown:
            raise ValueError(f"unknown unit-cost group {unknown[0]!r}; expected one of: {', '.join(UNIT_COST_GROUPS)}")
        return {**DEFAULT_UNIT_COST_GROWTH, **{k: _as_rate(v) for k, v in value.items()}}

    @field_validator("population_growth", mode="before")
    @classmethod
    def _growth_not_below_minus_100(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        for band, rates in value.items():
            if isinstance(rates, dict):
                continue  # central/low/high: checked as a Rate
            listed = rates if isinstance(rates, list) else [rates]
            if not listed:
                raise ValueError(f"growth for {band} is an empty list; expected a rate, or one rate per year")
            for year, rate in enumerate(listed, start=1):
                if not isinstance(rate, int | float) or isinstance(rate, bool):
                    continue  # pydantic reports the type
                where = f"growth for {band}" + (f" in year {year}" if isinstance(rates, list) else "")
                if rate < -1.0:
                    raise ValueError(f"{where} is {rate:.0%}; a population cannot shrink by more than 100%")
                if rate > 1.0:
                    raise ValueError(f"{where} is {rate:.0%} a year; expected a fraction such as 0.02 for 2%")
        return {**DEFAULT_GROWTH, **{k: _as_rate(v) for k, v in value.items()}}

    def unit_cost(self, group: str) -> Rate:
        """The unit-cost growth a group of spend follows: the single fixed rate if given, else the group's own."""
        return self.unit_cost_inflation if self.unit_cost_inflation is not None else self.unit_cost_growth[group]

    def with_central_drivers(self) -> ProjectionSettings:
        """These settings with every growth driver fixed at its central value and no model error."""
        fixed = {
            "population_growth": {
                b: r if isinstance(r, list) else Rate(central=r.central) for b, r in self.population_growth.items()
            },
            "unit_cost_growth": {g: Rate(central=self.unit_cost(g).central) for g in UNIT_COST_GROUPS},
            "unit_cost_inflation": None,
            "working_age_trend": Rate(central=self.working_age_trend.central),
            "older_trend": Rate(central=self.older_trend.central),
            "other_spend_trend": Rate(central=self.other_spend_trend.central),
            "model_error": 0.0,
        }
        return self.model_copy(update=fixed)

    def growth_path(self, years: int) -> list[list[float]]:
        """Central growth rate per year (rows) and population band (columns)."""
        path = []
        for year in range(years):
            row = []
            for band in POPULATION_BANDS:
                rates = self.population_growth[band]
                listed = rates if isinstance(rates, list) else [rates.central]
                row.append(listed[min(year, len(listed) - 1)])
            path.append(row)
        return path

    @field_validator("default_phasing")
    @classmethod
    def _phasing_is_shares(cls, value: list[float]) -> list[float]:
        if not value or any(not 0.0 <= v <= 1.0 for v in value):
            raise ValueError("phasing shares between 0 and 1, one per year")
        return value

    @field_validator("shocks")
    @classmethod
    def _shocks_within_horizon(cls, value: list[Shock], info: ValidationInfo) -> list[Shock]:
        years = info.data.get("years")
        for i, shock in enumerate(value):
            if years is not None and shock.year > years:
                raise ValueError(f"shock {i} ({shock.label!r}) in year {shock.year}, within the {years}-year horizon")
        return value

    def shock_totals(self, kind: str) -> np.ndarray:
        """£ of one-off shocks of a kind in each projected year."""
        totals = np.zeros(self.years)
        for shock in self.shocks:
            if shock.kind == kind and shock.year <= self.years:
                totals[shock.year - 1] += shock.amount_gbp
        return totals

    @model_validator(mode="after")
    def _income_shares_add_up(self) -> ProjectionSettings:
        total = sum(line.share for line in self.income.values())
        if self.income and abs(total - 1.0) > 0.001:
            raise ValueError(f"income shares add up to {total:.3f}; expected 1 (they split base-year income)")
        return self


def driver_sources() -> dict[str, Provenance]:
    """Provenance of every growth driver's default, for a projection's assumptions."""
    return {
        "population_growth": GROWTH_SOURCE,
        "unit_cost_growth": UNIT_COST_SOURCE,
        "demand_per_head_trends": TREND_SOURCE,
        "model_error": MODEL_ERROR_SOURCE,
    }
