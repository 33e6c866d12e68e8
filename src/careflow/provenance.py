"""Where a number came from: quoted from a source, derived by arithmetic, assumed, calibrated, or local data."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from careflow.reference.bibliography import SourceDocument

_MONEY_WORDS = ("gbp", "cost", "spend", "saving", "income", "expenditure", "package", "england", "value")
_SHARE_WORDS = ("share", "reduction", "uplift", "diverted", "moved", "effect", "rate", "fraction", "overlap")


def money(value: float) -> str:
    """£ for people: £77.1m, £8,700, £17.48 — never scientific notation."""
    size = abs(value)
    if size >= 1e9:
        return f"£{value / 1e9:,.2f}bn"
    if size >= 1e6:
        return f"£{value / 1e6:,.1f}m"
    if size >= 1_000 or value == int(value):
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def number(value: float) -> str:
    """A plain count or ratio with thousands separators and no exponent."""
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"


UNIT_WORDS = {
    "£/yr": " a year",
    "£/week": " a week",
    "£/person": " per person",
    "£/hour": " an hour",
    "£/hr": " an hour",
    "£/episode": " per episode",
}


def quantity(value: float, unit: str = "") -> str:
    """A figure with its unit in words: "£77.1m a year", "90,000 people", "40%", "7×"."""
    if unit.startswith("£"):
        return money(value) + UNIT_WORDS.get(unit, "" if unit == "£" else f" {unit[2:]}".rstrip())
    if unit == "%":
        return f"{number(value)}%"
    if unit.startswith("×"):
        return f"{number(value)}{unit}"
    if not unit and 0 < abs(value) <= 1:
        return percent(value)
    return f"{number(value)} {unit.replace('/yr', ' a year')}".strip()


def named_quantity(name: str, value: float) -> str:
    """An input of a formula formatted by what its name says it is (money, a share, or a count)."""
    lowered = name.lower()
    if any(word in lowered for word in _SHARE_WORDS) and abs(value) <= 1:
        return percent(value)
    if any(word in lowered for word in _MONEY_WORDS):
        return money(value)
    return number(value)


def _citation(document: str, line: str, source_id: str | None, location: str | None) -> str:
    """A quoted figure's source in words at its page or section; the file name only if it is not a publication."""
    from careflow.reference.bibliography import cite, locate

    place = location or locate(source_id or document, line)
    if source_id:
        return cite(source_id, location=place)
    return cite(document, location=place or line)


class Quoted(BaseModel):
    """A figure printed in a named source document."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["quoted"] = "quoted"
    # Machine reference: a source text's file name, or a published table file's name; JSON writes the publication's
    # bibliography record id instead (see SourceDocument), and `citation` gives it in words.
    document: SourceDocument
    line: str  # machine pinpoint: a line ("L633"), a range ("L604-693"), a page ("p. 12") or a cell ("T44!F23")
    as_printed: str
    # For readers: the bibliography record this comes from (see careflow.reference), the place in it a
    # person can look up (page, section, or table/row/column), and any unit conversion applied.
    source_id: str | None = None
    location: str | None = None
    conversion: str | None = None

    # The publication in words at a place a reader can look up, as every output shows it: always worked out from
    # the fields above when the figure is read (a stored one is not trusted), so input and output share one schema.
    citation: str = ""

    @model_validator(mode="before")
    @classmethod
    def _cite(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("document"), str) and isinstance(data.get("line"), str):
            data = {
                **data,
                "citation": _citation(data["document"], data["line"], data.get("source_id"), data.get("location")),
            }
        return data

    def cite(self) -> str:
        """The source in words, at a place a reader can look up (page or section); the file name only if unknown."""
        return _citation(self.document, self.line, self.source_id, self.location)

    def describe(self) -> str:
        text = f"{self.cite()} — printed as “{self.as_printed.replace('**', '')}”"
        return f"{text} ({self.conversion})" if self.conversion else text

    def machine(self) -> str:
        """The machine pinpoint tests check: file name and line."""
        return f"{self.document} {self.line}"


class Derived(BaseModel):
    """A figure computed from other figures; the formula and its inputs are kept."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["derived"] = "derived"
    formula: str
    inputs: dict[str, float] = Field(default_factory=dict)

    def describe(self) -> str:
        shown = ", ".join(f"{k.replace('_', ' ')} = {named_quantity(k, v)}" for k, v in self.inputs.items())
        return f"derived: {self.formula}" + (f", where {shown}" if shown else "")


class Assumed(BaseModel):
    """A modelling choice with no source, stated as such."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["assumed"] = "assumed"
    reason: str

    def describe(self) -> str:
        return f"assumed: {self.reason}"


class Calibrated(BaseModel):
    """A figure solved back from a published result so that the result is reproduced (checks arithmetic, not the model)."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["calibrated"] = "calibrated"
    formula: str
    target: str  # the published result reproduced, cited in words
    inputs: dict[str, float] = Field(default_factory=dict)

    def describe(self) -> str:
        shown = ", ".join(f"{k.replace('_', ' ')} = {named_quantity(k, v)}" for k, v in self.inputs.items())
        where = f", where {shown}" if shown else ""
        return f"calibrated: {self.formula}{where}; solved so that {self.target} is reproduced"


class Local(BaseModel):
    """A figure from the council's own data or case reviews."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["local"] = "local"
    source: str
    detail: str = ""

    def describe(self) -> str:
        return f"local: {self.source}" + (f" ({self.detail})" if self.detail else "")


Provenance = Annotated[Quoted | Derived | Assumed | Calibrated | Local, Field(discriminator="kind")]


class Value(BaseModel):
    """A number together with where it came from."""

    model_config = ConfigDict(frozen=True)
    value: float
    provenance: Provenance
    unit: str = ""

    def describe(self) -> str:
        return self.provenance.describe()


def quoted(value: float, document: str, line: str, as_printed: str, unit: str = "") -> Value:
    return Value(value=value, unit=unit, provenance=Quoted(document=document, line=line, as_printed=as_printed))


def derived(value: float, formula: str, unit: str = "", **inputs: float) -> Value:
    return Value(value=value, unit=unit, provenance=Derived(formula=formula, inputs=inputs))


def assumed(value: float, reason: str, unit: str = "") -> Value:
    return Value(value=value, unit=unit, provenance=Assumed(reason=reason))


def local(value: float, source: str, detail: str = "", unit: str = "") -> Value:
    return Value(value=value, unit=unit, provenance=Local(source=source, detail=detail))


def calibrated(value: float, formula: str, unit: str = "", *, target: str, **inputs: float) -> Value:
    """A base solved back from a printed result (`target`, cited in words) so that the result is reproduced."""
    return Value(value=value, unit=unit, provenance=Calibrated(formula=formula, target=target, inputs=inputs))
