"""Finance money at its edges: £m as committee papers print it in and out, £ everywhere in between."""

from __future__ import annotations

GBP_PER_MILLION = 1_000_000


def gbp_from_millions(millions: float) -> float:
    """£m as entered (a workbook cell, a form field) → £, to the penny.

    Multiplying alone leaves binary noise (261.311 × 1,000,000 is 261310999.99999997); rounding to the penny
    gives back the amount the user typed, exactly, for any figure of up to eight decimals of £m (committee
    figures have three). Beyond that the pounds are rounded to the penny, the finest amount money comes in.
    """
    return float(round(millions * GBP_PER_MILLION, 2))


def millions_from_gbp(gbp: float) -> float:
    """£ → £m, for presentation only (tables, charts, the workbook users fill in).

    Dividing a whole number of pounds by a million gives the nearest float to the £m figure, so a figure
    entered as 261.311 comes back out as exactly the 261.311 that was read. Rounding to the printed 3 decimals
    is done on this float, as before money was held in £, so every entered figure prints as it did; a total
    landing exactly on half of £1,000 (possible only with entries beyond 3 decimals) rounds the way its float
    falls, as it always has.
    """
    return gbp / GBP_PER_MILLION
