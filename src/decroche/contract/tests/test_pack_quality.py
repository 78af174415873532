"""The committee packs' quality section (SPEC §6, §7; SPEC §4 perceived against produced
quality): scores and commitments, calibration gaps (never a blind session), disputes,
feedback and coaching, and the satisfaction–evaluation gap per reason and per advisor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from decroche.contacts.models import SurveyResponse
from decroche.contract.choices import CommitteeKind
from decroche.contract.committees import PARIS
from decroche.contract.pack_exports import pack_pdf
from decroche.contract.packs import committee_pack
from decroche.core.exports import cell_text
from decroche.core.tests.pdf_text import pdf_pages
from decroche.organisation.models import ContactReason
from decroche.quality.choices import CoachingKind, EvaluatedObject, GridStatus
from decroche.quality.models import (
    CalibrationSession,
    CoachingSession,
    Dispute,
    Evaluation,
    GridVersion,
)

MARCH = dt.date(2026, 3, 10)


def evaluation(advisor, user, total, reason):
    version = GridVersion.objects.filter(
        status=GridStatus.PUBLISHED, grid__evaluated_object=EvaluatedObject.CALL
    ).first()
    return Evaluation.objects.create(
        grid_version=version,
        evaluator=user,
        evaluator_party="contractor",
        advisor=advisor,
        evaluated_object=EvaluatedObject.CALL,
        contact_day=MARCH,
        reason=reason,
        origin="sampling",
        status="submitted",
        total=D(total),
    )


@pytest.fixture
def march(world, users):
    """Inès: evaluations 90 and 80 (mean 85), surveys 5, 4, 2, 1 (2 of 4 satisfied: 50 %);
    Léa: one evaluation 70, no survey. A dispute raised and changed, another open; a feedback
    session and a coaching still open; a calibration still scored blind."""
    analyst = users["quality_analyst"]
    reason = ContactReason.objects.create(code="droits", label="Droits", family="phone")
    first = evaluation(world["ines"], analyst, "90", reason)
    evaluation(world["ines"], analyst, "80", reason)
    evaluation(world["lea"], analyst, "70", None)
    for index, csat in enumerate((5, 4, 2, 1)):
        SurveyResponse.objects.create(
            source_system="t",
            source_id=str(index),
            contact_id=str(index),
            channel="phone",
            answered_at=dt.datetime.combine(MARCH, dt.time(11), tzinfo=PARIS),
            csat=csat,
            advisor=world["ines"],
            reason=reason,
        )
    at = dt.datetime.combine(MARCH, dt.time(12), tzinfo=PARIS)
    Dispute.objects.create(
        evaluation=first,
        reason="r",
        raised_by=users["advisor"],
        raised_at=at,
        status="changed",
        decided_at=at + dt.timedelta(days=2),
    )
    Dispute.objects.create(evaluation=first, reason="r", raised_by=users["advisor"], raised_at=at)
    for kind in (CoachingKind.FEEDBACK, CoachingKind.COACHING):
        CoachingSession.objects.create(
            advisor=world["ines"], coach=analyst, kind=kind, held_on=MARCH
        )
    CalibrationSession.objects.create(
        held_on=MARCH, grid_version=first.grid_version, title="Calibrage à l'aveugle"
    )
    return world


def section(pack, title):
    return next(s for s in pack.sections if s.title == title)


@pytest.mark.django_db
def test_monthly_pack_quality_section(march):
    pack = committee_pack(kind=CommitteeKind.MONTHLY, held_on=dt.date(2026, 4, 6))
    titles = [s.title for s in pack.sections]
    assert "Qualité" in titles
    scores = {row[0]: cell_text(row[1]) for row in section(pack, "Qualité").rows}
    # 3 evaluations for 2 advisors committed in March: 1,5 per advisor
    assert scores["Évaluations par conseiller et par mois"] == "1,5"
    calibrations = section(pack, "Qualité : écarts de calibrage Cnam–Titulaire")
    assert calibrations.rows == []  # the blind one is not shown
    follow = dict(section(pack, "Qualité : contestations, restitutions et coachings").rows)
    assert follow["Contestations déposées"] == 2
    assert follow["Contestations tranchées : note modifiée"] == 1
    assert follow["Contestations en cours en fin de période"] == 1
    assert follow["Coachings en cours en fin de période"] == 1
    per_advisor = section(pack, "Qualité perçue et qualité produite, par conseiller")
    rows = {row[0]: row for row in per_advisor.rows}
    # Inès: 85 − 50 % satisfied = 35.0 points; Léa: no survey, no gap
    assert rows["Inès Martin"][1:2] + rows["Inès Martin"][3:] == [4, 2, 85.0, 35.0]
    assert cell_text(rows["Inès Martin"][2]).replace("\xa0", " ") == "50,0 %"
    assert rows["Léa Roux"][3:] == [1, 70.0, None]
    per_reason = {
        r[0]: r for r in section(pack, "Qualité perçue et qualité produite, par motif").rows
    }
    assert per_reason["Droits"][4:] == [85.0, 35.0]
    pages = "\n".join(pdf_pages(pack_pdf(pack)))
    assert "Qualité perçue et qualité produite, par conseiller" in pages


@pytest.mark.django_db
def test_without_satisfaction_data_the_pack_says_so(march):
    SurveyResponse.objects.all().delete()
    pack = committee_pack(kind=CommitteeKind.WEEKLY, held_on=dt.date(2026, 3, 16))
    per_reason = section(pack, "Qualité perçue et qualité produite, par motif")
    assert per_reason.note.startswith("Aucune donnée de satisfaction sur la période")
    # Léa's evaluation has no reason: "Droits" alone, its 85 and no survey, so no gap
    assert [r[1:] for r in per_reason.rows] == [[0, per_reason.rows[0][2], 2, 85.0, None]]
