"""Reading and writing council baselines: Excel workbook, CSV folder or YAML, with located problems.

`load_baseline` accepts a built-in name (`demo`, `england-2019-20`) or a path. Cell-level checks come from
`careflow.tabular`; the cross-checks here catch what only a whole table shows (duplicate rows, a missing
age band, totals in the `council` sheet that contradict the rows they summarise).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from careflow.baseline import schema as s
from careflow.errors import InputError, Problem, Problems, problems_from_validation
from careflow.limits import MAX_NAME_CHARS
from careflow.provenance import Local, Provenance
from careflow.scenario import load_yaml_document
from careflow.tabular import InputColumn, InputRow, Table, read_tables, rows_from_mapping, write_workbook

BUILT_IN = ("demo", "england-2019-20")  # england-2021-22 is built by careflow.imports: see careflow.services
EXAMPLE_COUNCIL = "Exampleshire"  # the template's example row; validate refuses it if left in
TOTAL_TOLERANCE = 0.005  # a stated total may differ from the sum of its parts by rounding, up to 0.5%

TABLES: tuple[Table, ...] = (
    Table(
        "council",
        "Who the council is and which financial year this describes (one row).",
        (
            InputColumn("name", "Council name", kind="text"),
            InputColumn(
                "council_type",
                "Type of council",
                kind="text",
                choices=("county", "unitary", "metropolitan", "london_borough", "national"),
            ),
            InputColumn("financial_year", "Financial year, written like 2019/20", kind="financial_year"),
            InputColumn("ons_code", "ONS code, e.g. E10000020, if known", kind="text", required=False),
            InputColumn(
                "total_gross_expenditure_gbp",
                "Optional: total gross current expenditure (£), checked against the rows",
                required=False,
            ),
            InputColumn(
                "total_long_term_clients",
                "Optional: total clients in long-term support, checked against the rows",
                required=False,
            ),
            InputColumn(
                "total_requests",
                "Optional: total requests for support from new clients, checked against the rows",
                required=False,
            ),
        ),
        example_rows=((EXAMPLE_COUNCIL, "county", "2024/25", "", None, None, None),),
        example_key="name",
    ),
    Table(
        "population",
        "Adult population by age band (one row per band).",
        (
            InputColumn("age_band", "Age band", kind="text", choices=s.POPULATION_BANDS),
            InputColumn("people", "Residents in the band", kind="integer"),
        ),
    ),
    Table(
        "requests",
        "Requests for support from new clients in the year, by route and age band (SALT STS001).",
        (
            InputColumn("route", "Where the request came from", kind="text", choices=s.ROUTES),
            InputColumn("age_band", "Age band", kind="text", choices=s.AGE_BANDS),
            InputColumn("requests", "Number of requests", kind="integer"),
        ),
    ),
    Table(
        "request_outcomes",
        "Optional: what happened to those requests, by age band.",
        (
            InputColumn("age_band", "Age band", kind="text", choices=s.AGE_BANDS),
            InputColumn("outcome", "Outcome of the request", kind="text", choices=s.REQUEST_OUTCOMES),
            InputColumn("requests", "Number of requests with this outcome", kind="integer"),
        ),
        required=False,
    ),
    Table(
        "short_term",
        "Short-term services to maximise independence (reablement) completed in the year, by outcome (SALT STS002).",
        (
            InputColumn("age_band", "Age band", kind="text", choices=s.AGE_BANDS),
            InputColumn("outcome", "What followed the short-term service", kind="text", choices=s.SHORT_TERM_OUTCOMES),
            InputColumn("episodes", "Number of completed episodes", kind="integer"),
        ),
    ),
    Table(
        "long_term",
        "Clients in long-term support at year end, by age band, primary support reason and setting (SALT LTS001).",
        (
            InputColumn("age_band", "Age band", kind="text", choices=s.AGE_BANDS),
            InputColumn("support_reason", "Primary support reason", kind="text", choices=s.SUPPORT_REASONS),
            InputColumn("setting", "Setting of support", kind="text", choices=s.SETTINGS),
            InputColumn("clients", "Number of clients", kind="integer"),
            InputColumn("weekly_cost_gbp", "Average gross cost per client per week (£)"),
            InputColumn("hours_per_week", "Average hours per week (home care and direct payments)", required=False),
            InputColumn("income_share", "Share of gross cost recovered as income (%)", kind="percent", required=False),
        ),
    ),
    Table(
        "admissions",
        "Permanent admissions to residential and nursing care in the year (ASCOF 2A).",
        (
            InputColumn("age_band", "Age band", kind="text", choices=s.AGE_BANDS),
            InputColumn("admissions", "Number of permanent admissions", kind="integer"),
            InputColumn("from_hospital", "Of which straight from a hospital discharge", kind="integer", required=False),
        ),
    ),
    Table(
        "other_spend",
        "Optional: spend outside long-term support, by category and age band (ASC-FR).",
        (
            InputColumn("category", "Spend category", kind="text", choices=s.OTHER_SPEND),
            InputColumn("age_band", "Age band", kind="text", choices=s.AGE_BANDS),
            InputColumn("gross_gbp", "Gross expenditure (£); only an 'adjustment' line may be negative", minimum=None),
            InputColumn("income_gbp", "Income (£)", required=False),
        ),
        required=False,
    ),
    Table(
        "long_term_leavers",
        "Optional: clients who left long-term support in the year, by age band (SALT LTS001b less LTS001c: "
        "clients during the year less clients at the year end).",
        (
            InputColumn("age_band", "Age band", kind="text", choices=s.AGE_BANDS),
            InputColumn("leavers", "Number of clients who left long-term support", kind="integer"),
        ),
        required=False,
    ),
)
TABLE = {t.name: t for t in TABLES}

INSTRUCTIONS = (
    "Describe one council's adult social care system for one financial year, one sheet per table.",
    "Row 3 of each sheet holds the column names; enter data from row 4. Keep the column names as they are.",
    "Use the values offered in each drop-down (age bands, routes, settings, support reasons).",
    "Counts are whole numbers; money is in pounds (£), not £000s; percentages are 0–100.",
    "Money for long-term support is worked out from clients × average weekly cost, less the income share.",
    "Check the workbook with: careflow validate FILE. Every problem is listed with its sheet, row and column.",
    "Figures you enter are recorded as local data (your council's own) wherever careflow shows provenance.",
    "An imported baseline also has a 'sources' sheet: where each figure came from. A figure you change is "
    "recorded as local data from then on.",
)
SOURCES_SHEET = "sources"
SOURCE_COLUMNS = ("table", "row", "field", "value", "kind", "where it came from", "provenance (machine-readable)")

KEYS: dict[str, tuple[str, ...]] = {
    "population": ("age_band",),
    "requests": ("route", "age_band"),
    "request_outcomes": ("age_band", "outcome"),
    "short_term": ("age_band", "outcome"),
    "long_term": ("age_band", "support_reason", "setting"),
    "admissions": ("age_band",),
    "other_spend": ("category", "age_band"),
    "long_term_leavers": ("age_band",),
}


Recorded = dict[tuple[str, str, str], tuple[float, Provenance]]


def row_key(table: str, values: dict[str, Any]) -> str:
    return " / ".join(str(values.get(k)) for k in KEYS[table])


def _row_sources(file: str, table: str, row: InputRow, recorded: Recorded) -> dict[str, Provenance]:
    """Local data, unless the `sources` sheet says where the figure came from and the figure is unchanged."""
    out: dict[str, Provenance] = {}
    key = row_key(table, row)
    for name, value in row.items():
        if name.startswith("_") or not isinstance(value, int | float):
            continue
        known = recorded.get((table, key, name))
        shown = value / 100.0 if name == "income_share" else value
        if known is not None and abs(known[0] - shown) <= 1e-6 * max(abs(known[0]), 1.0):
            out[name] = known[1]
        else:
            out[name] = Local(source=file, detail=f"sheet '{table}', row {row['_row']}")
    return out


def read_sources(path: Path) -> Recorded:
    """The `sources` sheet of a baseline workbook (none for CSV folders, YAML or hand-made workbooks)."""
    from pydantic import TypeAdapter

    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return {}
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # the main reader reports an unreadable file with its location
        return {}
    try:
        if SOURCES_SHEET not in workbook.sheetnames:
            return {}
        adapter: TypeAdapter[Provenance] = TypeAdapter(Provenance)
        recorded: Recorded = {}
        for values in workbook[SOURCES_SHEET].iter_rows(min_row=2, values_only=True):
            if not values or values[0] is None or len(values) < 7 or values[6] is None:
                continue
            try:
                recorded[(str(values[0]), str(values[1]), str(values[2]))] = (
                    float(values[3]),
                    adapter.validate_json(str(values[6])),
                )
            except (ValueError, TypeError, ValidationError):
                continue  # an edited or damaged line: that figure is treated as local data
        return recorded
    finally:
        workbook.close()


def source_rows(baseline: s.Baseline) -> list[list[Any]]:
    """One line per figure whose provenance is not local: table, row, field, value, kind, words, JSON."""
    out: list[list[Any]] = []
    for table in KEYS:
        for row in getattr(baseline, table):
            key = row_key(table, row.model_dump())
            for name, provenance in row.sources.items():
                if provenance.kind == "local" or getattr(row, name, None) is None:
                    continue
                out.append(
                    [
                        table,
                        key,
                        name,
                        getattr(row, name),
                        provenance.kind,
                        provenance.describe(),
                        provenance.model_dump_json(exclude_none=True),
                    ]
                )
    if out and baseline.council.note:  # e.g. which publication, and whether clients are year-end or during-year
        out.insert(0, ["council", baseline.council.name, "note", None, "note", baseline.council.note, None])
    return out


def _write_sources(lines: list[list[Any]]) -> Callable[[Any], None]:
    def add(workbook: Any) -> None:
        from openpyxl.styles import Font

        sheet = workbook.create_sheet(SOURCES_SHEET)
        sheet.append(list(SOURCE_COLUMNS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in lines:
            sheet.append(line)
        for letter, width in (("A", 16), ("B", 44), ("C", 16), ("D", 14), ("E", 10), ("F", 100), ("G", 40)):
            sheet.column_dimensions[letter].width = width

    return add


def _check_duplicates(file: str, tables: dict[str, list[InputRow]], problems: Problems) -> None:
    for name, key in KEYS.items():
        seen: dict[tuple[Any, ...], int] = {}
        for row in tables.get(name, []):
            k = tuple(row[c] for c in key)
            if k in seen:
                problems.add(
                    Problem(
                        file,
                        f"a second row for {' / '.join(map(str, k))}",
                        f"one row per {' × '.join(key)} (first at row {seen[k]})",
                        name,
                        row["_row"],
                    )
                )
            else:
                seen[k] = row["_row"]


def _check_totals(file: str, tables: dict[str, list[InputRow]], problems: Problems, troubled: set[str]) -> None:
    """Stated totals against their parts; a total is checked only when every sheet it sums read cleanly."""
    council = tables.get("council", []) or problems.rejected_rows.get("council", [])  # e.g. a bad year
    if not council:
        return
    row = council[0]
    if len(row.get("name") or "") > MAX_NAME_CHARS:  # the name titles reports and names their files
        problems.add(
            Problem(
                file,
                f"a name of {len(row['name']):,} characters",
                f"at most {MAX_NAME_CHARS}",
                "council",
                row["_row"],
                "name",
            )
        )
    for table, column in (("population", "people"), ("long_term", "clients")):
        rows = tables.get(table, [])
        if rows and all(r.get(column) == 0 for r in rows):  # every rate in the models is per person: none is undefined
            problems.add(Problem(file, "0 in every row", "at least one row above 0", table, rows[0]["_row"], column))
    lt = tables.get("long_term", [])
    parts: dict[str, tuple[set[str], Callable[[], float], str]] = {
        "total_long_term_clients": (
            {"long_term"},
            lambda: sum(r["clients"] for r in lt),
            "the sum of clients in sheet 'long_term'",
        ),
        "total_requests": (
            {"requests"},
            lambda: sum(r["requests"] for r in tables.get("requests", [])),
            "the sum of sheet 'requests'",
        ),
        "total_gross_expenditure_gbp": (
            {"long_term", "other_spend"},
            lambda: (
                sum(r["clients"] * r["weekly_cost_gbp"] * s.WEEKS_PER_YEAR for r in lt)
                + sum(r["gross_gbp"] for r in tables.get("other_spend", []))
            ),
            "long-term clients × weekly cost × 52.18 weeks plus sheet 'other_spend'",
        ),
    }
    for column, (sheets, total, what) in parts.items():
        stated = row.get(column)
        if stated is None or sheets & troubled:
            continue
        computed = total()
        if abs(stated - computed) > TOTAL_TOLERANCE * max(abs(computed), 1.0):
            problems.add(
                Problem(
                    file, f"a stated total of {stated:,.0f}", f"{computed:,.0f}, {what}", "council", row["_row"], column
                )
            )
    for r in tables.get("admissions", []):
        if r.get("from_hospital") is not None and r["from_hospital"] > r["admissions"]:
            problems.add(
                Problem(
                    file,
                    f"{r['from_hospital']:,} from hospital",
                    f"no more than the {r['admissions']:,} admissions",
                    "admissions",
                    r["_row"],
                    "from_hospital",
                )
            )
    if len(council) > 1:
        problems.add(
            Problem(
                file, f"{len(council)} rows", "exactly one row describing the council", "council", council[1]["_row"]
            )
        )


def _build(
    file: str, tables: dict[str, list[InputRow]], problems: Problems, recorded: Recorded | None = None
) -> s.Baseline | None:
    """Turn checked rows into the typed baseline; pydantic's own checks become located problems too."""
    if problems:
        return None
    council_row = tables["council"][0]
    data: dict[str, Any] = {
        "council": {
            "name": council_row["name"],
            "council_type": council_row["council_type"],
            "financial_year": council_row["financial_year"],
            "ons_code": council_row.get("ons_code") or None,
        }
    }
    for name in KEYS:
        rows = []
        for row in tables.get(name, []):
            values = {k: v for k, v in row.items() if not k.startswith("_") and v is not None}
            if "income_share" in values:
                values["income_share"] = values["income_share"] / 100.0
            values["sources"] = _row_sources(file, name, row, recorded or {})
            rows.append(values)
        data[name] = rows
    try:
        return s.Baseline.model_validate(data)
    except ValidationError as error:
        problems.extend(problems_from_validation(file, error))
        return None


def read_baseline_file(path: Path) -> s.Baseline:
    """Read a baseline from a workbook, a CSV folder or a YAML file; raise InputError listing every problem."""
    path = Path(path)
    problems = Problems()
    file = str(path)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        document = load_yaml_document(path)
        if not isinstance(document, dict):
            raise InputError([Problem(file, f"a {type(document).__name__}", "a mapping of table name to rows")])
        document = dict(document)
        council = document.get("council")
        if isinstance(council, dict):
            document["council"] = [council]
        tables = rows_from_mapping(file, TABLES, document, problems)
    else:
        tables = read_tables(path, TABLES, problems)
    if tables:
        # Every check runs in the same round; a check that needs a sheet skips it only if that sheet had problems.
        troubled = {p.sheet or "" for p in problems.items}
        for required in ("council", "population", "requests", "short_term", "long_term", "admissions"):
            if required not in troubled and not tables.get(required):
                problems.add(Problem(file, "no rows", f"at least one row in sheet '{required}'", required))
        _check_duplicates(file, tables, problems)
        _check_totals(file, tables, problems, troubled)
    baseline = _build(file, tables, problems, read_sources(path) if not problems else None)
    problems.raise_if_any()
    assert baseline is not None
    return baseline


def builtin(name: str) -> s.Baseline:
    from careflow.baseline.demo import demoshire
    from careflow.baseline.england import england_2019_20

    makers: dict[str, Callable[[], s.Baseline]] = {"demo": demoshire, "england-2019-20": england_2019_20}
    return makers[name]()


def load_baseline(spec: str | Path) -> s.Baseline:
    """A built-in baseline by name, or one read from a file or folder."""
    if str(spec) in BUILT_IN:
        return builtin(str(spec))
    path = Path(spec)
    if not path.exists():
        raise InputError(
            [
                Problem(
                    str(spec), "no such file, folder or built-in baseline", f"one of {', '.join(BUILT_IN)}, or a path"
                )
            ]
        )
    return read_baseline_file(path)


def baseline_rows(baseline: s.Baseline) -> dict[str, Sequence[Sequence[Any]]]:
    """A baseline as rows in the workbook's column order (so it can be written and read back)."""
    c = baseline.council
    rows: dict[str, Sequence[Sequence[Any]]] = {
        "council": [[c.name, c.council_type, c.financial_year, c.ons_code or "", None, None, None]]
    }
    for name in KEYS:
        columns = [col.name for col in TABLE[name].columns]
        out = []
        for row in getattr(baseline, name):
            values = row.model_dump()
            values["income_share"] = values.get("income_share", 0.0) * 100.0
            out.append([values.get(col) for col in columns])
        rows[name] = out
    return rows


def write_baseline_workbook(path: Path, baseline: s.Baseline | None = None) -> None:
    """A blank template (no baseline) or a baseline written in the template's layout."""
    title = "careflow council baseline" + (f": {baseline.council.name}" if baseline else " — template")
    lines = source_rows(baseline) if baseline else []
    extra = _write_sources(lines) if lines else None
    write_workbook(path, TABLES, title, INSTRUCTIONS, baseline_rows(baseline) if baseline else None, extra)
