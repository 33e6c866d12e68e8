"""Terminal output shared by every command: rich tables for people, JSON for machines, problem lists."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import typer
from rich.console import Console
from rich.table import Table

from careflow.errors import Problem

if TYPE_CHECKING:
    from pydantic import BaseModel


class Located(Protocol):
    """A problem or warning with its place: `careflow.errors.Problem`, or its JSON form in a result."""

    found: str
    expected: str

    def location(self) -> str: ...


FORCE = typer.Option(False, "--force", help="Replace output files that already exist (otherwise refused)")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _default(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):  # pydantic models; duck-typed so printing needs no pydantic import
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


def emit_json(result: BaseModel) -> None:
    """A result model as one JSON object on stdout: exactly what its published JSON Schema describes."""
    sys.stdout.write(result.model_dump_json(indent=2) + "\n")


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


def print_validation_json(problems: Sequence[Problem], warnings: Sequence[Problem] = (), **summary: Any) -> None:
    """`validate --json`: every located problem and plausibility warning, plus a summary when valid."""
    print_json(
        {
            "valid": not problems,
            "problems": [p.as_dict() for p in problems],
            "warnings": [w.as_dict() for w in warnings],
            **summary,
        }
    )


def print_warnings(warnings: Sequence[Located]) -> None:
    """Plausibility warnings: figures that read but look unlike any English council's; not errors."""
    if not warnings:
        return
    table = Table(title=f"{len(warnings)} figure(s) worth checking (warnings, not errors)", title_justify="left")
    for heading in ("where", "found", "England's range"):
        table.add_column(heading, overflow="fold")
    for warning in warnings:
        table.add_row(warning.location(), warning.found, warning.expected)
    out.print(table, style="yellow")


def gbp_m(value: float | None, decimals: int = 1) -> str:
    """£ as £m for people, e.g. 867.0; blank when there is no value."""
    return "" if value is None else f"{value / 1e6:,.{decimals}f}"


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr fed with (done, total); it appears only once the work has taken over a second."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    started = time.monotonic()
    bar: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None and time.monotonic() - started > 1.0 and done < total:
            bar = Progress(
                TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True
            )
            bar.start()
            task = bar.add_task(label, total=total, completed=done)
        elif bar is not None and task is not None:
            bar.update(task, completed=done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()
