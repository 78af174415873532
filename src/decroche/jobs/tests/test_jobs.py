"""Background jobs (issue 12 point 8): started, advanced, finished or failed, run inline by
the immediate backend in tests; pages for the owner only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from decroche.core.models import AuditEntry
from decroche.jobs.models import Job
from decroche.jobs.registry import register
from decroche.jobs.services import job_finish, job_progress, job_run, job_start

pytestmark = pytest.mark.django_db

SEEN: list[int] = []


@register("test.echo")
def _echo(job, *, text: str, fail: bool = False):
    job_progress(job, 40, "halfway")
    SEEN.append(Job.objects.get(pk=job.pk).progress)
    if fail:
        raise ValueError("Nothing to echo.")
    job_finish(job, text.encode(), "echo.txt", "text/plain")


@register("test.crash")
def _crash(job):
    raise RuntimeError("secret internals")


@register("test.silent")
def _silent(job):
    job_progress(job, 10)


def test_a_job_runs_inline_and_keeps_its_file(users):
    SEEN.clear()
    job = job_start("test.echo", users["team_leader"], title="Echo", text="bonjour")
    assert job.status == Job.Status.DONE and job.progress == 100
    assert SEEN == [40]  # the progress was stored while running
    assert bytes(job.result) == b"bonjour" and job.filename == "echo.txt"
    assert job.task_result_id and job.started_at and job.finished_at
    assert AuditEntry.objects.filter(action="jobs.job.started", user=users["team_leader"]).exists()


def test_a_failing_job_records_its_error(users):
    job = job_start("test.echo", users["team_leader"], title="Echo", text="x", fail=True)
    assert job.status == Job.Status.FAILED and job.error == "Nothing to echo."
    assert job.result is None


def test_a_fault_is_logged_not_shown(users):
    job = job_start("test.crash", users["team_leader"], title="Crash")
    assert job.status == Job.Status.FAILED and "secret" not in job.error
    assert "administrateurs" in job.error


def test_a_runner_without_result_fails_the_job(users):
    job = job_start("test.silent", users["team_leader"], title="Silent")
    assert job.status == Job.Status.FAILED and job.progress == 10


def test_an_unknown_kind_is_refused_in_the_request(users):
    with pytest.raises(LookupError):
        job_start("test.unknown", users["team_leader"], title="?")
    assert not Job.objects.exists()


def test_a_finished_job_is_not_run_twice(users):
    job = job_start("test.echo", users["team_leader"], title="Echo", text="un")
    Job.objects.filter(pk=job.pk).update(filename="premier.txt")
    assert job_run(job.pk) == Job.Status.DONE
    assert Job.objects.get(pk=job.pk).filename == "premier.txt"


def test_progress_is_bounded(users):
    job = Job.objects.create(kind="test.echo", title="t", requested_by=users["team_leader"])
    job_progress(job, 140, "trop")
    assert Job.objects.get(pk=job.pk).progress == 100
    job_progress(job, -5)
    assert Job.objects.get(pk=job.pk).progress == 0


def test_owner_sees_progress_state_and_downloads(client, users):
    job = job_start("test.echo", users["team_leader"], title="Echo", text="bonjour")
    client.force_login(users["team_leader"])
    page = client.get(reverse("job-detail", args=[job.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<progress" in html and "job-progress.js" in html and "style=" not in html
    state = client.get(reverse("job-state", args=[job.pk])).json()["job"]
    assert state["status"] == "done" and state["progress"] == 100 and state["download"]
    download = client.get(reverse("job-download", args=[job.pk]))
    assert download.status_code == 200 and download.content == b"bonjour"
    assert "echo.txt" in download["Content-Disposition"]
    listing = client.get(reverse("job-list"))
    assert listing.status_code == 200 and "Echo" in listing.content.decode()


def test_another_person_does_not_see_the_job(client, users):
    job = job_start("test.echo", users["team_leader"], title="Echo", text="bonjour")
    client.force_login(users["advisor"])
    for name in ("job-detail", "job-state", "job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert "Echo" not in client.get(reverse("job-list")).content.decode()


def test_failed_job_has_no_download(client, users):
    job = job_start("test.echo", users["team_leader"], title="Echo", text="x", fail=True)
    client.force_login(users["team_leader"])
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404


def test_anonymous_goes_to_sign_in_and_no_role_is_refused(client, make_user, users):
    job = job_start("test.echo", users["team_leader"], title="Echo", text="x")
    for url in (reverse("job-list"), reverse("job-detail", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    client.force_login(make_user(None))
    assert client.get(reverse("job-list")).status_code == 403
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 403


# The worker closes its database connection when done: a real transaction, not the test's.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_job_waits_for_the_worker(settings, users):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = job_start("test.echo", users["team_leader"], title="Echo", text="plus tard")
    assert job.status == Job.Status.QUEUED and job.task_result_id  # the request returns at once
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and bytes(job.result) == b"plus tard"


def test_jobs_left_running_by_a_stopped_worker_fail_cleanly(users):
    owner = users["team_leader"]
    running = Job.objects.create(kind="test.echo", title="a", requested_by=owner, status="running")
    queued = Job.objects.create(
        kind="test.echo", title="b", requested_by=owner, params={"text": "b"}
    )
    out = io.StringIO()
    call_command("jobs", fail_interrupted=True, stdout=out)
    running.refresh_from_db()
    assert running.status == Job.Status.FAILED and "arrêté" in running.error
    assert "1 interrupted job(s) marked failed" in out.getvalue()
    assert Job.objects.get(pk=queued.pk).status == Job.Status.QUEUED  # the next worker runs it
    assert job_run(queued.pk) == Job.Status.DONE and job_run(running.pk) == Job.Status.FAILED


def test_finished_jobs_are_purged_after_their_term(users):
    owner = users["team_leader"]
    old_done = job_start("test.echo", owner, title="vieux", text="x")
    recent = job_start("test.echo", owner, title="récent", text="y")
    old_queued = Job.objects.create(kind="test.echo", title="en attente", requested_by=owner)
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    Job.objects.filter(pk__in=[old_done.pk, old_queued.pk]).update(created_at=ten_days_ago)
    out = io.StringIO()
    call_command("jobs", purge_days=7, stdout=out)
    # 10 days > 7: the finished one goes; the recent one and the unfinished one stay.
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, old_queued.pk}
    assert "1 finished job(s) deleted" in out.getvalue()
