"""Indicator use cases: the registry, the monthly-data template, and the RAG dashboard for a council."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

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
    ascof: str | None = None  # the refreshed ASCOF code (2023/24 onward) it computes, if any
    withdrawn: str | None = None  # a measure no longer collected nationally: shown only where a council has data


class IndicatorRegistry(BaseModel):
    indicators: list[IndicatorDefinition]


class MonthValue(BaseModel):
    month: str
    value: float | None
    target: float | None


class ProviderReading(BaseModel):
    provider: str
    value: float | None
    target: float | None
    rag: str


class IndicatorReading(BaseModel):
    """An indicator's latest month against its target, with the previous value and the trend."""

    id: str
    name: str  # for a withdrawn measure, with what it was and the date of the council's latest value
    unit: str
    month: str
    value: float | None
    target: float | None
    rag: str
    previous: float | None
    trend: str
    note: str
    direction: str = "higher"
    ascof: str | None = None
    series: list[MonthValue] = []  # every month of the data, oldest first (gaps as null), for the trend line
    trend_text: str = ""  # the trend line in words: its text alternative
    providers: list[ProviderReading] = []  # the latest month by provider, for by-provider indicators


class ComparedSide(BaseModel):
    who: str
    value: float | None
    period: str
    definition: str
    source: str = ""


class IndicatorComparison(BaseModel):
    """The council's value beside a published one; `like_for_like` only when period and definition match."""

    indicator: str
    topic: str
    unit: str
    yours: ComparedSide
    theirs: ComparedSide
    like_for_like: bool
    differences: list[str]
    sentence: str
    peers: list[ComparedSide] = []
    peer_summary: str = ""


class ComparisonSources(BaseModel):
    """Published files to compare with: DHSC's ASCOF time series (.ods) and ONS's nearest neighbours (.xlsx)."""

    ascof: Path | None = None
    neighbours: Path | None = None
    council_code: str | None = None  # the council's ONS code (E10000020 for Norfolk)


class IndicatorDashboard(BaseModel):
    council: str
    tracked: list[str]
    out: list[str] = []
    indicators: list[IndicatorReading]
    comparisons: list[IndicatorComparison] = []
    files: list[RenderedFile] = Field(default_factory=list, exclude=True)  # bytes: written, never in JSON


def indicator_registry() -> IndicatorRegistry:
    from careflow.outcomes.indicators import REGISTRY, WITHDRAWN

    return IndicatorRegistry(
        indicators=[
            IndicatorDefinition(
                id=i.id, name=i.name, definition=i.definition(), numerator=i.numerator, denominator=i.denominator,
                scale=i.scale, unit=i.unit, period=i.period, direction=i.direction, target=i.target,
                target_measure=i.target_measure, amber_margin=i.amber_margin, source=i.source,
                target_provenance=i.target_provenance.describe() if i.target_provenance else None,
                ascof=i.ascof, withdrawn=WITHDRAWN.get(i.id),
            )
            for i in REGISTRY
        ]
    )  # fmt: skip


def indicators_template(name: str = "indicators.xlsx") -> bytes:
    """The blank monthly-data workbook (monthly counts, optional local targets)."""
    from careflow.files import rendered_bytes
    from careflow.outcomes.indicators import MEASURES, MONTHLY, TARGETS, TRACKED
    from careflow.tabular import write_workbook

    check_output_name(name, (".xlsx",))
    notes = [
        "Give one row per month and measure; leave provider blank for council-wide figures. Provider rows must "
        "add up to the council-wide row of the same month (with no council-wide row, their sum is used).",
        "The optional 'tracked' sheet lists the indicators your council tracks (careflow indicators list).",
    ]
    notes += [f"{m}: {d}" for m, d in MEASURES.items()]
    return rendered_bytes(
        lambda path: write_workbook(path, [MONTHLY, TARGETS, TRACKED], "careflow monthly indicator data", notes),
        ".xlsx",
    )


def indicator_dashboard(
    source: Source,
    council: str = "Your council",
    council_type: str | None = None,
    render: bool = False,
    tracked: list[str] | None = None,
    compare: ComparisonSources | None = None,
) -> IndicatorDashboard:
    """The tracked indicators by month against target and previous periods, compared with published figures; with
    `render`, the HTML page and workbook.

    `tracked` (ids) replaces the data's own 'tracked' sheet; with neither, every indicator is shown."""
    from careflow.outcomes.dashboard import render_dashboard_files, sparkline_text
    from careflow.outcomes.indicators import TRACKED, evaluate, load_monthly, select_indicators
    from careflow.outcomes.references import COUNCIL_TYPES, references_for

    if council_type is not None and council_type not in COUNCIL_TYPES:
        raise InputError([Problem("--council-type", f"'{council_type}'", "one of: " + ", ".join(COUNCIL_TYPES))])
    chosen = select_indicators(tracked) if tracked else None  # before reading: a typo is found at once
    data = read_source(source, load_monthly)
    indicators = chosen or select_indicators(data.tracked, TRACKED.name)
    results = evaluate(data, indicators)
    comparisons = _comparisons(results, data, references_for(council_type), compare, [i.id for i in indicators])
    files = []
    if render:
        rendered = render_dashboard_files(results, comparisons, council)
        files = [RenderedFile(name=n, data=d) for n, d in rendered.items()]
    readings = [
        IndicatorReading(
            id=r.indicator.id, name=r.dated_name(), unit=r.indicator.unit, month=r.latest.month,
            value=r.latest.value, target=r.latest.target, rag=r.latest.rag,
            previous=r.previous.value if r.previous else None, trend=r.trend, note=r.latest.note,
            direction=r.indicator.direction, ascof=r.indicator.ascof, trend_text=sparkline_text(r),
            series=[MonthValue(month=p.month, value=p.value, target=p.target) for p in r.series],
            providers=[ProviderReading(provider=p.provider, value=p.value, target=p.target, rag=p.rag)
                       for p in r.by_provider],
        )
        for r in results
    ]  # fmt: skip
    return IndicatorDashboard(
        council=council, tracked=[i.id for i in indicators], indicators=readings,
        comparisons=[_comparison_model(c) for c in comparisons], files=files,
    )  # fmt: skip


def _comparisons(
    results: list[Any], data: Any, references: list[Any], compare: ComparisonSources | None, tracked: list[str]
) -> list[Any]:
    """Printed references by council type, then DHSC's published ASCOF outcomes (the council's own, England,
    its type) with its ONS nearest neighbours, when those files are given."""
    from careflow.outcomes.ascof import published_ascof
    from careflow.outcomes.comparisons import ascof_codes, ascof_comparisons, delayed_growth, reference_comparisons

    growth = delayed_growth(data) if "delayed_days_social_care" in tracked else None
    comparisons = reference_comparisons(references, results, {"delayed_growth": growth} if growth else {})
    if compare is None or compare.ascof is None:
        return comparisons
    codes = ascof_codes(tracked)
    if not codes:
        return comparisons
    published = published_ascof(compare.ascof, codes)
    code = compare.council_code
    if code is not None and code not in published.names:
        raise InputError([Problem("--council-code", f"'{code[:20]}'", "the ONS code of a council in DHSC's ASCOF "
                                  "time series (e.g. E10000020 for Norfolk)")])  # fmt: skip
    peers: list[str] = []
    if compare.neighbours is not None and code is not None:
        from careflow.imports.peers import PEER_COUNT

        peers = nearest_neighbours(compare.neighbours).neighbours(code, PEER_COUNT)
    return comparisons + ascof_comparisons(results, data, published, code, peers)


def nearest_neighbours(path: Path) -> Any:
    """ONS's nearest neighbours, read once per process for each version of the file: the workbook's distance
    matrix takes several seconds to read, too long for every page view."""
    from careflow.imports.peers import NearestNeighbours

    if not Path(path).is_file():
        return NearestNeighbours(path)  # its own located problem: no such file
    return _neighbours_cached(str(Path(path).resolve()), Path(path).stat().st_mtime, NearestNeighbours)


@lru_cache(maxsize=2)
def _neighbours_cached(path: str, mtime: float, reader: Any) -> Any:
    return reader(Path(path))


def _comparison_model(c: Any) -> IndicatorComparison:
    def side(s: Any) -> ComparedSide:
        return ComparedSide(who=s.who, value=s.value, period=s.period, definition=s.definition, source=s.source)

    return IndicatorComparison(
        indicator=c.indicator, topic=c.topic, unit=c.unit, yours=side(c.yours), theirs=side(c.theirs),
        like_for_like=c.like_for_like, differences=list(c.differences), sentence=c.sentence(),
        peers=[side(p) for p in c.peers], peer_summary=c.peer_summary(),
    )  # fmt: skip
