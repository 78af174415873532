"""The upload page's progress bar (issue 17): its JSON endpoints, login and permission
checked, and the page wiring them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decroche.contacts.models import ImportBatch

pytestmark = pytest.mark.django_db


def _running(user=None):
    return ImportBatch.objects.create(
        kind="calls",
        file_name="gros.csv",
        user=user,
        rows=250,
        rows_expected=1000,
        accepted=240,
        rejected=10,
    )


def test_progress_endpoints_redirect_anonymous(client):
    batch = _running()
    for url in (reverse("import-progress-mine"), reverse("import-progress", args=[batch.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["advisor", "trainer"])
def test_progress_endpoints_are_refused_without_the_permissions(client, users, role):
    batch = _running()
    client.force_login(users[role])
    assert client.get(reverse("import-progress-mine")).status_code == 403
    assert client.get(reverse("import-progress", args=[batch.pk])).status_code == 403


def test_own_progress_shows_the_rows_read_of_the_rows_expected(client, users):
    leader = users["team_leader"]
    client.force_login(leader)
    assert client.get(reverse("import-progress-mine")).json() == {"batch": None}
    _running(user=users["workforce_planner"])  # someone else's import is not "mine"
    batch = _running(user=leader)
    data = client.get(reverse("import-progress-mine")).json()["batch"]
    # 250 rows read of about 1,000 expected: 25 %.
    assert (data["id"], data["status"], data["rows"], data["percent"]) == (
        batch.pk,
        "running",
        250,
        25,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status="completed", rows=998)
    data = client.get(reverse("import-progress", args=[batch.pk])).json()["batch"]
    assert (data["percent"], data["finished"]) == (100, True)


def test_upload_page_carries_the_progress_bar_and_its_script(client, users):
    client.force_login(users["team_leader"])
    page = client.get(reverse("import-upload")).content.decode()
    assert f'data-import-progress="{reverse("import-progress-mine")}"' in page
    assert 'id="import-progress-bar"' in page and "import-progress.js" in page
