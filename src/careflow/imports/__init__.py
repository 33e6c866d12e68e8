"""Councils' baselines from the official statistics (NHS Digital ASC-FR and SALT tables), peers and the atlas.

`import_councils` is the plain Python entry point: give it the data tables workbook and it returns one
`Baseline` per council that submitted both returns, and a refusal with the reason for each that did not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from careflow.baseline.schema import Baseline
    from careflow.imports.build import ClientBasis, Imported
    from careflow.imports.tables import Publication

# The table readers and builders load on first use, so that registering `careflow import` (which imports this
# package) costs every other command nothing at start-up.


def __getattr__(name: str) -> Any:
    if name in ("Imported", "ClientBasis", "EnglandShapes", "CouncilBuilder", "Refused", "ENGLAND"):
        from careflow.imports import build

        return getattr(build, name)
    if name in ("Publication", "CODE", "label"):
        from careflow.imports import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Refusal:
    code: str
    name: str
    reason: str


@dataclass
class ImportResult:
    """Every council asked for: imported (with its baseline and notes) or refused (with the reason)."""

    publication: Publication
    clients_basis: ClientBasis
    imported: dict[str, Imported] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)
    england: Imported | None = None

    @property
    def baselines(self) -> dict[str, Baseline]:
        return {code: item.baseline for code, item in self.imported.items()}


def council_codes(pub: Publication) -> dict[str, str]:
    """Every council in Table 1 (ONS code → name); England and the regions are not councils."""
    summary = pub.table(1)
    out = {}
    for code in summary.codes():
        cell = summary.cell(code, "Net Total Expenditure")
        if not code.startswith(("E92", "E12")) and cell.row_name != code:
            out[code] = cell.row_name
    return out


def resolve_council(pub: Publication, wanted: str) -> str:
    """An ONS code, a CASSR code or an exact council name → the ONS code the tables are joined on."""
    from careflow.errors import InputError, Problem
    from careflow.imports.tables import CODE, label

    summary = pub.table(1)
    text = wanted.strip()
    if text.upper() in summary.index() and CODE.match(text.upper()):
        return text.upper()
    if text.isdigit() and text in summary.index():
        number = summary.index()[text][0]
        return next(code for code, (n, _) in summary.index().items() if n == number and CODE.match(code))
    names = {label(name): code for code, name in council_codes(pub).items()}
    if label(text) in names:
        return names[label(text)]
    raise InputError(
        [
            Problem(
                str(pub.path),
                f"no council {wanted!r} in Table 1",
                "an ONS code (e.g. E10000020), a CASSR code (e.g. 607) or a council's exact name",
            )
        ]
    )


def import_councils(
    tables: Path | Publication,
    councils: list[str] | None = None,
    clients_basis: ClientBasis = "year-end",
    include_england: bool = True,
    ascof: Path | None = None,
    population: Path | None = None,
) -> ImportResult:
    """Import the named councils (codes or names), or every council when `councils` is None.

    With `ascof` (NHS Digital's ASCOF open data), permanent care-home admissions are ASCOF 2A's counts;
    without it they are estimated from the tables (care-home leavers), which the import report flags. With `population` (an
    ONS mid-year estimates CSV), the 65+ total is split into 65–74/75–84/85+ by the council's own shares.
    """
    from careflow.imports.ascof import read_admissions
    from careflow.imports.build import ENGLAND, CouncilBuilder, EnglandShapes, Refused
    from careflow.imports.population import read_older_shares
    from careflow.imports.tables import Publication

    pub = tables if isinstance(tables, Publication) else Publication(Path(tables))
    shapes = EnglandShapes(pub, clients_basis)
    admissions, ascof_year = ({}, "") if ascof is None else read_admissions(ascof)
    shares, population_source = ({}, "") if population is None else read_older_shares(population)

    def builder(code: str) -> CouncilBuilder:
        found = admissions.get(code)
        older = (shares[code], f"{population_source}, row for {code}") if code in shares else None
        return CouncilBuilder(
            pub, code, clients_basis, shapes, older_shares=older, admissions=(found, ascof_year) if found else None
        )

    codes = [resolve_council(pub, c) for c in councils] if councils is not None else list(council_codes(pub))
    result = ImportResult(publication=pub, clients_basis=clients_basis)
    for code in codes:
        try:
            result.imported[code] = builder(code).build()
        except Refused as why:
            result.refused.append(Refusal(code, council_codes(pub).get(code, code), str(why)))
    if include_england:
        result.england = builder(ENGLAND).build()
    return result


import_all = import_councils


def workbook_name(code: str, name: str) -> str:
    """The file name `careflow import` gives a council's baseline workbook: 'E10000020-norfolk.xlsx'."""
    import re

    return f"{code}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.xlsx"


__all__ = ["ImportResult", "Imported", "Refusal", "import_all", "import_councils", "resolve_council", "workbook_name"]
