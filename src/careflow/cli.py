"""The `careflow` command: one entry point, with sub-commands for each part of the product."""

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from careflow.console import err, print_problems
from careflow.errors import InputError


def _unexpected(error: Exception) -> None:
    err.print(f"[red]careflow stopped unexpectedly: {type(error).__name__}: {error}[/red]")
    err.print("This is a fault in careflow rather than in your input. Set CAREFLOW_DEBUG=1 for the details.")


class CareflowGroup(TyperGroup):
    """The root command group: input problems exit 2 with a located list, faults exit 3; in a process or in-process."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context
        try:
            return super().invoke(ctx)
        except InputError as error:
            print_problems(error.problems, unlisted=error.unlisted)
            ctx.exit(2)
        except Exception as error:
            if hasattr(error, "exit_code") or os.environ.get("CAREFLOW_DEBUG"):
                raise  # click's own exits and usage errors (they carry an exit code), or a developer asking
            _unexpected(error)
            ctx.exit(3)


app = typer.Typer(
    cls=CareflowGroup,
    name="careflow",
    help="Model an English council's adult social care system: demand, outcomes and money, with provenance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: typer's rich help formatter imports a Markdown parser, which doubles the cost of `--help`.
    rich_markup_mode=None,
)


def _register() -> None:
    # Each area owns its commands; the root only gathers them.
    from careflow.baseline import cli as baseline_cli
    from careflow.evidence import cli as evidence_cli
    from careflow.finance import cli as finance_cli
    from careflow.imports import cli as imports_cli
    from careflow.opportunity import cli as opportunity_cli
    from careflow.outcomes import cli as outcomes_cli
    from careflow.services import cli as services_cli
    from careflow.simulate import cli as simulate_cli
    from careflow.store import cli as store_cli
    from careflow.web import cli as web_cli

    baseline_cli.register(app)
    opportunity_cli.register(app)
    services_cli.register(app)
    simulate_cli.register(app)
    imports_cli.register(app)
    app.add_typer(finance_cli.app, name="finance")
    app.add_typer(evidence_cli.app, name="evidence")
    app.add_typer(outcomes_cli.reviews_app, name="reviews")
    app.add_typer(outcomes_cli.indicators_app, name="indicators")
    web_cli.register(app)
    store_cli.register(app)  # db, admin


_register()


def main() -> None:
    """Run the command; turn input problems into a located list and a non-zero exit, never a traceback."""
    try:
        app()  # click's own standalone handling prints usage errors (missing or bad options) and exits 2
    except InputError as error:
        print_problems(error.problems, unlisted=error.unlisted)
        sys.exit(2)
    except Exception as error:  # anything unforeseen: a message, not a traceback
        if os.environ.get("CAREFLOW_DEBUG"):
            raise
        _unexpected(error)
        sys.exit(3)
