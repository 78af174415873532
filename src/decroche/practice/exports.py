"""Exports of the certification (issue 15 §5), through the project's one export mechanism
(core.exports sections, core.documents): the candidate's file (PDF) — grids of both
evaluators, reconciled levels and decisions, comments under each table, evidence records
and the frozen result, only for a co-signed assessment so no provisional grid can leak
through it — and the inter-rater agreement report (page and XLSX), computed from
assessments whose two grids are submitted only."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.documents import Document, document_pdf
from decroche.core.exports import DECIMAL_FORMAT, PERCENT_FORMAT, Cell, Section, sections_to_xlsx
from decroche.core.formatting import EMPTY

from .choices import AssessmentStatus
from .models import Assessment, Criterion, EvidenceRecord, Framework


def _name(user) -> str:
    return user.get_full_name() or user.username


def candidate_file_pdf(assessment: Assessment, *, generated_by: str) -> bytes:
    if assessment.status != AssessmentStatus.SIGNED:
        raise PermissionError("the candidate's file exists once the result is co-signed")
    framework = assessment.framework
    levels = framework.levels
    grids = {grid.evaluator_id: grid for grid in assessment.grids.all()}
    grid_a, grid_b = grids[assessment.evaluator_a_id], grids[assessment.evaluator_b_id]
    first = dict(grid_a.scores.values_list("criterion_id", "level"))
    second = dict(grid_b.scores.values_list("criterion_id", "level"))
    final = {int(pk): level for pk, level in assessment.final["criteria"].items()}
    decisions = {d.criterion_id: d for d in assessment.decisions.order_by("decided_at", "pk")}
    block_levels = {b["number"]: b["level"] for b in assessment.final["blocks"]}
    sections = []
    for block in framework.blocks.prefetch_related("competencies__criteria"):
        rows = []
        for competency in block.competencies.all():
            for criterion in competency.criteria.all():
                decision = decisions.get(criterion.pk)
                rows.append(
                    [
                        f"{criterion.code} {criterion.label}",
                        levels[first[criterion.pk]],
                        levels[second[criterion.pk]],
                        levels[final[criterion.pk]],
                        f"{decision.get_outcome_display()} : {decision.justification}"
                        if decision
                        else "",
                    ]
                )
        comments = [
            f"{_name(grid.evaluator)} : {grid.comments.get(str(block.number), '')}"
            for grid in (grid_a, grid_b)
            if grid.comments.get(str(block.number))
        ]
        sections.append(
            Section(
                title=f"{block.number}. {block.title} — {levels[block_levels[block.number]]}",
                headers=[
                    _("Criterion"),
                    _name(grid_a.evaluator),
                    _name(grid_b.evaluator),
                    _("Result"),
                    _("Reconciliation"),
                ],
                rows=rows,
                note=" / ".join([block.modality, *comments]),
            )
        )
    evidence = EvidenceRecord.objects.filter(
        candidate=assessment.candidate, criterion__competency__block__framework=framework
    ).select_related("criterion")
    sections.append(
        Section(
            title=_("Evidence"),
            headers=[_("Criterion"), _("Kind"), _("Reference"), _("Note")],
            rows=[[e.criterion.code, e.get_kind_display(), e.reference, e.note] for e in evidence],
        )
    )
    verdict = (
        _("Certification acquired")
        if assessment.final["acquired"]
        else _("Certification not acquired")
    )
    document = Document(
        title=f"{_('Candidate file')} — {_name(assessment.candidate)} — {verdict}",
        contract=f"{framework.title} (v{framework.version})",
        parties=f"{_name(assessment.evaluator_a)}, {_name(assessment.evaluator_b)}",
        period=timezone.localtime(assessment.signed_b_at or timezone.now()).strftime("%d/%m/%Y"),
        generated_at=timezone.localtime(timezone.now()),
        generated_by=generated_by,
        sections=sections,
        signatories=[_name(assessment.evaluator_a), _name(assessment.evaluator_b)],
        empty_text=_("None."),
    )
    return document_pdf(document)


def _share(value: float | None) -> Cell:
    return Cell(value, PERCENT_FORMAT, "" if value is not None else EMPTY)


def _kappa(value: float | None) -> Cell:
    # κ is undefined when chance agreement is 1 (both always gave one and the same level).
    return Cell(value, DECIMAL_FORMAT, "" if value is not None else EMPTY)


def agreement_sections(framework: Framework, report: dict) -> list[Section]:
    """The agreement report (selectors.agreement_report) as two tables: per criterion
    and per evaluator pair, each with the number of compared levels, the share of exact
    agreement and Cohen's kappa."""
    labels = dict(
        Criterion.objects.filter(competency__block__framework=framework).values_list(
            "code", "label"
        )
    )
    note = _(
        "Only assessments whose two grids are submitted count. Cohen's kappa: "
        "(observed agreement − agreement expected by chance) / (1 − agreement expected by "
        "chance); — when undefined (both evaluators always gave the same level)."
    )
    heading = [f"{_('Inter-rater agreement')} — {framework.title} (v{framework.version})"]
    per_criterion = Section(
        title=_("Per criterion"),
        heading=heading,
        headers=[
            _("Criterion"),
            _("Observable criterion"),
            _("Levels compared"),
            _("Exact agreement"),
            _("Cohen's kappa"),
        ],
        rows=[
            [code, labels.get(code, ""), row["n"], _share(row["exact"]), _kappa(row["kappa"])]
            for code, row in report["criteria"].items()
        ],
        note=note,
        widths=[10, 60, 14, 16, 14],
    )
    per_pair = Section(
        title=_("Per evaluator pair"),
        heading=heading,
        headers=[
            _("First evaluator"),
            _("Second evaluator"),
            _("Levels compared"),
            _("Exact agreement"),
            _("Cohen's kappa"),
        ],
        rows=[
            [first, second, row["n"], _share(row["exact"]), _kappa(row["kappa"])]
            for (first, second), row in report["pairs"].items()
        ],
        note=note,
        widths=[24, 24, 14, 16, 14],
    )
    return [per_criterion, per_pair]


def agreement_xlsx(framework: Framework, report: dict) -> bytes:
    return sections_to_xlsx(agreement_sections(framework, report))
