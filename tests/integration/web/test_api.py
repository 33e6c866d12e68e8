"""The JSON API as a script uses it: a bearer token, upload, opportunity, scenario, projection job; the OpenAPI document."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient

from web_support import Seeded, sign_in


def test_script_journey_with_a_token(site: tuple[object, Seeded], demo_workbook: bytes) -> None:
    application, seeded = site
    browser = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(browser, seeded.emails["analyst"])
    shown = browser.post("/account/tokens", data={"csrf_token": csrf, "name": "nightly"}).text
    token = re.search(r"(cf_[A-Za-z0-9_-]+)", shown).group(1)  # type: ignore[union-attr]
    script = TestClient(application, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]
    w = script.get("/api/v1/workspaces").json()
    assert [x["name"] for x in w] == ["Ownshire"] and w[0]["role"] == "analyst"
    uploaded = script.post(
        f"/api/v1/workspaces/{seeded.own}/baselines",
        files={"workbook": ("council.xlsx", demo_workbook, "application/octet-stream")},
    )
    assert uploaded.status_code == 201
    number = uploaded.json()["number"]
    opportunity = script.get(f"/api/v1/workspaces/{seeded.own}/opportunity", params={"baseline": number}).json()
    assert len(opportunity["levers"]) == 6 and opportunity["total_net_benefit_gbp"] > 0
    assert all(v["provenance"]["kind"] for lever in opportunity["levers"] for v in lever["inputs"].values())
    scenario = script.post(
        f"/api/v1/workspaces/{seeded.own}/scenarios",
        json={"name": "api", "levers": {"short_term_services": {"effects": {"access_uplift": 0.45}}}},
    )
    assert scenario.status_code == 201
    job = script.post(
        f"/api/v1/workspaces/{seeded.own}/projections",
        json={"baseline": number, "scenario": scenario.json()["number"], "runs": 5, "years": 2, "seed": 1},
    )
    assert job.status_code == 202
    status = job.json()
    for _ in range(300):
        if status["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
        status = script.get(f"/api/v1/workspaces/{seeded.own}/projections/{status['id']}").json()
    assert status["status"] == "succeeded", status
    result = script.get(f"/api/v1/workspaces/{seeded.own}/projections/{status['id']}", params={"result": True}).json()
    assert set(result["result"]["scenarios"]) == {"baseline", "api"} and result["result"]["runs"] == 5
    assert {"projection.html", "projection.xlsx", "fan.svg"} <= set(result["files"])
    assert script.get("/api/v1/workspaces", headers={"Authorization": "Bearer cf_wrong"}).status_code == 401


def test_openapi_document_comes_from_the_typed_models(site: tuple[object, Seeded]) -> None:
    application, _ = site
    document = TestClient(application).get("/api/v1/openapi.json").json()  # type: ignore[arg-type]
    assert document["openapi"].startswith("3.")
    schemas = document["components"]["schemas"]
    assert {"OpportunityResult", "LeverResult", "Scenario", "JobOut", "ProjectionIn"} <= set(schemas)
    upload = document["paths"]["/api/v1/workspaces/{workspace_id}/baselines"]["post"]
    assert "application/problem+json" in upload["responses"]["422"]["content"]
    assert all(path.startswith("/api/v1/") for path in document["paths"])
