"""The quality plan's commitments in the indicator catalogue (SPEC §7): evaluations and
feedback sessions per advisor per month, against the commitment in force, at every grain,
through `decroche report`."""

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from decroche.contacts.factories import WORLD_DAY
from decroche.organisation.models import Advisor
from decroche.quality.choices import (
    CoachingKind,
    EvaluatedObject,
    EvaluationOrigin,
    EvaluationStatus,
    GridStatus,
)
from decroche.quality.models import CoachingSession, Evaluation, GridVersion, QualityCommitment

CODES = (
    "evaluations_per_advisor,evaluations_commitment_rate,"
    "feedback_per_advisor,feedback_commitment_rate"
)


def evaluate(advisor, user, *, origin=EvaluationOrigin.SAMPLING, status="submitted", day=None):
    version = GridVersion.objects.filter(
        status=GridStatus.PUBLISHED, grid__evaluated_object=EvaluatedObject.CALL
    ).first()
    return Evaluation.objects.create(
        grid_version=version,
        evaluator=user,
        evaluator_party="contractor",
        advisor=advisor,
        evaluated_object=EvaluatedObject.CALL,
        contact_day=day or WORLD_DAY,
        origin=origin,
        status=status,
        total=D("90"),
    )


@pytest.fixture
def january(world, users):
    """January 2026: commitment 4 evaluations and 1 feedback session per advisor.
    Inès (Grenoble, g1): 3 evaluations counted (+ a calibration score and a superseded one,
    which do not count), a feedback session and a coaching. Léa (Lyon, l1): 1 evaluation,
    no session. Paul left in December: not committed in January."""
    analyst = users["quality_analyst"]
    QualityCommitment.objects.create(
        valid_from=dt.date(2026, 1, 1), evaluations_per_month=4, feedback_per_month=1
    )
    Advisor.objects.create(
        login="C3001",
        first_name="Paul",
        last_name="Petit",
        site=world["grenoble"],
        team=world["g1"],
        joined_on=dt.date(2025, 1, 6),
        left_on=dt.date(2025, 12, 31),
    )
    for _ in range(3):
        evaluate(world["ines"], analyst)
    evaluate(world["ines"], analyst, origin=EvaluationOrigin.CALIBRATION)
    evaluate(world["ines"], analyst, status=EvaluationStatus.SUPERSEDED)
    evaluate(world["ines"], analyst, day=dt.date(2026, 2, 2))  # February: another month
    evaluate(world["lea"], analyst, origin=EvaluationOrigin.AD_HOC)
    for kind in (CoachingKind.FEEDBACK, CoachingKind.COACHING):
        CoachingSession.objects.create(
            advisor=world["ines"], coach=analyst, kind=kind, held_on=WORLD_DAY
        )
    return world


def report(*by: str) -> list[dict]:
    out = StringIO()
    args = ["--period", "2026-01", "--indicators", CODES, "--json"]
    if by:
        args += ["--by", ",".join(by)]
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def values(rows, key=None):
    return {
        (r["indicator"], r.get(key) if key else None): (r["value"], r["status"])
        for r in rows
        if (key is None and not {"site", "team", "advisor", "reason"} & set(r))
        or (key is not None and key in r)
    }


@pytest.mark.django_db
def test_commitment_indicators_overall_and_per_site_team_advisor(january):
    rows = report("site", "team", "advisor", "reason")
    overall = values(rows)
    # 3 + 1 = 4 evaluations for 2 advisors committed (Paul left): 2 per advisor;
    # 4 / (2 × 4 committed) = 0.5, missed. Sessions: 2 / 2 = 1 per advisor; 2 / (2 × 1) = 1, met.
    assert overall[("evaluations_per_advisor", None)] == (2.0, "no_target")
    assert overall[("evaluations_commitment_rate", None)] == (0.5, "missed")
    assert overall[("feedback_per_advisor", None)] == (1.0, "no_target")
    assert overall[("feedback_commitment_rate", None)] == (1.0, "met")
    for key, north, south in (("site", "grenoble", "lyon"), ("team", "g1", "l1")):
        split = values(rows, key)
        # Grenoble / g1: Inès alone, 3 / 4 = 0.75 and 2 sessions / 1 = 2; Lyon: 1 / 4, 0 / 1
        assert split[("evaluations_commitment_rate", north)] == (0.75, "missed")
        assert split[("feedback_commitment_rate", north)] == (2.0, "met")
        assert split[("evaluations_commitment_rate", south)] == (0.25, "missed")
        assert split[("feedback_commitment_rate", south)] == (0.0, "missed")
    advisors = values(rows, "advisor")
    assert advisors[("evaluations_per_advisor", "A1001")] == (3.0, "no_target")
    assert advisors[("feedback_per_advisor", "B2001")] == (0.0, "no_target")
    assert not any(advisor == "C3001" for _indicator, advisor in advisors)
    # The commitment is per advisor: no value per reason.
    reasons = values(rows, "reason")
    assert all(status == "no_data" for _value, status in reasons.values())


@pytest.mark.django_db
def test_the_commitment_in_force_each_month(january):
    """From February the commitment drops to 2 evaluations: Inès's one February evaluation
    over 2 advisors × 2 = 0.25; January keeps 4 per advisor (4 / 8 = 0.5)."""
    QualityCommitment.objects.create(
        valid_from=dt.date(2026, 2, 1), evaluations_per_month=2, feedback_per_month=1
    )
    out = StringIO()
    call_command(
        "report",
        "--period",
        "2026-01-01..2026-02-28",
        "--grain",
        "month",
        "--indicators",
        "evaluations_commitment_rate",
        "--json",
        stdout=out,
    )
    rows = json.loads(out.getvalue())
    assert [(r["period_start"], r["numerator"], r["denominator"]) for r in rows] == [
        ("2026-01-01", 4, 8),
        ("2026-02-01", 1, 4),
    ]
