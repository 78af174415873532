"""The demo's co-signed certification (synthetic/certification.py; issue 15 §4–5)."""

from __future__ import annotations

import pytest

from decroche.practice import selectors
from decroche.practice.models import Assessment, EvidenceRecord
from decroche.synthetic.certification import demo_certification_ensure

pytestmark = pytest.mark.django_db


def test_demo_certification_is_cosigned_and_made_once(users):
    people = {
        "candidate": users["advisor"],
        "evaluator_a": users["evaluator"],
        "evaluator_b": users["trainer"],
        "jury": users["certification_jury"],
    }
    assert demo_certification_ensure(**people) == 1
    assessment = Assessment.objects.get()
    assert assessment.status == "signed"
    # Every criterion at 2 or more (1.2.a agreed at 2, 2.1.b decided at 3): blocks 1, 2, 3
    # and 5 have a criterion at 2, so their minimum is 2 ("Acquis"); block 4 has only 4.1.a,
    # at 3 for both ("Maîtrisé"). Every block ≥ 2: the certification is acquired.
    assert [block["level"] for block in assessment.final["blocks"]] == [2, 2, 2, 3, 2]
    assert assessment.final["acquired"] is True
    assert EvidenceRecord.objects.filter(assessment=assessment).count() == 3
    pair = selectors.agreement_report(assessment.framework)["pairs"][
        tuple(sorted((users["evaluator"].username, users["trainer"].username)))
    ]
    # 11 criteria, 9 equal: p_o = 9/11. A: 8×2, 3×3; B: 1×1, 8×2, 2×3.
    # p_e = (8·8 + 3·2)/121 = 70/121; κ = (99/121 − 70/121)/(51/121) = 29/51.
    assert pair["exact"] == pytest.approx(9 / 11) and pair["kappa"] == pytest.approx(29 / 51)
    assert demo_certification_ensure(**people) == 0  # idempotent
    assert Assessment.objects.count() == 1
