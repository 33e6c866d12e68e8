"""Every figure the model uses carries provenance, and every quoted figure is printed on the line it cites."""

from __future__ import annotations

import re

import pytest

from careflow.baseline.demo import demoshire
from careflow.baseline.england import england_2019_20
from careflow.opportunity import evaluate
from careflow.provenance import Quoted, Value
from careflow.reference import national


def _quoted_values() -> list[tuple[str, Value]]:
    return [(name, v) for name, v in vars(national).items() if isinstance(v, Value)]


def _lines(citation: str) -> list[int]:
    numbers = [int(x) for x in re.findall(r"\d+", citation)]
    return list(range(numbers[0], numbers[-1] + 1))


@pytest.mark.parametrize(("name", "value"), _quoted_values())
def test_quoted_figure_is_printed_on_the_cited_line(seed, name: str, value: Value) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(value.provenance, Quoted), name
    source = value.provenance
    text = " ".join(seed(source.document, n) for n in _lines(source.line))
    assert source.as_printed.replace("**", "") in text.replace("**", ""), (
        f"{name}: {source.as_printed!r} not at {source.line}"
    )


@pytest.mark.parametrize("make", [england_2019_20, demoshire])
def test_every_baseline_figure_has_a_source(make) -> None:  # type: ignore[no-untyped-def]
    baseline = make()
    for table in ("population", "requests", "request_outcomes", "short_term", "long_term", "admissions", "other_spend"):
        for row in getattr(baseline, table):
            numbers = {k for k, v in row.model_dump().items() if isinstance(v, float | int) and not isinstance(v, bool)}
            numbers -= {"income_share"} if "income_share" in row.sources else set()
            assert numbers <= set(row.sources), f"{table}: {numbers - set(row.sources)} without provenance"


def test_demo_is_built_only_from_derived_and_assumed_figures() -> None:
    for row in demoshire().long_term + demoshire().requests:
        for field, source in row.sources.items():
            if field in ("clients", "requests"):
                assert source.kind == "derived"
    assert demoshire().council.synthetic


def test_every_lever_input_has_provenance() -> None:
    for lever in evaluate(england_2019_20()).levers:
        assert lever.inputs
        for value in lever.inputs.values():
            assert value.provenance.kind in ("quoted", "derived", "assumed", "calibrated", "local")
            assert value.describe()
