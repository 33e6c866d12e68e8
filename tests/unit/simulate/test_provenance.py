"""Every seed figure the flow model cites is printed on the line it cites."""

from __future__ import annotations

from careflow.simulate.settings import (
    DEFAULT_INFLATION,
    PIXEL_DEMAND_GROWTH,
    PIXEL_SOURCE,
    PIXEL_UNIT_COST_HIGH,
    PIXEL_UNIT_COST_LOW,
)


def test_pixel_quick_view_is_quoted_from_seed_000(seed) -> None:
    line = seed(PIXEL_SOURCE.document, int(PIXEL_SOURCE.line.lstrip("L")))
    assert PIXEL_SOURCE.as_printed in line
    assert "Pixel" in seed(PIXEL_SOURCE.document, 241)
    # The numbers the model uses are the printed ones: 2.0% demand, 2–3% unit costs, 4–5% in all.
    assert "2.0% growth in demand" in line and "2%-3% increase in unit costs" in line
    assert (PIXEL_DEMAND_GROWTH, PIXEL_UNIT_COST_LOW, PIXEL_UNIT_COST_HIGH) == (0.02, 0.02, 0.03)
    assert PIXEL_UNIT_COST_LOW < DEFAULT_INFLATION < PIXEL_UNIT_COST_HIGH
    assert "4% and 5% per year" in line


def test_lines_cited_in_lever_notes_say_what_the_notes_use_them_for(seed) -> None:
    assert "Financial benefit per person calculated from difference between average care home weekly cost" in seed(
        "001_cb6dbf76d77fc339.txt", 657
    )
    assert "These figures are net of income" in seed("001_cb6dbf76d77fc339.txt", 613)
