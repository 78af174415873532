"""Web import (issue 2): upload, summary, rejects download, history; permissions on each."""

from __future__ import annotations

import pathlib
import types

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from decroche.contacts import services
from decroche.contacts.jobs import IMPORT, upload_store, uploads_directory
from decroche.contacts.models import Call, ImportBatch
from decroche.core.tabular.errors import ImportFileError
from decroche.jobs.models import Job

pytestmark = pytest.mark.django_db
CSV = b"source_id;arrived_at\nA1;2026-03-02 09:00:00\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored uploads and rejects files in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def followed(client, response) -> Job:
    """The upload redirects to its job's page at once; with the immediate backend of the
    tests the job has run by then (issue 12 point 8)."""
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    assert job.kind == IMPORT
    assert client.get(response["Location"]).status_code == 200
    return job


@pytest.fixture
def fake_import(monkeypatch, tmp_path):
    """Stand-in for `contacts.services.contacts_import`: records its call, creates a batch.

    The view is tested alone here (the service has its own tests; the end-to-end tests
    at the bottom use the real one). Set `behaviour["error"]` to make it raise.
    """
    calls: list[dict] = []
    behaviour: dict = {}

    def contacts_import(*, kind, path, mapping_path=None, user=None, file_name=None, **kwargs):
        calls.append(
            {
                "kind": kind,
                "content": pathlib.Path(path).read_bytes(),
                "suffix": pathlib.Path(path).suffix,
                "mapping": pathlib.Path(mapping_path).read_bytes() if mapping_path else None,
                "user": user,
                "file_name": file_name,
                "path": pathlib.Path(path),
            }
        )
        if "error" in behaviour:
            raise ImportFileError(behaviour["error"])
        rejects = tmp_path / "rejects.csv"
        rejects.write_text("line;field;reason;raw\n3;arrived_at;date invalide;A2;hier\n")
        batch = ImportBatch.objects.create(
            kind=kind,
            file_name=file_name,
            file_sha256="0" * 64,
            user=user,
            status="completed",
            rows=2,
            accepted=1,
            rejected=1,
            duplicates=0,
            rejects_path=str(rejects),
        )
        return types.SimpleNamespace(
            batch_id=batch.pk, rejects_path=str(rejects), rows=2, rejected=1
        )

    monkeypatch.setattr(services, "contacts_import", contacts_import)
    return types.SimpleNamespace(calls=calls, behaviour=behaviour)


def upload(client, **extra):
    data = {
        "kind": "calls",
        "file": SimpleUploadedFile("appels-mars.csv", CSV, content_type="text/csv"),
    }
    data.update(extra)
    return client.post(reverse("import-upload"), data)


def test_upload_page_redirects_anonymous(client):
    response = client.get(reverse("import-upload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role", ["client_auditor", "quality_analyst", "advisor", "security_officer"]
)
def test_upload_is_refused_without_the_import_permission(client, users, fake_import, role):
    client.force_login(users[role])
    assert client.get(reverse("import-upload")).status_code == 403
    assert upload(client).status_code == 403
    assert fake_import.calls == []


def test_upload_runs_the_import_and_shows_its_summary(client, users, fake_import):
    leader = users["team_leader"]
    client.force_login(leader)
    mapping = SimpleUploadedFile("autre-systeme.toml", b"[columns]\n", content_type="text/plain")
    response = upload(client, mapping=mapping)
    job = followed(client, response)
    batch = ImportBatch.objects.get()
    assert job.status == Job.Status.DONE and job.requested_by == leader
    assert job.result_url == reverse("import-detail", args=[batch.pk])
    [call] = fake_import.calls
    assert (
        call["kind"] == "calls"
        and call["user"] == leader
        and call["file_name"] == "appels-mars.csv"
    )
    assert call["content"] == CSV and call["suffix"] == ".csv"
    assert call["mapping"] == b"[columns]\n"
    assert not call["path"].exists()  # the stored copy is removed when the job ends
    assert call["path"].parent == uploads_directory()
    assert list(uploads_directory().iterdir()) == []  # the mapping's copy too

    summary = client.get(job.result_url)
    html = summary.content.decode()
    assert summary.status_code == 200
    assert "appels-mars.csv" in html
    assert reverse("import-rejects", args=[batch.pk]) in html
    assert [summary.context["batch"].rows, summary.context["batch"].rejected] == [2, 1]


def test_whole_file_error_fails_the_job_with_its_reason(client, users, fake_import):
    fake_import.behaviour["error"] = "appels-mars.csv : colonne « arrived_at » absente"
    client.force_login(users["site_manager"])
    job = followed(client, upload(client))
    assert job.status == Job.Status.FAILED
    assert job.error == "appels-mars.csv : colonne « arrived_at » absente"
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "colonne « arrived_at » absente" in page
    [call] = fake_import.calls
    assert not call["path"].exists()  # deleted when the job failed


def test_stored_upload_is_private_while_the_job_runs(client, users, fake_import, monkeypatch):
    """Mode 600 in a directory of mode 700, like the rejects files (issue 17.12)."""
    modes = {}

    def seen(*, path, **kwargs):
        modes["file"] = path.stat().st_mode & 0o777
        modes["directory"] = path.parent.stat().st_mode & 0o777
        raise ImportFileError("stop")

    monkeypatch.setattr(services, "contacts_import", seen)
    client.force_login(users["team_leader"])
    upload(client)
    assert modes == {"file": 0o600, "directory": 0o700}


def test_upload_left_by_a_killed_worker_is_deleted_by_the_next_import(client, users, fake_import):
    """A worker killed during an import leaves its stored upload; once the job is failed
    (`decroche jobs --fail-interrupted`), the next import deletes it. A file no ended job
    names (another import being queued) stays."""
    leader = users["team_leader"]
    left = upload_store(SimpleUploadedFile("tue.csv", CSV))
    Job.objects.create(
        kind=IMPORT, title="tué", requested_by=leader, status=Job.Status.FAILED,
        params={"kind": "calls", "path": left, "mapping_path": None, "file_name": "tue.csv"},
    )  # fmt: skip
    queued = pathlib.Path(upload_store(SimpleUploadedFile("attente.csv", CSV)))
    client.force_login(leader)
    upload(client)
    assert not pathlib.Path(left).exists()
    assert queued.exists()
    assert sorted(uploads_directory().iterdir()) == [queued]


def test_import_job_page_is_not_shown_to_another_user(client, users, fake_import):
    client.force_login(users["team_leader"])
    job = followed(client, upload(client))
    client.logout()
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 302
    client.force_login(users["site_manager"])  # may import, but not this person's job
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    client.force_login(users["trainer"])  # no role in imports
    assert client.get(reverse("job-detail", args=[job.pk])).status_code in {403, 404}


def test_rejects_download_serves_the_batch_file_to_its_importer(client, users, fake_import):
    client.force_login(users["team_leader"])
    upload(client)
    batch = ImportBatch.objects.get()
    response = client.get(reverse("import-rejects", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"date invalide" in b"".join(response.streaming_content)


def test_rejects_download_is_refused_to_another_team_leader_and_to_auditors(
    client, users, make_user, fake_import
):
    client.force_login(users["team_leader"])
    upload(client)
    batch = ImportBatch.objects.get()
    other_leader = make_user("team_leader", username="paul.durand")
    client.force_login(other_leader)  # outside their scope (issue 17.15): not even listed
    assert client.get(reverse("import-rejects", args=[batch.pk])).status_code == 404
    client.force_login(users["client_auditor"])
    assert client.get(reverse("import-rejects", args=[batch.pk])).status_code == 403
    client.force_login(users["workforce_planner"])  # sees every site, not others' rejects
    assert client.get(reverse("import-rejects", args=[batch.pk])).status_code == 403
    client.force_login(users["security_officer"])  # issue 17.12: the importer and the CSO
    assert client.get(reverse("import-rejects", args=[batch.pk])).status_code == 200


def test_rejects_download_redirects_anonymous_and_404_without_file(client, users):
    batch = ImportBatch.objects.create(
        kind="calls", file_name="x.csv", file_sha256="0" * 64, user=users["team_leader"]
    )
    response = client.get(reverse("import-rejects", args=[batch.pk]))
    assert response.status_code == 302
    client.force_login(users["team_leader"])
    assert client.get(reverse("import-rejects", args=[batch.pk])).status_code == 404


def test_import_history_permissions_and_content(client, users):
    ImportBatch.objects.create(
        kind="forms", file_name="formulaires.xlsx", file_sha256="0" * 64, rows=5, accepted=5
    )
    assert client.get(reverse("import-list")).status_code == 302
    client.force_login(users["trainer"])
    assert client.get(reverse("import-list")).status_code == 403
    client.force_login(users["client_auditor"])
    response = client.get(reverse("import-list"))
    assert response.status_code == 200
    assert "formulaires.xlsx" in response.content.decode()


def test_import_summary_permissions(client, users):
    batch = ImportBatch.objects.create(kind="calls", file_name="x.csv", file_sha256="0" * 64)
    url = reverse("import-detail", args=[batch.pk])
    assert client.get(url).status_code == 302
    client.force_login(users["advisor"])
    assert client.get(url).status_code == 403
    client.force_login(users["quality_analyst"])
    assert client.get(url).status_code == 200


# End to end, with the real import service and tiny files.
VALID_AND_INVALID = (
    b"source_system,source_id,arrived_at,outcome\n"
    b"odigo,1,2026-03-02T09:00:00,abandoned\n"
    b"odigo,2,pas une date,abandoned\n"
)


def test_real_import_accepts_rejects_and_offers_the_rejects_file(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["team_leader"])
    response = client.post(
        reverse("import-upload"),
        {
            "kind": "calls",
            "file": SimpleUploadedFile("appels.csv", VALID_AND_INVALID, content_type="text/csv"),
        },
    )
    job = followed(client, response)
    batch = ImportBatch.objects.get()
    assert job.status == Job.Status.DONE
    assert job.result_url == reverse("import-detail", args=[batch.pk])
    assert (batch.rows, batch.accepted, batch.rejected, batch.duplicates) == (2, 1, 1, 0)
    assert Call.objects.get().source_id == "1"
    rejects = client.get(reverse("import-rejects", args=[batch.pk]))
    assert rejects.status_code == 200
    body = b"".join(rejects.streaming_content).decode()
    assert "arrived_at" in body and "pas une date" in body


def test_real_import_reports_a_whole_file_error(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["workforce_planner"])
    bad = SimpleUploadedFile(
        "colonnes.csv", b"source_system,source_id,arrived_at\nodigo,1,2026-03-02T09:00:00\n"
    )
    response = client.post(reverse("import-upload"), {"kind": "calls", "file": bad})
    job = followed(client, response)
    assert job.status == Job.Status.FAILED
    # The file, the line and the missing field, as the import names them.
    assert job.error == "colonnes.csv: line 1: missing required column(s): outcome"
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "colonnes.csv: line 1: missing required column(s): outcome" in page
    assert ImportBatch.objects.get().status == "failed"
    assert list(uploads_directory().iterdir()) == []
    assert Call.objects.count() == 0


def test_import_job_reports_lines_read_of_lines_expected(client, users, monkeypatch):
    """The job's bar follows the service's committed batches; kept as it was when a
    refused file stops the job."""

    def stops_half_way(*, on_progress, **kwargs):
        on_progress(150, 300)
        raise ImportFileError("appels.csv: line 151: outcome: 'parti' is not an outcome")

    monkeypatch.setattr(services, "contacts_import", stops_half_way)
    client.force_login(users["team_leader"])
    job = followed(client, upload(client))
    assert job.status == Job.Status.FAILED
    assert job.progress == 50  # 100 × 150 // 300
    assert "150" in job.message and "300" in job.message
    assert job.error == "appels.csv: line 151: outcome: 'parti' is not an outcome"


def test_the_service_reports_progress_after_each_committed_batch(tmp_path):
    """`on_progress(last line read, lines expected)` once per committed batch."""
    path = tmp_path / "appels.csv"
    path.write_bytes(VALID_AND_INVALID)  # header + 2 rows
    seen = []
    services.contacts_import(
        kind="calls", path=path, batch_size=1, on_progress=lambda *pair: seen.append(pair)
    )
    # Lines 2 and 3 each committed alone (batch_size=1), then the closing commit at the end
    # of the file (nothing new: still line 3). Expected: the estimate of the physical lines,
    # 3 newlines + 1 = 4 (the same figure the batch's rows_expected holds).
    assert seen == [(2, 4), (3, 4), (3, 4)]
    assert ImportBatch.objects.get().rows_expected == 4
