"""Case reviews in the browser's pages: the summary with intervals, calibration into a linked scenario version, and
refusal of identifying data that never repeats the identifier back."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from careflow.store.database import make_engine, session_factory, transaction
from careflow.store.models import ReviewSet, ScenarioVersion
from web_support import REVIEWS, Seeded, sign_in


def test_summary_and_calibration_linked_to_the_set(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["practitioner"])
    uploaded = client.post(
        f"/w/{seeded.own}/reviews",
        data={"csrf_token": csrf},
        files={"reviews": ("reviews.csv", REVIEWS.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303
    page = client.get(uploaded.headers["location"]).text
    cases = int(re.search(r"(\d+) cases</h1>", page).group(1))  # type: ignore[union-attr]
    assert cases == len(REVIEWS.read_text(encoding="utf-8").splitlines()) - 2  # a comment line and the header
    assert "Wilson" in page and "All reviews" in page
    number = int(uploaded.headers["location"].rsplit("/", 1)[1])
    made = client.post(f"/w/{seeded.own}/reviews/{number}/calibrate", data={"csrf_token": csrf}, follow_redirects=False)
    assert made.status_code == 303
    with transaction(session_factory(make_engine(seeded.url))) as db:
        version = db.scalars(select(ScenarioVersion).order_by(ScenarioVersion.id.desc())).first()
        review_set = db.scalar(
            select(ReviewSet).where(ReviewSet.workspace_id == seeded.own, ReviewSet.number == number)
        )
        assert version is not None and review_set is not None and version.review_set_id == review_set.id
        assert "kind: local" in version.yaml_text  # effects cite the council's own reviews


def test_identifying_data_is_refused_without_being_repeated(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["practitioner"])
    lines = REVIEWS.read_text(encoding="utf-8").splitlines()
    nhs_number, name = "9434765919", "Mary Smith"  # a number that passes the NHS check digit; a made-up name
    lines[2] = lines[2].replace(lines[2].split(",")[0], f"R-{nhs_number}", 1)
    lines[3] = lines[3].replace(lines[3].split(",")[0], name, 1)
    answer = client.post(
        f"/w/{seeded.own}/reviews",
        data={"csrf_token": csrf},
        files={"reviews": ("reviews.csv", "\n".join(lines).encode(), "text/csv")},
    )
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert "NHS number" in page and "name" in page and "case_id" in page
    assert nhs_number not in page and name not in page
    with transaction(session_factory(make_engine(seeded.url))) as db:
        assert all(nhs_number.encode() not in r.content for r in db.scalars(select(ReviewSet)))


def test_case_reviews_through_the_api(site: tuple[object, Seeded]) -> None:
    """Practitioners upload, summarise and calibrate by API as on the pages; identifiers refused, never repeated."""
    application, seeded = site
    api = f"/api/v1/workspaces/{seeded.own}"
    practitioner, analyst = TestClient(application), TestClient(application)  # type: ignore[arg-type]
    to_practitioner = {"X-CSRF-Token": sign_in(practitioner, seeded.emails["practitioner"])}
    to_analyst = {"X-CSRF-Token": sign_in(analyst, seeded.emails["analyst"])}
    content = REVIEWS.read_bytes()
    assert analyst.get(f"{api}/reviews").status_code == 403  # case reviews are the practitioners' (and admins')
    refused = analyst.post(f"{api}/reviews", files={"reviews": ("r.csv", content)}, headers=to_analyst)
    assert refused.status_code == 403

    lines = content.decode("utf-8").splitlines()
    nhs_number = "9434765919"  # passes the NHS check digit
    lines[2] = lines[2].replace(lines[2].split(",")[0], f"R-{nhs_number}", 1)
    identifying = "\n".join(lines).encode()
    refused = practitioner.post(f"{api}/reviews", files={"reviews": ("r.csv", identifying)}, headers=to_practitioner)
    assert refused.status_code == 422 and "NHS number" in refused.text and nhs_number not in refused.text

    stored = practitioner.post(f"{api}/reviews", files={"reviews": ("r.csv", content)}, headers=to_practitioner)
    assert stored.status_code == 201, stored.text
    number = stored.json()["number"]
    assert stored.json()["cases"] == len(lines) - 2  # a comment line and the header
    summary = practitioner.get(f"{api}/reviews/{number}").json()
    from careflow.services import Upload, summarise_reviews

    expected = summarise_reviews(Upload(name="r.csv", data=content)).summary
    assert summary == expected.model_dump(mode="json")  # the figures the command line prints, with their intervals
    scenario = practitioner.post(f"{api}/reviews/{number}/calibrate", headers=to_practitioner)
    assert scenario.status_code == 201 and scenario.json()["document"]["levers"], scenario.text
