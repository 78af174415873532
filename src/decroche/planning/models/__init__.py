"""The planning app's models: what planners enter and what the app keeps of its computations
(SPEC §1, §2, §6). ``forecasts``: the planner's events, the client's monthly forecast and the
cache of fitted forecasts; ``schedules``: schedule runs and their shifts."""

from .forecasts import ClientForecast, ForecastCache, ForecastEvent
from .schedules import ScheduleRun, ScheduleStatus, Shift

__all__ = [
    "ClientForecast",
    "ForecastCache",
    "ForecastEvent",
    "ScheduleRun",
    "ScheduleStatus",
    "Shift",
]
