"""Case-review use cases: check, export, summarise with intervals, and calibrate the model's lever effects."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_serializer

from careflow.outcomes.analysis import MeanWithInterval, Share
from careflow.outcomes.calibrate import LeverEvidence
from careflow.outcomes.reviews import CaseReview
from careflow.scenario import Scenario
from careflow.services.inputs import RenderedFile, Source, check_output_name, display_name, read_source

ReviewFormat = Literal[".xlsx", ".csv"]


class ReviewCheck(BaseModel):
    """A case-review file that passed every check."""

    reviews: int


class ReviewSummaryResult(BaseModel):
    """How many people could have had a more independent outcome, with 95% intervals, £ and reasons."""

    cases: int
    more_independent: Share
    by_cohort: dict[str, Share]
    by_decision_point: dict[str, Share]
    mdt_at_least_as_independent: Share
    weekly_saving: MeanWithInterval
    weekly_saving_where_gap: MeanWithInterval
    gap_reasons: dict[str, Share]
    short_term_missed: Share
    short_term_should_have: int
    short_term_offered: int
    short_term_ratio: float | None
    references: dict[str, Any]
    written: list[str] = []


class ReviewSummaryReport(BaseModel):
    summary: ReviewSummaryResult
    files: list[RenderedFile] = Field(default_factory=list, exclude=True)  # bytes: written, never in JSON


class CalibrationResult(BaseModel):
    """Local lever effects from case reviews combined with the national values, as a scenario, with its effect."""

    scenario: str  # where the scenario document was written, or its name
    reviews: int
    context: str
    opportunity_national_gbp: float
    opportunity_local_gbp: float
    levers: list[LeverEvidence]
    document: Scenario

    # Left unannotated so the published schema stays Scenario's. The document is what the written file holds:
    # projection settings the scenario does not set (the random seed among them) stay out, as in `scenario_yaml`.
    @field_serializer("document", mode="wrap")
    def _as_written(self, value, handler):
        out = handler(value)
        if "projection" not in value.model_fields_set and isinstance(out, dict):
            out.pop("projection", None)
        return out


def load_reviews(source: Source) -> list[CaseReview]:
    """Read and check case reviews (.xlsx, .csv or a folder with reviews.csv); every problem located."""
    from careflow.outcomes import reviews

    return read_source(source, reviews.load_reviews)


def check_reviews(source: Source) -> ReviewCheck:
    return ReviewCheck(reviews=len(load_reviews(source)))


def _csv_bytes(rows: list[list[Any]], lineterminator: str = "\r\n") -> bytes:
    from careflow.safety import csv_writer  # neutralises cells a spreadsheet would run as formulas

    buffer = io.StringIO()
    csv_writer(buffer, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def reviews_file(name: str, reviews: list[CaseReview] | None = None) -> bytes:
    """The reviews (or the blank template with one example row) as a workbook or CSV, chosen by `name`'s suffix."""
    from careflow.files import rendered_bytes
    from careflow.outcomes.reviews import REVIEWS, TEMPLATE_INSTRUCTIONS, review_row
    from careflow.tabular import write_workbook

    suffix = check_output_name(name, (".xlsx", ".csv"))
    rows = [review_row(r) for r in reviews] if reviews is not None else [list(r) for r in REVIEWS.example_rows]
    if suffix == ".xlsx":
        given: dict[str, Sequence[Sequence[Any]]] | None = {REVIEWS.name: rows} if reviews is not None else None
        return rendered_bytes(
            lambda path: write_workbook(path, [REVIEWS], "careflow case reviews", TEMPLATE_INSTRUCTIONS, rows=given),
            ".xlsx",
        )
    return _csv_bytes([[c.name for c in REVIEWS.columns], *rows])


def synthetic_reviews(name: str, count: int = 300, seed: int = 2024) -> bytes:
    """Deterministic SYNTHETIC case reviews as CSV (for trying careflow; not real people)."""
    from careflow.outcomes.reviews import REVIEWS, review_row
    from careflow.outcomes.synthetic import SYNTHETIC_LABEL, generate_reviews

    check_output_name(name, (".csv",))
    header = [[f"# {SYNTHETIC_LABEL} (random seed {seed})"], [c.name for c in REVIEWS.columns]]
    return _csv_bytes([*header, *(review_row(r) for r in generate_reviews(count, seed))], "\n")


def summarise_reviews(source: Source, render: bool = False) -> ReviewSummaryReport:
    """Shares with Wilson intervals, bootstrap £, reasons; with `render`, the HTML page and workbook too."""
    from careflow.outcomes.analysis import summarise
    from careflow.outcomes.review_report import render_review_summary_files

    summary = summarise(load_reviews(source))
    name = Path(display_name(source)).name
    files = (
        [RenderedFile(name=n, data=d) for n, d in render_review_summary_files(summary, name).items()] if render else []
    )
    return ReviewSummaryReport(summary=ReviewSummaryResult.model_validate(summary.as_dict()), files=files)


def calibrate_reviews(
    source: Source, baseline: Source, prior_strength: float | None = None, out_name: str = "scenario.yaml"
) -> CalibrationResult:
    """Turn review results into local lever effects, combined with national values, as a scenario document."""
    from careflow.opportunity import evaluate
    from careflow.outcomes.calibrate import NATIONAL, calibrate, lever_evidence
    from careflow.services.baseline import load_baseline

    check_output_name(out_name, (".yaml", ".yml"))
    reviews = load_reviews(source)
    council = load_baseline(baseline)
    name = Path(display_name(source)).name
    scenario = calibrate(reviews, NATIONAL, source=f"case reviews in {name}", prior_strength=prior_strength)
    national_total = evaluate(council).total_net_benefit_gbp
    local_total = evaluate(council, scenario).total_net_benefit_gbp
    context = (
        f"Opportunity for {council.council.name}: £{local_total / 1e6:,.1f}m a year with these reviews, "
        f"against £{national_total / 1e6:,.1f}m with the national values"
    )
    scenario.description += f" {context}."
    return CalibrationResult(
        scenario=out_name,
        reviews=len(reviews),
        context=context,
        opportunity_national_gbp=national_total,
        opportunity_local_gbp=local_total,
        levers=lever_evidence(reviews, NATIONAL, prior_strength),
        document=scenario,
    )


def scenario_yaml(scenario: Scenario) -> bytes:
    """A scenario as the YAML document careflow reads back."""
    import yaml

    # Settings the scenario did not set stay out, so the file keeps the projection's defaults as they evolve.
    unset = {"projection"} - scenario.model_fields_set
    document = scenario.model_dump(mode="json", exclude_none=True, exclude=unset)
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode("utf-8")
