"""Iterative proportional fitting: a joint table that matches a council's published margins, shaped like a seed.

NHS Digital publishes a council's clients by age and setting and by age and support reason, but the joint
table (support reason × setting) only for England. Fitting England's joint table to the council's two margins
keeps England's pattern of association and the council's own totals (Deming and Stephan, 1940).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEED_FLOOR = 1e-6  # an empty seed cell may still take people if a council's margins need it there


@dataclass(frozen=True)
class Fit:
    table: np.ndarray
    iterations: int
    max_margin_error: float  # largest absolute gap to a margin after fitting (people)


def ipf(seed: np.ndarray, rows: np.ndarray, columns: np.ndarray, tolerance: float = 1e-6, max_iter: int = 200) -> Fit:
    """Scale `seed` until its row sums equal `rows` and its column sums equal `columns`.

    The two margins must describe the same total; when published totals differ by rounding, the column
    margin is rescaled to the row margin's total first (the caller records that).
    """
    rows = np.asarray(rows, dtype=float)
    columns = np.asarray(columns, dtype=float)
    if rows.sum() <= 0 or columns.sum() <= 0:
        return Fit(np.zeros((len(rows), len(columns))), 0, 0.0)
    columns = columns * rows.sum() / columns.sum()
    table = np.where(seed > 0, seed, SEED_FLOOR).astype(float)
    table[rows == 0, :] = 0.0
    table[:, columns == 0] = 0.0
    error = np.inf
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 — the count is reported
        row_sums = table.sum(axis=1)
        table *= np.divide(rows, row_sums, out=np.zeros_like(rows), where=row_sums > 0)[:, None]
        column_sums = table.sum(axis=0)
        table *= np.divide(columns, column_sums, out=np.zeros_like(columns), where=column_sums > 0)[None, :]
        error = float(max(np.abs(table.sum(axis=1) - rows).max(), np.abs(table.sum(axis=0) - columns).max()))
        if error < tolerance:
            break
    return Fit(table, iterations, error)


def whole_numbers(values: np.ndarray) -> np.ndarray:
    """Round to whole people keeping the (rounded) total: the largest remainders get the spare units."""
    values = np.asarray(values, dtype=float)
    floors = np.floor(values)
    spare = int(round(values.sum() - floors.sum()))
    if spare > 0:
        order = np.argsort(-(values - floors), kind="stable")
        floors[order[:spare]] += 1
    return floors


def whole_columns(table: np.ndarray) -> np.ndarray:
    """Round each column of a fitted table to whole people, keeping every column's total."""
    return np.column_stack([whole_numbers(table[:, j]) for j in range(table.shape[1])]) if table.size else table
