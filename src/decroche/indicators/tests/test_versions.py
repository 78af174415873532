import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from decroche.contacts.models import Call
from decroche.core.models import AuditEntry
from decroche.indicators.models import IndicatorVersion, MeasureDefinition
from decroche.indicators.selectors import indicator_report, versions_in_force
from decroche.indicators.services import catalogue_load, indicator_draft_create, indicator_publish

PARIS = ZoneInfo("Europe/Paris")


def _draft(code="answer_rate", **changes):
    current = IndicatorVersion.objects.filter(code=code).order_by("-version").first()
    fields = {
        f: getattr(current, f)
        for f in ("label", "category", "purpose", "formula_text", "formula", "unit", "target")
    }
    fields.update(changes)
    fields.setdefault("valid_from", dt.date(2099, 1, 1))
    return indicator_draft_create(code=code, **fields)


@pytest.mark.django_db
def test_migrated_database_holds_the_catalogue_once():
    assert IndicatorVersion.objects.filter(code="answer_rate", status="published").count() == 1
    assert MeasureDefinition.objects.filter(name="calls_dissuaded_telecom").exists()
    assert catalogue_load() == (0, 0)  # idempotent
    answer_rate = IndicatorVersion.objects.get(code="answer_rate")
    # frozen formula: the measure names are gone, the conditions are inline
    assert "calls_answered" not in answer_rate.resolved_formula
    assert (
        'count(calls where outcome = "dissuaded_telecom" and widening != "on_this_group")'
        in answer_rate.resolved_formula
    )


@pytest.mark.django_db
def test_a_draft_with_a_bad_formula_is_refused_with_its_position():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _draft(formula="calls_answered / (calls_all +)")
    assert "character 30" in str(caught.value)


@pytest.mark.django_db
def test_a_period_straddling_a_target_change_uses_the_definition_valid_then(make_user):
    planner = make_user("administrator")
    for day, outcome in [
        (dt.date(2026, 3, 31), "answered"),
        (dt.date(2026, 3, 31), "abandoned"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "abandoned"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "answered"),
        (dt.date(2026, 4, 1), "answered"),
    ]:
        Call.objects.create(
            source_system="t",
            source_id=f"{day}-{Call.objects.count()}",
            outcome=outcome,
            arrived_at=dt.datetime.combine(day, dt.time(10), tzinfo=PARIS),
        )
    draft = _draft(target=">= 0.95", change_note="Quarterly review", valid_from=dt.date(2026, 4, 1))
    indicator_publish(draft=draft, valid_from=dt.date(2026, 4, 1), user=planner)
    old = IndicatorVersion.objects.get(code="answer_rate", version=1)
    assert old.valid_to == dt.date(2026, 3, 31)
    assert [v.version for v in versions_in_force(dt.date(2026, 3, 31), ["answer_rate"])] == [1]
    assert [v.version for v in versions_in_force(dt.date(2026, 4, 1), ["answer_rate"])] == [2]
    results = indicator_report(
        start=dt.date(2026, 3, 30), end=dt.date(2026, 4, 2), period="day", codes=["answer_rate"]
    )
    by_day = {r.period_start: r for r in results}
    # 31 March: 1 / 2 = 0.5 against the old target >= 0.90; 1 April: 9 / 10 = 0.90 against >= 0.95
    assert (by_day[dt.date(2026, 3, 31)].target, by_day[dt.date(2026, 3, 31)].value) == (
        ">= 0.90",
        0.5,
    )
    assert by_day[dt.date(2026, 4, 1)].target == ">= 0.95"
    assert by_day[dt.date(2026, 4, 1)].value == pytest.approx(9 / 10)
    assert (
        by_day[dt.date(2026, 4, 1)].status == "missed"
    )  # 0.90 < 0.95, though it meets the old >= 0.90
    # A month straddling the change is computed with the definition valid on its first day.
    (march_april,) = indicator_report(
        start=dt.date(2026, 3, 15), end=dt.date(2026, 4, 14), period="range", codes=["answer_rate"]
    )
    assert march_april.target == ">= 0.90"
    assert (
        AuditEntry.objects.filter(action="indicators.version.published", user=planner).count() == 1
    )


@pytest.mark.django_db
def test_publication_must_move_forward():
    # The shipped version 1 holds from the beginning (1900-01-01): nothing can start then.
    draft = _draft(valid_from=dt.date(1900, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError, match="must start after"):
        indicator_publish(draft=draft, valid_from=dt.date(1900, 1, 1))
