"""Where a number came from: quoted from a source, derived by arithmetic, assumed, or local data."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Quoted(BaseModel):
    """A figure printed in a named source document."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["quoted"] = "quoted"
    document: str
    line: str  # a line ("L633"), a range ("L604-693") or a page ("p. 12")
    as_printed: str

    def describe(self) -> str:
        return f"quoted: {self.document} {self.line} — printed as “{self.as_printed}”"


class Derived(BaseModel):
    """A figure computed from other figures; the formula and its inputs are kept."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["derived"] = "derived"
    formula: str
    inputs: dict[str, float] = Field(default_factory=dict)

    def describe(self) -> str:
        shown = ", ".join(f"{k} = {v:,.6g}" for k, v in self.inputs.items())
        return f"derived: {self.formula}" + (f" where {shown}" if shown else "")


class Assumed(BaseModel):
    """A modelling choice with no source, stated as such."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["assumed"] = "assumed"
    reason: str

    def describe(self) -> str:
        return f"assumed: {self.reason}"


class Local(BaseModel):
    """A figure from the council's own data or case reviews."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["local"] = "local"
    source: str
    detail: str = ""

    def describe(self) -> str:
        return f"local: {self.source}" + (f" ({self.detail})" if self.detail else "")


Provenance = Annotated[Quoted | Derived | Assumed | Local, Field(discriminator="kind")]


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
