"""Use cases on the published returns: where a council sits among its ONS nearest neighbours and in England."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from pydantic import BaseModel

from careflow.errors import InputError, Problem
from careflow.imports.peers import Position


class CouncilRef(BaseModel):
    code: str
    name: str


class MeasurePosition(BaseModel):
    """One measure for the council: its value, rank (1 = highest) and quartile among its peers and in England."""

    label: str
    unit: str
    value: float | None
    peer_rank: int | None
    peer_count: int
    peer_quartile: int | None
    peer_median: float | None
    england_rank: int | None
    england_count: int
    england_quartile: int | None
    england_median: float | None

    @classmethod
    def of(cls, label: str, unit: str, position: Position) -> MeasurePosition:
        return cls.model_validate({"label": label, "unit": unit, **asdict(position)})


class PeerBenchmark(BaseModel):
    """A council among its 15 ONS nearest neighbours and all councils in one year's published tables."""

    council: CouncilRef
    year: str
    councils: int  # councils in the tables with both returns
    peers: list[CouncilRef]
    peers_not_comparable: list[str]
    measures: dict[str, MeasurePosition]
    note: str


def benchmark_among_peers(
    tables: Path, neighbours: Path, council: str, ascof: Path | None = None, clients: str = "year-end"
) -> PeerBenchmark:
    """Import every council from the ASC-FR/SALT tables and place `council` among its ONS nearest neighbours."""
    from careflow.imports import import_councils, resolve_council
    from careflow.imports.peers import PEER_COUNT, NearestNeighbours, measures, position
    from careflow.imports.report import council_lines
    from careflow.imports.tables import Publication

    if clients not in ("year-end", "during-year"):
        raise InputError([Problem("--clients", repr(clients), "year-end or during-year")])
    pub = Publication(tables)
    code = resolve_council(pub, council)
    ons = NearestNeighbours(neighbours)
    result = import_councils(pub, None, clients, include_england=False, ascof=ascof)  # type: ignore[arg-type]
    if code not in result.imported:
        reason = next((r.reason for r in result.refused if r.code == code), "not imported")
        raise InputError([Problem(str(tables), reason, "a council that submitted both returns")])
    peers = ons.neighbours(code, PEER_COUNT, set(result.imported))
    return PeerBenchmark(
        council=CouncilRef(code=code, name=result.imported[code].name),
        year=str(pub.year),
        councils=len(result.imported),
        peers=[CouncilRef(code=p, name=result.imported[p].name) for p in peers],
        peers_not_comparable=[c for c in ons.neighbours(code, PEER_COUNT) if c not in result.imported],
        measures={
            m.key: MeasurePosition.of(m.label, m.unit, position(m, code, peers))
            for m in measures(result, council_lines(result))
        },
        note=f"All money is {pub.year} cash from one publication; comparing it with another year's cash needs an "
        "inflation adjustment (NHS Digital's Table 4 gives real terms).",
    )
