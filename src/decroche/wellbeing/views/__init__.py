"""Incident pages (issue 14): the register and its reads (`reports`), and the support
after the event — debriefs, referrals and managerial rituals (`support`)."""

from .reports import (
    check_in_done,
    follow_up_done,
    health_view,
    manager_toolbox,
    own_file,
    report_detail,
    report_new,
    statement_sharing,
    statistics,
    statistics_export,
    team_list,
)
from .support import debrief_new, referral_new, ritual_session_new, ritual_set

__all__ = [
    "check_in_done",
    "debrief_new",
    "follow_up_done",
    "health_view",
    "manager_toolbox",
    "own_file",
    "referral_new",
    "report_detail",
    "report_new",
    "ritual_session_new",
    "ritual_set",
    "statement_sharing",
    "statistics",
    "statistics_export",
    "team_list",
]
