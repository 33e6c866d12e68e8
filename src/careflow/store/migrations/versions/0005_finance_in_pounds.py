"""Finance packs hold money in £, as the rest of careflow does: the trend's budget and forecast, and the stored report.

Before this revision a finance pack's department budget and forecast, and every money cell of its stored report
(`report_json`), were £m. Money columns of the report are now of kind "gbp" (and flags carry their column's
kind); the report no longer has a `unit`. The conversion is written out here rather than imported, so this
revision keeps meaning what it means whatever careflow's code becomes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PACKS = sa.table(
    "finance_packs",
    sa.column("id", sa.Integer),
    sa.column("budget", sa.Float),
    sa.column("forecast", sa.Float),
    sa.column("report_json", sa.Text),
)


def to_gbp(millions: float) -> float:
    # the rule of careflow.finance.money.gbp_from_millions: to the penny, so 261.311 becomes 261311000 exactly
    return float(round(millions * 1_000_000, 2))


def to_millions(gbp: float) -> float:
    return gbp / 1_000_000


def _convert(report: dict[str, Any], convert: Callable[[float], float], old: str, new: str) -> dict[str, Any]:
    """Money cells and money flags converted, and the money column kind renamed from `old` to `new`."""
    kinds: dict[tuple[str, str], str] = {}
    for table in report.get("tables", []):
        for column in table["columns"]:
            if column["kind"] == old:
                column["kind"] = new
            kinds.setdefault((table["namespace"], column["measure"]), column["kind"])

    def flag(f: dict[str, Any], kind: str) -> dict[str, Any]:
        if kind == new:
            for key in ("printed", "computed", "difference"):
                if isinstance(f.get(key), int | float):
                    f[key] = convert(f[key])
        return f

    for table in report.get("tables", []):
        money = {c["measure"] for c in table["columns"] if c["kind"] == new}
        for row in table["rows"]:
            for measure, value in row["values"].items():
                if measure in money and isinstance(value, int | float) and not isinstance(value, bool):
                    row["values"][measure] = convert(value)
            for measure, f in (row.get("flags") or {}).items():
                flag(f, kinds.get((table["namespace"], measure), new))
                if new == "gbp":
                    f["kind"] = kinds.get((table["namespace"], measure), new)
                else:
                    f.pop("kind", None)
    for f in report.get("flags", []):
        kind = kinds.get((f["table"], f["measure"]), new)
        flag(f, kind)
        if new == "gbp":
            f["kind"] = kind
        else:
            f.pop("kind", None)
    return report


def _rewrite(convert: Callable[[float], float], report: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(PACKS.c.id, PACKS.c.budget, PACKS.c.forecast, PACKS.c.report_json)).all()
    for row in rows:
        connection.execute(
            PACKS.update()
            .where(PACKS.c.id == row.id)
            .values(
                budget=convert(row.budget),
                forecast=convert(row.forecast),
                report_json=json.dumps(report(json.loads(row.report_json)), ensure_ascii=False),
            )
        )


def upgrade() -> None:
    def report(document: dict[str, Any]) -> dict[str, Any]:
        document.pop("unit", None)
        return _convert(document, to_gbp, "money", "gbp")

    _rewrite(to_gbp, report)


def downgrade() -> None:
    def report(document: dict[str, Any]) -> dict[str, Any]:
        document = _convert(document, to_millions, "gbp", "money")
        return {**document, "unit": "£m"}

    _rewrite(to_millions, report)
