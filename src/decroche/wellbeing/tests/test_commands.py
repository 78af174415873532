"""The commands: intake from JSON, anonymous statistics, retention (issue 14)."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from decroche.core.calendar import PARIS
from decroche.wellbeing import services
from decroche.wellbeing.models import IncidentReport


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_incident_report_from_json(tmp_path, incident_world):
    path = tmp_path / "event.json"
    path.write_text(
        json.dumps(
            {
                "occurred_at": "2026-01-12T10:15:00",
                "site": "grenoble",
                "channel": "front_desk_walk_in",
                "facts": "Insultes répétées au guichet.",
                "types": ["verbal", "suicidal_intent"],
                "severity": 2,
                "victims": [{"login": "A1001", "statement": "J'ai eu peur."}],
                "health_note": "Note de santé très confidentielle",
            }
        )
    )
    report = IncidentReport.objects.get(pk=int(run("incident_report", "--from-json", str(path))))
    assert report.occurred_at == dt.datetime(2026, 1, 12, 10, 15, tzinfo=PARIS)
    assert report.victims.get().advisor.login == "A1001"
    assert report.follow_ups.filter(kind="suicide_emergency", due_on=dt.date(2026, 1, 12)).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT health_note FROM wellbeing_incidentreport WHERE id = %s", [report.pk]
        )
        assert "confidentielle" not in cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("[1]", "one JSON object"),
        ('{"site": "grenoble"}', "missing fields: occurred_at, channel, facts, types, severity"),
        (
            '{"occurred_at": "2026-01-12T10:00", "site": "nowhere", "channel": "phone",'
            ' "facts": "x", "types": ["verbal"], "severity": 2}',
            "no site with code 'nowhere'",
        ),
        (
            '{"occurred_at": "2026-01-12T10:00", "site": "grenoble", "channel": "phone",'
            ' "facts": "x", "types": ["shouting"], "severity": 2}',
            "unknown values: shouting",
        ),
        ("{not json", "not valid JSON"),
    ],
)
def test_incident_report_clear_errors(tmp_path, incident_world, payload, message):
    path = tmp_path / "bad.json"
    path.write_text(payload)
    with pytest.raises(CommandError, match=message):
        run("incident_report", "--from-json", str(path))
    assert not IncidentReport.objects.exists()


def test_incident_stats_small_cells_and_rate(incident_world, users):
    # 6 events in Grenoble and 1 in Lyon in January 2026; the world holds 4 calls in
    # Grenoble and 2 in Lyon that month: 6 contacts in all.
    for index in range(6):
        services.report_incident(
            user=users["advisor"],
            occurred_at=dt.datetime(2026, 1, 5 + index, 9, tzinfo=PARIS),
            site=incident_world["grenoble"],
            place="phone",
            description="Insultes",
            types=["verbal"],
            severity=2,
        )
    services.report_incident(
        user=users["advisor"],
        occurred_at=dt.datetime(2026, 1, 20, 9, tzinfo=PARIS),
        site=incident_world["lyon"],
        place="front_desk_walk_in",
        description="Coup",
        types=["physical"],
        severity=4,
    )
    stats = json.loads(run("incident_stats", "--period", "2026-01", "--json"))
    assert stats["events"] == 7
    assert stats["contacts"] == 6
    # 7 × 10,000 / 6 = 11,666.67 ; Grenoble 6 × 10,000 / 4 = 15,000
    assert stats["per_10000_contacts"] == 11666.67
    assert stats["by_site"]["grenoble"] == {"events": 6, "per_10000_contacts": 15000.0}
    assert stats["by_site"]["lyon"] == {"events": None, "per_10000_contacts": None}
    assert stats["by_channel"]["phone"] == 6 and stats["by_channel"]["front_desk_walk_in"] is None
    assert stats["by_type"]["verbal"] == 6 and stats["by_type"]["physical"] is None
    assert stats["by_severity"]["2"] == 6 and stats["by_severity"]["4"] is None
    assert stats["by_hour"] == {"09h": 7}  # all at 9:00 Paris
    assert stats["by_reason"] == {"none": 7}
    assert "Insultes" not in json.dumps(stats)
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("incident_stats", "--period", "janvier")


def test_retention_anonymises_old_reports(report, users, incident_world):
    old = services.report_incident(
        user=users["advisor"],
        occurred_at=dt.datetime(2019, 3, 1, 9, tzinfo=PARIS),
        site=incident_world["grenoble"],
        place="phone",
        description="Ancien événement",
        types=["verbal"],
        severity=2,
        health_note="vieille note",
        witnesses=[{"name": "Paul", "statement": "vu"}],
    )
    assert run("incident_retention", "--dry-run") == "1 report(s) would be anonymised"
    assert IncidentReport.objects.get(pk=old.pk).description == "Ancien événement"
    assert run("incident_retention") == "1 report(s) anonymised"
    old.refresh_from_db()
    assert old.description == "" and old.health_note == "" and old.anonymised_at
    assert not old.witnesses.exists()
    report.refresh_from_db()
    assert report.description and report.anonymised_at is None
