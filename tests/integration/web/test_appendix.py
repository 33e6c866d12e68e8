"""The appendices of the opportunity and projection pages (and the HTML reports they link) read as the command line's
report does: money in words, shares as percentages, figures by label with the id in small type, citations in words,
line numbers only in machine-facing attributes, and range columns that do not wrap."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from web_support import Seeded, sign_in


def _reading_text(html: str) -> str:
    """What a person reads: no tags, no attributes (where machine pinpoints may stay)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _assert_readable(html: str) -> None:
    text = _reading_text(html)
    assert "£/yr" not in text and "£/week" not in text and "£/person" not in text, "a raw unit is shown"
    assert not re.search(r"\d\.?\d*e[+-]\d", text), "scientific notation is shown"
    assert not re.search(r"\bL\d{2,}\b", text), "a machine line number is shown: " + str(
        re.findall(r".{40}\bL\d{2,}\b.{10}", text)[:3]
    )
    assert "**" not in text and not re.search(r"\b00\d_[0-9a-f]{6,}", text)


def _readable_page(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    _assert_readable(page.text)
    return page.text


def _assert_ranges_do_not_wrap(html: str) -> None:
    ranges = re.findall(r'<td class="([^"]*)">[\d,.]+–[\d,.]+</td>', html)
    assert ranges and all("cf-nowrap" in css for css in ranges), "a low–high range column can wrap"


def _viewer(app: object, seeded: Seeded) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    sign_in(client, seeded.emails["viewer"])
    return client


def test_opportunity_appendix_reads_in_words(site: tuple[object, Seeded]) -> None:
    app, seeded = site
    client = _viewer(app, seeded)
    page = _readable_page(client, f"/w/{seeded.own}/opportunity")
    # older people's short-term net spend was "4,673,993 £/yr"; an effect was "0.4"
    assert "£4.7m a year" in page
    appendix = page.split("Where each figure comes from")[1]
    assert re.search(r">40%</td>", appendix), "the access uplift is not shown as a percentage"
    assert (
        "upper-quartile older person&#39;s home-care package as a multiple of the average<br>"
        '<small class="cf-id">upper_quartile_package_ratio</small>' in appendix
    )
    assert "footnote 24" in appendix and "fn 24, L657" not in page
    assert "CCN/ACCE/Newton Europe (2021), <em>The Future of Adult Social Care</em>, Section D" in appendix
    assert re.search(r'data-line="L\d+', appendix)  # the machine pinpoint stays in an attribute
    _assert_ranges_do_not_wrap(page.split("cf-opportunity")[1])
    assert "footnote 24" in _readable_page(client, f"/w/{seeded.own}/opportunity/report.html")


def _finished_projection(seeded: Seeded) -> int:
    """A real (small) projection of the demo stored as a finished job, as the worker stores one."""
    from careflow.baseline.io import builtin
    from careflow.store.database import make_engine, session_factory, transaction
    from careflow.store.models import Job, JobArtefact, JobStatus
    from careflow.web.usecases import project

    result, files = project(builtin("demo"), None, runs=3, years=2, seed=1, on_progress=lambda done, total: None)
    engine = make_engine(seeded.url)
    with transaction(session_factory(engine)) as db:
        version = 1
        job = Job(
            workspace_id=seeded.own,
            kind="projection",
            status=JobStatus.succeeded.value,
            baseline_version_id=version,
            parameters_json=json.dumps({"runs": 3, "years": 2, "seed": 1}),
            done=3,
            total=3,
            progress=1.0,
            result_json=json.dumps(result),
        )
        db.add(job)
        db.flush()
        for name, data in files.items():
            media = "image/svg+xml" if name.endswith(".svg") else "text/html" if name.endswith(".html") else "x"
            db.add(JobArtefact(job_id=job.id, name=name, media_type=media, content=data))
        job_id = job.id
    engine.dispose()
    return job_id


def test_projection_assumptions_read_in_words(site: tuple[object, Seeded]) -> None:
    app, seeded = site
    job = _finished_projection(seeded)
    client = _viewer(app, seeded)
    page = _readable_page(client, f"/w/{seeded.own}/projections/{job}")
    assert 'Leaving long-term support each year, aged 65+<br><small class="cf-id">exit_rate.65+</small>' in page
    assert 'Population growth<br><small class="cf-id">population_growth</small>' in page
    _assert_ranges_do_not_wrap(page)
    report = _readable_page(client, f"/w/{seeded.own}/projections/{job}/files/projection.html")
    assert "Leaving long-term support each year, aged 18–64<br><small><code>exit_rate.18-64</code></small>" in report
