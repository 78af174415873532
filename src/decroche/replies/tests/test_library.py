"""The library of reply templates and scripts (issue 11 point 7): versions approved by a
second person, the version in force on a day, what changed since a reader's last reading,
the form grid's check, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from decroche.organisation.models import ContactReason
from decroche.replies import selectors, services
from decroche.replies.choices import VersionStatus
from decroche.replies.models import ReplyTemplate, TemplateRead

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def template(db):
    reason, _created = ContactReason.objects.get_or_create(
        code="incident-documents", defaults={"label": "Documents"}
    )
    return ReplyTemplate.objects.create(
        code="add-document", kind="reply", reason=reason, title="Ajout d'un document"
    )


def approved(template, author, approver, *, body, note="", valid_from):
    version = services.version_write(
        template=template, body=body, change_note=note, valid_from=valid_from, user=author
    )
    return services.version_approve(version, user=approver)


@pytest.mark.django_db
def test_versions_in_force_by_day(template, users):
    author, approver = users["trainer"], users["quality_analyst"]
    first = approved(template, author, approver, body="v1", valid_from=dt.date(2026, 9, 1))
    second = approved(
        template, author, approver, body="v2", note="délai ajouté", valid_from=dt.date(2026, 11, 1)
    )
    first.refresh_from_db()
    # Version 2 from 1 November ends version 1 on 31 October.
    assert first.valid_to == dt.date(2026, 10, 31)
    assert selectors.version_in_force(template, dt.date(2026, 10, 31)) == first
    assert selectors.version_in_force(template, dt.date(2026, 11, 1)) == second
    assert selectors.version_in_force(template, dt.date(2026, 8, 31)) is None
    # A draft is never in force.
    services.version_write(
        template=template, body="v3", change_note="brouillon", valid_from=DAY, user=author
    )
    assert selectors.version_in_force(template, dt.date(2026, 12, 1)) == second
    reason = template.reason_id
    assert selectors.versions_in_force_for_reason(reason, "reply", DAY) == [second]
    assert selectors.versions_in_force_for_reason(reason, "script", DAY) == []


@pytest.mark.django_db
def test_approval_rules(template, users):
    author = users["trainer"]
    version = services.version_write(
        template=template, body="texte", change_note="", valid_from=DAY, user=author
    )
    with pytest.raises(services.LibraryError, match="autre personne que son auteur"):
        services.version_approve(version, user=author)
    services.version_approve(version, user=users["quality_analyst"])
    with pytest.raises(services.LibraryError, match="déjà approuvée"):
        services.version_approve(version, user=users["quality_analyst"])
    with pytest.raises(services.LibraryError, match="ce qui a changé"):
        services.version_write(
            template=template, body="autre", change_note="", valid_from=DAY, user=author
        )
    later = services.version_write(
        template=template, body="autre", change_note="x", valid_from=DAY, user=author
    )
    with pytest.raises(services.LibraryError, match="après celle qu'elle remplace"):
        services.version_approve(later, user=users["quality_analyst"])
    assert later.status == VersionStatus.DRAFT


@pytest.mark.django_db
def test_what_changed_since_the_last_reading(client, template, users, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
    author, approver, advisor = users["trainer"], users["quality_analyst"], users["advisor"]
    approved(template, author, approver, body="Texte un", valid_from=dt.date(2026, 9, 1))
    client.force_login(advisor)
    line = selectors.library_for(advisor, day=dt.date(2026, 11, 20))[0]
    assert line.unread and line.last_read is None and line.changes == []
    assert client.get(reverse("replies-template", args=[template.pk])).status_code == 200
    assert TemplateRead.objects.filter(user=advisor).count() == 1
    approved(
        template,
        author,
        approver,
        body="Texte deux",
        note="Ajout du délai de 48 heures.",
        valid_from=dt.date(2026, 11, 10),
    )
    line = selectors.library_for(advisor, day=dt.date(2026, 11, 20))[0]
    assert line.unread and line.last_read == 1
    assert [v.number for v in line.changes] == [2]
    page = client.get(reverse("replies-template", args=[template.pk])).content.decode()
    assert "Ajout du délai de 48 heures." in page and "Texte deux" in page
    assert not selectors.library_for(advisor, day=dt.date(2026, 11, 20))[0].unread


@pytest.mark.django_db
def test_writing_and_approving_through_the_pages(client, template, users):
    client.force_login(users["trainer"])
    response = client.post(
        reverse("replies-version-new", args=[template.pk]),
        {"body": "Bonjour,", "change_note": "", "valid_from": "2026-11-02"},
    )
    assert response.status_code == 302
    version = template.versions.get()
    # The author cannot approve (no permission for a trainer), the analyst can.
    assert client.post(reverse("replies-version-approve", args=[version.pk])).status_code == 403
    client.force_login(users["quality_analyst"])
    client.post(reverse("replies-version-approve", args=[version.pk]))
    version.refresh_from_db()
    assert (
        version.status == VersionStatus.APPROVED and version.approved_by == users["quality_analyst"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["workforce_planner", "contract_manager", "security_officer"])
def test_library_not_allowed(client, users, template, role):
    client.force_login(users[role])
    assert client.get(reverse("replies-library")).status_code == 403
    assert client.get(reverse("replies-template", args=[template.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["advisor", "client_auditor", "team_leader"])
def test_readers_cannot_write(client, users, template, role):
    client.force_login(users[role])
    assert client.get(reverse("replies-library")).status_code == 200
    assert client.get(reverse("replies-template-new")).status_code == 403
    assert client.get(reverse("replies-version-new", args=[template.pk])).status_code == 403


@pytest.mark.django_db
def test_library_needs_login(client):
    assert client.get(reverse("replies-library")).status_code == 302


@pytest.mark.django_db
def test_form_evaluation_shows_the_template_in_force(client, template, users, advisor):
    from decroche.contacts.factories import form_create

    approved(template, users["trainer"], users["quality_analyst"], body="x", valid_from=DAY)
    form = form_create(DAY, advisor=advisor, reason=template.reason)
    client.force_login(users["quality_analyst"])
    page = client.get(reverse("quality-evaluate", args=["form", form.pk])).content.decode()
    assert "Ajout d&#x27;un document" in page or "Ajout d'un document" in page
