"""The published JSON Schema of every result a command prints with --json (and the web API returns)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from careflow.errors import InputError, Problem
from careflow.opportunity.model import OpportunityResult
from careflow.services.backtest import BacktestResult
from careflow.services.baseline import BaselineCheck
from careflow.services.evidence import (
    BenchmarksResult,
    CouncilList,
    CouncilProfileResult,
    EvidenceSearch,
    LeverPage,
    OnsPeersResult,
    PeersResult,
    QualityResult,
    TaxonomyResult,
)
from careflow.services.finance import FinanceCheck, FinanceReportResult
from careflow.services.imports import PeerBenchmark
from careflow.services.indicators import IndicatorDashboard, IndicatorRegistry
from careflow.services.reviews import CalibrationResult, ReviewCheck, ReviewSummaryResult
from careflow.simulate.results import ProjectionResult, SweepResult

# Result name → (model, the commands whose --json prints it).
RESULTS: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    "baseline-check": (BaselineCheck, ("validate",)),
    "opportunity": (OpportunityResult, ("opportunity",)),
    "projection": (ProjectionResult, ("project",)),
    "sweep": (SweepResult, ("sweep",)),
    "backtest": (BacktestResult, ("backtest",)),
    "finance-check": (FinanceCheck, ("finance validate",)),
    "finance-report": (FinanceReportResult, ("finance report",)),
    "review-check": (ReviewCheck, ("reviews validate",)),
    "review-summary": (ReviewSummaryResult, ("reviews summary",)),
    "review-calibration": (CalibrationResult, ("reviews calibrate",)),
    "indicator-registry": (IndicatorRegistry, ("indicators list",)),
    "indicator-dashboard": (IndicatorDashboard, ("indicators report",)),
    "benchmark": (PeerBenchmark, ("benchmark",)),
    "evidence-councils": (CouncilList, ("evidence councils",)),
    "evidence-search": (EvidenceSearch, ("evidence search",)),
    "evidence-council": (CouncilProfileResult, ("evidence council",)),
    "evidence-peers": (PeersResult, ("evidence peers",)),
    "evidence-ons-peers": (OnsPeersResult, ("evidence peers --neighbours",)),
    "evidence-benchmarks": (BenchmarksResult, ("evidence benchmarks",)),
    "evidence-quality": (QualityResult, ("evidence quality",)),
    "evidence-taxonomy": (TaxonomyResult, ("evidence taxonomy",)),
    "evidence-lever": (LeverPage, ("evidence lever",)),
}


def result_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a result as it is printed (serialisation mode: computed fields included)."""
    if name not in RESULTS:
        raise InputError([Problem("schema", f"'{name}'", "one of: " + ", ".join(RESULTS))])
    return RESULTS[name][0].model_json_schema(mode="serialization")
