"""Demo certification (issue 15 §4–5): the demo advisor assessed by the demo evaluator and
the demo trainer, the jury having assigned them; evidence (an observed call, a role-play
run, a file), blind grids that differ on two criteria, one agreement and one justified
decision, then the co-signature. Deterministic: fixed levels, no random draw."""

from __future__ import annotations

from decroche.accounts.models import User
from decroche.practice import selectors, services
from decroche.practice.models import Assessment, Criterion, Scenario

# Criterion code -> (first evaluator's level, second evaluator's level); others: 2 and 2.
DIFFERENT = {"1.2.a": (2, 1), "2.1.b": (3, 2)}
HIGHER = {"1.2.b": 3, "4.1.a": 3}  # levels both evaluators gave above "Acquis"
COMMENTS = {
    "1": "Observation de 4 appels dont une mise en situation difficile ; entretien de 15 minutes.",
    "2": "6 dossiers traités, dont une anomalie et une suspicion de fraude repérées.",
}


def demo_certification_ensure(
    *, candidate: User, evaluator_a: User, evaluator_b: User, jury: User
) -> int:
    """Create the demo's co-signed assessment; returns 1, or 0 when the candidate has one."""
    if Assessment.objects.filter(candidate=candidate).exists():
        return 0
    framework = selectors.framework_current()
    criteria = {c.code: c for c in Criterion.objects.filter(competency__block__framework=framework)}
    assessment = services.assessment_create(
        candidate=candidate,
        framework=framework,
        evaluator_a=evaluator_a,
        evaluator_b=evaluator_b,
        user=jury,
    )
    scenario = Scenario.objects.get(slug="agressivite-gratuite-carte")
    run = services.run_start(user=candidate, scenario=scenario)
    run = services.run_choose(run=services.run_choose(run=run, index=0), index=0)
    services.evidence_record(
        assessment=assessment,
        user=evaluator_a,
        criterion=criteria["1.2.a"],
        kind="interaction",
        reference="Appel observé, carte Vitale illisible",
        note="Garde le cadre face à un assuré agressif, reformule sa demande.",
    )
    services.evidence_record(
        assessment=assessment,
        user=evaluator_b,
        criterion=criteria["1.2.b"],
        kind="role_play",
        run=run,
        note="Nomme l'émotion et explique l'étape suivante.",
    )
    services.evidence_record(
        assessment=assessment,
        user=evaluator_b,
        criterion=criteria["2.1.b"],
        kind="file",
        reference="Dossier de délégation n° 2026-0412",
        note="Suspicion de fraude repérée et signalée.",
    )
    for index, evaluator in enumerate((evaluator_a, evaluator_b)):
        levels = {
            c.pk: DIFFERENT[code][index] if code in DIFFERENT else HIGHER.get(code, 2)
            for code, c in criteria.items()
        }
        services.grid_fill(
            assessment=assessment, evaluator=evaluator, levels=levels, comments=COMMENTS
        )
        services.grid_submit(assessment=assessment, evaluator=evaluator)
    services.criterion_reconcile(
        assessment=assessment,
        criterion=criteria["1.2.a"],
        user=evaluator_a,
        outcome="agreed",
        level=2,
    )
    services.criterion_reconcile(
        assessment=assessment,
        criterion=criteria["2.1.b"],
        user=evaluator_b,
        outcome="decided",
        level=3,
        justification="La fraude a été repérée sans aide : niveau maîtrisé retenu.",
    )
    for evaluator in (evaluator_a, evaluator_b):
        services.assessment_sign(assessment=assessment, evaluator=evaluator)
    return 1
