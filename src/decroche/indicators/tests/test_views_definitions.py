"""Indicator definitions in the web app (issue 3): a user defines a new indicator, sees it
computed on recorded data, keeps it as a draft until an administrator publishes it; the
history says who changed what and when."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decroche.core.models import AuditEntry
from decroche.indicators.models import IndicatorVersion

pytestmark = pytest.mark.django_db
NEW = {
    "code": "answered_share",
    "label": "Part des appels décrochés",
    "category": "phone",
    "formula": 'count(calls where outcome = "answered") / count(calls)',
    "unit": "rate",
    "target": ">= 0.80",
    "valid_from": "2026-01-01",
    "change_note": "Demande du comité",
}


def test_pages_need_sign_in(client):
    version = IndicatorVersion.objects.get(code="answer_rate")
    for url in (
        reverse("indicator-definitions"),
        reverse("indicator-history", args=["answer_rate"]),
        reverse("indicator-version", args=[version.pk]),
        reverse("indicator-draft-create"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response.url


def test_readers_read_but_do_not_draft(client, users):
    version = IndicatorVersion.objects.get(code="answer_rate")
    client.force_login(users["advisor"])
    assert client.get(reverse("indicator-definitions")).status_code == 403
    client.force_login(users["client_auditor"])
    assert client.get(reverse("indicator-definitions")).status_code == 200
    assert client.get(reverse("indicator-history", args=["answer_rate"])).status_code == 200
    assert client.get(reverse("indicator-version", args=[version.pk])).status_code == 200
    assert client.get(reverse("indicator-draft-create")).status_code == 403
    assert client.post(reverse("indicator-publish", args=[version.pk])).status_code == 403


def test_planner_drafts_sees_it_computed_and_cannot_publish(client, users, world):
    client.force_login(users["workforce_planner"])
    response = client.post(reverse("indicator-draft-create"), NEW)
    draft = IndicatorVersion.objects.get(code="answered_share")
    assert response.status_code == 302
    assert response.url == reverse("indicator-version", args=[draft.pk])
    assert (draft.status, draft.version, draft.created_by) == (
        "draft",
        1,
        users["workforce_planner"],
    )
    page = client.get(
        response.url, {"date_from": "2026-01-01", "date_to": "2026-01-31", "period": "month"}
    )
    (january,) = page.context["preview"]
    # World: 4 answered out of 6 calls → 66.7 % < 80 %: missed.
    assert (january["numerator"], january["denominator"]) == ("4", "6")
    assert january["status"]["css"] == "fr-badge--error"
    assert page.context["publish_form"] is None  # planners draft, administrators publish
    assert client.post(reverse("indicator-publish", args=[draft.pk]), {}).status_code == 403
    # Still a draft: it counts in no report.
    assert not IndicatorVersion.objects.filter(code="answered_share", status="published").exists()


def test_a_bad_formula_is_shown_with_its_position(client, users):
    client.force_login(users["workforce_planner"])
    response = client.post(reverse("indicator-draft-create"), {**NEW, "formula": "count(calls"})
    assert response.status_code == 200
    assert response.context["form"].errors["formula"]
    assert not IndicatorVersion.objects.filter(code="answered_share").exists()


def test_new_version_prefilled_then_published_and_history_says_who_and_when(client, users):
    client.force_login(users["workforce_planner"])
    form = client.get(reverse("indicator-draft-create"), {"code": "average_wait"}).context["form"]
    assert form.initial["formula"] == IndicatorVersion.objects.get(code="average_wait").formula
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(target="< 100", valid_from="2026-06-01", change_note="Cible durcie")
    client.post(reverse("indicator-draft-create"), data)
    draft = IndicatorVersion.objects.get(code="average_wait", version=2)

    admin = users["administrator"]
    client.force_login(admin)
    page = client.get(reverse("indicator-version", args=[draft.pk]))
    assert page.context["publish_form"] is not None
    response = client.post(
        reverse("indicator-publish", args=[draft.pk]), {"valid_from": "2026-06-01"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == ("published", admin)
    first = IndicatorVersion.objects.get(code="average_wait", version=1)
    assert str(first.valid_to) == "2026-05-31"
    history = client.get(reverse("indicator-history", args=["average_wait"]))
    body = history.content.decode()
    assert "Cible durcie" in body
    assert admin.get_full_name() in body and users["workforce_planner"].get_full_name() in body
    assert AuditEntry.objects.filter(action="indicators.version.published").exists()


def test_unknown_indicator_history_is_404(client, users):
    client.force_login(users["quality_analyst"])
    assert client.get(reverse("indicator-history", args=["nope"])).status_code == 404
