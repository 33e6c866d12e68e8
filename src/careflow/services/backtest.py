"""`careflow backtest` as a service: project past published years to later ones and score the bands (typed result).

The engine (`careflow.simulate.backtest`) works on arrays; this layer checks the options and files, runs it, and
returns what every output shows — the JSON printed with --json, backtest.json and the HTML page — as one typed
result whose JSON Schema is published (`careflow schema backtest`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field


class BacktestArea(BaseModel):
    """One council (or one of England's years) in a pair: its base, its band at the horizon and what happened."""

    ons_code: str  # a council's ONS code; for England's rows, the pair of years ("2016-17 → 2021-22")
    name: str
    base: float  # the origin year's figure, in the pair's measure
    actual: float  # the figure published for the target year
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    error: float  # P50 ÷ actual − 1 (positive: projected too much)


class BacktestScores(BaseModel):
    """How often the actual fell inside each band, and how far the P50 missed (shares, not percentages)."""

    councils: int  # areas scored (for England's rows: origins)
    coverage_p10_p90: float
    coverage_p25_p75: float
    below_p10: float
    above_p90: float
    mean_error: float
    mean_absolute_error: float
    median_error: float
    error_p10: float
    error_p90: float


class BacktestPair(BaseModel):
    """One pair of years the published tables support."""

    label: str
    origin: str
    target: str
    measure: str
    note: str
    horizon: int = Field(ge=1)  # years from origin to target
    scores: BacktestScores
    pit: list[float]  # each area's probability integral transform: the share of runs below the actual
    councils: list[BacktestArea]


class BacktestCalibration(BaseModel):
    """The model-error term the bands carry, and what it was sized on."""

    sigma_national_per_sqrt_year: float
    sigma_council_idiosyncratic: float
    sigma_council_per_sqrt_year: float
    england_pairs: int
    council_pairs: int
    england_bias_per_year: float
    council_bias: float
    england_origins_from: str


class BacktestResult(BaseModel):
    """Every pair of years the published files support, scored, with the calibration and the sources used."""

    runs: int
    random_seed: int
    calibration: BacktestCalibration
    pairs: list[BacktestPair]
    sources: list[str]


@dataclass(frozen=True)
class BacktestRun:
    """The result, the terminal table (headers and one row per pair, as the HTML page has it) and the files."""

    result: BacktestResult
    headers: list[str]
    rows: list[list[Any]]
    files: dict[str, bytes]


def run_backtest(data: Path, runs: int = 1000, seed: int = 0) -> BacktestRun:
    """Check the options and files (every problem at once, located), run the backtest with the default drivers."""
    from careflow.simulate.backtest import check_inputs
    from careflow.simulate.backtest import run_backtest as run
    from careflow.simulate.backtest_report import SCORE_HEADERS, html_page, score_rows
    from careflow.simulate.settings import ProjectionSettings

    check_inputs(data, runs, seed)
    backtest = run(data, ProjectionSettings(), runs=runs, seed=seed)
    result = BacktestResult.model_validate(backtest.as_dict())
    files = {
        "backtest.html": html_page(backtest).encode("utf-8"),
        "backtest.json": (result.model_dump_json(indent=2) + "\n").encode("utf-8"),
    }
    return BacktestRun(result, SCORE_HEADERS, score_rows(backtest), files)
