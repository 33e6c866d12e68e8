"""£m in, £ inside, £m out: the one conversion each way is exact for the figures committee papers print."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from careflow.finance.money import gbp_from_millions, millions_from_gbp


def test_a_committee_figure_becomes_whole_pounds_exactly() -> None:
    assert 261.311 * 1_000_000 != 261_311_000  # the float noise the rule removes (Norfolk's net budget)
    assert gbp_from_millions(1.005) == 1_005_000
    assert gbp_from_millions(-0.173) == -173_000
    assert gbp_from_millions(261.311) == 261_311_000
    assert millions_from_gbp(261_311_000) == 261.311
    assert isinstance(gbp_from_millions(4), float)


def test_finer_figures_keep_their_pence() -> None:
    assert gbp_from_millions(1.2345) == 1_234_500
    assert gbp_from_millions(0.00000001) == 0.01  # a penny
    assert gbp_from_millions(0.000000004) == 0.0  # under half a penny: money comes in pennies


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_three_decimal_figures_go_in_and_come_out_unchanged(thousands: int) -> None:
    typed = float(Decimal(thousands) / 1000)  # a figure as a workbook cell holds it, e.g. 68.64
    gbp = gbp_from_millions(typed)
    assert gbp == thousands * 1000  # whole pounds, exactly
    assert millions_from_gbp(gbp) == typed  # and shown as the very figure typed


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_eight_decimal_figures_are_exact_to_the_penny(pennies: int) -> None:
    typed = float(Decimal(pennies) / 100_000_000)  # £m to 8 decimals: a whole number of pence
    assert gbp_from_millions(typed) == float(Decimal(pennies) / 100)
