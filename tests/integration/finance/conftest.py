"""Shared fixtures for the finance tests: the Norfolk example, loaded and reported once."""

from __future__ import annotations

from pathlib import Path

import pytest

from careflow.finance.model import FinancePack
from careflow.finance.tables import FinanceReport, build_report
from careflow.finance.workbook import load

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "norfolk-2017-18-p4"
DOCUMENT = "004_b1b9453300d05414.txt"


@pytest.fixture(scope="session")
def norfolk() -> FinancePack:
    return load(EXAMPLE)


@pytest.fixture(scope="session")
def norfolk_report(norfolk: FinancePack) -> FinanceReport:
    return build_report(norfolk)
