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


def test_finance_indicators_evidence_and_atlas_read_through_the_api(site: tuple[object, Seeded]) -> None:
    """What the finance, performance and national pages show, as JSON: the same figures as the CLI's services."""
    from pathlib import Path

    from careflow.services import Upload, finance_report, indicator_dashboard

    examples = Path(__file__).resolve().parents[3] / "examples"
    pack, monthly = (
        (examples / "norfolk-2017-18-p4.xlsx").read_bytes(),
        (examples / "indicators_synthetic.csv").read_bytes(),
    )
    application, seeded = site
    api = f"/api/v1/workspaces/{seeded.own}"
    finance, analyst = TestClient(application), TestClient(application)  # type: ignore[arg-type]
    to_finance = {"X-CSRF-Token": sign_in(finance, seeded.emails["finance"])}
    to_analyst = {"X-CSRF-Token": sign_in(analyst, seeded.emails["analyst"])}
    refused = analyst.post(f"{api}/finance", files={"pack": ("p4.xlsx", pack)}, headers=to_analyst)
    assert refused.status_code == 403  # packs are the finance officers' to upload
    broken = finance.post(f"{api}/finance", files={"pack": ("p4.xlsx", b"not a workbook")}, headers=to_finance)
    assert broken.status_code == 422 and broken.json()["problems"][0]["file"] == "p4.xlsx"
    stored = finance.post(f"{api}/finance", files={"pack": ("p4.xlsx", pack)}, headers=to_finance)
    assert stored.status_code == 201 and stored.json()["number"] == 1, stored.text
    broken = analyst.post(f"{api}/indicators", files={"data": ("m.csv", b"month,nonsense\n")}, headers=to_analyst)
    assert broken.status_code == 422 and broken.json()["problems"]
    stored = analyst.post(f"{api}/indicators", files={"data": ("m.csv", monthly)}, headers=to_analyst)
    assert stored.status_code == 201 and stored.json()["first_month"], stored.text

    packs = analyst.get(f"{api}/finance").json()
    cli = finance_report(Upload(name="p4.xlsx", data=pack))
    total = cli.report.department_total().values
    assert [(p["period"], p["financial_year"]) for p in packs] == [(4, "2017/18")]
    assert (packs[0]["net_budget_gbp"], packs[0]["forecast_outturn_gbp"]) == (total["budget"], total["forecast"])
    tables = analyst.get(f"{api}/finance/{packs[0]['number']}").json()
    assert tables["tables"] == cli.report.model_dump(mode="json")["tables"] and len(tables["flags"]) == 37
    missing = analyst.get(f"{api}/finance/99")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"

    uploads = analyst.get(f"{api}/indicators").json()
    dashboard = analyst.get(f"{api}/indicators/{uploads[0]['number']}").json()
    expected = indicator_dashboard(Upload(name="m.csv", data=monthly), "Ownshire")
    assert [(r["id"], r["rag"]) for r in dashboard["indicators"]] == [(r.id, r.rag) for r in expected.indicators]

    found = analyst.get(f"{api}/evidence", params={"q": "reablement"}).json()
    assert found["levers"] and all("reablement" in str(hit).lower() for hit in found["levers"])
    refused = analyst.get(f"{api}/evidence", params={"lever": "<script>"})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"  # not HTML
    assert "reablement" in refused.json()["problems"][0]["expected"]  # says which categories there are

    atlas = analyst.get(f"{api}/atlas", params={"sort": "name", "descending": False})
    if atlas.status_code == 404:  # this server has no ../shared/data/public: said as a problem, not a fault
        assert "published statistics" in atlas.json()["detail"]
    else:
        names = [c["name"] for c in atlas.json()["councils"]]
        assert len(names) == 150 and names == sorted(names)
    assert TestClient(application).get(f"{api}/finance").status_code == 401  # signed out
