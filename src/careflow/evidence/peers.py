"""Peer finder and benchmarks: which councils look like this one, and where it sits on rates and results."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem, problems_from_validation
from careflow.evidence.analysis import (
    average_spend,
    category_for_opportunity_lever,
    describe,
    percentile_rank,
    savings_per_year,
    spend_trend_pct,
)
from careflow.evidence.library import CouncilType, Library, LibraryCouncil
from careflow.limits import MAX_NAME_CHARS, Finite
from careflow.scenario import load_yaml_document

# How much each kind of likeness counts. Levers first: the library exists to find councils tackling the same
# problems; size next, because what works at £40m a year may not at £400m; then spend trend and council type.
WEIGHTS = {"levers": 0.45, "size": 0.30, "trend": 0.15, "type": 0.10}
SIZE_SPAN = math.log(3.0)  # spend three times larger (or smaller) counts as no size likeness at all
TREND_SPAN = 20.0  # percentage points of spend change 2011/12–2013/14 beyond which trends count as unlike
IGNORED_CATEGORIES = {"by_area", "other"}


class CouncilProfile(BaseModel):
    """A council described for peer matching: the fields the peer finder needs, from any source."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=MAX_NAME_CHARS)
    council_type: CouncilType = "unknown"
    gross_spend: dict[str, Finite] = Field(default_factory=dict, description="£ a year by financial year, '2013/14'")
    levers: list[str] = Field(default_factory=list, description="taxonomy categories or opportunity lever ids")

    @field_validator("gross_spend")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        for year, amount in value.items():
            if amount <= 0:
                raise ValueError(f"gross spend for {year} must be above zero")
        return value

    @property
    def average_spend(self) -> float | None:
        values = [v for y, v in self.gross_spend.items() if y <= "2013/14"] or list(self.gross_spend.values())
        return mean(values) if values else None

    @property
    def trend_pct(self) -> float | None:
        years = sorted(self.gross_spend)
        if len(years) < 2:
            return None
        first, last = self.gross_spend[years[0]], self.gross_spend[years[-1]]
        return (last - first) / first * 100


def profile_of(council: LibraryCouncil) -> CouncilProfile:
    return CouncilProfile(
        name=council.name,
        council_type=council.type,
        gross_spend={row.year: row.amount or 0.0 for row in _series(council)},
        levers=sorted({lv.category for lv in council.levers} - IGNORED_CATEGORIES),
    )


def _series(council: LibraryCouncil) -> list[Any]:
    from careflow.evidence.analysis import spend_series

    return [row for row in spend_series(council) if row.year <= "2013/14"]


def load_profile(path: Path, library: Library) -> CouncilProfile:
    """Read a council profile (YAML or JSON); unknown levers and bad numbers are reported with where they are."""
    data = load_yaml_document(path)  # YAML is a superset of JSON, so one reader serves both
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), f"a {type(data).__name__}", "a mapping with name and gross_spend")])
    try:
        profile = CouncilProfile.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(str(path), error)) from None
    categories: set[str] = set()
    problems = []
    for lever in profile.levers:
        if lever in library.taxonomy.categories:
            categories.add(lever)
        elif mapped := category_for_opportunity_lever(library, lever):
            categories.update(mapped)
        else:
            problems.append(Problem(str(path), f"lever {lever!r}", "a taxonomy category or opportunity lever id"))
    if problems:
        raise InputError(problems)
    return profile.model_copy(update={"levers": sorted(categories - IGNORED_CATEGORIES)})


BASELINE_TYPES: dict[str, CouncilType] = {
    "county": "county",
    "unitary": "unitary",
    "metropolitan": "metropolitan_district",
    "london_borough": "london_borough",
}


def profile_from_baseline(baseline: Baseline) -> CouncilProfile:
    """A careflow council baseline as a peer-finder profile: its name, type and gross spend for its year."""
    council = baseline.council
    return CouncilProfile(
        name=council.name,
        council_type=BASELINE_TYPES.get(council.council_type, "unknown"),
        gross_spend={council.financial_year: baseline.gross_spend()},
    )


def load_subject(spec: str, library: Library) -> CouncilProfile:
    """`--baseline`: a peer-finder profile (YAML/JSON with gross_spend) or any careflow council baseline."""
    from careflow.baseline.io import BUILT_IN, load_baseline

    path = Path(spec)
    if spec not in BUILT_IN and path.suffix.lower() in (".yaml", ".yml", ".json"):
        document = load_yaml_document(path)
        if isinstance(document, dict) and "long_term" not in document:
            return load_profile(path, library)
    return profile_from_baseline(load_baseline(spec))


@dataclass
class PeerMatch:
    council: str
    score: float
    parts: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    levers_in_common: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _likeness(subject: CouncilProfile, other: CouncilProfile) -> tuple[dict[str, float], list[str]]:
    parts: dict[str, float] = {}
    reasons: list[str] = []
    mine, theirs = set(subject.levers), set(other.levers)
    union = mine | theirs
    parts["levers"] = len(mine & theirs) / len(union) if union else 0.0
    common = sorted(mine & theirs)
    if common:
        reasons.append(f"{len(common)} lever categories in common: {', '.join(common)}")
    a, b = subject.average_spend, other.average_spend
    if a and b:
        parts["size"] = max(0.0, 1 - abs(math.log(a / b)) / SIZE_SPAN)
        reasons.append(f"average spend £{b / 1e6:,.1f}m vs £{a / 1e6:,.1f}m")
    else:
        parts["size"] = 0.0
    ta, tb = subject.trend_pct, other.trend_pct
    if ta is not None and tb is not None:
        parts["trend"] = max(0.0, 1 - abs(ta - tb) / TREND_SPAN)
        reasons.append(f"spend trend {tb:+.1f}% vs {ta:+.1f}%")
    else:
        parts["trend"] = 0.0
    same_type = subject.council_type != "unknown" and subject.council_type == other.council_type
    parts["type"] = 1.0 if same_type else 0.0
    if same_type:
        reasons.append(f"both {subject.council_type.replace('_', ' ')}")
    return parts, reasons


def find_peers(library: Library, subject: CouncilProfile, top: int = 5) -> list[PeerMatch]:
    """The `top` most similar councils by lever profile, size, spend trend and type; ties broken by name."""
    matches = []
    for council in library.councils:
        if council.name == subject.name:
            continue
        other = profile_of(council)
        parts, reasons = _likeness(subject, other)
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        common = sorted(set(subject.levers) & set(other.levers))
        figures = [
            {
                "category": lv.category,
                "label": lv.label,
                "printed": lv.printed,
                "amount": lv.amount,
                "line": lv.line,
            }
            for lv in council.levers
            if lv.category in common and lv.has_amount
        ]
        matches.append(PeerMatch(council.name, round(score, 6), parts, reasons, figures))
    matches.sort(key=lambda m: (-m.score, m.council))
    return matches[: max(top, 0)]


# ---------------------------------------------------------------- benchmarks

BENCHMARKS = {
    "home_care_hourly_rate": ("Home care hourly rate (£, latest printed)", "£/hr"),
    "reablement_no_further_service": ("Reablement: share needing no further service (%)", "%"),
    "savings_pct_of_spend": ("Savings a year as % of average spend", "%"),
}


def benchmark_values(library: Library) -> dict[str, dict[str, tuple[float, list[int]]]]:
    """Per measure, one value per council (mean where a council prints a range) with the lines it came from."""
    values: dict[str, dict[str, tuple[float, list[int]]]] = {k: {} for k in BENCHMARKS}
    for council in library.councils:
        for kind, key in (
            ("home_care_rate", "home_care_hourly_rate"),
            ("reablement_no_further_service", "reablement_no_further_service"),
        ):
            amounts = [(m.amount, m.line) for m in council.metrics if m.kind == kind and m.amount is not None]
            if amounts:
                values[key][council.name] = (mean(a for a, _ in amounts), [line for _, line in amounts])
        view = savings_per_year(council)
        if view.basis == "target":  # a plan is not a saving; the benchmark compares what was delivered
            continue
        if view.pct_of_spend is not None and view.stated is not None:
            values["savings_pct_of_spend"][council.name] = (view.pct_of_spend, [view.stated.line])
        elif view.pct_of_spend is not None:
            values["savings_pct_of_spend"][council.name] = (
                view.pct_of_spend,
                [y.line for y in council.savings_by_year],
            )
    return values


def benchmarks(library: Library, council: str | None = None) -> dict[str, Any]:
    """Distributions (min, quartiles, max) of each measure, and where a named council sits."""
    result: dict[str, Any] = {}
    for key, per_council in benchmark_values(library).items():
        numbers = [v for v, _ in per_council.values()]
        entry: dict[str, Any] = {
            "label": BENCHMARKS[key][0],
            "unit": BENCHMARKS[key][1],
            **describe(numbers),
            "councils": {name: {"value": v, "lines": lines} for name, (v, lines) in sorted(per_council.items())},
        }
        if council is not None:
            if council in per_council:
                value = per_council[council][0]
                entry["you"] = {"council": council, "value": value, "percentile": percentile_rank(numbers, value)}
            else:
                entry["you"] = {"council": council, "value": None, "percentile": None}
        result[key] = entry
    return result


def spend_summary(council: LibraryCouncil) -> dict[str, Any]:
    return {"average_spend": average_spend(council), "trend_pct": spend_trend_pct(council)}
