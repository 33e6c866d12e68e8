"""The scenario editor: what is typed becomes the CLI's YAML, unchanged values keep their sources, versions diff."""

from __future__ import annotations

import html
import re

import yaml
from fastapi.testclient import TestClient

from careflow.opportunity.parameters import LEVERS
from careflow.scenario import Scenario
from careflow.web.usecases import scenario_from_yaml
from web_support import Seeded, sign_in


def _yaml(client: TestClient, workspace: int, number: int) -> str:
    answer = client.get(f"/w/{workspace}/scenarios/{number}/scenario.yaml")
    assert answer.status_code == 200
    return answer.text


def test_editor_writes_the_cli_document_and_keeps_sources_of_unchanged_values(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["analyst"])
    w = seeded.own
    form = {
        "csrf_token": csrf,
        "name": "Edited",
        **{f"lever.{lever.id}.enabled": "on" for lever in LEVERS},  # as the browser sends the ticked boxes
        "lever.short_term_services.low": "30",
        "lever.short_term_services.central": "45",
        "lever.short_term_services.high": "50",
        "lever.short_term_services.phasing": "50, 100",
        "param.upper_quartile_package_ratio.central": "1.6",
        "projection.years": "5",
        "projection.other": "benefit_years: 2\n",
    }
    saved = client.post(f"/w/{w}/scenarios", data=form, follow_redirects=False)
    assert saved.status_code == 303
    number = int(re.search(r"/scenarios/(\d+)", saved.headers["location"]).group(1))  # type: ignore[union-attr]
    text = _yaml(client, w, number)
    scenario = scenario_from_yaml(text, "download.yaml")  # the command line's own reading of the download
    effect = scenario.levers["short_term_services"].effects["access_uplift"]
    assert (effect.central, effect.low, effect.high) == (0.45, 0.3, 0.5)
    assert effect.provenance is not None and effect.provenance.kind == "assumed"
    assert scenario.levers["short_term_services"].phasing == [0.5, 1.0]
    assert scenario.parameters["upper_quartile_package_ratio"].central == 1.6
    assert (scenario.projection.benefit_years, scenario.projection.years) == (2, 5)
    assert "unit_cost_inflation" not in text  # settings left at their defaults are not written
    # Levers left at their published values are not written, so their published sources still apply.
    assert set(scenario.levers) == {"short_term_services"}

    # Edit again from that version changing nothing but the name: the edited effect keeps its recorded source.
    again = {k: v for k, v in form.items() if k != "name"} | {"name": "Edited twice", "start": str(number)}
    second = client.post(f"/w/{w}/scenarios", data=again, follow_redirects=False)
    number_two = int(re.search(r"/scenarios/(\d+)", second.headers["location"]).group(1))  # type: ignore[union-attr]
    kept = Scenario.model_validate(yaml.safe_load(_yaml(client, w, number_two)))
    assert kept.levers["short_term_services"].effects["access_uplift"] == effect
    diff = client.get(f"/w/{w}/scenarios/diff?a={number}&b={number_two}").text
    assert "name: Edited twice" in html.unescape(diff) and "name: Edited" in html.unescape(diff)


def test_editor_problems_name_the_field_and_keep_what_was_typed(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["analyst"])
    form = {
        "csrf_token": csrf,
        "name": "Too much",
        "lever.short_term_services.enabled": "on",
        "lever.short_term_services.central": "lots",
        "lever.ld_community_hours.enabled": "on",
        "lever.ld_community_hours.central": "150",
        "projection.runs": "0",
    }
    answer = client.post(f"/w/{seeded.own}/scenarios", data=form)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert "lever.short_term_services.central" in page and "'lots'" in page
    assert "150" in page  # kept in its box, and reported as out of range
    assert "runs" in page
    assert 'value="Too much"' in page


def test_uploaded_yaml_with_problems_is_located(site: tuple[object, Seeded]) -> None:
    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    csrf = sign_in(client, seeded.emails["analyst"])
    document = (
        b"name: bad\nlevers:\n  no_such_lever: {}\n  short_term_services:\n    effects:\n      access_uplift: 9\n"
    )
    answer = client.post(
        f"/w/{seeded.own}/scenarios/upload",
        data={"csrf_token": csrf},
        files={"document": ("plan.yaml", document, "application/yaml")},
    )
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert "plan.yaml" in page and "no_such_lever" in page and "access_uplift" in page


def test_pages_cite_publications_in_words(site: tuple[object, Seeded]) -> None:
    """What people read in the pages names publications, never the source texts' file names."""
    from integration.test_user_facing_text import offences  # tests/ is on the path; its tiers are namespaces

    application, seeded = site
    client = TestClient(application)  # type: ignore[arg-type]
    sign_in(client, seeded.emails["admin"])
    w = seeded.own
    for path in (f"/w/{w}/opportunity", f"/w/{w}/scenarios/new", f"/w/{w}/projections", f"/w/{w}/reviews/1"):
        page = client.get(path)
        assert page.status_code == 200
        words = html.unescape(re.sub(r"<[^>]+>", " ", page.text))  # what is read, not the markup's field names
        assert not offences(words), (path, offences(words)[:3])
