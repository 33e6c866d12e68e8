"""The performance analyst's journey in Debian's Chromium: upload monthly data with a mistake, see the problems in
place, upload the fixed file, read the RAG dashboard with its trend lines, choose the tracked indicators and the
council to compare with, and read the comparisons. Every page: an axe-core check with no violations at all, and
a screenshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from web_support import ARTEFACTS, PASSWORD, chromium_page

pytestmark = pytest.mark.slow
SYNTHETIC = Path(__file__).resolve().parents[3] / "examples" / "indicators_synthetic.csv"
PUBLIC = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "public"
SHOTS = Path(os.environ.get("CAREFLOW_SHOTS", ARTEFACTS))


def test_performance_analyst_journey_in_chromium(server: str, tmp_path: Path) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    broken = tmp_path / "monthly.csv"
    lines = SYNTHETIC.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("2016-04", "2016-13", 1)  # a month that does not exist
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def look(page: object, name: str) -> None:
        page.screenshot(path=str(SHOTS / f"perf-ind-{name}.png"), full_page=True)  # type: ignore[attr-defined]
        violations = axe.run(page).response["violations"]
        assert not violations, f"{name}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in violations)

    with sync_playwright() as playwright:
        browser, page, blocked = chromium_page(playwright)
        page.goto(server + "/sign-in")
        page.get_by_label("E-mail address").fill("analyst@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Performance", exact=True).click()
        expect(page.get_by_role("heading", name="Performance indicators")).to_be_visible()

        page.get_by_label("Upload monthly indicator data").set_input_files(str(broken))
        page.get_by_role("button", name="Check and upload").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("a month as YYYY-MM")
        expect(summary).to_contain_text("monthly.csv")
        look(page, "upload-problems")

        page.get_by_label("Upload monthly indicator data").set_input_files(str(SYNTHETIC))
        page.get_by_role("button", name="Check and upload").click()
        expect(page.get_by_role("heading", name="Indicator dashboard v1")).to_be_visible()
        trend = page.get_by_alt_text("Trend: From", exact=False).first
        expect(trend).to_be_visible()
        assert page.evaluate("img => img.complete && img.naturalWidth > 0", trend.element_handle())
        look(page, "dashboard-all")

        page.get_by_role("link", name="Choose the indicators").click()
        for name in ("Permanent admissions to residential and nursing care, 65+", "Long-term support reviews overdue",
                     "Home-care packages reduced on review"):  # fmt: skip
            page.get_by_label(name, exact=False).check()
        page.get_by_label("Your council's ONS code").fill("E10000020")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The indicators this workspace tracks were saved.")).to_be_visible()
        look(page, "tracked")

        page.get_by_role("link", name="Back to performance indicators").click()
        page.get_by_role("link", name="Dashboard v1").click()
        expect(page.get_by_text("Showing 3 tracked indicator(s)")).to_be_visible()
        if (PUBLIC / "dhsc-ascof-time-series-2024-25.ods").exists():
            expect(page.locator("#comparisons + p + table, #comparisons ~ table").first).to_contain_text("Norfolk")
            page.get_by_text("Each neighbour").first.click()
        look(page, "dashboard-tracked")
        assert not blocked, blocked
        browser.close()
