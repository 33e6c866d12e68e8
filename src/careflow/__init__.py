"""careflow: model an English council's adult social care system — demand, outcomes and money."""

__version__ = "0.1.0"
