"""Opportunity use cases: evaluate the six levers for a council and scenario, and render the report."""

from __future__ import annotations

from pydantic import BaseModel, Field

from careflow.opportunity.model import OpportunityResult
from careflow.services.baseline import load_baseline
from careflow.services.inputs import RenderedFile, Source
from careflow.services.scenarios import load_scenario


class OpportunityReport(BaseModel):
    """The opportunity and its report files (self-contained HTML and Excel)."""

    opportunity: OpportunityResult
    files: list[RenderedFile] = Field(default_factory=list, exclude=True)  # bytes: written, never in JSON


def evaluate_opportunity(baseline: Source = "demo", scenario: Source | None = None) -> OpportunityResult:
    """The six key service outcomes for a council: people affected and net £ a year, with ranges."""
    from careflow.opportunity import evaluate

    loaded = load_baseline(baseline)
    chosen = load_scenario(scenario) if scenario is not None else None
    return evaluate(loaded, chosen)


def opportunity_report(baseline: Source = "demo", scenario: Source | None = None) -> OpportunityReport:
    """The opportunity and its report as bytes; the evidence library is loaded here, not by the renderer."""
    from careflow.evidence.library import load_library
    from careflow.opportunity import evaluate
    from careflow.opportunity.report import render_report

    loaded = load_baseline(baseline)
    chosen = load_scenario(scenario) if scenario is not None else None
    result = evaluate(loaded, chosen)
    files = render_report(result, loaded, load_library())
    return OpportunityReport(opportunity=result, files=[RenderedFile(name=n, data=d) for n, d in files.items()])
