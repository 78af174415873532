"""Advisor states a queue_log left open, kept from one import to the next (issue 17).

A file cut while an agent is logged in ends with a state whose end is in a later file:
it is kept as an `OpenAdvisorState` and handed to the parser of the next file of the same
source (`queue_log.OpenState`), which closes it there and stores it from its real start.
Re-importing a file changes nothing: a state already kept, superseded by a later file's,
or already closed and stored, is a duplicate.
"""

from __future__ import annotations

from decroche.contacts.models import AdvisorState, OpenAdvisorState

from .queue_log import OpenState


def open_states_load(source_system: str) -> dict[str, OpenState]:
    """The states files of `source_system` left open, by queue_log agent."""
    return {
        kept.agent: OpenState(
            agent=kept.agent,
            state=kept.state,
            started_at=kept.started_at,
            as_of=kept.as_of,
            queues=tuple(kept.queues),
            logged_in=kept.logged_in,
            paused=kept.paused,
        )
        for kept in OpenAdvisorState.objects.filter(source_system=source_system)
    }


def open_state_keep(row: dict, *, batch_id: int) -> bool:
    """Keep the state a file left open (`row`: a "open-state" unit's); True when it is new
    to the database, False when it was already known (a duplicate)."""
    keys = {"source_system": row["source_system"], "agent": row["agent"]}
    kept = OpenAdvisorState.objects.filter(**keys).first()
    if not row["state"]:  # the file closed the state it carried in
        if kept is not None and row["adopted"]:
            kept.delete()
        return False
    if kept is not None and not row["adopted"]:
        if (kept.state, kept.started_at) == (row["state"], row["started_at"]):
            return False  # this file again
        if kept.started_at > row["started_at"]:
            return False  # an earlier file: a later one already left its state open
    closed = AdvisorState.objects.filter(
        advisor__login=row["advisor"], started_at=row["started_at"], state=row["state"]
    ).exists()
    if closed:  # a later file already closed it
        return False
    OpenAdvisorState.objects.update_or_create(
        **keys,
        defaults={
            "advisor_login": row["advisor"][:64],
            "state": row["state"],
            "started_at": row["started_at"],
            "as_of": row["as_of"],
            "queues": list(row["queues"]),
            "logged_in": row["logged_in"],
            "paused": row["paused"],
            "import_batch_id": batch_id,
        },
    )
    return True
