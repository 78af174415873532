import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from decroche.contacts.bulk import datetime_adapter, insert_ignoring_duplicates
from decroche.contacts.models import Call

PARIS = ZoneInfo("Europe/Paris")
COLUMNS = ["source_system", "source_id", "queue", "arrived_at", "wait_seconds", "talk_seconds",
           "wrap_up_seconds", "origin", "outcome", "widening", "transferred_n1plus", "n2_ticket",
           "on_closure_calendar", "technical_incident", "caller_hash"]


def _row(source_id: str, arrived: dt.datetime, adapt) -> list:
    return ["test", source_id, "", adapt(arrived), 10, 200, 30, "direct", "answered", "", False, False, False, False, ""]


@pytest.mark.django_db(transaction=True)
def test_insert_skips_rows_already_stored_and_keeps_time_exact():
    adapt = datetime_adapter()
    arrived = dt.datetime(2026, 3, 2, 8, 31, 5, tzinfo=PARIS)
    with transaction.atomic():
        first = insert_ignoring_duplicates(Call, COLUMNS, [_row("a", arrived, adapt), _row("b", arrived, adapt)])
    with transaction.atomic():
        second = insert_ignoring_duplicates(Call, COLUMNS, [_row("b", arrived, adapt), _row("c", arrived, adapt)])
    assert (first, second) == (2, 1)
    assert Call.objects.count() == 3
    # The ORM reads back the same instant and filters on it (same storage format).
    assert Call.objects.get(source_id="a").arrived_at == arrived
    assert Call.objects.filter(arrived_at__gte=arrived).count() == 3
    assert Call.objects.filter(arrived_at__gt=arrived).count() == 0


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        datetime_adapter()(dt.datetime(2026, 1, 1))
