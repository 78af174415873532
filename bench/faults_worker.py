"""Fault script (issue 12, "Load and faults"): the background worker is killed during a
schedule job, then restarted; the job ends failed cleanly and nothing is lost or doubled.

    .venv/bin/python bench/faults_worker.py [--workdir /tmp/faults]

The database (SQLite unless DATABASE_URL says otherwise) holds four weeks of generated
traffic before `--start`, reused from `--workdir`. A schedule job (the optimiser runs up
to `--time-limit` s) and a committee-pack job are queued; `decroche db_worker` starts, and
is killed (SIGKILL) once the schedule job is running. Then `decroche jobs
--fail-interrupted` and a new worker: printed are the state of both jobs and the number of
schedule runs stored, after the kill, after the restart, and after the planner asks for the
schedule again. Exits non-zero when an expectation fails. Bounded: every wait times out.
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
    if not marker.exists():
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
    from decroche.contract.jobs import COMMITTEE_PACK
    from decroche.jobs.models import Job
    from decroche.jobs.services import job_start
    from decroche.planning.jobs import SCHEDULE, rules_params
    from decroche.planning.models import ScheduleRun
    from decroche.planning.schedules import ShiftRules

    planner, _created = User.objects.get_or_create(
        username="panne.planif",
        defaults={"first_name": "Panne", "last_name": "Planif", "email": "panne@example.org"},
    )
    planner.groups.set([Group.objects.get(name="workforce_planner")])
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

    def state(job) -> str:
        job.refresh_from_db()
        return f"{job.status:8} {job.progress:3} %  {job.filename or job.error or job.message}"

    failures = []

    def expect(ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

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
    if failures:
        raise SystemExit(f"{len(failures)} expectation(s) failed")


if __name__ == "__main__":
    main()
