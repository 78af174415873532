import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from decroche.contacts.bulk import datetime_adapter, insert_ignoring_duplicates
from decroche.contacts.models import Call

PARIS = ZoneInfo("Europe/Paris")
COLUMNS = [
    "source_system",
    "source_id",
    "queue",
    "arrived_at",
    "wait_seconds",
    "talk_seconds",
    "wrap_up_seconds",
    "origin",
    "outcome",
    "widening",
    "transferred_n1plus",
    "n2_ticket",
    "on_closure_calendar",
    "technical_incident",
    "caller_hash",
]


def _row(source_id: str, arrived: dt.datetime, adapt) -> list:
    return [
        "test",
        source_id,
        "",
        adapt(arrived),
        10,
        200,
        30,
        "direct",
        "answered",
        "",
        False,
        False,
        False,
        False,
        "",
    ]


@pytest.mark.django_db(transaction=True)
def test_insert_skips_rows_already_stored_and_keeps_time_exact():
    adapt = datetime_adapter()
    arrived = dt.datetime(2026, 3, 2, 8, 31, 5, tzinfo=PARIS)
    with transaction.atomic():
        first = insert_ignoring_duplicates(
            Call, COLUMNS, [_row("a", arrived, adapt), _row("b", arrived, adapt)]
        )
    with transaction.atomic():
        second = insert_ignoring_duplicates(
            Call, COLUMNS, [_row("b", arrived, adapt), _row("c", arrived, adapt)]
        )
    assert (first, second) == (2, 1)
    assert Call.objects.count() == 3
    # The ORM reads back the same instant and filters on it (same storage format).
    assert Call.objects.get(source_id="a").arrived_at == arrived
    assert Call.objects.filter(arrived_at__gte=arrived).count() == 3
    assert Call.objects.filter(arrived_at__gt=arrived).count() == 0


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        datetime_adapter()(dt.datetime(2026, 1, 1))


@pytest.mark.django_db(transaction=True)
def test_writer_stores_the_paris_day_and_half_hour():
    adapt = datetime_adapter()
    # 31 March 2026 22:10 UTC = 1 April 00:10 in Paris (summer time); 07:45 UTC = 08:45 in winter.
    late = dt.datetime(2026, 3, 31, 22, 10, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 1, 5, 7, 45, tzinfo=dt.UTC)
    with transaction.atomic():
        insert_ignoring_duplicates(
            Call, COLUMNS, [_row("late", late, adapt), _row("winter", winter, adapt)]
        )
    assert Call.objects.get(source_id="late").day == dt.date(2026, 4, 1)
    assert Call.objects.get(source_id="late").half_hour == 0
    winter_call = Call.objects.get(source_id="winter")
    assert (winter_call.day, winter_call.half_hour) == (dt.date(2026, 1, 5), 17)  # 08:30–09:00


@pytest.mark.django_db
def test_save_fills_the_same_local_columns():
    call = Call.objects.create(
        source_system="t",
        source_id="1",
        outcome="answered",
        arrived_at=dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
    )
    # 25 October 2026 00:30 UTC is 02:30 summer time in Paris (the clocks go back at 03:00).
    assert (call.day, call.half_hour) == (dt.date(2026, 10, 25), 5)
