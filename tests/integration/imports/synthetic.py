"""A small synthetic copy of NHS Digital's ASC-FR and SALT data tables: same titles, header layout and codes.

It holds England, one region and four invented councils, with figures made up so that the tables agree with
one another the way the real ones do (settings add to totals, net = gross − client contributions, …):
- Northshire (E10000901, CASSR 901): an ordinary county;
- Southborough (E09000901, 902): suppressed `[c]` cells, including under the learning-disability levers;
- Nosubmit (E06000901, 903): did not submit ASC-FR (`[x]` in the finance tables);
- Negaton (E06000902, 904): a negative published value and nursing money with no nursing clients aged 18-64.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

YEAR = "2021-22"
AGES = ("18 to 64", "65 and over")
SALT_SETTINGS = (
    "Nursing",
    "Residential",
    "Community\nDirect Payment Only",
    "Community\nPart Direct Payment",
    "Community\nCASSR Managed Personal Budget",
    "Community\nCASSR Commissioned Support Only",
    "Prison\nCASSR Managed Personal Budget",
    "Prison\nCASSR Commissioned Support Only",
)
SUB_PSRS = (
    "Physical Support\nAccess and Mobility Only",
    "Physical Support\nPersonal Care Support",
    "Sensory Support\nSupport for Visual Impairment",
    "Sensory Support\nSupport for Hearing Impairment",
    "Sensory Support\nSupport for Dual Impairment",
    "Support with Memory and Cognition",
    "Learning Disability Support",
    "Mental Health Support",
    "Social Support\nSubstance Misuse Support",
    "Social Support\nAsylum Seeker Support",
    "Social Support\nSupport for Social Isolation/Other",
)
PSR_SHARES = {
    "18 to 64": (0.05, 0.2, 0.01, 0.01, 0.0, 0.02, 0.45, 0.2, 0.02, 0.0, 0.04),
    "65 and over": (0.1, 0.6, 0.01, 0.01, 0.0, 0.14, 0.04, 0.07, 0.01, 0.0, 0.02),
}
SPEND_SETTINGS = (
    "Nursing",
    "Residential",
    "Supported Accommodation",
    "Community: Direct Payments",
    "Community: Home Care",
    "Community: Supported Living",
    "Community: Other Long Term Care",
)
SPEND_PSRS = (
    "Physical Support",
    "Sensory Support",
    "Support with Memory and Cognition",
    "Learning Disability Support",
    "Mental Health Support",
)
ST_OUTCOMES = (
    "Early Cessation of Service (not leading to long term support) - 100% NHS funded care/end of life/deceased\n",
    "Early Cessation of Service (not leading to long term support)\n",
    "Early Cessation of Service (leading to long term support)\n",
    "Long Term Support\n",
    "No Services Provided\nNeeds identified but self funding",
    "Ongoing Low Level Support\n",
    "Short Term Support\n",
    "No Services Provided\nNeeds identified but support declined",
    "No Services Provided\nUniversal Services/ signposted to other services",
    "No Services Provided\nNo identified needs",
)
ST_SHARES = (0.05, 0.12, 0.02, 0.17, 0.03, 0.06, 0.09, 0.03, 0.06, 0.37)
SEQUELS = (
    "Short Term Care: to maximise independence",
    "Long Term Care: Nursing",
    "Long Term Care: Residential",
    "Long Term Care: Community",
    "Long Term Care: Prison",
    "100% NHS Funded Care",
    "End of Life",
    "Ongoing Low Level Support",
    "Short Term Care: other short term",
    "Universal Services/ Signposted to other services",
    "No Services Provided - Deceased",
    "No Services Provided",
)
SEQUEL_SHARES = (0.1, 0.01, 0.02, 0.07, 0.0, 0.01, 0.01, 0.15, 0.07, 0.25, 0.02, 0.29)
ROUTES = (
    "Discharge from Hospital",
    "Diversion from Hospital Services",
    "Self-funder with depleted funds",
    "Self-funder with depleted funds of which previously provided with 12 week disregard or DP",
    "Community / Other Route",
    "Prison",
)
OTHER_46 = (
    "Social Support: Substance Misuse Support",
    "Social Support: Asylum Seeker Support",
    "Social Support: Support to Carer",
    "Social Support: Support for Social Isolation/Other",
    "Assistive Equipment and Technology",
    "Social Care Activities",
    "Information and Early Intervention",
    "Commissioning and Service Delivery",
)

# code, CASSR, name, region code, region name, size (scales everything)
COUNCILS = (
    ("E10000901", "901", "Northshire", 1.0),
    ("E09000901", "902", "Southborough", 0.2),
    ("E06000901", "903", "Nosubmit", 0.3),
    ("E06000902", "904", "Negaton", 0.4),
)
REGION = ("E12000006", "East of England")


def _counts(size: float) -> dict[str, Any]:
    """One council's SALT and ASC-FR figures (counts rounded to 5 as NHS Digital does)."""

    def r5(x: float) -> int:
        return int(5 * round(x / 5))

    pop = {"18 to 64": r5(500_000 * size), "65 and over": r5(160_000 * size)}
    clients = {}
    for age, total in (("18 to 64", 4800 * size), ("65 and over", 6800 * size)):
        shares = (
            (0.02, 0.16, 0.2, 0.1, 0.4, 0.119, 0.0005, 0.0005)
            if age == "18 to 64"
            else (0.06, 0.38, 0.05, 0.03, 0.4, 0.079, 0.0005, 0.0005)
        )
        clients[age] = [r5(total * s) for s in shares]
    psr = {age: [r5(sum(clients[age][:6]) * s) for s in PSR_SHARES[age]] for age in AGES}
    spend = {  # £000 by age and ASC-FR setting
        "18 to 64": [3000 * size, 49000 * size, 2000 * size, 16800 * size, 7000 * size, 30500 * size, 21000 * size],
        "65 and over": [10300 * size, 87300 * size, 9400 * size, 6000 * size, 26200 * size, 5200 * size, 2900 * size],
    }
    st = {"18 to 64": 2900 * size, "65 and over": 20300 * size}
    other = [550 * size, 480 * size, 1470 * size, 7230 * size, 1470 * size, 36240 * size, 3500 * size, 36980 * size]
    contributions = {"18 to 64": 8800 * size, "65 and over": 34700 * size}
    contributions_st = {"18 to 64": 130 * size, "65 and over": 1170 * size}
    contributions_other = 2650 * size
    episodes = {"18 to 64": r5(600 * size), "65 and over": r5(5300 * size)}
    requests = {age: r5(n * size) for age, n in (("18 to 64", 12800), ("65 and over", 28800))}
    return {
        "pop": pop,
        "clients": clients,
        "psr": psr,
        "spend": spend,
        "st": st,
        "other": other,
        "cc": contributions,
        "cc_st": contributions_st,
        "cc_other": contributions_other,
        "episodes": episodes,
        "requests": requests,
        "capital": 14000 * size,
        "unit": {"Nursing": (930.0, 760.0), "Residential": (1240.0, 830.0)},
    }


def _sum_councils(figures: list[dict[str, Any]]) -> dict[str, Any]:
    def add(a: Any, b: Any) -> Any:
        if isinstance(a, dict):
            return {k: add(a[k], b[k]) for k in a}
        if isinstance(a, list | tuple):
            return [add(x, y) for x, y in zip(a, b, strict=True)]
        return a + b

    total = figures[0]
    for f in figures[1:]:
        total = add(total, f)
    total["unit"] = figures[0]["unit"]
    return total


def _header_rows(paths: list[tuple[str, ...]]) -> list[list[str]]:
    depth = max(len(p) for p in paths)
    rows = [["" for _ in paths] for _ in range(depth)]
    for j, path in enumerate(paths):
        for d in range(len(path)):
            if j == 0 or paths[j - 1][: d + 1] != path[: d + 1]:
                rows[d][j] = path[d]
    return rows


class Book:
    def __init__(self) -> None:
        from openpyxl import Workbook

        self.wb = Workbook()
        self.wb.active.title = "Title"
        self.wb.active["A3"] = f"Adult Social Care Activity and Finance: England {YEAR}"

    def table(
        self, number: int, title: str, unit: str, paths: list[tuple[str, ...]], rows: list[list[Any]], anchor: str
    ) -> None:
        sheet = self.wb.create_sheet(f"T{number}")
        sheet["A2"] = "Return to contents"
        sheet["A4"] = f"Table {number}: {title}, {YEAR}"
        sheet.cell(6, 6, unit)
        ident = (
            ["Geography code", "LA code", "LA name", "Region code", "Region name"]
            if anchor == "council"
            else anchor.split("|")
        )
        header = _header_rows(paths)
        for d, row in enumerate(header):
            values = (ident if d == 0 else [""] * len(ident)) + row
            for j, v in enumerate(values):
                if v:
                    sheet.cell(7 + d, j + 1, v)
        line = 7 + len(header) + 1
        for row in rows:
            for j, v in enumerate(row):
                if v is not None:
                    sheet.cell(line, j + 1, v)
            line += 1
        sheet.cell(line + 2, 1, "Copyright © 2022, NHS Digital.")

    def save(self, path: Path) -> None:
        self.wb.save(path)


def write_fixture(path: Path) -> Path:
    """Write the synthetic tables to `path` and return it."""
    figures = {code: _counts(size) for code, _, _, size in COUNCILS}
    figures["E06000902"]["spend"]["65 and over"][2] = -25.0  # Negaton: a negative reclassification
    england = _sum_councils(list(figures.values()))
    region = england
    book = Book()

    def council_rows(values: Any, submitted_asc_fr: bool = True, salt: bool = True) -> list[list[Any]]:
        out = [[" ", "", "", "E92000001", "England", *values(england, "E92000001")], [" "] * 5]
        out.append([" ", "", "", REGION[0], REGION[1], *values(region, REGION[0])])
        for code, cassr, name, _ in COUNCILS:
            row = values(figures[code], code)
            if code == "E06000901" and not submitted_asc_fr:
                row = ["[x]"] * len(row)
            out.append([code, cassr, name, REGION[0], REGION[1], *row])
        return out

    def fin(number: int, title: str, paths: list[tuple[str, ...]], values: Any, unit: str = "£ Thousands") -> None:
        book.table(number, title, unit, paths, council_rows(values, submitted_asc_fr=False), "council")

    def act(number: int, title: str, paths: list[tuple[str, ...]], values: Any, unit: str = "Numbers") -> None:
        book.table(number, title, unit, paths, council_rows(values), "council")

    def gce(f: dict[str, Any]) -> float:
        return sum(sum(f["spend"][a]) for a in AGES) + sum(f["st"].values()) + sum(f["other"])

    def cc(f: dict[str, Any]) -> float:
        return sum(f["cc"].values()) + sum(f["cc_st"].values()) + f["cc_other"]

    act(
        1,
        "Summary figures regarding Adult Social Care activity and finance",
        [
            ("Net Total Expenditure",),
            ("Gross Total Expenditure",),
            ("Gross Current Expenditure",),
            ("Number of requests for support received from new clients", "18 to 64"),
            ("Number of requests for support received from new clients", "65 and over"),
            ("New clients with an episode of ST-Max care and a known sequel", "18 to 64"),
            ("New clients with an episode of ST-Max care and a known sequel", "65 and over"),
        ],
        lambda f, code: [
            gce(f) + f["capital"] - cc(f),
            gce(f) + f["capital"],
            gce(f),
            f["requests"]["18 to 64"],
            f["requests"]["65 and over"],
            f["episodes"]["18 to 64"],
            f["episodes"]["65 and over"],
        ],
    )
    fin(
        3,
        "Expenditure and income, by finance type and finance description",
        [
            ("Income", "Client Contributions"),
            ("Income", "Joint Arrangements"),
            ("Income", "Income from NHS"),
            ("Income", "Other Income"),
            ("Capital", "Total"),
        ],
        lambda f, code: [cc(f), 100.0, 5000.0, 400.0, f["capital"]],
    )
    fin(
        7,
        "Income, by finance description, care type and age band",
        [
            ("Client Contributions", "Long Term Care", "18 to 64"),
            ("Client Contributions", "Long Term Care", "65 and Over"),
            ("Client Contributions", "Short Term Care", "18 to 64"),
            ("Client Contributions", "Short Term Care", "65 and Over"),
            ("Client Contributions", "Other"),
        ],
        lambda f, code: [f["cc"][AGES[0]], f["cc"][AGES[1]], f["cc_st"][AGES[0]], f["cc_st"][AGES[1]], f["cc_other"]],
        "£ Thousands / percentages",
    )

    def routes(f: dict[str, Any], code: str) -> list[Any]:
        out: list[Any] = []
        for age in AGES:
            total = f["requests"][age]
            parts = [int(5 * round(total * s / 5)) for s in (0.1, 0.01, 0.004, 0.0, 0.0, 0.002)]
            community = total - sum(parts)
            row: list[Any] = [parts[0], parts[1], parts[2], parts[3], community, parts[5], total]
            if code == "E09000901":
                row[3] = "[c]"
            out += row
        return [*out, f["requests"][AGES[0]] + f["requests"][AGES[1]]]

    act(
        8,
        "Number of requests for support received from new clients, by age band and route of access",
        [(age, r) for age in AGES for r in (*ROUTES, "Total")] + [("Total",)],
        routes,
    )
    for number, age in ((10, AGES[0]), (11, AGES[1])):
        act(
            number,
            f"Number of requests for support received from new clients aged {age}, by what happened next",
            [(s,) for s in SEQUELS] + [("Total",)],
            lambda f, code, age=age: [int(f["requests"][age] * s) for s in SEQUEL_SHARES] + [f["requests"][age]],
        )
    act(
        12,
        "Number of requests for support received from new clients per 100,000 adults, by age band",
        [
            (age, x)
            for age in AGES
            for x in ("Requests for support per 100,000 adults", "Requests for support", "Population")
        ],
        lambda f, code: [
            v for age in AGES for v in (f["requests"][age] / f["pop"][age] * 1e5, f["requests"][age], f["pop"][age])
        ],
        "Rate per 100,000 adults / Numbers",
    )
    fin(
        14,
        "Gross Current Expenditure, by care type",
        [
            ("Long Term Support GCE",),
            ("Short Term Support GCE",),
            ("Other GCE",),
            ("Total Gross Current Expenditure (GCE)",),
        ],
        lambda f, code: [
            sum(sum(f["spend"][a]) for a in AGES),
            sum(f["st"].values()),
            sum(f["other"]),
            gce(f),
        ],
        "£ Thousands / percentages of row total",
    )
    fin(
        17,
        "Gross Current Expenditure on long and short term care, by care type and age band, year on year comparison",
        [
            (care, year, age)
            for care in ("Long Term Care", "Short Term Care")
            for year in ("2020-21", YEAR)
            for age in ("18 to 64", "65 and Over", "Total")
        ],
        lambda f, code: [
            v
            for care in ("lt", "st")
            for year in (0.95, 1.0)
            for v in (
                *(year * (sum(f["spend"][a]) if care == "lt" else f["st"][a]) for a in AGES),
                year * sum(sum(f["spend"][a]) if care == "lt" else f["st"][a] for a in AGES),
            )
        ],
    )
    # England-only tables: seeds for the fits.
    st_rows: list[list[Any]] = []
    for age_label, age in (("All ages", None), ("18-64", AGES[0]), ("65 and over", AGES[1])):
        total = sum(england["episodes"].values()) if age is None else england["episodes"][age]
        tilt = 1.0 if age != AGES[0] else 1.3  # working-age episodes end in long-term support more often
        values: list[Any] = []
        for k, share in enumerate(ST_SHARES):
            values += [round(total * share * (tilt if k == 3 else 1.0)), ""]
        st_rows.append([age_label, "E92000001", "England", *values, total])
        st_rows.append([" "] * 3)
    book.table(
        21,
        "Number of completed episodes of ST-Max for new clients, by what happened next and age band",
        "Numbers / percentages of row total",
        [p for o in ST_OUTCOMES for p in ((o,), (o, "%"))] + [("Total",)],
        st_rows,
        "Age band|Region code |Region name",
    )
    act(
        22,
        "Number of completed episodes of ST-Max for new clients, by what happened next",
        [(o,) for o in ST_OUTCOMES] + [("Total",)],
        lambda f, code: [
            *(
                "[c]" if code == "E09000901" and k == 4 else int(5 * round(sum(f["episodes"].values()) * s / 5))
                for k, s in enumerate(ST_SHARES)
            ),
            sum(f["episodes"].values()),
        ],
    )
    act(
        24,
        "Number of completed episodes of ST-Max for new clients per 100,000 adults",
        [("Episodes of ST-Max per 100,000 adults",), ("Episodes of ST-Max",), ("Population",)],
        lambda f, code: [
            round(sum(f["episodes"].values()) / sum(f["pop"].values()) * 1e5),
            sum(f["episodes"].values()),
            sum(f["pop"].values()),
        ],
        "Rate per 100,000 adults / Numbers",
    )
    fin(
        32,
        "Gross Current Expenditure on short term care to maximise independence per 100,000 adults",
        [
            (y, x)
            for y in ("2020-21", YEAR)
            for x in ("Gross Current Expenditure per 100,000 adults", "Gross Current Expenditure", "Population")
        ],
        lambda f, code: [v for y in (0.9, 1.0) for v in (0.0, y * 0.6 * sum(f["st"].values()), sum(f["pop"].values()))],
        "£ Thousands per 100,000 adults / £ Thousands / Numbers",
    )

    def salt_row(f: dict[str, Any], code: str, during: bool) -> list[Any]:
        out: list[Any] = []
        for age in AGES:
            cells: list[Any] = [int(5 * round(c * (1.2 if during else 1) / 5)) for c in f["clients"][age]]
            cells[6:8] = ["[c]", "[c]"] if code != "E92000001" else cells[6:8]
            if code == "E06000902" and age == AGES[0]:
                cells[0] = 0  # Negaton: nursing money but no nursing clients aged 18-64
            if code == "E09000901" and age == AGES[0]:
                cells[1] = "[c]"  # Southborough: working-age residential suppressed
            out += [*cells, sum(c for c in cells if isinstance(c, int))]
        return [*out, out[8] + out[17]]

    paths_38 = [(age, s) for age in AGES for s in (*SALT_SETTINGS, "Total")] + [("Total",)]
    act(
        33,
        "Number of clients accessing long term support during the year, at the end of the year (31 March) and for "
        "more than 12 months at the end of the year (31 March), by age band",
        [(w, a) for w in ("In Year", "Year End") for a in ("18 to 64", "65 and over", "Total")],
        lambda f, code: [
            v
            for during in (True, False)
            for v in (
                salt_row(f, code, during)[8],
                salt_row(f, code, during)[17],
                salt_row(f, code, during)[18],
            )
        ],
    )
    act(
        34,
        "Number of clients accessing long term support during the year, by age band and support setting",
        paths_38,
        lambda f, code: salt_row(f, code, True),
    )
    act(
        38,
        "Number of clients accessing long term support at the end of the year, by age band and support setting",
        paths_38,
        lambda f, code: salt_row(f, code, False),
    )

    def psr_row(f: dict[str, Any], code: str) -> list[Any]:
        out: list[Any] = []
        for age in AGES:
            cells: list[Any] = list(f["psr"][age])
            if code == "E09000901":
                cells[9] = "[c]"
                if age == AGES[0]:
                    cells[6] = "[c]"  # learning disability, working age: the LD levers rest on it
            out += [*cells, sum(c for c in cells if isinstance(c, int))]
        return [*out, out[11] + out[23]]

    act(
        37,
        "Number of clients accessing long term support at the end of the year, by age band and primary support reason",
        [(age, p) for age in AGES for p in (*SUB_PSRS, "Total")] + [("Total",)],
        psr_row,
    )
    for number, during in ((35, True), (39, False)):
        rows: list[list[Any]] = [["All ages", "Total", None, *([1] * 9)], [" "]]
        for age in AGES:
            rows.append([age, "Total", None, *([1] * 9)])
            rows.append([" "])
            for k, sub in enumerate(SUB_PSRS):
                share = PSR_SHARES[age][k]
                # LD leans to supported living and residential; memory and cognition to care homes.
                lean = {6: (0.2, 2.0, 0.5, 0.5, 0.6, 1.5), 5: (2.0, 1.5, 0.5, 0.5, 0.8, 0.8)}.get(k, (1,) * 6)
                cells = [
                    round(england["clients"][age][j] * (1.2 if during else 1) * share * lean[j]) if j < 6 else 0
                    for j in range(8)
                ]
                rows.append([" ", sub.replace("\n", ": "), None, *cells, sum(cells)])
            rows.append([" "])
        book.table(
            number,
            (
                "Number of clients accessing long term support during the year, by primary support reason, age band and support setting"
                if during
                else "Number of clients accessing long term support at the end of the year, by support setting, age band and primary support reason"
            ),
            "Numbers",
            [("",)] + [(s,) for s in SALT_SETTINGS] + [("Total",)],
            [r[:2] + r[2:] for r in rows],
            "Age band|Primary support reason",
        )
    for number, age in ((43, AGES[0]), (44, AGES[1])):

        def spend_row(f: dict[str, Any], code: str, age: str = age) -> list[Any]:
            cells: list[Any] = list(f["spend"][age])
            return [*cells, sum(cells)]

        fin(
            number,
            f"Gross Current Expenditure on long term care for clients aged {age}, by support setting",
            [(s,) for s in SPEND_SETTINGS] + [("Total",)],
            spend_row,
        )
    rows = [[" ", "Total", *([1.0] * 8)], [" "]]
    for age in ("18 to 64", "65 and Over"):
        key = AGES[0] if age == "18 to 64" else AGES[1]
        for k, psr in enumerate(SPEND_PSRS):
            lean = (0.3, 0.02, 0.1, 0.45, 0.13)[k] if key == AGES[0] else (0.7, 0.02, 0.18, 0.04, 0.06)[k]
            cells = [england["spend"][key][j] * lean for j in range(7)]
            rows.append([age if k == 0 else None, psr, *cells, sum(cells)])
        rows.append([None, ""])
    book.table(
        45,
        "Gross Current Expenditure on long term care, by support setting, age band and primary support reason",
        "£ Thousands",
        [(s,) for s in SPEND_SETTINGS] + [("Total",)],
        [r[:2] + r[2:] for r in rows],
        "Age band|Primary support reason",
    )
    fin(
        46,
        "Gross Current Expenditure on other (not long or short term) social care, by primary support reason",
        [(o,) for o in OTHER_46] + [("Total",)],
        lambda f, code: [*f["other"], sum(f["other"])],
    )
    fin(
        52,
        "Unit costs for clients accessing long term support, by support setting and age band, year on year comparison",
        [(s, y, a) for s in ("Nursing", "Residential") for y in ("2020-21", YEAR) for a in ("18 to 64", "65 and Over")],
        lambda f, code: [f["unit"][s][k] * y for s in ("Nursing", "Residential") for y in (0.97, 1.0) for k in (0, 1)],
        "£ per week",
    )
    book.save(path)
    return path
