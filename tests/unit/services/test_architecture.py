"""The shape of the code: no package import cycles, command modules that parse, call a service and print, and no
two classes of one name."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src" / "careflow"


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "careflow" else None


def package_imports() -> dict[str, set[str]]:
    """careflow sub-package → the other careflow sub-packages its modules import (lazy imports included)."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if path.name == "cli.py":
            package = "cli"  # command modules are the front end above every package, wherever they sit
        elif len(relative.parts) > 1:
            package = relative.parts[0]
        else:
            continue  # top-level modules (console.py, errors.py, scenario.py, …) are shared foundations
        targets = graph.setdefault(package, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                other = _package_of(name)
                if name.endswith(".cli"):
                    other = "cli"
                if other and other != package and ((SRC / other).is_dir() or other == "cli"):
                    targets.add(other)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    found.append(path)
                elif nxt not in path and nxt > start:  # each cycle once, from its smallest package
                    stack.append((nxt, [*path, nxt]))
    return found


def test_no_package_cycles() -> None:
    assert cycles(package_imports()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]


# What a command module may do besides parsing and printing: nothing that computes, reads or writes files itself.
FORBIDDEN_IN_CLI = ("open(", ".read_text(", ".write_text(", ".read_bytes(", "yaml.", "csv.", "staged_",
                    "model_validate", "InputError(", "load_library(", "evaluate(")  # fmt: skip


def test_command_modules_hold_no_business_logic() -> None:
    offenders = []
    for path in SRC.rglob("cli.py"):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(SRC)}: {needle}" for needle in FORBIDDEN_IN_CLI if needle in text]
    assert offenders == []


SHARED_BY_COMMANDS = {"services", "console", "files", "errors"}
CITATIONS = "careflow.reference.bibliography"  # how user-facing text names a source


def test_a_command_module_uses_services_and_its_own_package_only() -> None:
    """What made baseline ↔ opportunity a cycle: opportunity commands in baseline/cli.py. Each area prints its own."""
    strays = []
    for path in SRC.glob("*/cli.py"):
        own = path.parent.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("careflow."):
                first = node.module.split(".")[1]
                if first not in SHARED_BY_COMMANDS | {own} and node.module != CITATIONS:
                    strays.append(f"{path.relative_to(SRC)} imports {node.module}")
    assert strays == []


def test_charts_use_figure_objects_not_pyplot() -> None:
    """pyplot keeps a current figure per process: unsafe when a web server renders two reports at once."""
    users = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "pyplot" in p.read_text(encoding="utf-8")]
    assert users == []


def test_a_chart_renders_the_same_svg_twice() -> None:
    from careflow.report.charts import bars

    assert bars(["a", "b"], [1.0, 2.0], "£m") == bars(["a", "b"], [1.0, 2.0], "£m")


def test_no_two_classes_share_a_name() -> None:
    where: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                where.setdefault(node.name, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    shared = {name: places for name, places in where.items() if len(places) > 1}
    assert not shared, shared
