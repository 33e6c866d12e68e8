"""Does an imported baseline reproduce the published totals, and does it look plausible against England?

Each check compares a baseline total with the printed one and, when they differ by more than 0.5%, says by
how much and why. Flags mark figures far from England's: they may be real, or a recording difference in
the return, and a reader should know before trusting a lever built on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from careflow.baseline.schema import AGE_BANDS, WEEKS_PER_YEAR, Baseline, Setting
from careflow.imports.build import AGE_LABEL, ENGLAND, Imported
from careflow.imports.tables import Publication

TOLERANCE = 0.005
REABLEMENT_RATE_LIMIT = 3.0  # × England's episodes per 100,000 adults
CLIENT_RATIO_RANGE = (0.8, 1.25)


@dataclass
class Check:
    what: str
    source: str  # table and cell
    published: float
    baseline: float
    reason: str = ""

    @property
    def difference(self) -> float:
        return self.baseline - self.published

    @property
    def difference_pct(self) -> float:
        return self.difference / self.published * 100 if self.published else 0.0

    @property
    def holds(self) -> bool:
        return abs(self.difference) <= TOLERANCE * max(abs(self.published), 1.0)


@dataclass
class PlausibilityFlag:
    """A figure far from England's (or the nearest neighbours'): maybe real, maybe a recording difference."""

    what: str
    detail: str


@dataclass
class ImportReview:
    """One imported council's review: its totals checked against the printed ones, and its plausibility flags."""

    checks: list[Check] = field(default_factory=list)
    flags: list[PlausibilityFlag] = field(default_factory=list)

    @property
    def all_hold_or_explained(self) -> bool:
        return all(c.holds or c.reason for c in self.checks)


def _money(pub: Publication, table: int, code: str, *labels: str) -> tuple[float, str]:
    cell = pub.table(table).cell(code, *labels)
    return cell.estimate() * 1000.0, cell.line


def _count(pub: Publication, table: int, code: str, *labels: str) -> tuple[float, str]:
    cell = pub.table(table).cell(code, *labels)
    return cell.estimate(), cell.line


def reconcile(pub: Publication, item: Imported) -> list[Check]:
    code, b = item.code, item.baseline
    checks = []
    gce, ref = _money(pub, 14, code, "Total Gross Current Expenditure (GCE)")
    checks.append(Check("Gross current expenditure (Table 14)", ref, gce, b.gross_spend()))
    net, ref = _money(pub, 1, code, "Net Total Expenditure")
    check = Check("Net total expenditure (Table 1)", ref, net, b.net_spend())
    if not check.holds:
        # The return's net total is gross *total* expenditure (current plus capital) less client contributions.
        capital, capital_ref = _money(pub, 3, code, "Capital", "Total")
        rest = check.difference + capital
        check.reason = (
            f"Table 1's net total includes capital spend of £{capital / 1e6:,.1f}m ({capital_ref}); the baseline "
            f"holds current spend only"
            + ("" if abs(rest) <= TOLERANCE * abs(net) else f"; £{rest / 1e6:,.1f}m remains unexplained")
        )
    checks.append(check)
    for age in AGE_BANDS:
        adjustment = item.adjustment_parts.get(("long_term", age), 0.0)
        lt, ref = _money(pub, 17, code, "Long Term Care", pub.year, AGE_LABEL[age])
        checks.append(
            Check(
                f"Long-term care spend aged {age} (Table 17)",
                ref,
                lt,
                b.long_term_gross(age) + adjustment,
                "" if adjustment == 0 else "includes the adjustment line",
            )
        )
        st, ref = _money(pub, 17, code, "Short Term Care", pub.year, AGE_LABEL[age])
        short = sum(r.gross_gbp for r in b.other_spend if r.category == "short_term" and r.age_band == age)
        short += item.adjustment_parts.get(("short_term", age), 0.0)
        checks.append(
            Check(
                f"Short-term care spend aged {age} (Table 17)",
                ref,
                st,
                short,
                "negative as published: kept on the adjustment line" if st < 0 else "",
            )
        )
    column = "Year End" if item.clients_basis == "year-end" else "In Year"
    clients, ref = _count(pub, 33, code, column, "Total")
    prison = sum(float(w.split(" ")[0].replace(",", "")) for w in item.warnings if "in prison" in w)
    check = Check(f"Long-term clients, {item.clients_basis.replace('-', ' ')} (Table 33)", ref, clients, b.clients())
    if not check.holds:
        check.reason = (
            f"SALT counts are rounded to 5 in each cell, so setting cells need not add to the printed total; "
            f"{prison:,.0f} clients in prison are not modelled; suppressed cells count as 2"
        )
    checks.append(check)
    requests, ref = _count(pub, 8, code, "Total")
    check = Check("Requests for support from new clients (Table 8)", ref, requests, b.total_requests())
    suppressed = [c.line for c in item.suppressed if c.table == 8]
    if not check.holds and suppressed:
        check.reason = f"suppressed “[c]” route cells ({', '.join(suppressed)}) count as 2 each (they hold 0–4)"
    checks.append(check)
    episodes, ref = _count(pub, 24, code, "Episodes of ST-Max")
    check = Check(
        "Completed short-term (ST-Max) episodes, new clients (Table 24)", ref, episodes, b.short_term_episodes()
    )
    if not check.holds:
        check.reason = "Table 24 and Table 1 round their counts separately (to 5); the baseline follows Table 1"
    checks.append(check)
    return checks


@dataclass
class EnglandNorms:
    """England's rate and the councils' spread, for the plausibility flags."""

    reablement_per_100k: float
    cost_per_episode_iqr: tuple[float, float]


def cost_per_episode(pub: Publication, code: str) -> float | None:
    spend = pub.table(32).cell(code, pub.year, "Gross Current Expenditure")
    episodes = pub.table(24).cell(code, "Episodes of ST-Max")
    if spend.value is None or not episodes.value:
        return None
    return spend.value * 1000.0 / episodes.value


def england_norms(pub: Publication, codes: list[str]) -> EnglandNorms:
    rate = pub.table(24).cell(ENGLAND, "Episodes of ST-Max per 100,000 adults").estimate()
    costs = [c for c in (cost_per_episode(pub, code) for code in codes) if c is not None and c > 0]
    q1, q3 = (float(x) for x in np.percentile(costs, [25, 75])) if costs else (0.0, float("inf"))
    return EnglandNorms(rate, (q1, q3))


def plausibility(pub: Publication, item: Imported, norms: EnglandNorms) -> list[PlausibilityFlag]:
    code, b = item.code, item.baseline
    flags = []
    rate_cell = pub.table(24).cell(code, "Episodes of ST-Max per 100,000 adults")
    if rate_cell.value is not None and rate_cell.value > REABLEMENT_RATE_LIMIT * norms.reablement_per_100k:
        flags.append(
            PlausibilityFlag(
                "Short-term episodes per 100,000 adults",
                f"{rate_cell.value:,.0f} ({rate_cell.line}) is {rate_cell.value / norms.reablement_per_100k:.1f}× "
                f"England's {norms.reablement_per_100k:,.0f}: the short-term services lever scales with it. "
                "Check how the council records ST-Max episodes before using that lever.",
            )
        )
    cost = cost_per_episode(pub, code)
    low, high = norms.cost_per_episode_iqr
    if cost is not None and not low <= cost <= high:
        flags.append(
            PlausibilityFlag(
                "£ per short-term episode",
                f"£{cost:,.0f} (Table 32 spend to maximise independence ÷ Table 24 episodes) is outside England's "
                f"interquartile range £{low:,.0f}–£{high:,.0f} across councils.",
            )
        )
    for age in AGE_BANDS:
        spend_table = 43 if age == "18-64" else 44
        pairs: tuple[tuple[Setting, str], ...] = (("residential", "Residential"), ("nursing", "Nursing"))
        for setting, label in pairs:
            unit = pub.table(52).cell(code, label, pub.year, AGE_LABEL[age])
            spend = pub.table(spend_table).cell(code, label)
            if not unit.value or spend.value is None or spend.value <= 0:
                continue
            implied = spend.value * 1000.0 / (unit.value * WEEKS_PER_YEAR)
            ratio = b.clients(age, (setting,)) / implied if implied else 0.0
            if not CLIENT_RATIO_RANGE[0] <= ratio <= CLIENT_RATIO_RANGE[1]:
                flags.append(
                    PlausibilityFlag(
                        f"Clients vs spend ÷ unit cost, {setting} aged {age}",
                        f"{b.clients(age, (setting,)):,.0f} clients ({item.clients_basis}) against "
                        f"{implied:,.0f} implied by spend ({spend.line}) ÷ unit cost £{unit.value:,.0f}/week "
                        f"({unit.line}): ratio {ratio:.2f}, outside {CLIENT_RATIO_RANGE[0]}–{CLIENT_RATIO_RANGE[1]}.",
                    )
                )
    if item.admissions_proxy:
        flags.append(
            PlausibilityFlag(
                "Care-home admissions estimated",
                "Permanent admissions are estimated as clients who left nursing or residential care in the year "
                "(Table 34 during the year less Table 38 at the year end), as many as are admitted in a steady "
                "state; across councils this runs about 15% above ASCOF 2A's count (give --ascof for the count).",
            )
        )
    return flags


def review(pub: Publication, item: Imported, norms: EnglandNorms) -> ImportReview:
    return ImportReview(reconcile(pub, item), plausibility(pub, item, norms))


def opportunity_share(baseline: Baseline) -> tuple[float, float]:
    """(total opportunity £, as a share of net spend)."""
    from careflow.opportunity import evaluate

    result = evaluate(baseline)
    net = baseline.net_spend()
    return result.total_net_benefit_gbp, result.total_net_benefit_gbp / net if net else 0.0
