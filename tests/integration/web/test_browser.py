"""The analyst's journey in Debian's Chromium (Playwright): sign in, a broken then a fixed baseline, the opportunity,
a scenario edited and saved twice with its diff, a projection watched to the end, reports downloaded, sign out; then
the admin's audit log. Every page gets an axe-core check (no serious or critical violations) and a screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from web_support import ARTEFACTS, PASSWORD, broken_workbook, chromium_page, drawn

pytestmark = pytest.mark.slow


def test_analyst_journey_in_chromium(server: str, demo_workbook: bytes, tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    checked: list[str] = []
    broken = tmp_path / "council-baseline.xlsx"
    broken.write_bytes(broken_workbook(demo_workbook))
    fixed = tmp_path / "council-baseline-fixed.xlsx"
    fixed.write_bytes(demo_workbook)

    def look(page: object, name: str) -> None:
        """Screenshot the whole page and fail on any serious or critical accessibility violation."""
        page.screenshot(path=str(ARTEFACTS / f"{len(checked) + 1:02d}-{name}.png"), full_page=True)  # type: ignore[attr-defined]
        violations = axe.run(page).response["violations"]
        bad = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name}: " + "; ".join(bad)
        checked.append(name)

    with sync_playwright() as playwright:
        browser, page, scripts_blocked = chromium_page(playwright)

        page.goto(server + "/")
        expect(page.get_by_role("heading", name="Sign in to careflow")).to_be_visible()
        look(page, "sign-in")
        page.get_by_label("E-mail address").fill("analyst@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Exampleshire")).to_be_visible()
        look(page, "workspace")

        page.get_by_role("link", name="Baselines", exact=True).click()
        page.get_by_label("Upload a baseline workbook").set_input_files(str(broken))
        page.get_by_role("button", name="Check and upload").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("council-baseline.xlsx")
        expect(summary).to_contain_text("population")
        expect(summary).to_contain_text("'lots'")
        look(page, "baseline-problems")
        page.get_by_label("Upload a baseline workbook").set_input_files(str(fixed))
        page.get_by_role("button", name="Check and upload").click()
        expect(page.get_by_text("No problems found. The workbook is saved as version 1.")).to_be_visible()
        look(page, "baseline-saved")

        page.get_by_role("link", name="See the opportunity").click()
        expect(page.get_by_role("heading", name="Opportunity: Demoshire")).to_be_visible()
        expect(page.locator("table.cf-opportunity tbody tr")).to_have_count(8)  # six levers, overlap, total
        chart = page.get_by_alt_text("Bar chart of the net £m a year", exact=False)
        expect(chart).to_be_visible()
        drawn(page, chart)
        look(page, "opportunity")
        with page.expect_download() as report:
            page.get_by_role("link", name="Excel workbook (XLSX)").click()
        assert report.value.suggested_filename.endswith(".xlsx")

        page.get_by_role("link", name="Scenarios", exact=True).click()
        page.get_by_role("link", name="Create a scenario").click()
        page.get_by_label("Name").fill("Faster reablement")
        page.get_by_label("Central access uplift (%)").fill("45")
        page.get_by_label("Lever on").nth(5).uncheck()
        page.get_by_label("Phasing: % of the full effect in year 1, 2, …").first.fill("50, 100")
        look(page, "scenario-editor")
        page.get_by_role("button", name="Save as a new version").click()
        expect(page.get_by_text("Saved as version 1.")).to_be_visible()
        expect(page.locator("pre.cf-code")).to_contain_text("central: 0.45")
        look(page, "scenario-saved")
        with page.expect_download() as yaml_file:
            page.get_by_role("link", name="Download YAML").click()
        assert "Faster reablement" in Path(yaml_file.value.path()).read_text(encoding="utf-8")
        page.get_by_role("link", name="Edit as a new version").click()
        page.get_by_label("Central access uplift (%)").fill("40")
        page.get_by_role("button", name="Save as a new version").click()
        expect(page.get_by_text("Saved as version 2.")).to_be_visible()
        page.get_by_role("button", name="Show changes").click()
        expect(page.locator("table.cf-diff")).to_contain_text("central: 0.4")
        look(page, "scenario-diff")

        page.get_by_role("link", name="Projections", exact=True).click()
        page.get_by_label("Runs (1 to 5,000)").fill("20")  # the 100-run timing is measured in make bench-web
        look(page, "projections")
        page.get_by_role("button", name="Start projection").click()
        expect(page.get_by_role("heading", name="Projection 1")).to_be_visible()
        look(page, "projection-running")
        expect(page.get_by_role("heading", name="Net spend by scenario")).to_be_visible(timeout=150_000)
        for name in ("Fan chart", "Waterfall chart", "Chart of projected net spend"):
            image = page.get_by_alt_text(name, exact=False)
            drawn(page, image)
        look(page, "projection-results")
        for link, suffix in (("web page (HTML)", ".html"), ("Excel workbook (XLSX)", ".xlsx")):
            with page.expect_download() as download:
                page.get_by_role("link", name=link).click()
            assert download.value.suggested_filename.endswith(suffix)
            assert Path(download.value.path()).stat().st_size > 1000

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("You have signed out.")).to_be_visible()
        look(page, "signed-out")
        page.goto(server + "/w/1/baselines")
        expect(page.get_by_role("heading", name="Sign in to careflow")).to_be_visible()  # the old session is gone

        page.get_by_label("E-mail address").fill("admin@council.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Audit log").click()
        expect(page.locator("table.cf-audit")).to_contain_text("baseline.upload")
        expect(page.locator("table.cf-audit")).to_contain_text("scenario.save")
        look(page, "audit-log")
        page.get_by_role("link", name="Members").click()
        look(page, "members")
        page.goto(server + "/account")
        look(page, "account")
        browser.close()
    assert not scripts_blocked, scripts_blocked  # the page's own script is allowed by the CSP; nothing inline
    assert len(checked) == 15
