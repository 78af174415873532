import datetime as dt

import pytest

from decroche.contacts.factories import call_create
from decroche.contacts.models import Call
from decroche.contacts.repeats import repeat_delays_refresh
from decroche.organisation.models import ContactReason


def _call(source_id, day, caller, reason):
    return call_create(day, source_id=source_id, caller_hash=caller, reason=reason)


@pytest.mark.django_db
def test_delay_to_the_next_call_of_the_same_caller_for_the_same_reason():
    card = ContactReason.objects.get(code="cv-serial-unreadable")
    scope = ContactReason.objects.get(code="out-of-scope")
    _call("1", dt.date(2026, 3, 2), "alice", card)
    _call("2", dt.date(2026, 3, 5), "alice", card)  # repeat 3 days later
    _call("3", dt.date(2026, 3, 20), "alice", card)  # repeat 15 days later
    _call("4", dt.date(2026, 3, 3), "alice", scope)  # another reason: its own thread
    _call("5", dt.date(2026, 3, 2), "bob", card)  # another caller
    _call("6", dt.date(2026, 3, 2), "", card)  # unknown caller: never linked
    assert repeat_delays_refresh() == 2
    delays = dict(Call.objects.values_list("source_id", "days_to_repeat"))
    assert delays == {"1": 3, "2": 15, "3": None, "4": None, "5": None, "6": None}
    assert repeat_delays_refresh() == 0  # idempotent
    _call("7", dt.date(2026, 3, 21), "alice", card)
    assert repeat_delays_refresh(caller_hashes={"alice"}) == 1
    assert Call.objects.get(source_id="3").days_to_repeat == 1
