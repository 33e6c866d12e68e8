"""Commands for baselines and the opportunity model: template, validate, opportunity, report."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the baseline and opportunity commands to the root command."""
