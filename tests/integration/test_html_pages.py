"""HTML pages people can find their way round: contents and navigation, a text alternative for every chart,
and axes that show the spread of the figures."""

from __future__ import annotations

import re
from pathlib import Path

from careflow.evidence.library import load_library
from careflow.evidence.report import build_page, rate_axis
from careflow.finance.report import render_html
from careflow.finance.tables import FinanceReport, build_report
from careflow.finance.workbook import load

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "norfolk-2017-18-p4"


def _finance_page() -> str:
    report: FinanceReport = build_report(load(EXAMPLE))
    return render_html(report)


def test_long_pages_have_contents_linking_every_section() -> None:
    page = _finance_page()
    anchors = re.findall(r'<section id="([^"]+)">', page)
    assert len(anchors) >= 4
    contents = page[page.index('<nav id="contents"') : page.index("</nav>")]
    assert all(f'href="#{a}"' in contents for a in anchors)
    assert page.count('href="#contents"') == len(anchors)


def test_every_chart_has_a_text_alternative() -> None:
    for page in (_finance_page(), build_page(load_library())):
        svgs = re.findall(r"<svg[^>]*>", page)
        assert svgs and all('role="img"' in s and 'aria-label="' in s for s in svgs)
    evidence = build_page(load_library())
    assert re.search(r'aria-label="Home care hourly rates: [^"]*£\d+\.\d\d', evidence)


def test_hourly_rate_axis_shows_the_spread() -> None:
    low, high = rate_axis([10.50, 12.00, 14.00])
    assert 9.5 < low < 10.5 and high > 14.0  # not from £0, where £10.50 vs £14 looks the same
    assert "the axis starts at £" in build_page(load_library())
