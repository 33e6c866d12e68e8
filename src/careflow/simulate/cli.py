"""Commands for projections (`careflow project`) and sweeps (`careflow sweep`)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the projection commands to the root command."""
