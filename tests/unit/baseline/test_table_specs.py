"""The baseline's table specs agree with its pydantic models: a column is declared once, checked here."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from careflow.baseline.io import TABLES
from careflow.baseline.schema import Baseline

# Council columns that are only cross-checks against the rows, and model fields no table sets.
CHECK_ONLY = {"total_gross_expenditure_gbp", "total_long_term_clients", "total_requests"}
NOT_ENTERED = {"sources", "synthetic", "note"}


def _row_model(table: str) -> type[BaseModel]:
    annotation = Baseline.model_fields[table].annotation
    model = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return model


def test_every_table_is_a_baseline_field_and_its_columns_are_the_row_fields() -> None:
    assert [t.name for t in TABLES] == list(Baseline.model_fields)
    for table in TABLES:
        fields = set(_row_model(table.name).model_fields) - NOT_ENTERED
        assert {c.name for c in table.columns} - CHECK_ONLY == fields, table.name


def test_choices_and_required_columns_follow_the_model() -> None:
    for table in TABLES:
        fields = _row_model(table.name).model_fields
        for column in table.columns:
            if column.name in CHECK_ONLY:
                continue
            field = fields[column.name]
            if column.choices:
                assert tuple(column.choices) == typing.get_args(field.annotation), (table.name, column.name)
            assert column.required == field.is_required(), (table.name, column.name)
