"""The phone staffing rule, written once (SPEC §3, §6): the fewest advisors on the phones
in one half-hour meeting the contract's targets, then the advisors to schedule for them.

Pure module (``erlang`` only, no Django). Every page and command staffing the phones goes
through ``interval_staffing``: the resources dashboard (``resources``), the schedule
requirement (``schedule_selectors``) and the order proposal (``proposal``). Its callers
measure the inputs on the Django side and pass them in; each parameter has one default,
given here and nowhere else:

- **volume**: the calls expected in the half-hour (``INTERVAL_SECONDS``); no default.
- **handling time** (``aht``, seconds): the caller's measure, (talk + wrap-up) / answered
  calls over the ``HISTORY_WEEKS`` weeks before (``selectors.handling_estimates``). With no
  answered call to measure, ``DEFAULT_AHT_SECONDS`` = 249.6 s, the 4.16 min average
  handling per call of 2024, qualification included (SPEC §1): an observed average, hence
  the best guess of the next one. The 5 min of the contract's DMT row (SPEC §3) is a limit
  not to exceed, not an expected handling time, so it is not the default.
- **patience** (mean seconds before a caller hangs up): Erlang A with a patience, Erlang C
  with ``None`` (nobody abandons; ``erlang.default_model``). ``DEFAULT_PATIENCE_SECONDS`` =
  180 s is the patience assumed by the resources dashboard and the schedule requirement;
  the order proposal passes the one measured over its history (``None`` when nobody
  abandoned). Both rules are kept as they were (issue 10 changes no figure).
- **targets**: those of the indicator versions in force (``selectors.staffing_targets``
  reads them and calls ``contract_targets``); ``DEFAULT_TARGETS``, the contract's answer
  rate ≥ 90% and average wait < 2 min (SPEC §3), for an indicator with no version or no
  target in force.
- **shrinkage** (share of scheduled time off the phones): 0 by default; the agents to
  schedule are ceil(agents / (1 − shrinkage)) (``erlang.scheduled_agents``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from .erlang import Staffing, Targets, Workload, required_agents

INTERVAL_SECONDS = 1800.0  # one half-hour (SPEC §6: staffing per half-hour)
HISTORY_WEEKS = 4  # weeks of history measured for the volume and the handling time
DEFAULT_AHT_SECONDS = 249.6  # SPEC §1: 4.16 min per call in 2024 (module docstring)
DEFAULT_PATIENCE_SECONDS = 180.0
DEFAULT_TARGETS = Targets(answer_rate=0.90, average_wait=120.0)  # SPEC §3
# The indicators whose targets in force are the staffing targets, and the Targets field of each.
TARGET_INDICATORS = {"answer_rate": "answer_rate", "average_wait": "average_wait"}


def contract_targets(thresholds: Mapping[str, float]) -> Targets:
    """Staffing targets from the thresholds in force (indicator code → threshold, e.g.
    {"answer_rate": 0.9, "average_wait": 120}); ``DEFAULT_TARGETS`` for a missing one."""
    fields = {
        field: thresholds.get(code, getattr(DEFAULT_TARGETS, field))
        for code, field in TARGET_INDICATORS.items()
    }
    return Targets(**fields)


@lru_cache(maxsize=65_536)
def interval_staffing(
    calls: float,
    *,
    aht: float,
    patience: float | None,
    targets: Targets = DEFAULT_TARGETS,
    shrinkage: float = 0.0,
) -> Staffing:
    """Fewest agents on the phones meeting ``targets`` for ``calls`` in one half-hour (Erlang A,
    or C without a patience), and the agents to schedule with ``shrinkage`` (SPEC §3, §6)."""
    workload = Workload(calls=calls, aht=aht, interval=INTERVAL_SECONDS, patience=patience)
    return required_agents(workload, targets, shrinkage=shrinkage)
