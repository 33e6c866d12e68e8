"""Indicator use cases: the registry, the monthly-data template, and the RAG dashboard for a council."""

from __future__ import annotations

from pydantic import BaseModel, Field

from careflow.errors import InputError, Problem
from careflow.services.inputs import RenderedFile, Source, check_output_name, read_source


class IndicatorDefinition(BaseModel):
    """One indicator: how it is computed, which way is better, its default target and its source."""

    id: str
    name: str
    definition: str
    numerator: str
    denominator: str | None
    scale: float
    unit: str
    period: str
    direction: str
    target: float | None
    target_measure: str | None
    amber_margin: float
    source: str
    target_provenance: str | None


class IndicatorRegistry(BaseModel):
    indicators: list[IndicatorDefinition]


class IndicatorReading(BaseModel):
    """An indicator's latest month against its target, with the previous value and the trend."""

    id: str
    name: str
    unit: str
    month: str
    value: float | None
    target: float | None
    rag: str
    previous: float | None
    trend: str
    note: str


class IndicatorDashboard(BaseModel):
    council: str
    out: list[str] = []
    indicators: list[IndicatorReading]
    files: list[RenderedFile] = Field(default_factory=list, exclude=True)  # bytes: written, never in JSON


def indicator_registry() -> IndicatorRegistry:
    from careflow.outcomes.indicators import REGISTRY

    return IndicatorRegistry(
        indicators=[
            IndicatorDefinition(
                id=i.id, name=i.name, definition=i.definition(), numerator=i.numerator, denominator=i.denominator,
                scale=i.scale, unit=i.unit, period=i.period, direction=i.direction, target=i.target,
                target_measure=i.target_measure, amber_margin=i.amber_margin, source=i.source,
                target_provenance=i.target_provenance.describe() if i.target_provenance else None,
            )
            for i in REGISTRY
        ]
    )  # fmt: skip


def indicators_template(name: str = "indicators.xlsx") -> bytes:
    """The blank monthly-data workbook (monthly counts, optional local targets)."""
    from careflow.files import rendered_bytes
    from careflow.outcomes.indicators import MEASURES, MONTHLY, TARGETS
    from careflow.tabular import write_workbook

    check_output_name(name, (".xlsx",))
    notes = ["Give one row per month and measure; leave provider blank for council-wide figures."]
    notes += [f"{m}: {d}" for m, d in MEASURES.items()]
    return rendered_bytes(
        lambda path: write_workbook(path, [MONTHLY, TARGETS], "careflow monthly indicator data", notes), ".xlsx"
    )


def indicator_dashboard(
    source: Source, council: str = "Your council", council_type: str | None = None, render: bool = False
) -> IndicatorDashboard:
    """Every indicator by month against target and previous periods; with `render`, the HTML page and workbook."""
    from careflow.outcomes.dashboard import render_dashboard_files
    from careflow.outcomes.indicators import evaluate, load_monthly
    from careflow.outcomes.references import COUNCIL_TYPES, references_for

    if council_type is not None and council_type not in COUNCIL_TYPES:
        raise InputError([Problem("--council-type", f"'{council_type}'", "one of: " + ", ".join(COUNCIL_TYPES))])
    data = read_source(source, load_monthly)
    results = evaluate(data)
    files = []
    if render:
        rendered = render_dashboard_files(results, data, references_for(council_type), council)
        files = [RenderedFile(name=n, data=d) for n, d in rendered.items()]
    readings = [
        IndicatorReading(
            id=r.indicator.id, name=r.indicator.name, unit=r.indicator.unit, month=r.latest.month,
            value=r.latest.value, target=r.latest.target, rag=r.latest.rag,
            previous=r.previous.value if r.previous else None, trend=r.trend, note=r.latest.note,
        )
        for r in results
    ]  # fmt: skip
    return IndicatorDashboard(council=council, indicators=readings, files=files)
