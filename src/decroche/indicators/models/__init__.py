"""The indicators app's models: versioned definitions and measures (`definitions`), and
the daily summary the dashboards read (`summary`)."""

from .definitions import IndicatorVersion, MeasureDefinition
from .summary import DaySummary, DirtyDay, SummaryState

__all__ = ["DaySummary", "DirtyDay", "IndicatorVersion", "MeasureDefinition", "SummaryState"]
