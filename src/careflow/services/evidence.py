"""Evidence use cases: the 48 councils, search, a council's profile, peers, benchmarks, quality, taxonomy, levers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from careflow.errors import InputError, Problem
from careflow.evidence.analysis import LeverHit, QualityFlag
from careflow.evidence.library import (
    CaseStudy,
    Lever,
    Library,
    LibraryCouncil,
    Metric,
    Pressure,
    Savings,
    SavingsYear,
    SpendYear,
)
from careflow.evidence.peers import CouncilProfile, PeerMatch
from careflow.reference.bibliography import SourceDocument, cite, record_id
from careflow.services.baseline import BUILT_IN_BASELINES, load_baseline
from careflow.services.inputs import Source, Upload, display_name


class CouncilRow(BaseModel):
    number: int
    council: str
    type: str
    average_spend_gbp: float | None
    spend_trend_pct: float | None
    savings_per_year_gbp: float | None
    savings_pct_of_spend: float | None
    levers: int
    line: int


class CouncilList(BaseModel):
    """The councils in the evidence library with spend, trend and savings normalised to £ a year."""

    councils: list[CouncilRow]


class SearchQuery(BaseModel):
    text: str
    lever: str | None
    client_group: str | None
    min_gbp: float | None


class EvidenceSearch(BaseModel):
    """Levers across councils matching the words and filters, and case studies where no £ filter applies."""

    query: SearchQuery
    levers: list[LeverHit]
    case_studies: list[CaseStudy]


class SumCheckResult(BaseModel):
    parts: str
    parts_sum_gbp: float
    stated_line: int
    matches: bool


class SavingsResult(BaseModel):
    stated: Savings | None
    basis: str
    per_year_gbp: float | None
    pct_of_spend: float | None
    how: str
    by_year: list[SavingsYear]
    sum_checks: list[SumCheckResult]


class CouncilProfileResult(BaseModel):
    """Everything a council's page shows: spend, trend, savings per year, levers, metrics, pressures and flags."""

    council: str
    full_name: str
    type: str
    number: int
    joint_entry: str | None
    document: SourceDocument  # the publication's bibliography record id in JSON
    line: int
    citation: str  # the publication in words at the entry's page or section
    spend_measure: str
    spend: list[SpendYear]
    spend_trend_pct: float | None
    average_spend_gbp: float | None
    trend_years: list[str]
    savings: SavingsResult
    levers: list[Lever]
    metrics: list[Metric]
    pressures: list[Pressure]
    flags: list[QualityFlag]
    case_studies: list[CaseStudy]


class PeersResult(BaseModel):
    subject: CouncilProfile
    peers: list[PeerMatch]


class Position(BaseModel):
    council: str
    value: float | None
    percentile: float | None


class CouncilValue(BaseModel):
    value: float
    lines: list[int]


class Benchmark(BaseModel):
    """One measure's distribution across the annex councils, and where a named council sits."""

    label: str
    unit: str
    n: int
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None
    councils: dict[str, CouncilValue]
    you: Position | None = None


class BenchmarksResult(BaseModel):
    benchmarks: dict[str, Benchmark]


class QualityResult(BaseModel):
    flags: list[QualityFlag]


class TaxonomyRow(BaseModel):
    category: str
    label: str
    theme: str
    opportunity_lever: str | None
    relation: str | None
    councils: int


class TaxonomyResult(BaseModel):
    categories: list[TaxonomyRow]
    theme_source: dict[str, str]


class CouncilLevers(BaseModel):
    council: str
    levers: list[LeverHit]
    total_with_amounts_gbp: float


class DeliveredAmounts(BaseModel):
    count: int
    min: float | None
    median: float | None
    max: float | None


class Worth(BaseModel):
    opportunity_lever: str
    net_gbp_per_year: float
    relation: str | None


class LeverPage(BaseModel):
    """One lever category: who pulled it, for how much, case studies, and what the opportunity model says it is worth."""

    category: str
    label: str
    theme: str
    opportunity_lever: str | None
    relation: str | None
    councils_that_pulled_it: list[CouncilLevers]
    council_count: int
    delivered_amounts: DeliveredAmounts
    case_studies: list[CaseStudy]
    worth_for_you: Worth | None


def library() -> Library:
    from careflow.evidence.library import load_library

    return load_library()


def list_councils(lib: Library | None = None) -> CouncilList:
    from careflow.evidence.analysis import average_spend, savings_per_year, spend_trend_pct

    lib = lib or library()
    rows = []
    for council in lib.councils:
        view = savings_per_year(council)
        rows.append(
            CouncilRow(
                number=council.number,
                council=council.name,
                type=council.type,
                average_spend_gbp=average_spend(council),
                spend_trend_pct=spend_trend_pct(council),
                savings_per_year_gbp=view.per_year,
                savings_pct_of_spend=view.pct_of_spend,
                levers=len(council.levers),
                line=council.line,
            )
        )
    return CouncilList(councils=rows)


def search_evidence(
    text: str = "",
    lever: str | None = None,
    client_group: str | None = None,
    min_gbp: float | None = None,
    lib: Library | None = None,
) -> EvidenceSearch:
    """Levers across councils matching the text and filters, with amount, year, council and source line."""
    from careflow.evidence.analysis import search_case_studies, search_levers

    lib = lib or library()
    if lever and lever not in lib.taxonomy.categories:
        raise InputError([Problem("--lever", repr(lever), "one of: " + ", ".join(lib.taxonomy.categories))])
    hits = search_levers(lib, text, lever, client_group, min_gbp)
    cases = [] if min_gbp is not None or client_group else search_case_studies(lib, text, lever)
    query = SearchQuery(text=text, lever=lever, client_group=client_group, min_gbp=min_gbp)
    return EvidenceSearch(query=query, levers=hits, case_studies=cases)


def council_profile(name: str, lib: Library | None = None) -> CouncilProfileResult:
    """One council's profile, by name or annex entry number."""
    from careflow.evidence.analysis import (
        average_spend,
        quality_flags,
        savings_per_year,
        spend_series,
        spend_trend_pct,
        sum_checks,
    )
    from careflow.evidence.library import ANNEX

    lib = lib or library()
    council: LibraryCouncil = lib.council(name)
    view = savings_per_year(council)
    savings = SavingsResult(
        stated=view.stated if isinstance(view.stated, Savings) else None,
        basis=view.basis,
        per_year_gbp=view.per_year,
        pct_of_spend=view.pct_of_spend,
        how=view.how,
        by_year=council.savings_by_year,
        sum_checks=[
            SumCheckResult(parts=c.parts, parts_sum_gbp=c.parts_sum, stated_line=c.stated.line, matches=c.matches)
            for c in sum_checks(council)
        ],
    )
    return CouncilProfileResult(
        council=council.name,
        full_name=council.full_name,
        type=council.type,
        number=council.number,
        joint_entry=council.joint_entry,
        document=ANNEX,
        line=council.line,
        citation=cite(ANNEX, f"L{council.line}"),
        spend_measure=council.spend_measure,
        spend=council.spend,
        spend_trend_pct=spend_trend_pct(council),
        average_spend_gbp=average_spend(council),
        trend_years=[row.year for row in spend_series(council) if row.year <= "2013/14"],
        savings=savings,
        levers=council.levers,
        metrics=council.metrics,
        pressures=council.pressures,
        flags=[f for f in quality_flags(lib) if f.council == council.name],
        case_studies=[c for c in lib.case_studies if c.council == council.name],
    )


def find_peers(
    name: str | None = None, baseline: Source | None = None, top: int = 5, lib: Library | None = None
) -> PeersResult:
    """The most similar councils to one in the library (`name`) or to a baseline/peer profile (`baseline`)."""
    from careflow.evidence import peers

    lib = lib or library()
    if (name is None) == (baseline is None):
        raise InputError([Problem("peers", "both or neither of NAME and --baseline", "exactly one of them")])
    if baseline is None:
        subject = peers.profile_of(lib.council(name or ""))
    elif isinstance(baseline, Upload) or str(baseline) in BUILT_IN_BASELINES:
        subject = peers.profile_from_baseline(load_baseline(baseline))
    else:
        subject = peers.load_subject(str(baseline), lib)
    return PeersResult(subject=subject, peers=peers.find_peers(lib, subject, top))


class OnsPeer(BaseModel):
    rank: int
    code: str
    name: str
    distance: float | None
    in_evidence_library: bool


class OnsPeersResult(BaseModel):
    """A council's ONS statistical nearest neighbours, and which of them the 2011–14 evidence library holds."""

    subject: str
    ons_code: str | None
    peers: list[OnsPeer]


def ons_peers(baseline: Source | None, neighbours: Source, top: int = 5, lib: Library | None = None) -> OnsPeersResult:
    """Peers by ONS statistical nearest neighbours (2025), for a baseline that carries its ONS code."""
    from careflow.imports.peers import ons_peers as nearest
    from careflow.services.inputs import read_source

    if baseline is None:
        raise InputError([Problem("peers", "--neighbours without --baseline", "--baseline with an ONS code")])
    lib = lib or library()
    subject = load_baseline(baseline)
    code = subject.council.ons_code
    rows = read_source(neighbours, lambda path: nearest(code, path, top, {c.name for c in lib.councils}))
    return OnsPeersResult(subject=subject.council.name, ons_code=code, peers=[OnsPeer.model_validate(r) for r in rows])


def benchmark_council(council: str | None = None, lib: Library | None = None) -> BenchmarksResult:
    """Distributions of home care rates, reablement outcomes and savings as % of spend; where `council` sits."""
    from careflow.evidence.peers import benchmarks

    lib = lib or library()
    name = lib.council(council).name if council else None
    return BenchmarksResult.model_validate({"benchmarks": benchmarks(lib, name)})


def quality(lib: Library | None = None) -> QualityResult:
    from careflow.evidence.analysis import quality_flags

    return QualityResult(flags=quality_flags(lib or library()))


def taxonomy(lib: Library | None = None) -> TaxonomyResult:
    lib = lib or library()
    counts: dict[str, int] = {}
    for council in lib.councils:
        for category in {lv.category for lv in council.levers}:
            counts[category] = counts.get(category, 0) + 1
    rows = [
        TaxonomyRow(
            category=name,
            label=c.label,
            theme=lib.taxonomy.theme_label(name),
            opportunity_lever=c.opportunity_lever,
            relation=c.relation,
            councils=counts.get(name, 0),
        )
        for name, c in lib.taxonomy.categories.items()
    ]
    source = lib.taxonomy.theme_source
    theme_source = {
        "source_id": record_id(source["document"]),
        "line": source["line"],
        "citation": cite(source["document"], source["line"]),
    }
    return TaxonomyResult(categories=rows, theme_source=theme_source)


def opportunity_values(source: Source) -> dict[str, float]:
    """`{lever_id: net £ a year}` from a YAML/JSON document (what the opportunity model gives per lever)."""
    from careflow.scenario import load_yaml_document, parse_yaml

    name = display_name(source)
    data: Any = parse_yaml(source.data, name) if isinstance(source, Upload) else load_yaml_document(Path(source))
    if isinstance(data, dict) and isinstance(data.get("levers"), list):
        # the document `careflow opportunity --json` writes: each lever's id and net £ a year
        levers = data["levers"]
        if all(isinstance(x, dict) and isinstance(x.get("net_benefit_gbp"), int | float) for x in levers):
            return {str(x["id"]): float(x["net_benefit_gbp"]) for x in levers}
    if not isinstance(data, dict) or not all(isinstance(v, int | float) for v in data.values()):
        raise InputError(
            [
                Problem(
                    name,
                    "neither the output of `careflow opportunity --json` nor a mapping of lever id to a number",
                    "the JSON `careflow opportunity --json` writes, or {lever_id: net £ a year}",
                )
            ]
        )
    return {str(k): float(v) for k, v in data.items()}


def lever_page(category: str, values: dict[str, float] | None = None, lib: Library | None = None) -> LeverPage:
    """A lever page: councils that pulled this lever, case studies, and what it is worth for you."""
    from careflow.evidence.analysis import lever_page as page

    return LeverPage.model_validate(page(lib or library(), category, values))


def evidence_page(lib: Library | None = None) -> bytes:
    """evidence.html: the library by lever and council, with charts, as bytes."""
    from careflow.evidence.report import build_page

    return build_page(lib or library()).encode("utf-8")
