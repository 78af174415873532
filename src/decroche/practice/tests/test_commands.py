"""`decroche scenario import|play` (issue 15, "Interface the checks use")."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from decroche.core.models import AuditEntry
from decroche.practice.models import Scenario

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _run(*args) -> str:
    out = StringIO()
    call_command("scenario", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_shipped_scenarios_loaded_after_migrate():
    assert Scenario.objects.filter(slug__isnull=False).count() >= 6


@pytest.mark.django_db
def test_import_twee_prints_id_and_json():
    plain = _run("import", str(EXAMPLES / "espace-sante.twee"))
    assert Scenario.objects.filter(pk=int(plain)).exists()
    data = json.loads(_run("import", str(EXAMPLES / "espace-sante.twee"), "--json"))
    assert data["title"] == "Clôture de Mon espace santé (Twee)"
    assert data["nodes"][0] == "Accueil"
    assert data["endings"] == {
        "Fin resolue": "resolved",
        "Fin faute": "resolved",
        "Fin manager": "manager",
    }
    assert Scenario.objects.get(pk=data["id"]).source_format == "twee"
    assert AuditEntry.objects.filter(action="practice.scenario.imported").count() >= 2


@pytest.mark.django_db
def test_import_ink_and_play_json():
    scenario_id = json.loads(_run("import", str(EXAMPLES / "carte-illisible.ink.json"), "--json"))[
        "id"
    ]
    output = json.loads(_run("play", str(scenario_id), "--choices", "2,1", "--json"))
    assert output["ending"] == "procedure"
    assert output["path"] == ["accueil", "escalade", "fin_procedure"]
    assert output["criteria"][0]["code"] == "distanced_engagement"
    assert output["criteria"][0]["score"] == -2
    assert "Calmez-vous" in output["criteria"][0]["evidence"]
    assert output["passed"] is False  # ending "procedure" not accepted by the story


@pytest.mark.django_db
def test_broken_file_exits_non_zero_naming_node(tmp_path):
    broken = tmp_path / "broken.json"
    data = json.loads(
        (EXAMPLES.parent / "scenarios" / "agressivite-gratuite-carte.json").read_text()
    )
    data["nodes"]["accueil"]["choices"][2]["target"] = "fin"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"nodes.accueil.choices\[2\].target: unknown node 'fin'"
    ):
        _run("import", str(broken))


@pytest.mark.django_db
def test_play_refuses_an_impossible_choice():
    scenario = Scenario.objects.get(slug="agressivite-gratuite-carte")
    with pytest.raises(CommandError, match="no choice 9"):
        _run("play", str(scenario.pk), "--choices", "9")
