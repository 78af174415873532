"""Fault script (issue 12, "Load and faults"): the background worker is killed during a
schedule job, then restarted; the job ends failed cleanly and nothing is lost or doubled.
Case `import`: the worker is killed during a large contact import uploaded on the web.

    .venv/bin/python bench/faults_worker.py [--workdir /tmp/faults] [--case schedule|import|all]

The database (SQLite unless DATABASE_URL says otherwise) holds four weeks of generated
traffic before `--start`, reused from `--workdir`. A schedule job (the optimiser runs up
to `--time-limit` s) and a committee-pack job are queued; `decroche db_worker` starts, and
is killed (SIGKILL) once the schedule job is running. Then `decroche jobs
--fail-interrupted` and a new worker: printed are the state of both jobs and the number of
schedule runs stored, after the kill, after the restart, and after the planner asks for the
schedule again. Exits non-zero when an expectation fails. Bounded: every wait times out.

Case `import` (issue 12 point 8): a calls file of `--rows` rows is stored as the web upload
stores it and its `contacts.import` job queued; the worker is killed once the import has
committed rows; `decroche jobs --fail-interrupted`, then the same file is uploaded again
and run by a new worker: the job and the batch end failed / interrupted, the re-run stores
exactly `--rows` calls (none lost, none doubled: accepted + duplicates = rows), and the
upload the killed job left on disk is deleted when the re-run starts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load_http import decroche, environment


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", default="2026-03-02", help="first day scheduled (a Monday)")
    parser.add_argument("--time-limit", type=int, default=30)
    parser.add_argument("--workdir", type=Path, help="keep the database here (reused if present)")
    parser.add_argument("--case", choices=["schedule", "import", "all"], default="all")
    parser.add_argument("--rows", type=int, default=300_000, help="rows of the import case")
    return parser.parse_args()


def worker(env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "decroche"), "db_worker", "--no-reload",
         "--no-startup-delay", *extra],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.2)


def main() -> None:
    arguments = parse_arguments()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="decroche-faults-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**environment(workdir), "TASKS_BACKEND": "database"}
    start = dt.date.fromisoformat(arguments.start)
    decroche(env, "migrate", "--verbosity", "0")
    marker = workdir / f"history-{start}"
    if arguments.case != "import" and not marker.exists():
        first = start - dt.timedelta(weeks=4)
        last = start - dt.timedelta(days=1)
        decroche(env, "generate", "--from", first.isoformat(), "--to", last.isoformat())
        marker.touch()
    os.environ.update({k: env[k] for k in ("DECROCHE_DATA_DIR", "DATABASE_URL", "DEBUG")})
    os.environ["TASKS_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from decroche.accounts.models import User

    failures: list[str] = []

    def expect(ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    planner, _created = User.objects.get_or_create(
        username="panne.planif",
        defaults={"first_name": "Panne", "last_name": "Planif", "email": "panne@example.org"},
    )
    planner.groups.set([Group.objects.get(name="workforce_planner")])
    if arguments.case in {"schedule", "all"}:
        schedule_case(arguments, env, start, planner, expect)
    if arguments.case in {"import", "all"}:
        import_case(arguments, env, workdir, planner, expect)
    if failures:
        raise SystemExit(f"{len(failures)} expectation(s) failed")


def state(job) -> str:
    job.refresh_from_db()
    return f"{job.status:8} {job.progress:3} %  {job.filename or job.error or job.message}"


def schedule_case(arguments, env, start, planner, expect) -> None:
    from decroche.contract.jobs import COMMITTEE_PACK
    from decroche.jobs.models import Job
    from decroche.jobs.services import job_start
    from decroche.planning.jobs import SCHEDULE, rules_params
    from decroche.planning.models import ScheduleRun
    from decroche.planning.schedules import ShiftRules

    schedule_params = {
        "start": start.isoformat(),
        "days": 5,
        "rules": rules_params(ShiftRules(weekly_hours_min=0)),
        "site_id": None,
        "shrinkage": 0.0,
        "time_limit": arguments.time_limit,
    }
    runs_before = ScheduleRun.objects.count()
    schedule = job_start(SCHEDULE, planner, title="Horaires (panne)", **schedule_params)
    pack = job_start(
        COMMITTEE_PACK, planner, title="Dossier (panne)", kind="weekly",
        held_on=start.isoformat(), format="xlsx", generated_by="bench",
    )  # fmt: skip

    first = worker(env)
    try:
        wait_for(
            lambda: Job.objects.get(pk=schedule.pk).status == Job.Status.RUNNING,
            120,
            "the schedule job to start",
        )
        time.sleep(2)  # the optimiser is at work
    finally:
        first.kill()  # SIGKILL: no clean-up in the worker
        first.wait()
    print("worker killed during the schedule job:")
    print(f"  schedule job  {state(schedule)}")
    print(f"  pack job      {state(pack)}")
    expect(schedule.status == Job.Status.RUNNING, "the schedule job was running")
    expect(pack.status == Job.Status.QUEUED, "the pack job is still queued, not lost")
    expect(ScheduleRun.objects.count() == runs_before, "no half-written schedule run")

    decroche(env, "jobs", "--fail-interrupted")
    second = worker(env, "--batch")
    second.wait(timeout=300)
    print("after `decroche jobs --fail-interrupted` and a new worker:")
    print(f"  schedule job  {state(schedule)}")
    print(f"  pack job      {state(pack)}")
    expect(schedule.status == Job.Status.FAILED, "the interrupted job failed cleanly")
    expect(pack.status == Job.Status.DONE and bool(pack.filename), "the queued job ran once")
    expect(ScheduleRun.objects.count() == runs_before, "the killed run was not redone")

    again = job_start(SCHEDULE, planner, title="Horaires (relance)", **schedule_params)
    third = worker(env, "--batch")
    third.wait(timeout=300)
    print("the planner asks again:")
    print(f"  new job       {state(again)}")
    expect(again.status == Job.Status.DONE, "the new schedule job is done")
    expect(ScheduleRun.objects.count() == runs_before + 1, "exactly one schedule run stored")


def import_case(arguments, env, workdir: Path, user, expect) -> None:
    """The worker killed during a large web import, restarted, the file uploaded again."""
    from django.core.files import File

    from decroche.contacts.jobs import IMPORT, upload_store
    from decroche.contacts.models import Call, ImportBatch
    from decroche.contacts.services import import_batches_reap
    from decroche.jobs.models import Job
    from decroche.jobs.services import job_start

    rows = arguments.rows
    source = workdir / f"appels-panne-{rows}.csv"
    if not source.exists():
        with source.open("w", encoding="utf-8") as handle:
            handle.write("source_system,source_id,arrived_at,outcome\n")
            first = dt.datetime(2026, 1, 5, 8, 0)
            for number in range(rows):
                arrived = first + dt.timedelta(seconds=7 * number)
                handle.write(f"panne,P{number},{arrived:%Y-%m-%dT%H:%M:%S},abandoned\n")
    ours = Call.objects.filter(source_system="panne")
    before = ours.count()

    def upload_and_queue(title: str):
        with source.open("rb") as handle:
            stored = upload_store(File(handle, name=source.name))
        job = job_start(
            IMPORT, user, title=title, kind="calls", path=stored, mapping_path=None,
            file_name=source.name,
        )  # fmt: skip
        return job, Path(stored)

    killed, killed_upload = upload_and_queue("Import (panne)")
    first_worker = worker(env)
    try:
        wait_for(
            lambda: ImportBatch.objects.filter(
                file_name=source.name, status="running", rows__gt=0
            ).exists(),
            300,
            "the import to commit its first rows",
        )
    finally:
        first_worker.kill()  # SIGKILL during the import
        first_worker.wait()
    batch = ImportBatch.objects.filter(file_name=source.name).latest("pk")
    print(f"worker killed during the import of {rows} rows:")
    print(f"  import job    {state(killed)}")
    print(f"  batch         {batch.status:11} {batch.rows} rows committed")
    print(f"  calls stored  {ours.count() - before}")
    expect(killed.status == Job.Status.RUNNING, "the import job was running")
    expect(0 < ours.count() - before < rows, "the import was cut in the middle")

    decroche(env, "jobs", "--fail-interrupted")
    import_batches_reap()  # what the import pages do: a batch whose process is gone
    batch.refresh_from_db()
    print("after `decroche jobs --fail-interrupted`:")
    print(f"  import job    {state(killed)}")
    print(f"  batch         {batch.status:11} {batch.rows} rows committed")
    print(f"  stored upload {'left on disk' if killed_upload.exists() else 'deleted'}")
    expect(killed.status == Job.Status.FAILED, "the interrupted import job failed cleanly")
    expect(batch.status in {"interrupted", "failed"}, "its batch is interrupted, not running")

    again, again_upload = upload_and_queue("Import (relance)")
    second_worker = worker(env, "--batch")
    second_worker.wait(timeout=900)
    rerun = ImportBatch.objects.filter(file_name=source.name).latest("pk")
    print("the same file uploaded again:")
    print(f"  import job    {state(again)}")
    print(
        f"  batch         {rerun.status:11} rows {rerun.rows}, accepted {rerun.accepted}, "
        f"duplicates {rerun.duplicates}, rejected {rerun.rejected}"
    )
    print(f"  calls stored  {ours.count() - before}")
    expect(again.status == Job.Status.DONE, "the new import job is done")
    expect(rerun.status == "completed" and rerun.rows == rows, f"the re-run read {rows} rows")
    expect(rerun.accepted + rerun.duplicates == rows, "accepted + duplicates = rows")
    expect(ours.count() - before == rows, f"exactly {rows} calls stored: none lost or doubled")
    expect(not again_upload.exists(), "the re-run's stored upload is deleted")
    expect(not killed_upload.exists(), "the killed import's stored upload is deleted too")


if __name__ == "__main__":
    main()
