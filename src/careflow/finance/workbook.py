"""The finance workbook (or CSV folder): one sheet per table, read and checked once, at the edge, into a FinancePack."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from careflow.errors import InputError, Problem, Problems
from careflow.finance.model import (
    AdjustmentTreatment,
    BudgetLine,
    CapitalScheme,
    Commentary,
    CouncilTaxYear,
    Department,
    Exemption,
    ExemptionComponent,
    FinancePack,
    ForecastPosition,
    LineKind,
    MtfsCategory,
    MtfsLine,
    PrintedFigure,
    Reserve,
    ReserveKind,
    RespreadShare,
    Saving,
    SavingsAdjustment,
    Settings,
)
from careflow.finance.money import gbp_from_millions, millions_from_gbp
from careflow.safety import SHEET_NAME_FORBIDDEN
from careflow.tabular import InputColumn, InputRow, Table, read_tables, write_workbook

SOURCE = InputColumn(
    "source_line", "Where the figure came from, e.g. a line (L452) of the source document", "text", False
)


PERIODS = "periods run 1–12, April to March"


def money(name: str, description: str, required: bool = True) -> InputColumn:
    return InputColumn(
        name, description + " (£m; negative for income, savings and credits)", "number", required, minimum=None
    )


TABLES: tuple[Table, ...] = (
    Table(
        "settings",
        "What the pack is about and how savings are judged: one row",
        (
            InputColumn("council", "The council", "text"),
            InputColumn("department", "The department or service the pack covers", "text"),
            InputColumn("financial_year", "The financial year monitored, e.g. 2017/18", "financial_year"),
            InputColumn(
                "period",
                "The period reported (1 = April … 12 = March)",
                "integer",
                minimum=1,
                maximum=12,
                meaning=PERIODS,
            ),
            InputColumn(
                "previous_period",
                "The period compared with, if not the latest earlier one recorded",
                "integer",
                False,
                minimum=1,
                maximum=12,
                meaning=PERIODS,
            ),
            InputColumn(
                "source_document", "The file name of the source document the line references point into", "text", False
            ),
            InputColumn(
                "savings_year", "The savings year being forecast (defaults to the financial year)", "text", False
            ),
            InputColumn(
                "rag_green_percent",
                "Green when at least this % of the target is forecast (default 100)",
                "number",
                False,
                maximum=1000,
            ),
            InputColumn(
                "rag_amber_percent",
                "Amber when at least this % is forecast (default 50); red below",
                "number",
                False,
                maximum=1000,
            ),
            InputColumn(
                "contingency_line", "The budget line holding the contingency for savings at risk", "text", False
            ),
            money("contingency_amount", "The contingency held in the forecast for savings at risk", False),
            InputColumn("contingency_source", "Where the contingency figure came from", "text", False),
        ),
    ),
    Table(
        "budget_lines",
        "The budget hierarchy: department → areas → lines; groups roll up the lines beneath them",
        (
            InputColumn("code", "A unique code for the line", "text"),
            InputColumn("name", "The line's name as the committee sees it", "text"),
            InputColumn(
                "parent", "The code of the group this line sits under (blank for the department)", "text", False
            ),
            InputColumn(
                "kind",
                "group (rolls up lines), expenditure or income",
                "text",
                choices=("group", "expenditure", "income"),
            ),
            money("budget", "Current budget for the year (blank for groups)", False),
            money("prior_year_actual", "Last year's actual", False),
            money("prior_year_variance", "Last year's over/(under)spend at outturn", False),
            SOURCE,
        ),
    ),
    Table(
        "positions",
        "The forecast outturn of each line (not groups) at each period recorded",
        (
            InputColumn("code", "The budget line's code", "text"),
            InputColumn(
                "period", "The period (1 = April … 12 = March)", "integer", minimum=1, maximum=12, meaning=PERIODS
            ),
            money("forecast", "Forecast outturn for the year at this period"),
            money(
                "previous_variance",
                "The variance reported at the previous period, if that period is not recorded here",
                False,
            ),
            SOURCE,
        ),
    ),
    Table(
        "commentary",
        "Explanations of variances, for lines or groups",
        (
            InputColumn("code", "The budget line's or group's code", "text"),
            InputColumn("period", "The period", "integer", minimum=1, maximum=12, meaning=PERIODS),
            InputColumn("text", "The explanation", "text"),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "savings",
        "The savings programme: one row per saving per year",
        (
            InputColumn("code", "A code for the saving", "text"),
            InputColumn("programme", "The savings programme", "text"),
            InputColumn("workstream", "The workstream", "text"),
            InputColumn("description", "What the saving is", "text"),
            InputColumn("year", "The year the target falls in, e.g. 2017/18", "text"),
            money("target", "The target for that year"),
            money("forecast", "The forecast for the current savings year", False),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "savings_adjustments",
        "Differences between agreed gross savings and the service's target or net savings",
        (
            InputColumn("year", "The year", "text"),
            InputColumn("description", "What the adjustment is", "text"),
            money("amount", "The amount"),
            InputColumn(
                "treatment",
                "in_target: added to the target beyond the agreed savings; reversal: agreed savings reversed (reduces net)",
                "text",
                choices=("in_target", "reversal"),
            ),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "reserves",
        "Reserves and provisions: opening balance and planned use this year",
        (
            InputColumn("code", "A unique code", "text"),
            InputColumn("name", "The reserve or provision", "text"),
            InputColumn("kind", "reserve or provision", "text", choices=("reserve", "provision")),
            money("opening", "Balance at the start of the year"),
            money("planned_use", "Planned use this year (negative draws down)"),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "capital",
        "Capital schemes",
        (
            InputColumn("code", "A unique code", "text"),
            InputColumn("scheme", "The scheme", "text"),
            money("budget", "Current capital budget this year"),
            money("forecast", "Forecast outturn this year"),
            money("next_year_budget", "Next year's draft capital budget"),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "mtfs_lines",
        "The medium-term gap, one row per line per year (positive widens the gap)",
        (
            InputColumn("code", "A code for the line", "text"),
            InputColumn(
                "category",
                "previous_gap, pressure, funding, savings_change or new_savings",
                "text",
                choices=("previous_gap", "pressure", "funding", "savings_change", "new_savings"),
            ),
            InputColumn("description", "What the line is", "text"),
            InputColumn("year", "The year, e.g. 2018-19", "text"),
            money("amount", "The amount"),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "council_tax",
        "Council-tax assumptions by year; the first year gives the forecast yield",
        (
            InputColumn("year", "The year", "text"),
            money("council_tax", "Forecast council-tax yield (first year only)", False),
            InputColumn("increase_percent", "Council-tax rate increase %", "percent", False),
            InputColumn("precept_percent", "Adult social care precept increase %", "percent", False),
            InputColumn("base_growth_percent", "Tax-base growth %", "percent", False),
            InputColumn(
                "in_gap",
                "yes if this year's increase is a new change counted in the gap",
                "text",
                choices=("yes", "no"),
            ),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "respread",
        "Shares of the final year's gap moved to earlier years (must total 100)",
        (
            InputColumn("year", "The year receiving a share", "text"),
            InputColumn("share_percent", "Its share %", "percent"),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "departments",
        "Departments for the allocation of new savings",
        (
            InputColumn("code", "A unique code", "text"),
            InputColumn("name", "The department", "text"),
            InputColumn(
                "allocation_basis", "Net budget (or a proxy in proportion to it) used to share new savings", "number"
            ),
            money("previously_agreed_savings", "Savings already agreed for the first year", False),
            money("new_changes", "New savings and changes to agreed savings for the first year", False),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "exemptions",
        "Departments left out of an allocation: component gap (new savings) or respread (the final year's share)",
        (
            InputColumn("department", "The department's code", "text"),
            InputColumn("year", "The year", "text"),
            InputColumn("component", "gap or respread", "text", choices=("gap", "respread")),
            SOURCE,
        ),
        required=False,
    ),
    Table(
        "printed",
        "Figures as the source prints them, so the report can flag where the computed figure differs",
        (
            InputColumn("table", "budget, savings, reserves, capital, mtfs, council_tax or allocation", "text"),
            InputColumn("item", "The line, group or row code (see docs/finance.md)", "text"),
            InputColumn("measure", "The column, e.g. budget, forecast, variance, variance_percent", "text"),
            InputColumn("value", "The value as printed (percentages as numbers, e.g. 2.33)", "number", minimum=None),
            SOURCE,
            InputColumn(
                "period",
                "The period whose paper printed it (blank: the period on the settings sheet)",
                "integer",
                False,
                minimum=1,
                maximum=12,
                meaning=PERIODS,
            ),
        ),
        required=False,
    ),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}


def _problem(file: str, table: str, row: InputRow | None, column: str | None, found: str, expected: str) -> Problem:
    return Problem(file, found, expected, table, row.get("_row") if row else None, column)


def _src(row: InputRow) -> str:
    return str(row.get("source_line") or "")


def _opt(row: InputRow, name: str) -> Any:
    return row.get(name)


def _gbp(row: InputRow, name: str) -> float:
    """A £m cell as £: entered money is converted here, once, and nowhere else on the way in."""
    return gbp_from_millions(row[name])


def _gbp_opt(row: InputRow, name: str) -> float | None:
    value = row.get(name)
    return None if value is None else gbp_from_millions(value)


def _table_file(path: Path, table: str) -> str:
    return str(path / f"{table}.csv") if path.is_dir() else str(path)


def load(path: Path) -> FinancePack:
    """Read and check a finance workbook or CSV folder; raise InputError listing every problem found."""
    path = Path(path)
    problems = Problems()
    data = read_tables(path, TABLES, problems)
    if problems and data:
        # cross-checks run in the same round as the cell checks, so a user fixes the pack in one pass
        build_pack(path, data, problems, troubled={p.sheet or "" for p in problems.items})
    problems.raise_if_any()
    pack = build_pack(path, data, problems)
    problems.raise_if_any()
    assert pack is not None
    return pack


def build_pack(
    path: Path, data: dict[str, list[InputRow]], problems: Problems, troubled: set[str] | None = None
) -> FinancePack | None:
    """Cross-row checks (duplicates, hierarchy, periods, references) and assembly of the typed pack.

    `troubled` names sheets with cell problems: references into them are not checked, since the row
    referred to may be one that did not read.
    """
    troubled = troubled or set()

    def where(table: str) -> str:
        return _table_file(path, table)

    settings_rows = data.get("settings", [])
    settings_ok = len(settings_rows) == 1
    if not settings_ok and "settings" not in troubled:
        problems.add(
            Problem(where("settings"), f"{len(settings_rows)} rows", "exactly one row of settings", "settings")
        )
    # without settings, carry on with a placeholder so every other sheet's problems are still reported
    placeholder: InputRow = {"_row": None, "council": "", "department": "", "financial_year": "", "period": 0}
    s = settings_rows[0] if settings_ok else placeholder
    settings = Settings(
        council=s["council"],
        department=s["department"],
        financial_year=s["financial_year"],
        period=int(s["period"]),
        previous_period=_opt(s, "previous_period"),
        savings_year=s.get("savings_year") or s["financial_year"],
        rag_green_percent=s["rag_green_percent"] if s.get("rag_green_percent") is not None else 100.0,
        rag_amber_percent=s["rag_amber_percent"] if s.get("rag_amber_percent") is not None else 50.0,
        contingency_line=_opt(s, "contingency_line"),
        contingency_amount_gbp=_gbp_opt(s, "contingency_amount"),
        contingency_source=s.get("contingency_source") or "",
    )
    if settings.previous_period is not None and settings.previous_period >= settings.period:
        problems.add(
            _problem(
                where("settings"),
                "settings",
                s,
                "previous_period",
                f"{settings.previous_period}",
                f"a period before the one reported ({settings.period})",
            )
        )
    if settings.rag_amber_percent > settings.rag_green_percent:
        problems.add(
            _problem(
                where("settings"),
                "settings",
                s,
                "rag_amber_percent",
                f"{settings.rag_amber_percent:g}",
                "no more than rag_green_percent",
            )
        )

    lines = _check_lines(where("budget_lines"), data.get("budget_lines", []), problems, "budget_lines" in troubled)
    lines_complete = "budget_lines" not in troubled
    codes = {line.code: line for line in lines}
    positions = []
    seen_positions: Counter[tuple[str, int]] = Counter()
    for row in data.get("positions", []):
        code, period = row["code"], int(row["period"])
        seen_positions[(code, period)] += 1
        if seen_positions[(code, period)] > 1:
            problems.add(
                _problem(
                    where("positions"),
                    "positions",
                    row,
                    "code",
                    f"a second position for '{code}' at period {period}",
                    "one position per line per period",
                )
            )
        if code not in codes and lines_complete:
            problems.add(
                _problem(
                    where("positions"),
                    "positions",
                    row,
                    "code",
                    f"'{code}'",
                    "the code of a line on the budget_lines sheet",
                )
            )
        elif code in codes and codes[code].kind == "group":
            problems.add(
                _problem(
                    where("positions"),
                    "positions",
                    row,
                    "code",
                    f"group '{code}'",
                    "a line, not a group (groups are rolled up)",
                )
            )
        positions.append(
            ForecastPosition(code, period, _gbp(row, "forecast"), _gbp_opt(row, "previous_variance"), _src(row))
        )
    for line in lines:
        if (
            settings_ok
            and "positions" not in troubled
            and line.kind != "group"
            and (line.code, settings.period) not in seen_positions
        ):
            problems.add(
                Problem(
                    where("positions"),
                    f"no position for line '{line.code}' at period {settings.period}",
                    "a forecast for every line at the period reported",
                    "positions",
                )
            )
    commentary = []
    seen_commentary: set[tuple[str, int]] = set()
    for row in data.get("commentary", []):
        explained = (row["code"], int(row["period"]))
        if explained in seen_commentary:  # a second row would silently replace the first in the report
            problems.add(
                _problem(
                    where("commentary"),
                    "commentary",
                    row,
                    "code",
                    f"a second explanation for '{row['code']}' at period {explained[1]}",
                    "one explanation per line per period (join the texts in one cell)",
                )
            )
        seen_commentary.add(explained)
        if row["code"] not in codes and lines_complete:
            problems.add(
                _problem(
                    where("commentary"),
                    "commentary",
                    row,
                    "code",
                    f"'{row['code']}'",
                    "the code of a line or group on the budget_lines sheet",
                )
            )
        commentary.append(Commentary(row["code"], int(row["period"]), row["text"], _src(row)))
    if settings.contingency_line and settings.contingency_line not in codes and lines_complete:
        problems.add(
            _problem(
                where("settings"),
                "settings",
                s,
                "contingency_line",
                f"'{settings.contingency_line}'",
                "the code of a budget line",
            )
        )

    savings = []
    seen_savings: Counter[tuple[str, str]] = Counter()
    for row in data.get("savings", []):
        key = (row["code"], row["year"])
        seen_savings[key] += 1
        if seen_savings[key] > 1:
            problems.add(
                _problem(
                    where("savings"),
                    "savings",
                    row,
                    "code",
                    f"a second row for saving '{key[0]}' in {key[1]}",
                    "one row per saving per year",
                )
            )
        if settings_ok and row["year"] == settings.savings_year and row.get("forecast") is None:
            problems.add(
                _problem(
                    where("savings"),
                    "savings",
                    row,
                    "forecast",
                    "an empty cell",
                    f"a forecast for every saving in {settings.savings_year}",
                )
            )
        savings.append(
            Saving(
                row["code"],
                row["programme"],
                row["workstream"],
                row["description"],
                row["year"],
                _gbp(row, "target"),
                _gbp_opt(row, "forecast"),
                _src(row),
            )
        )
    adjustments = [
        SavingsAdjustment(
            r["year"], r["description"], _gbp(r, "amount"), cast(AdjustmentTreatment, r["treatment"]), _src(r)
        )
        for r in data.get("savings_adjustments", [])
    ]
    reserves = [
        Reserve(r["code"], r["name"], cast(ReserveKind, r["kind"]), _gbp(r, "opening"), _gbp(r, "planned_use"), _src(r))
        for r in data.get("reserves", [])
    ]
    _unique(where("reserves"), "reserves", data.get("reserves", []), problems)
    capital = [
        CapitalScheme(
            r["code"], r["scheme"], _gbp(r, "budget"), _gbp(r, "forecast"), _gbp(r, "next_year_budget"), _src(r)
        )
        for r in data.get("capital", [])
    ]
    _unique(where("capital"), "capital", data.get("capital", []), problems)
    mtfs_lines = [
        MtfsLine(r["code"], cast(MtfsCategory, r["category"]), r["description"], r["year"], _gbp(r, "amount"), _src(r))
        for r in data.get("mtfs_lines", [])
    ]
    seen_mtfs: Counter[tuple[str, str]] = Counter()
    for row in data.get("mtfs_lines", []):
        seen_mtfs[(row["code"], row["year"])] += 1
        if seen_mtfs[(row["code"], row["year"])] > 1:
            problems.add(
                _problem(
                    where("mtfs_lines"),
                    "mtfs_lines",
                    row,
                    "code",
                    f"a second amount for '{row['code']}' in {row['year']}",
                    "one row per line per year",
                )
            )
    tax_rows = sorted(data.get("council_tax", []), key=lambda r: r["year"])
    council_tax = [
        CouncilTaxYear(
            r["year"],
            r.get("increase_percent") or 0.0,
            r.get("precept_percent") or 0.0,
            r.get("base_growth_percent") or 0.0,
            r["in_gap"] == "yes",
            _gbp_opt(r, "council_tax"),
            _src(r),
        )
        for r in tax_rows
    ]
    if tax_rows and tax_rows[0].get("council_tax") is None:
        problems.add(
            _problem(
                where("council_tax"),
                "council_tax",
                tax_rows[0],
                "council_tax",
                "an empty cell",
                "the forecast council-tax yield for the first year",
            )
        )
    if tax_rows and tax_rows[0]["in_gap"] == "yes":
        problems.add(
            _problem(
                where("council_tax"),
                "council_tax",
                tax_rows[0],
                "in_gap",
                "yes",
                "no: the first year has no earlier yield to grow from",
            )
        )
    respread = [RespreadShare(r["year"], r["share_percent"], _src(r)) for r in data.get("respread", [])]
    if respread and "respread" not in troubled and abs(sum(r.share_percent for r in respread) - 100.0) > 1e-6:
        problems.add(
            Problem(
                where("respread"),
                f"shares totalling {sum(r.share_percent for r in respread):g}%",
                "shares totalling 100%",
                "respread",
                None,
                "share_percent",
            )
        )
    mtfs_years = {line.year for line in mtfs_lines} | {c.year for c in council_tax}
    for row in data.get("respread", []):
        if row["year"] not in mtfs_years and not {"mtfs_lines", "council_tax"} & troubled:
            problems.add(
                _problem(
                    where("respread"), "respread", row, "year", f"'{row['year']}'", "a year on the mtfs_lines sheet"
                )
            )
        elif mtfs_years and row["year"] == max(mtfs_years):
            problems.add(
                _problem(
                    where("respread"),
                    "respread",
                    row,
                    "year",
                    f"the final year '{row['year']}'",
                    "an earlier year (the final year is the one re-spread)",
                )
            )
    departments = [
        Department(
            r["code"],
            r["name"],
            r["allocation_basis"],
            _gbp_opt(r, "previously_agreed_savings") or 0.0,
            _gbp_opt(r, "new_changes") or 0.0,
            _src(r),
        )
        for r in data.get("departments", [])
    ]
    _unique(where("departments"), "departments", data.get("departments", []), problems)
    department_codes = {d.code for d in departments}
    exemptions = []
    for row in data.get("exemptions", []):
        if row["department"] not in department_codes and "departments" not in troubled:
            problems.add(
                _problem(
                    where("exemptions"),
                    "exemptions",
                    row,
                    "department",
                    f"'{row['department']}'",
                    "a code on the departments sheet",
                )
            )
        if row["year"] not in mtfs_years and not {"mtfs_lines", "council_tax"} & troubled:
            problems.add(
                _problem(
                    where("exemptions"), "exemptions", row, "year", f"'{row['year']}'", "a year on the mtfs_lines sheet"
                )
            )
        exemptions.append(
            Exemption(row["department"], row["year"], cast(ExemptionComponent, row["component"]), _src(row))
        )
    printed = [
        PrintedFigure(
            r["table"], r["item"], r["measure"], r["value"], _src(r), r["_row"], r.get("period") or settings.period
        )
        for r in data.get("printed", [])
    ]
    if problems:
        return None
    return FinancePack(
        settings=settings,
        lines=tuple(lines),
        positions=tuple(positions),
        commentary=tuple(commentary),
        savings=tuple(savings),
        savings_adjustments=tuple(adjustments),
        reserves=tuple(reserves),
        capital=tuple(capital),
        mtfs_lines=tuple(mtfs_lines),
        council_tax=tuple(council_tax),
        respread=tuple(respread),
        departments=tuple(departments),
        exemptions=tuple(exemptions),
        printed=tuple(printed),
        document=s.get("source_document") or "",
    )


def _unique(file: str, table: str, rows: list[InputRow], problems: Problems) -> None:
    seen: set[str] = set()
    for row in rows:
        if row["code"] in seen:
            problems.add(_problem(file, table, row, "code", f"a second '{row['code']}'", "a code used once only"))
        seen.add(row["code"])


def _check_lines(file: str, rows: list[InputRow], problems: Problems, partial: bool = False) -> list[BudgetLine]:
    """Duplicate codes, parents that do not exist, cycles, one top line, groups with lines and lines with budgets."""
    by_code: dict[str, InputRow] = {}
    for row in rows:
        odd = sorted(set(row["code"]) & set(SHEET_NAME_FORBIDDEN))
        if odd:  # group codes name the report's sheets, and Excel forbids these characters there
            problems.add(
                _problem(
                    file,
                    "budget_lines",
                    row,
                    "code",
                    "a code containing " + " ".join(f"'{c}'" for c in odd),
                    "a code without any of / : [ ] * ? \\",
                )
            )
        if row["code"] in by_code:
            problems.add(
                _problem(
                    file,
                    "budget_lines",
                    row,
                    "code",
                    f"a second line coded '{row['code']}' (first on row {by_code[row['code']]['_row']})",
                    "a code used once only",
                )
            )
        else:
            by_code[row["code"]] = row
    parents: dict[str, str | None] = {code: row.get("parent") for code, row in by_code.items()}
    for row in rows:
        parent = row.get("parent")
        if parent and parent not in by_code and not partial:
            problems.add(
                _problem(
                    file,
                    "budget_lines",
                    row,
                    "parent",
                    f"'{parent}'",
                    "the code of another line on this sheet, or blank for the department",
                )
            )
        if parent == row["code"]:
            problems.add(
                _problem(
                    file,
                    "budget_lines",
                    row,
                    "parent",
                    f"'{parent}' (the line itself)",
                    "the code of the group above this line",
                )
            )
    reported_cycle: set[str] = set()
    for start in by_code:
        path: list[str] = []
        code: str | None = start
        while code is not None and code in by_code and code not in path:
            path.append(code)
            code = parents.get(code)
        if code is not None and code in path:
            cycle = path[path.index(code) :]
            key = min(cycle)
            if key not in reported_cycle and len(cycle) > 1:
                reported_cycle.add(key)
                row = by_code[key]
                problems.add(
                    _problem(
                        file,
                        "budget_lines",
                        row,
                        "parent",
                        "a cycle: " + " → ".join([*cycle, cycle[0]]),
                        "a hierarchy with no loops (each line under a group above it)",
                    )
                )
    roots = [row for row in rows if not row.get("parent")]
    if not rows:
        problems.add(Problem(file, "no budget lines", "a department line and the lines beneath it", "budget_lines"))
    elif len(roots) != 1:
        found = f"{len(roots)} lines with no parent" + (": " + ", ".join(r["code"] for r in roots) if roots else "")
        problems.add(
            Problem(
                file,
                found,
                "exactly one top line (the department); every other line names its parent",
                "budget_lines",
                None,
                "parent",
            )
        )
    has_children = {row.get("parent") for row in rows if row.get("parent")}
    for row in rows:
        if row["kind"] == "group" and row["code"] not in has_children:
            problems.add(
                _problem(
                    file,
                    "budget_lines",
                    row,
                    "kind",
                    "a group with no lines under it",
                    "expenditure or income for a line with no lines beneath",
                )
            )
        if row["kind"] != "group" and row["code"] in has_children:
            problems.add(
                _problem(
                    file,
                    "budget_lines",
                    row,
                    "kind",
                    f"{row['kind']} with lines under it",
                    "group (a line with lines beneath rolls them up)",
                )
            )
        if row["kind"] != "group" and row.get("budget") is None:
            problems.add(
                _problem(
                    file, "budget_lines", row, "budget", "an empty cell", "a budget for every line that is not a group"
                )
            )
        if row["kind"] == "group" and row.get("budget") is not None:
            problems.add(
                _problem(
                    file,
                    "budget_lines",
                    row,
                    "budget",
                    f"{row['budget']:g} on a group",
                    "blank: a group's budget is the sum of its lines",
                )
            )
    return [
        BudgetLine(
            row["code"],
            row["name"],
            row.get("parent"),
            cast(LineKind, row["kind"]),
            _gbp_opt(row, "budget"),
            _gbp_opt(row, "prior_year_actual"),
            _gbp_opt(row, "prior_year_variance"),
            _src(row),
        )
        for row in by_code.values()
    ]


def write_template(path: Path) -> None:
    """A blank workbook with one sheet per table, column notes and an Instructions sheet."""
    write_workbook(path, TABLES, "careflow finance workbook", INSTRUCTIONS, rows={})


def write_pack_rows(path: Path, data: dict[str, Sequence[Sequence[Any]]]) -> None:
    write_workbook(path, TABLES, "careflow finance workbook", INSTRUCTIONS, rows=data)


def copy_to_workbook(source: Path, path: Path) -> None:
    """Write a checked pack (workbook or CSV folder) as a workbook in the template's layout."""
    load(source)  # refuse to copy a pack with problems
    problems = Problems()
    data = read_tables(Path(source), TABLES, problems)
    problems.raise_if_any()
    write_pack_rows(path, pack_rows(data))


def pack_rows(data: dict[str, list[InputRow]]) -> dict[str, Sequence[Sequence[Any]]]:
    """Checked rows back in the template's column order, ready to write as a workbook."""
    return {t.name: [[row.get(c.name) for c in t.columns] for row in data.get(t.name, [])] for t in TABLES}


INSTRUCTIONS = (
    "One sheet per table. Enter figures in £m to three decimals, as committee papers do.",
    "Income, savings and credits are negative; expenditure positive. Variances, roll-ups and totals are computed: never type them in.",
    "budget_lines: one top line (the department); every other line names its parent. Groups roll up the lines beneath.",
    "positions: a forecast for every line (not group) at the period reported; record other periods to compare them.",
    "printed (optional): totals as your source prints them; the report flags any that differ from the computed figure.",
    "Check the workbook with: careflow finance validate FILE. Produce the report with: careflow finance report FILE --out DIR.",
)


def roll_forward(
    source: Path,
    to_period: int,
    forecasts_gbp: Mapping[str, float] | None = None,
    commentary: Mapping[str, str] | None = None,
    asked_in: str = "--to-period",
) -> dict[str, Sequence[Sequence[Any]]]:
    """The pack's rows carried to a later period: same structure, each line's latest forecast carried over as
    the new period's starting forecast (or replaced by `forecasts_gbp`, in £, with `commentary` for the new period), and
    printed check figures kept with the period that printed them. `asked_in` names where the request came from."""
    pack = load(source)  # refuse to roll a pack with problems
    old = pack.settings.period
    if not old < to_period <= 12:
        raise InputError([Problem(asked_in, f"{to_period}", f"a later period than {old}, up to 12 ({PERIODS})")])
    forecasts, commentary = forecasts_gbp or {}, commentary or {}
    lines = {line.code: line for line in pack.lines}
    unknown = [
        Problem(asked_in, f"'{code}'", "the code of a budget line in the pack", column=f"{what} for a line")
        for what, given in (("forecast", forecasts), ("commentary", commentary))
        for code in given
        if code not in lines or (what == "forecast" and lines[code].kind == "group")
    ]
    if unknown:
        raise InputError(unknown)
    problems = Problems()
    data = read_tables(Path(source), TABLES, problems)
    problems.raise_if_any()
    data["settings"] = [{**data["settings"][0], "period": to_period, "previous_period": old}]
    carried = [
        {
            "code": p.code,
            "period": to_period,
            "forecast": millions_from_gbp(forecasts.get(p.code, p.forecast_gbp)),  # the workbook is in £m
            "source_line": f"entered for period {to_period}" if p.code in forecasts else f"carried from period {old}",
        }
        for p in pack.positions
        if p.period == old
    ]
    data["positions"] = [r for r in data.get("positions", []) if r["period"] != to_period] + carried
    explained = [
        {"code": code, "period": to_period, "text": text.strip()} for code, text in commentary.items() if text.strip()
    ]
    if explained:
        data["commentary"] = [r for r in data.get("commentary", []) if r["period"] != to_period] + explained
    data["printed"] = [{**r, "period": r.get("period") or old} for r in data.get("printed", [])]
    return pack_rows(data)


LEDGER = Table(
    "ledger",
    "A ledger export: one row per cost centre and period (extra columns are ignored)",
    (
        InputColumn("cost_centre", "The cost centre: the code of a budget line (not a group)", "text"),
        InputColumn("period", "The period of the export", "integer", minimum=1, maximum=12, meaning=PERIODS),
        money("budget", "Current budget for the year"),
        money("actual", "Actual spend to date", False),
        money("forecast", "Forecast outturn for the year"),
    ),
)


def import_ledger(pack_path: Path, ledger_path: Path) -> dict[str, Sequence[Sequence[Any]]]:
    """The pack's rows with budgets and forecasts taken from a ledger export (CSV), every problem located.

    Each cost centre must be a budget line of the pack; its budget replaces the line's and its forecast becomes
    the line's position at that period. Actual spend to date is checked but not yet used by any table."""
    pack = load(pack_path)
    problems = Problems()
    data = read_tables(Path(pack_path), TABLES, problems)
    rows = read_tables(Path(ledger_path), [LEDGER], problems).get(LEDGER.name, [])
    lines = {line.code: line for line in pack.lines}
    file = str(ledger_path)
    for row in rows:
        line = lines.get(row["cost_centre"])
        if line is None or line.kind == "group":
            found = f"'{row['cost_centre']}'" + (" (a group)" if line is not None else "")
            problems.add(
                _problem(file, LEDGER.name, row, "cost_centre", found, "the code of a budget line in the pack")
            )
    problems.raise_if_any()
    budgets = {r["cost_centre"]: r["budget"] for r in rows}
    data["budget_lines"] = [
        {**r, "budget": budgets.get(r["code"], r.get("budget"))} for r in data.get("budget_lines", [])
    ]
    imported = {(r["cost_centre"], r["period"]) for r in rows}
    kept = [r for r in data.get("positions", []) if (r["code"], r["period"]) not in imported]
    data["positions"] = kept + [
        {
            "code": r["cost_centre"],
            "period": r["period"],
            "forecast": r["forecast"],
            "source_line": f"ledger row {r['_row']}",
        }
        for r in rows
    ]
    return pack_rows(data)
