"""Terminal output shared by every command: rich tables for people, JSON for machines, problem lists."""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from careflow.errors import Problem

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _default(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return obj.tolist()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def to_json(obj: Any) -> str:
    # allow_nan=False: a bare NaN token is not JSON; inputs are checked so that none can reach here
    return json.dumps(obj, default=_default, indent=2, ensure_ascii=False, allow_nan=False)


def print_json(obj: Any) -> None:
    sys.stdout.write(to_json(obj) + "\n")


def print_problems(problems: list[Problem], what: str = "input", unlisted: int = 0) -> None:
    total = len(problems) + unlisted
    title = f"{total:,} problem(s) in the {what}" + (f"; the first {len(problems)} are listed" if unlisted else "")
    table = Table(title=title, show_lines=False)
    for heading in ("where", "found", "expected"):
        table.add_column(heading, overflow="fold")
    for problem in problems:
        table.add_row(problem.location(), problem.found, problem.expected)
    err.print(table)
    if unlisted:
        err.print(f"… and {unlisted:,} more problem(s) not listed. Fix those above and check the file again.")


def gbp_m(value: float | None, decimals: int = 1) -> str:
    """£ as £m for people, e.g. 867.0; blank when there is no value."""
    return "" if value is None else f"{value / 1e6:,.{decimals}f}"
