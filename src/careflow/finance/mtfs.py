"""The medium-term financial gap: built up year by year, the final year re-spread, and savings allocated to departments."""

from __future__ import annotations

from dataclasses import dataclass

from careflow.finance.model import FinancePack

CATEGORY_ORDER = ("previous_gap", "pressure", "funding", "savings_change", "new_savings")


@dataclass(frozen=True)
class CouncilTax:
    """A year's council-tax yield and the increases that build it from the year before, in £."""

    year: str
    council_tax_gbp: float
    rate_increase_gbp: float | None  # from the council-tax rate and ASC precept rises
    base_growth_gbp: float | None
    in_gap: bool


@dataclass(frozen=True)
class Allocation:
    """A department's share of new savings for a year, in £ (negative = savings to find)."""

    department: str
    year: str
    from_gap_gbp: float
    from_respread_gbp: float

    @property
    def total_gbp(self) -> float:
        return self.from_gap_gbp + self.from_respread_gbp


@dataclass(frozen=True)
class MediumTermGap:
    """The gap's build-up, each by year (year → £)."""

    years: tuple[str, ...]
    by_category_gbp: dict[str, dict[str, float]]  # category → year → £
    council_tax: tuple[CouncilTax, ...]
    council_tax_increase_gbp: dict[str, float]  # a reduction of the gap (negative)
    tax_base_growth_gbp: dict[str, float]
    revised_gap_gbp: dict[str, float]
    respread_gbp: dict[str, float]
    to_find_gbp: dict[str, float]
    allocations: tuple[Allocation, ...]

    def allocation(self, department: str, year: str) -> Allocation:
        return next(a for a in self.allocations if a.department == department and a.year == year)


def council_tax_path(pack: FinancePack) -> tuple[CouncilTax, ...]:
    """Each year's yield = last year's × (1 + rate + precept + base growth); the first year's yield is given."""
    rows = sorted(pack.council_tax, key=lambda c: c.year)
    path: list[CouncilTax] = []
    previous: float | None = None
    for row in rows:
        if previous is None:
            yield_ = row.council_tax_gbp or 0.0
            path.append(CouncilTax(row.year, yield_, None, None, row.in_gap))
        else:
            rate = previous * (row.increase_percent + row.precept_percent) / 100.0
            growth = previous * row.base_growth_percent / 100.0
            yield_ = previous + rate + growth
            path.append(CouncilTax(row.year, yield_, rate, growth, row.in_gap))
        previous = yield_
    return tuple(path)


def medium_term_gap(pack: FinancePack) -> MediumTermGap:
    years = tuple(sorted({line.year for line in pack.mtfs_lines} | {c.year for c in pack.council_tax}))
    by_category: dict[str, dict[str, float]] = {c: dict.fromkeys(years, 0.0) for c in CATEGORY_ORDER}
    for line in pack.mtfs_lines:
        by_category[line.category][line.year] += line.amount_gbp
    tax = council_tax_path(pack)
    increase = dict.fromkeys(years, 0.0)
    growth = dict.fromkeys(years, 0.0)
    for row in tax:
        if row.in_gap:
            increase[row.year] = -(row.rate_increase_gbp or 0.0)
            growth[row.year] = -(row.base_growth_gbp or 0.0)
    revised = {y: sum(by_category[c][y] for c in CATEGORY_ORDER) + increase[y] + growth[y] for y in years}
    respread = dict.fromkeys(years, 0.0)
    if pack.respread and years:
        final = years[-1]
        for share in pack.respread:
            respread[share.year] += revised[final] * share.share_percent / 100.0
        respread[final] -= revised[final]
    to_find = {y: revised[y] + respread[y] for y in years}
    return MediumTermGap(
        years, by_category, tax, increase, growth, revised, respread, to_find, allocate(pack, years, revised, respread)
    )


def allocate(
    pack: FinancePack, years: tuple[str, ...], revised: dict[str, float], respread: dict[str, float]
) -> tuple[Allocation, ...]:
    """Share each year's gap and re-spread among departments by allocation basis, leaving out exempt ones."""
    exempt = {(e.department, e.year, e.component) for e in pack.exemptions}
    out: list[Allocation] = []
    shares: dict[tuple[str, str, str], float] = {}
    for year in years:
        for component in ("gap", "respread"):
            eligible = [d for d in pack.departments if (d.code, year, component) not in exempt]
            basis = sum(d.allocation_basis for d in eligible)
            for d in pack.departments:
                share = d.allocation_basis / basis if d in eligible and basis else 0.0
                shares[(d.code, year, component)] = share
    for year in years:
        for d in pack.departments:
            out.append(
                Allocation(
                    d.code,
                    year,
                    -revised[year] * shares[(d.code, year, "gap")],
                    -respread[year] * shares[(d.code, year, "respread")],
                )
            )
    return tuple(out)
