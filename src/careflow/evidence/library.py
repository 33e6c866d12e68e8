"""The evidence library: what other councils did and saved, loaded from the curated data files with provenance."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field

from careflow.errors import InputError, Problem, problems_from_validation
from careflow.provenance import Value, quoted
from careflow.reference.bibliography import SourceDocument, cite
from careflow.safe_yaml import load_yaml_text

ANNEX = "002_9f8a2094867af2e8.txt"

CouncilType = Literal["london_borough", "metropolitan_district", "unitary", "county", "unknown"]
Status = Literal["delivered", "target", "projected", "planned"]
ClientGroup = Literal[
    "all", "older_people", "learning_disability", "mental_health", "working_age", "physical_disability", "carers"
]
SpendMeasure = Literal["gross_spend", "budget", "outturn", "not_given"]

_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(million|billion|bn|m\b|M\b|k\b)?")
_MULTIPLIER = {"million": 1e6, "m": 1e6, "M": 1e6, "billion": 1e9, "bn": 1e9, "k": 1e3}


def parse_printed(printed: str) -> float:
    """The amount a printed figure states: '£54.87 million' → 54_870_000, '£848,000' → 848_000, '97.2 per cent' → 97.2.

    Only for plainly printed figures; typos ('£103,959 million') must carry an explicit interpreted value.
    """
    match = _NUMBER.search(printed)
    if match is None:
        raise ValueError(f"no number in {printed!r}")
    number = float(match.group(1).replace(",", ""))
    unit = match.group(2)
    return number * _MULTIPLIER[unit] if unit else number


class Figure(BaseModel):
    """A figure as printed on one line of a seed document, with the value we read it as."""

    model_config = ConfigDict(extra="forbid")
    printed: str | None = None
    line: int
    value: float | None = None  # the interpreted value; given explicitly only where the print is not plain
    flag: str | None = None  # why the interpreted value differs from, or qualifies, the printed one

    @computed_field  # type: ignore[prop-decorator]
    @property
    def amount(self) -> float | None:
        """The figure in £ (or its unit) as careflow reads the print."""
        if self.value is not None:
            return self.value
        return parse_printed(self.printed) if self.printed else None

    @property
    def has_amount(self) -> bool:
        return self.printed is not None

    def provenance(self, document: str = ANNEX, unit: str = "") -> Value | None:
        amount = self.amount
        if amount is None or self.printed is None:
            return None
        return quoted(amount, document, f"L{self.line}", self.printed, unit=unit)


class SpendYear(Figure):
    year: str
    measure: SpendMeasure | None = None  # overrides the council's usual measure for this row
    comparable: bool = True  # False where the source says the figure cannot be compared with other years


class Savings(Figure):
    basis: Literal["total", "per_year", "cumulative", "target"]
    years: int = 1
    period: str
    breakdown: Literal["levers", "by_year", "levers_by_area"] | None = None  # what the source presents as its parts


class SavingsYear(Figure):
    year: str
    cumulative: bool = False
    status: Status = "delivered"


class Lever(Figure):
    category: str
    label: str
    year: str | None = None
    status: Status
    client_group: ClientGroup
    investment: bool = False  # money spent, not saved
    per_year: bool = False
    area_total: bool = False  # a service-area subtotal, not a single lever


class Metric(Figure):
    kind: str
    label: str
    unit: str = ""


class Pressure(Figure):
    label: str
    unit: str = "£"


class CouncilFlag(BaseModel):
    """A data-quality note on a council's entry (its annex line, and the figure as printed and as read, if any)."""

    model_config = ConfigDict(extra="forbid")
    line: int
    note: str
    printed: str | None = None
    value: float | None = None


class LibraryCouncil(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int
    name: str
    full_name: str
    type: CouncilType
    line: int
    joint_entry: str | None = None
    spend_measure: SpendMeasure
    spend: list[SpendYear] = Field(default_factory=list)
    savings: list[Savings] = Field(default_factory=list)
    savings_by_year: list[SavingsYear] = Field(default_factory=list)
    levers: list[Lever] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    pressures: list[Pressure] = Field(default_factory=list)
    flags: list[CouncilFlag] = Field(default_factory=list)

    @property
    def document(self) -> str:
        return ANNEX

    def figures(self) -> list[tuple[str, Figure]]:
        """Every figure of the council with the section it sits in."""
        found: list[tuple[str, Figure]] = []
        for section in ("spend", "savings", "savings_by_year", "levers", "metrics", "pressures"):
            found.extend((section, figure) for figure in getattr(self, section))
        return found


class CaseResult(Figure):
    label: str
    unit: str = ""


class CaseStudy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    council: str
    type: CouncilType
    document: SourceDocument
    heading_line: int
    category: str
    opportunity_lever: str | None = None
    title: str
    results: list[CaseResult]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def citation(self) -> str:
        """The publication in words at the case study's page or section."""
        return cite(self.document, f"L{self.heading_line}")


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    theme: str
    opportunity_lever: str | None = None
    relation: Literal["same", "related"] | None = None
    not_a_lever: bool = False


class Taxonomy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    themes: dict[str, str]
    theme_source: dict[str, str]
    categories: dict[str, Category]

    def theme_label(self, category: str) -> str:
        theme = self.categories[category].theme
        return f"{theme} {self.themes[theme]}"


class Library(BaseModel):
    councils: list[LibraryCouncil]
    case_studies: list[CaseStudy]
    taxonomy: Taxonomy

    def council(self, name: str) -> LibraryCouncil:
        """Find a council by name, full name or entry number, forgiving case and punctuation."""
        wanted = _key(name)
        for council in self.councils:
            if wanted in {_key(council.name), _key(council.full_name), str(council.number)}:
                return council
        close = [c.name for c in self.councils if wanted and wanted in _key(c.full_name)]
        if len(close) == 1:
            return self.council(close[0])
        hint = f"one of: {', '.join(close)}" if close else "a council name from `careflow evidence councils`"
        raise InputError([Problem("council name", repr(name), hint)])


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _load_data(filename: str) -> Any:
    text = resources.files("careflow.evidence").joinpath("data", filename).read_text(encoding="utf-8")
    return load_yaml_text(text, f"careflow/evidence/data/{filename}")


def _validated(filename: str, model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(f"careflow/evidence/data/{filename}", error)) from None


@cache
def load_library() -> Library:
    """Load and cross-check the curated library (councils, case studies, taxonomy) shipped with careflow."""
    councils = [_validated("councils.yaml", LibraryCouncil, c) for c in _load_data("councils.yaml")["councils"]]
    cases = [_validated("case_studies.yaml", CaseStudy, c) for c in _load_data("case_studies.yaml")["case_studies"]]
    taxonomy = _validated("taxonomy.yaml", Taxonomy, _load_data("taxonomy.yaml"))
    library = Library(councils=councils, case_studies=cases, taxonomy=taxonomy)
    problems = consistency_problems(library)
    if problems:
        raise InputError(problems)
    return library


def consistency_problems(library: Library) -> list[Problem]:
    """Cross-row checks on the curated data: unknown categories or themes, duplicate entries, unparseable figures."""
    problems: list[Problem] = []
    where = "careflow/evidence/data/councils.yaml"
    seen: set[int] = set()
    for council in library.councils:
        if council.number in seen:
            problems.append(Problem(where, f"entry {council.number} twice", "each annex entry once"))
        seen.add(council.number)
        for lever in council.levers:
            if lever.category not in library.taxonomy.categories:
                problems.append(
                    Problem(where, f"category {lever.category!r} ({council.name})", "a category in taxonomy.yaml")
                )
        for section, figure in council.figures():
            try:
                _ = figure.amount
            except ValueError:
                problems.append(
                    Problem(where, f"{figure.printed!r} in {council.name} {section}", "a figure with a number")
                )
    for case in library.case_studies:
        if case.category not in library.taxonomy.categories:
            problems.append(Problem("case_studies.yaml", f"category {case.category!r}", "a taxonomy category"))
    for name, category in library.taxonomy.categories.items():
        if category.theme not in library.taxonomy.themes:
            problems.append(Problem("taxonomy.yaml", f"theme {category.theme!r} for {name}", "a listed theme"))
    return problems
