"""Like-for-like peers and benchmarks: ONS statistical nearest neighbours and rates from the published tables.

ONS's *Local authority statistical nearest neighbours, England* (2025) ranks, for each upper-tier authority,
every other one by a statistical distance. A council is benchmarked against its 15 nearest neighbours and
against England: per-100,000 rates, unit costs, lever shares and the opportunity as a share of net spend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from careflow.errors import InputError, Problem
from careflow.imports.tables import CODE, label

PEER_COUNT = 15


class NearestNeighbours:
    """Table 3 (upper-tier neighbours, ranked) and Table 4 (distances) of the ONS workbook, found by title."""

    def __init__(self, path: Path):
        from openpyxl import load_workbook

        self.path = Path(path)
        if not self.path.exists():
            raise InputError([Problem(str(path), "no such file", "ONS statistical nearest neighbours workbook")])
        workbook = load_workbook(self.path, read_only=True, data_only=True)
        try:
            self.ranked: dict[str, list[str]] = {}
            self.names: dict[str, str] = {}
            self.distance: dict[str, dict[str, float]] = {}
            for sheet in workbook.worksheets:
                rows = list(sheet.iter_rows(values_only=True))
                title = label(rows[0][0]) if rows and rows[0] else ""
                if title.startswith("table") and "upper tier local authority statistical nearest neighbours" in title:
                    self._read_ranked(rows)
                elif title.startswith("table") and "upper tier local authority relative distances" in title:
                    self._read_distances(rows)
        finally:
            workbook.close()
        if not self.ranked:
            raise InputError(
                [
                    Problem(
                        str(path),
                        "no 'Upper tier local authority statistical nearest neighbours' table",
                        "ONS, Local authority statistical nearest neighbours, England (2025), Table 3",
                    )
                ]
            )

    def _header(self, rows: list[tuple[Any, ...]]) -> int:
        return next(i for i, r in enumerate(rows) if r and label(r[0]) == "upper tier local authority code")

    def _read_ranked(self, rows: list[tuple[Any, ...]]) -> None:
        for row in rows[self._header(rows) + 1 :]:
            if row and row[0] and CODE.match(str(row[0])):
                self.names[str(row[0])] = str(row[1])
                self.ranked[str(row[0])] = [str(v) for v in row[2:] if v and CODE.match(str(v))]

    def _read_distances(self, rows: list[tuple[Any, ...]]) -> None:
        at = self._header(rows)
        codes = [str(v) for v in rows[at][2:]]
        for row in rows[at + 1 :]:
            if row and row[0] and CODE.match(str(row[0])):
                self.distance[str(row[0])] = {
                    c: float(v) for c, v in zip(codes, row[2:], strict=False) if isinstance(v, int | float)
                }

    def neighbours(self, code: str, count: int = PEER_COUNT, among: set[str] | None = None) -> list[str]:
        """The `count` nearest neighbours of `code` (optionally only those in `among`), nearest first."""
        if code not in self.ranked:
            return []
        ranked = [c for c in self.ranked[code] if among is None or c in among]
        return ranked[:count]


@dataclass
class BenchmarkMeasure:
    """One measure councils are benchmarked on (a rate, unit cost or share), with every council's value."""

    key: str
    label: str
    unit: str
    values: dict[str, float] = field(default_factory=dict)  # council code → value


@dataclass
class Ranking:
    """A council's value on one measure, its rank (1 = highest) and quartile among its peers and in England."""

    value: float | None
    peer_rank: int | None
    peer_count: int
    peer_quartile: int | None
    peer_median: float | None
    england_rank: int | None
    england_count: int
    england_quartile: int | None
    england_median: float | None


def rank_and_quartile(value: float, others: list[float]) -> tuple[int, int]:
    """Rank (1 = highest) among `others` plus the value itself, and the quartile (1 = top quarter)."""
    everyone = sorted([*others, value], reverse=True)
    rank = everyone.index(value) + 1
    quartile = min(4, int((rank - 1) / len(everyone) * 4) + 1)
    return rank, quartile


def position(measure: BenchmarkMeasure, code: str, peers: list[str]) -> Ranking:
    value = measure.values.get(code)
    peer_values = [measure.values[p] for p in peers if p in measure.values]
    england = [v for c, v in measure.values.items() if c != code]
    if value is None:
        return Ranking(None, None, len(peer_values), None, None, None, len(england), None, None)
    peer_rank, peer_q = rank_and_quartile(value, peer_values) if peer_values else (None, None)
    eng_rank, eng_q = rank_and_quartile(value, england)
    return Ranking(
        value,
        peer_rank,
        len(peer_values) + 1,
        peer_q,
        float(np.median(peer_values)) if peer_values else None,
        eng_rank,
        len(england) + 1,
        eng_q,
        float(np.median(england)) if england else None,
    )


def measures(result: Any, lines: list[Any]) -> list[BenchmarkMeasure]:
    """Per-council measures from an import (`ImportResult`) and its reviewed lines (with opportunity)."""
    from careflow.opportunity.parameters import LEVERS

    pub = result.publication
    out = [
        BenchmarkMeasure("requests_per_100k", "Requests per 100k adults", "per 100k"),
        BenchmarkMeasure("episodes_per_100k", "ST-Max episodes per 100k adults", "per 100k"),
        BenchmarkMeasure("clients_per_100k", f"Long-term clients ({result.clients_basis}) per 100k adults", "per 100k"),
        BenchmarkMeasure("gross_per_adult", "Gross current spend per adult", "£"),
        BenchmarkMeasure("residential_65_weekly", "Residential unit cost 65+ (T52)", "£/week"),
        BenchmarkMeasure("nursing_65_weekly", "Nursing unit cost 65+ (T52)", "£/week"),
        *(BenchmarkMeasure(f"{lever.id}_pct", f"Lever {lever.id}, % of net spend", "%") for lever in LEVERS),
        BenchmarkMeasure("opportunity_pct", "Opportunity, % of net spend", "%"),
    ]
    by_key = {m.key: m for m in out}
    for line in lines:
        item = line.item
        if item.code.startswith("E92"):
            continue
        b = item.baseline
        adults = b.people()
        if adults:
            by_key["requests_per_100k"].values[item.code] = b.total_requests() / adults * 1e5
            by_key["episodes_per_100k"].values[item.code] = b.short_term_episodes() / adults * 1e5
            by_key["clients_per_100k"].values[item.code] = b.clients() / adults * 1e5
            by_key["gross_per_adult"].values[item.code] = b.gross_spend() / adults
        for key, setting in (("residential_65_weekly", "Residential"), ("nursing_65_weekly", "Nursing")):
            cell = pub.table(52).cell(item.code, setting, pub.year, "65 and Over")
            if cell.value:
                by_key[key].values[item.code] = cell.value
        net = b.net_spend()
        if net:
            for lever_id, gbp in line.levers.items():
                by_key[f"{lever_id}_pct"].values[item.code] = gbp / net * 100
            by_key["opportunity_pct"].values[item.code] = line.total / net * 100
    return out


def ons_peers(code: str | None, path: Path, top: int, library_names: set[str]) -> list[dict[str, Any]]:
    """A council's ONS nearest neighbours (rank, code, name, distance) and whether each is in the evidence library.

    The evidence library (2011–14) holds names only, so that one column matches on normalised names.
    """
    ons = NearestNeighbours(path)
    if not code or code not in ons.ranked:
        raise InputError(
            [
                Problem(
                    str(path),
                    f"no upper-tier authority {code or '(no ONS code in the baseline)'}",
                    "a baseline with the ONS code of an English upper-tier council (careflow import writes it)",
                )
            ]
        )
    known = {label(n).replace(" council", "") for n in library_names}
    return [
        {
            "rank": rank,
            "code": other,
            "name": ons.names.get(other, other),
            "distance": ons.distance.get(code, {}).get(other),
            "in_evidence_library": label(ons.names.get(other, "")) in known,
        }
        for rank, other in enumerate(ons.neighbours(code, top), start=1)
    ]
