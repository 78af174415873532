"""Imports and personal data (issue 17.12, 17.15) and the results page (issue 18.6):
masked private rejects downloaded by the importer or the CSO only, audited, purged after
30 days; import history scoped by site and team; French counts by reason on the page."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from decroche.contacts.models import ImportBatch
from decroche.contacts.services import contacts_import, rejects_purge
from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor, Site, Team

pytestmark = pytest.mark.django_db
HEADER = "source_system,source_id,arrived_at,answered_at,ended_at,outcome,caller,advisor"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def two_sites(site, advisor, make_user):
    """Grenoble (advisor A1001, team led by `grenoble_leader`) and Lyon (advisor L2001,
    team led by `lyon_leader`)."""
    lyon = Site.objects.create(code="lyon", name="Lyon")
    grenoble_leader = make_user("team_leader", username="leader.grenoble")
    lyon_leader = make_user("team_leader", username="leader.lyon")
    team = Team.objects.create(site=site, code="gre-a", name="Grenoble A", leader=grenoble_leader)
    advisor.team = team
    advisor.save()
    lyon_team = Team.objects.create(site=lyon, code="lyo-a", name="Lyon A", leader=lyon_leader)
    Advisor.objects.create(
        login="L2001",
        first_name="Hugo",
        last_name="Durand",
        site=lyon,
        team=lyon_team,
        joined_on=dt.date(2025, 1, 6),
    )
    return grenoble_leader, lyon_leader


def _calls(tmp_path: Path, name: str, login: str, *bad: str) -> Path:
    good = f"odigo,{name}-1,2026-03-02T09:00:00,2026-03-02T09:01:00,2026-03-02T09:05:00,answered,0612345678,{login}"
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join((HEADER, good, *bad)) + "\n", encoding="utf-8")
    return path


BAD_ROW = "odigo,{n},pas une date,,,abandoned,06 98 76 54 32,A1001"


def test_rejects_are_masked_private_and_capped(tmp_path, two_sites):
    leader, _other = two_sites
    path = _calls(tmp_path, "gre", "A1001", BAD_ROW.format(n=2))
    summary = contacts_import(kind="calls", path=path, user=leader)
    rejects = Path(summary.rejects_path)
    assert stat.S_IMODE(os.stat(rejects).st_mode) == 0o600
    assert rejects.is_relative_to(tmp_path / "media")
    with rejects.open(encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    # The caller column is masked whole; the rest of the line is kept to fix the file.
    assert row["raw"] == "odigo,2,pas une date,,,abandoned,***,A1001"
    assert "98 76" not in rejects.read_text()


def test_rejects_download_is_audited_and_refused_to_a_planner(client, tmp_path, two_sites, users):
    leader, _other = two_sites
    summary = contacts_import(
        kind="calls", path=_calls(tmp_path, "gre", "A1001", BAD_ROW.format(n=2)), user=leader
    )
    url = reverse("import-rejects", args=[summary.batch_id])
    client.force_login(users["workforce_planner"])
    assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="contacts.import.rejects_downloaded").exists()
    client.force_login(leader)
    assert client.get(url).status_code == 200
    client.force_login(users["security_officer"])
    assert client.get(url).status_code == 200
    entries = AuditEntry.objects.filter(action="contacts.import.rejects_downloaded")
    assert [entry.username for entry in entries.order_by("pk")] == [
        "leader.grenoble",
        users["security_officer"].username,
    ]
    assert entries.first().data["batch_id"] == summary.batch_id


def test_import_history_is_scoped_by_site_and_team(client, tmp_path, two_sites, users):
    grenoble_leader, lyon_leader = two_sites
    planner = users["workforce_planner"]
    gre = contacts_import(
        kind="calls", path=_calls(tmp_path, "gre", "A1001"), user=planner, file_name="gre.csv"
    )
    lyo = contacts_import(
        kind="calls",
        path=_calls(tmp_path, "lyo", "L2001", BAD_ROW.format(n=3)),
        user=planner,
        file_name="lyon-secret.csv",
    )
    client.force_login(grenoble_leader)
    html = client.get(reverse("import-list")).content.decode()
    assert "gre.csv" in html and "lyon-secret.csv" not in html
    assert client.get(reverse("import-detail", args=[gre.batch_id])).status_code == 200
    # Not allowed: another site's import, its file name and its rejects.
    assert client.get(reverse("import-detail", args=[lyo.batch_id])).status_code == 404
    assert client.get(reverse("import-rejects", args=[lyo.batch_id])).status_code == 404
    client.force_login(lyon_leader)
    html = client.get(reverse("import-list")).content.decode()
    assert "lyon-secret.csv" in html and "gre.csv" not in html
    client.force_login(planner)  # sees every site
    html = client.get(reverse("import-list")).content.decode()
    assert "gre.csv" in html and "lyon-secret.csv" in html


def test_a_team_leader_sees_the_imports_they_ran_even_when_everything_was_rejected(
    client, tmp_path, two_sites
):
    leader, other = two_sites
    summary = contacts_import(
        kind="calls",
        path=_calls(tmp_path, "bad", "nobody", BAD_ROW.format(n=2)),
        user=leader,
        file_name="tout-faux.csv",
    )
    client.force_login(leader)
    assert client.get(reverse("import-detail", args=[summary.batch_id])).status_code == 200
    client.force_login(other)
    assert client.get(reverse("import-detail", args=[summary.batch_id])).status_code == 404


def test_rejects_files_are_purged_after_30_days(tmp_path, two_sites):
    leader, _other = two_sites
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        old = contacts_import(
            kind="calls", path=_calls(tmp_path, "old", "A1001", BAD_ROW.format(n=2)), user=leader
        )
        os.utime(old.rejects_path, (timezone.now().timestamp(),) * 2)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        recent = contacts_import(
            kind="calls", path=_calls(tmp_path, "new", "A1001", BAD_ROW.format(n=2)), user=leader
        )
        os.utime(recent.rejects_path, (timezone.now().timestamp(),) * 2)
    # 2026-04-02 is 31 days after 2026-03-02 and 13 days after 2026-03-20.
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        call_command("purge_rejects")
        assert rejects_purge() == 0  # idempotent
    assert not Path(old.rejects_path).exists() and Path(recent.rejects_path).exists()
    batch = ImportBatch.objects.get(pk=old.batch_id)
    assert batch.rejects_path == "" and batch.rejections["by_reason"]  # counts kept
    assert AuditEntry.objects.filter(action="contacts.rejects.purged").first().data["files"] == 1


def test_results_page_shows_french_reasons_masked_lines_and_a_warning(client, tmp_path, two_sites):
    leader, _other = two_sites
    summary = contacts_import(
        kind="calls",
        path=_calls(tmp_path, "gre", "A1001", BAD_ROW.format(n=2), "odigo,3,,,,abandoned,,"),
        user=leader,
    )
    client.force_login(leader)
    html = client.get(reverse("import-detail", args=[summary.batch_id])).content.decode()
    # 2 rejected of 3: most rows, the error style.
    assert "fr-alert--error" in html
    assert "pas une date et heure ISO 8601" in html  # the reason in French
    assert "valeur manquante" in html
    assert "odigo,2,pas une date,,,abandoned,***,A1001" in html  # the first lines, masked
    assert "06 98 76 54 32" not in html


def test_results_page_uses_the_warning_style_when_a_few_rows_are_rejected(
    client, tmp_path, two_sites
):
    leader, _other = two_sites
    rows = [f"odigo,ok{n},2026-03-02T09:00:00,,2026-03-02T09:01:00,abandoned,," for n in range(3)]
    summary = contacts_import(
        kind="calls", path=_calls(tmp_path, "gre", "A1001", *rows, BAD_ROW.format(n=9)), user=leader
    )
    client.force_login(leader)
    response = client.get(reverse("import-detail", args=[summary.batch_id]))
    html = response.content.decode()
    # 1 rejected of 5: a warning, not an error.
    assert "fr-alert--warning" in html and "fr-alert--error" not in html
    assert "1 ligne sur 5 a été rejetée" in html
