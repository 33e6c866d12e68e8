"""Start-up stays quick: loading the command line, or running a table-only command, pulls in no rendering stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("matplotlib", "openpyxl", "docx", "dask", "distributed", "jinja2", "msoffcrypto")


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


def test_importing_the_command_line_loads_no_renderer_or_cluster() -> None:
    loaded = _loaded_after("import careflow.cli")
    assert not loaded & set(HEAVY), f"careflow.cli imported {sorted(loaded & set(HEAVY))}"


def test_help_costs_about_what_typer_and_rich_cost() -> None:
    # `careflow --help` should load no numpy, pydantic, YAML, web framework or database layer.
    extra = _loaded_after("import careflow.cli") & {"numpy", "pydantic", "yaml", "fastapi", "sqlalchemy"}
    assert not extra, f"careflow.cli imported {sorted(extra)}"


@pytest.mark.parametrize(
    "argv",
    [["opportunity", "--baseline", "demo"], ["opportunity", "--baseline", "demo", "--json"]],
)
def test_opportunity_table_loads_no_renderer(argv: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from careflow.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    app({argv!r}, standalone_mode=False)"
    )
    loaded = _loaded_after(code)
    assert not loaded & set(HEAVY), f"`careflow {' '.join(argv)}` imported {sorted(loaded & set(HEAVY))}"
