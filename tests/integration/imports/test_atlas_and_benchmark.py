"""The atlas and the benchmark on the synthetic tables, with tiny ONS-shaped boundaries and neighbours files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from openpyxl import Workbook

from careflow.imports.peers import rank_and_quartile
from careflow.services.schemas import result_schema
from cli_runner import run_careflow

from .synthetic import COUNCILS, write_fixture


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("public")
    tables = write_fixture(folder / "tables.xlsx")
    features = []
    for i, (code, _, name, _) in enumerate(COUNCILS):
        x, y = 400_000 + i * 20_000, 300_000 + i * 10_000  # British National Grid metres
        ring = [[x, y], [x + 15_000, y], [x + 15_000, y + 15_000], [x, y + 15_000], [x, y]]
        features.append(
            {
                "type": "Feature",
                "properties": {"CTYUA23CD": code, "CTYUA23NM": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    boundaries = folder / "boundaries.geojson"
    boundaries.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "Table 3"
    sheet.append(["Table 3: Upper tier local authority statistical nearest neighbours"])
    sheet.append(
        [
            "Upper tier local authority code",
            "Upper tier local authority name",
            "Neighbour 1",
            "Neighbour 2",
            "Neighbour 3",
        ]
    )
    codes = [c[0] for c in COUNCILS]
    for code, _, name, _ in COUNCILS:
        sheet.append([code, name, *[c for c in codes if c != code]])
    neighbours = folder / "neighbours.xlsx"
    book.save(neighbours)
    return {"tables": tables, "boundaries": boundaries, "neighbours": neighbours}


def test_atlas_is_offline_escaped_and_has_a_text_alternative(files: dict[str, Path], tmp_path: Path) -> None:
    done = run_careflow(
        "atlas", "--tables", str(files["tables"]), "--boundaries", str(files["boundaries"]), "--out", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "atlas.html").read_text(encoding="utf-8")
    assert 'role="img"' in html and 'id="map-desc"' in html and "Highest shares:" in html
    assert "Northshire:" in html and "Nosubmit: no data" in html  # each area's title; the refused one has no value
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    rows = (tmp_path / "atlas.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("ons_code,council,net_spend_gbp") and len(rows) == 4  # header + 3 councils
    assert (tmp_path / "atlas.xlsx").exists()


def test_benchmark_ranks_among_ons_neighbours_and_england(files: dict[str, Path]) -> None:
    done = run_careflow(
        "benchmark",
        "--tables",
        str(files["tables"]),
        "--neighbours",
        str(files["neighbours"]),
        "--council",
        "901",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [p["code"] for p in data["peers"]] == ["E09000901", "E06000902"]  # Nosubmit refused: not a peer
    assert data["peers_not_comparable"] == ["E06000901"]
    jsonschema.validate(data, result_schema("benchmark"))  # the published schema of `careflow benchmark --json`
    share = data["measures"]["opportunity_pct"]
    assert share["peer_count"] == 3 and 1 <= share["peer_rank"] <= 3 and "cash" in data["note"]


def test_rank_and_quartile() -> None:
    assert rank_and_quartile(10.0, [1.0, 2.0, 3.0]) == (1, 1)
    assert rank_and_quartile(0.0, [1.0, 2.0, 3.0]) == (4, 4)


def test_import_report_flags_councils_far_above_their_neighbours(files: dict[str, Path], monkeypatch) -> None:
    from careflow.imports import import_councils, report
    from careflow.imports.peers import NearestNeighbours

    result = import_councils(files["tables"], include_england=False)
    neighbours = NearestNeighbours(files["neighbours"])

    def flagged() -> set[str]:
        lines = report.council_lines(result, neighbours)
        return {line.item.code for line in lines for f in line.review.flags if "nearest neighbours" in f.what}

    monkeypatch.setattr(report, "PEER_SHARE_LIMIT", 100.0)
    assert flagged() == set()
    monkeypatch.setattr(report, "PEER_SHARE_LIMIT", 0.01)  # every council is "far above" its peers
    assert flagged() == set(result.imported)
