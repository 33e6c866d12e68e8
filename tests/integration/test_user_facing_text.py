"""Every command's output (terminal, --help, HTML, Word, Excel, CSV) cites publications in words: no internal file
names of the source texts and no jargon word "seed" for them (a random-number seed is named "random seed")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careflow.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
INTERNAL_NAME = re.compile(r"\d{3}_[0-9a-f]{16}(\.txt)?")
# "seed" for a source document; a random-number seed is always written "random seed" or as the --seed option.
SEED_WORD = re.compile(r"(?<!random )(?<![-/])\bseeds?\b", re.IGNORECASE)


SCIENTIFIC = re.compile(r"\d(\.\d+)?e[+-]\d+")
MARKDOWN = re.compile(r"\*\*|(?<![\w*])\*\w[^*<>]*\*(?![\w*])")


def page_offences(text: str) -> list[str]:
    """What a reader of an HTML page must not see: scientific notation or raw Markdown emphasis."""
    return [text[max(m.start() - 60, 0) : m.end() + 60] for p in (SCIENTIFIC, MARKDOWN) for m in p.finditer(text)]


def offences(text: str) -> list[str]:
    found = []
    for pattern in (INTERNAL_NAME, SEED_WORD):
        for match in pattern.finditer(text):
            start = max(match.start() - 60, 0)
            found.append(text[start : match.end() + 60].replace("\n", " "))
    return found


def file_text(path: Path) -> str:
    """The words a reader sees in an output file."""
    if path.suffix in (".html", ".csv", ".yaml", ".json", ".txt", ".md"):
        return path.read_text(encoding="utf-8")
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        parts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        parts += [c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment]
        return "\n".join(parts)
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
        return "\n".join(parts)
    return ""


def commands(tmp: Path) -> list[list[str]]:
    reviews = str(EXAMPLES / "case_reviews_synthetic.csv")
    return [
        ["opportunity", "--baseline", "demo"],
        ["opportunity", "--baseline", "england-2019-20"],
        ["report", "--baseline", "demo", "--out", str(tmp / "report")],
        ["project", "--baseline", "demo", "--scenario", "optimised", "--runs", "20", "--out", str(tmp / "project")],
        ["finance", "report", str(EXAMPLES / "norfolk-2017-18-p4.xlsx"), "--out", str(tmp / "finance")],
        ["evidence", "councils"],
        ["evidence", "council", "Barking and Dagenham"],
        ["evidence", "quality"],
        ["evidence", "taxonomy"],
        ["evidence", "benchmarks"],
        ["evidence", "report", "--out", str(tmp / "evidence")],
        ["reviews", "summary", reviews, "--out", str(tmp / "reviews")],
        ["reviews", "calibrate", reviews, "--baseline", "demo", "--out", str(tmp / "calibrated.yaml")],
        ["indicators", "list"],
        ["indicators", "report", str(EXAMPLES / "indicators_synthetic.csv"), "--out", str(tmp / "indicators")],
    ]


def help_commands() -> list[list[str]]:
    import typer.main

    root = typer.main.get_command(app)
    found: list[list[str]] = [["--help"]]
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        found.append([name, "--help"])
        for sub in getattr(command, "commands", {}):
            found.append([name, sub, "--help"])
    return found


@pytest.mark.slow
def test_no_internal_file_names_or_seed_jargon_in_any_output(tmp_path: Path) -> None:
    runner = CliRunner()
    problems: list[str] = []
    for args in commands(tmp_path) + help_commands():
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f"careflow {' '.join(args)}: {result.output[-800:]}"
        problems += [f"careflow {' '.join(args)}: …{o}…" for o in offences(result.output)]
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            problems += [f"{path.relative_to(tmp_path)}: …{o}…" for o in offences(file_text(path))]
            if path.suffix == ".html":
                problems += [f"{path.relative_to(tmp_path)}: …{o}…" for o in page_offences(file_text(path))]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    problems += [f"README.md: …{o}…" for o in offences(readme)]
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems[:60])


def test_the_scan_catches_leaks() -> None:
    assert offences("quoted: 001_cb6dbf76d77fc339.txt L633")
    assert offences("as the seed says")
    assert not offences("random seed 2024, set with --seed")
    assert page_offences("7.71021e+07 £/yr") and page_offences("a <td>**5%**</td>") and page_offences("*Title*")
    assert not page_offences("£77.1m a year, <em>Title</em>, 3 * 4")
