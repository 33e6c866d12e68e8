"""Typed results of projections and sweeps: what `--json` prints, the web app returns and the reports render."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field

from careflow.provenance import Provenance


class SeriesBand(BaseModel):
    """One yearly series over the runs: 10th, 50th, 90th percentile and mean, per projected year."""

    unit: str
    p10: list[float]
    p50: list[float]
    p90: list[float]
    mean: list[float]


class ScenarioSeries(BaseModel):
    levers: list[str]
    series: dict[str, SeriesBand]


class WaterfallStep(BaseModel):
    step: str
    gbp: float
    kind: Literal["start", "change", "end"]


class Waterfall(BaseModel):
    """Base-year net spend to the final year's, one named driver at a time (for the last scenario)."""

    scenario: str
    note: str
    steps: list[WaterfallStep]


class Income(BaseModel):
    lines: dict[str, list[float]]
    total: list[float]


class QuickView(BaseModel):
    method: str
    spend: dict[str, list[float]]
    gap: dict[str, list[float]]


class IncomeAssumption(BaseModel):
    """Base-year income: assumed equal to base-year net spend unless the scenario sets it; stated on the page."""

    income_gbp: float
    assumed: bool
    statement: str


class FundingGap(BaseModel):
    years: list[str]
    income: Income
    scenarios: dict[str, SeriesBand]
    quick: QuickView
    note: str
    base_year: IncomeAssumption
    shocks: list[dict[str, Any]] = []  # one-off income or costs by year, as the scenario gives them


class BaseYear(BaseModel):
    net_spend_gbp: float
    gross_spend_gbp: float


class ProjectionResult(BaseModel):
    """A projection: yearly bands per scenario, the waterfall, the funding gap and where each assumption came from."""

    levers_applied: dict[str, list[str]]  # each scenario's levers, said at the top of every output
    baseline: str
    financial_year: str
    synthetic: bool
    years: list[str]
    runs: int
    # Named in words in every output; results stored before the rename still read (`seed`).
    random_seed: int = Field(validation_alias=AliasChoices("random_seed", "seed"))
    settings: dict[str, Any]
    model_error_sigma_per_sqrt_year: float = 0.0
    base_year: BaseYear
    scenarios: dict[str, ScenarioSeries]
    waterfall: Waterfall
    funding_gap: FundingGap
    assumptions: dict[str, Provenance]

    def levers_statement(self) -> str:
        """One line saying which levers each scenario applies."""
        parts = [
            f"{name}: {', '.join(lever.replace('_', ' ') for lever in levers) if levers else 'no levers'}"
            for name, levers in self.levers_applied.items()
        ]
        return "Levers applied — " + "; ".join(parts) + "."


class SweepFundingGap(BaseModel):
    income: Income
    scenarios: dict[str, SeriesBand]


class SweepTaskResult(BaseModel):
    """What a sweep keeps of one baseline × scenario projection."""

    scenario: str
    baseline: str
    financial_year: str
    years: list[str]
    runs: int
    # Named in words in every output; results stored before the rename still read (`seed`).
    random_seed: int = Field(validation_alias=AliasChoices("random_seed", "seed"))
    base_year: BaseYear
    scenarios: dict[str, ScenarioSeries]
    waterfall: Waterfall
    funding_gap: SweepFundingGap


class SweepRow(BaseModel):
    """One task's final year: net spend band and mean funding gap, in £."""

    baseline: str
    scenario: str
    final_year: str
    net_spend_mean_gbp: float
    net_spend_p10_gbp: float
    net_spend_p90_gbp: float
    funding_gap_mean_gbp: float


class SweepResult(BaseModel):
    tasks: list[SweepTaskResult]
    final_year: list[SweepRow]
