"""The daily summary stays exact by itself (SPEC §3, issue 17 point 3): any insert, update or
delete of a contact, whatever the path (a model save as in the admin, `bulk_update`,
`queryset.update()` and `.delete()`, raw SQL, an import), marks its days dirty through
database triggers, and the next read recomputes them. No manual refresh anywhere below.

Runs on SQLite and, in CI with `DATABASE_URL`, on PostgreSQL (statement triggers there).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.db.models import F

from decroche.contacts.models import (
    AdvisorState,
    Call,
    Chat,
    ContactForm,
    Email,
    FrontDeskVisit,
    SurveyResponse,
)
from decroche.indicators.models import DaySummary, DirtyDay, SummaryState
from decroche.indicators.queries import summary
from decroche.indicators.selectors import compute_grains
from decroche.indicators.services import refresh_summary, summary_refresh_dirty
from decroche.organisation.models import Advisor, Site

from .test_summary import (
    CATALOGUE,
    GRAINS,
    OUT_OF_SCOPE,
    _at,
    _figures,
    _import_calls,
    build_dataset,
)

CATALOGUE_TABLES = ["contacts_call", "contacts_contactform", "contacts_advisorstate"]
CATALOGUE_TABLES += ["contacts_surveyresponse"]
START, END = dt.date(2026, 1, 19), dt.date(2026, 3, 31)


def _catalogue_both_ways(period: str) -> tuple[dict, dict, list]:
    """Every catalogue figure at every grain, from the summary and from the contact tables,
    and what each summary read returned (None: it fell back to the tables)."""
    reads = []
    original = summary.summary_fine_values

    def spy(*args):
        reads.append(original(*args))
        return reads[-1]

    arguments = dict(start=START, end=END, period=period, grains=GRAINS)
    summary.summary_fine_values = spy
    try:
        from_summary = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    finally:
        summary.summary_fine_values = original
    summary.summary_fine_values = lambda *args: None
    try:
        live = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    finally:
        summary.summary_fine_values = original
    return from_summary, live, reads


def _assert_exact() -> None:
    for period in ("day", "week", "month"):
        from_summary, live, reads = _catalogue_both_ways(period)
        assert reads and all(fine is not None for fine in reads), period  # really the summary
        for grain in GRAINS:
            assert _figures(from_summary[grain]) == _figures(live[grain]), (period, grain)
    # The reads recomputed and cleared every mark of the tables the catalogue reads.
    assert not DirtyDay.objects.filter(table__in=CATALOGUE_TABLES).exists()


def _stored() -> dict:
    """The summary decoded: {(source, day): sorted rows of (key values…, measure values…)}."""
    decoded = {}
    for state in SummaryState.objects.all():
        columns = list(state.labels)
        for entry in DaySummary.objects.filter(source=state.source):
            codes = np.frombuffer(entry.keys, dtype=np.int32).reshape(-1, len(columns))
            values = np.frombuffer(entry.values, dtype=np.float64).reshape(len(codes), -1)
            rows = [
                (
                    *(state.labels[c][code] for c, code in zip(columns, key, strict=True)),
                    *value,
                )
                for key, value in zip(codes.tolist(), values.tolist(), strict=True)
            ]
            # A day whose contacts were all deleted keeps an empty entry or none: same.
            if rows:
                decoded[(state.source, entry.day)] = sorted(rows, key=repr)
    return decoded


def _other_channels() -> None:
    gre = Site.objects.get(code="gre")
    advisor = Advisor.objects.get(login="A0")
    for n in range(6):
        day = dt.date(2026, 2, 2) + dt.timedelta(days=n)
        FrontDeskVisit.objects.create(
            source_system="t", source_id=f"v{n}", arrived_at=_at(day, 10), site=gre
        )
        Email.objects.create(
            source_system="t", source_id=f"e{n}", received_at=_at(day, 11), advisor=advisor
        )
        Chat.objects.create(source_system="t", source_id=f"c{n}", started_at=_at(day, 12))


@pytest.mark.django_db
def test_edits_deletes_and_reimports_keep_every_figure_exact(tmp_path):
    build_dataset()
    _other_channels()
    refresh_summary()
    assert not DirtyDay.objects.exists()
    _assert_exact()

    # 1. A model save, as the admin does: an outcome edited, a call moved to another day
    #    (both days marked: the old one loses it, the new one gains it).
    call = Call.objects.filter(outcome="abandoned", day__lt=dt.date(2026, 2, 20)).first()
    old_day = call.day
    call.outcome = "answered"
    call.arrived_at = _at(dt.date(2026, 3, 3), 14)
    call.save()
    marked = set(DirtyDay.objects.values_list("table", "day"))
    assert marked == {("contacts_call", old_day), ("contacts_call", dt.date(2026, 3, 3))}
    _assert_exact()

    # 2. queryset.update() and queryset.delete(), over many days at once.
    Call.objects.filter(origin="direct").update(wait_seconds=F("wait_seconds") + 100)
    Call.objects.filter(outcome="overflowed_out", day__gte=dt.date(2026, 3, 1)).delete()
    SurveyResponse.objects.filter(csat=5).update(csat=2)
    AdvisorState.objects.filter(state="pause").delete()
    _assert_exact()

    # 3. bulk_update on forms: answered later (the backlog moves between both days), and
    #    bulk_create of new forms.
    forms = list(ContactForm.objects.filter(answered_at__isnull=False)[:20])
    for form in forms:
        form.answered_at = form.answered_at + dt.timedelta(days=3)
        form.fill_local_days()
    ContactForm.objects.bulk_update(forms, ["answered_at", "answered_day"])
    ContactForm.objects.bulk_create(
        [
            ContactForm(
                source_system="t",
                source_id=f"bulk{n}",
                received_at=_at(dt.date(2026, 2, 10), 9),
                received_day=dt.date(2026, 2, 10),
                site=Site.objects.get(code="lyo"),
            )
            for n in range(5)
        ]
    )
    _assert_exact()

    # 4. Raw SQL, outside the ORM entirely.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contacts_call SET talk_seconds = talk_seconds + 7 WHERE id % 3 = 0")
        cursor.execute("DELETE FROM contacts_chat WHERE source_id IN ('c0', 'c1')")
        cursor.execute("UPDATE contacts_email SET advisor_id = NULL WHERE source_id = 'e2'")
    FrontDeskVisit.objects.filter(source_id="v3").delete()
    _assert_exact()

    # 5. An import, its re-import (duplicates), a purge of the imported calls, and the
    #    same file imported again.
    lines = [
        f"ivr,r{n},2026-03-1{n}T09:00:00,2026-03-1{n}T09:00:30,2026-03-1{n}T09:05:00,"
        f"answered,A0,{OUT_OF_SCOPE},+33 6 00 00 00 0{n}"
        for n in range(4)
    ]
    assert _import_calls(tmp_path, "r.csv", lines).accepted == 4
    _assert_exact()
    assert _import_calls(tmp_path, "r.csv", lines).duplicates == 4
    Call.objects.filter(source_id__startswith="r").delete()
    _assert_exact()
    assert _import_calls(tmp_path, "r2.csv", lines).accepted == 4
    _assert_exact()

    # Day by day, the summary holds exactly what a whole refresh writes, for every source
    # (visits, e-mails and chats included, which no catalogue figure reads yet).
    # The end of each import recomputed every table's marks (step 4's included); a visit
    # deleted now is recomputed by the entry point imports call.
    assert not DirtyDay.objects.exists()
    FrontDeskVisit.objects.filter(source_id="v4").delete()
    assert summary_refresh_dirty() == {"visits": 1}
    assert not DirtyDay.objects.exists()
    kept = _stored()
    refresh_summary()
    assert _stored() == kept


@pytest.mark.django_db
def test_triggers_mark_old_and_new_days_of_every_contact_table():
    build_dataset()
    _other_channels()
    DirtyDay.objects.all().delete()
    form = ContactForm.objects.filter(answered_day__isnull=False).first()
    received, answered = form.received_day, form.answered_day
    form.answered_at = _at(dt.date(2026, 3, 20), 10)
    form.save()
    assert set(DirtyDay.objects.values_list("table", "day")) == {
        ("contacts_contactform", received),
        ("contacts_contactform", answered),
        ("contacts_contactform", dt.date(2026, 3, 20)),
    }
    DirtyDay.objects.all().delete()
    for model in (AdvisorState, SurveyResponse, FrontDeskVisit, Email, Chat):
        row = model.objects.order_by("pk").first()
        day = row.day
        model.objects.filter(pk=row.pk).delete()
        assert (model._meta.db_table, day) in set(DirtyDay.objects.values_list("table", "day"))
    # A summary exists for none of them yet: the marks are dropped, nothing is written.
    assert summary_refresh_dirty() == {}
    assert not DirtyDay.objects.exists()
    assert not DaySummary.objects.exists()
