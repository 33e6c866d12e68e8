"""Commands for the finance area (`careflow finance ...`)."""

from __future__ import annotations

import typer

app = typer.Typer(help="finance commands.", no_args_is_help=True)
