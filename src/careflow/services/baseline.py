"""Baseline use cases: load a council's baseline from any source, check it, and write the blank workbook."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from careflow.baseline.glance import glance
from careflow.baseline.schema import Baseline
from careflow.errors import InputError, Problem
from careflow.services.inputs import (
    LocatedProblem,
    Source,
    Upload,
    Validation,
    check_output_name,
    display_name,
    read_source,
)

BUILT_IN_BASELINES = ("demo", "england-2019-20", "england-2021-22")


class Measure(BaseModel):
    """One headline figure of a baseline, as shown to the person who entered it."""

    measure: str
    value: str


class BaselineCheck(Validation):
    """A baseline's check: every located problem, or its headline figures and figures unlike England's (warnings)."""

    council: str | None = None
    financial_year: str | None = None
    synthetic: bool | None = None
    measures: list[Measure] = []


def load_baseline(source: Source) -> Baseline:
    """A built-in baseline by name, or one read from a workbook, CSV folder or YAML file (path or upload)."""
    from careflow.baseline import io

    if isinstance(source, Upload):
        return read_source(source, io.read_baseline_file)
    if str(source) == "england-2021-22":  # built from NHS Digital's published tables (careflow.imports)
        from careflow.imports.england import england_2021_22

        return england_2021_22()
    if str(source) not in io.BUILT_IN and not Path(source).exists():
        raise InputError(
            [Problem(str(source), "no such file, folder or built-in baseline",
                     f"one of {', '.join(BUILT_IN_BASELINES)}, or a path")]
        )  # fmt: skip
    return io.load_baseline(source)


def read_baseline(source: Source) -> Baseline:
    """A baseline from a file only (no built-in names): what `careflow validate` checks."""
    from careflow.baseline import io

    return read_source(source, io.read_baseline_file)


def check_baseline(source: Source) -> BaselineCheck:
    """Read and check a baseline file; raise InputError listing every located problem, else its headline figures."""
    from careflow.baseline.plausibility import plausibility_warnings

    baseline = read_baseline(source)
    return BaselineCheck(
        warnings=[LocatedProblem.of(w) for w in plausibility_warnings(baseline, display_name(source))],
        council=baseline.council.name,
        financial_year=baseline.council.financial_year,
        synthetic=baseline.council.synthetic,
        measures=[Measure(measure=name, value=value) for name, value in glance(baseline)],
    )


def baseline_template(name: str = "baseline.xlsx") -> bytes:
    """The blank baseline workbook: an instructions sheet and one sheet per table, every column described."""
    check_output_name(name, (".xlsx",))
    return baseline_workbook()


def baseline_workbook(baseline: Baseline | None = None) -> bytes:
    """A baseline in the template's layout (the blank template when None), as the bytes of an .xlsx workbook."""
    from careflow.baseline.io import write_baseline_workbook
    from careflow.files import rendered_bytes

    return rendered_bytes(lambda path: write_baseline_workbook(path, baseline), ".xlsx")
