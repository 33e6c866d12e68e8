"""Projection settings: horizon, runs, seed, demographic growth, unit-cost inflation, income lines — validated."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from careflow.baseline.schema import POPULATION_BANDS, PopulationBand
from careflow.provenance import Assumed, Provenance, Quoted

SEED_000 = "000_d3172df9c3520f0e.txt"
MAX_YEARS = 20
MAX_RUNS = 100_000

# Default yearly growth of the adult population by band: an assumption (no source gives council-level projections);
# the shape — faster growth in the oldest bands — follows the ageing the source reports describe.
DEFAULT_GROWTH: dict[PopulationBand, float | list[float]] = {
    "18-64": 0.003,
    "65-74": 0.012,
    "75-84": 0.030,
    "85+": 0.032,
}
GROWTH_SOURCE = Assumed(
    reason="default growth per age band, in the range of recent national projections; replace with the council's own"
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
    # Yearly growth per band: one rate for every year, or a list (year 1, 2, …; the last rate carries on).
    population_growth: dict[PopulationBand, float | list[float]] = Field(default_factory=lambda: dict(DEFAULT_GROWTH))
    unit_cost_inflation: Rate = Field(default_factory=lambda: Rate(central=DEFAULT_INFLATION))
    income: dict[str, IncomeLine] = Field(default_factory=lambda: dict(DEFAULT_INCOME))
    # How long, on average, a person kept out of a care home or out of long-term care stays out. The report's
    # £ per person is one year of the cost difference, so one year keeps the two models comparable (docs/method.md).
    benefit_years: float = Field(default=1.0, gt=0.0, le=50.0)
    cost_extra_short_term: bool = (
        True  # extra short-term episodes cost what today's cost (off: as the opportunity model)
    )
    step_up_share: float = Field(default=0.25, ge=0.0, le=1.0)  # care-home admissions from people already supported
    default_phasing: list[float] = Field(default_factory=lambda: [0.25, 0.75, 1.0])

    @field_validator("unit_cost_inflation", mode="before")
    @classmethod
    def _number_is_central(cls, value: Any) -> Any:
        return _as_rate(value)

    @field_validator("population_growth")
    @classmethod
    def _growth_not_below_minus_100(
        cls, value: dict[PopulationBand, float | list[float]]
    ) -> dict[PopulationBand, float | list[float]]:
        for band, rates in value.items():
            listed = rates if isinstance(rates, list) else [rates]
            if not listed:
                raise ValueError(f"growth for {band} is an empty list; expected a rate, or one rate per year")
            for year, rate in enumerate(listed, start=1):
                where = f"growth for {band}" + (f" in year {year}" if isinstance(rates, list) else "")
                if rate < -1.0:
                    raise ValueError(f"{where} is {rate:.0%}; a population cannot shrink by more than 100%")
                if rate > 1.0:
                    raise ValueError(f"{where} is {rate:.0%} a year; expected a fraction such as 0.02 for 2%")
        return {**DEFAULT_GROWTH, **value}

    def growth_path(self, years: int) -> list[list[float]]:
        """Growth rate per year (rows) and population band (columns)."""
        path = []
        for year in range(years):
            row = []
            for band in POPULATION_BANDS:
                rates = self.population_growth[band]
                listed = rates if isinstance(rates, list) else [rates]
                row.append(listed[min(year, len(listed) - 1)])
            path.append(row)
        return path

    @field_validator("default_phasing")
    @classmethod
    def _phasing_is_shares(cls, value: list[float]) -> list[float]:
        if not value or any(not 0.0 <= v <= 1.0 for v in value):
            raise ValueError("phasing shares between 0 and 1, one per year")
        return value

    @model_validator(mode="after")
    def _income_shares_add_up(self) -> ProjectionSettings:
        total = sum(line.share for line in self.income.values())
        if self.income and abs(total - 1.0) > 0.001:
            raise ValueError(f"income shares add up to {total:.3f}; expected 1 (they split base-year income)")
        return self


def growth_sources() -> dict[str, Provenance]:
    return {band: GROWTH_SOURCE for band in POPULATION_BANDS}
