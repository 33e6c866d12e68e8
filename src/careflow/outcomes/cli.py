"""Commands for case reviews (`careflow reviews ...`) and the performance framework (`careflow indicators ...`)."""

from __future__ import annotations

import typer

reviews_app = typer.Typer(
    help="Ideal-outcome case reviews: import, summarise, calibrate the model.", no_args_is_help=True
)
indicators_app = typer.Typer(
    help="Outcomes-based performance indicators: compute, RAG, dashboard.", no_args_is_help=True
)
