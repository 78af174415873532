"""Writes of the target-change workflow (SPEC §5): the Cnam proposes by the 10th, the
contractor answers by the 15th, silence means accepted for the coming quarter. Accepted
changes become new indicator versions and service-level versions from the effective date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from decroche.core.services import log_action
from decroche.indicators.services import indicator_draft_create, indicator_publish

from .choices import ProposalStatus
from .deadlines import silence_means_accepted, target_change_dates
from .models import TargetChangeProposal
from .selectors import indicator_version_in_force
from .services import service_level_revise

# --- proposals ----------------------------------------------------------------


@transaction.atomic
def target_change_propose(
    *,
    notified_on: dt.date,
    indicator_code: str = "",
    new_target: str = "",
    new_formula: str = "",
    service_level_code: str = "",
    new_threshold: Decimal | None = None,
    note: str = "",
    user=None,
) -> TargetChangeProposal:
    """The Cnam proposes a new target, definition or penalty threshold; the answer deadline
    and the effective date follow from the notice date (deadlines.target_change_dates)."""
    if not (indicator_code and (new_target or new_formula)) and not (
        service_level_code and new_threshold is not None
    ):
        raise ValidationError(
            _("Propose a new target or formula for an indicator, or a new threshold.")
        )
    if indicator_code and indicator_version_in_force(indicator_code, notified_on) is None:
        raise ValidationError(_("Unknown indicator %(code)s.") % {"code": indicator_code})
    deadline, effective = target_change_dates(notified_on)
    proposal = TargetChangeProposal(
        indicator_code=indicator_code,
        new_target=new_target,
        new_formula=new_formula,
        service_level_code=service_level_code,
        new_threshold=new_threshold,
        note=note,
        notified_on=notified_on,
        answer_deadline=deadline,
        effective_from=effective,
        proposed_by=user,
    )
    proposal.full_clean()
    proposal.save()
    log_action(
        "contract.target_change.proposed",
        user=user,
        data={
            "proposal": proposal.pk,
            "indicator": indicator_code,
            "target": new_target,
            "level": service_level_code,
            "deadline": deadline.isoformat(),
            "effective_from": effective.isoformat(),
        },
    )
    return proposal


def _enact(proposal: TargetChangeProposal, user=None) -> None:
    """Publish the new indicator version and service-level version from the effective date."""
    if proposal.indicator_code and (proposal.new_target or proposal.new_formula):
        current = indicator_version_in_force(proposal.indicator_code, proposal.effective_from)
        fields = {
            name: getattr(current, name)
            for name in (
                "label",
                "category",
                "purpose",
                "formula_text",
                "formula",
                "unit",
                "target",
                "target_note",
                "pending_source",
            )
        }
        if proposal.new_target:
            fields["target"] = proposal.new_target
        if proposal.new_formula:
            fields["formula"] = proposal.new_formula
        fields["change_note"] = (proposal.note or f"Target change #{proposal.pk}")[:300]
        draft = indicator_draft_create(
            code=proposal.indicator_code, user=user, valid_from=proposal.effective_from, **fields
        )
        proposal.published_version = indicator_publish(
            draft=draft, valid_from=proposal.effective_from, user=user
        )
    if proposal.service_level_code and proposal.new_threshold is not None:
        service_level_revise(
            code=proposal.service_level_code,
            valid_from=proposal.effective_from,
            threshold=proposal.new_threshold,
            change_note=f"Target change #{proposal.pk}",
            user=user,
        )


@transaction.atomic
def target_change_answer(
    *, proposal: TargetChangeProposal, accept: bool, answered_on: dt.date, user=None
) -> TargetChangeProposal:
    """The contractor accepts or refuses by the 15th; an acceptance publishes the change."""
    proposal = TargetChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.AWAITING:
        raise ValidationError(_("This proposal has already been answered."))
    if silence_means_accepted(proposal.answer_deadline, answered_on):
        raise ValidationError(
            _("The answer was due by %(date)s: the change is accepted by silence.")
            % {"date": proposal.answer_deadline.isoformat()}
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REFUSED
    proposal.answered_on, proposal.answered_by = answered_on, user
    if accept:
        _enact(proposal, user)
    proposal.save()
    log_action(
        f"contract.target_change.{'accepted' if accept else 'refused'}",
        user=user,
        data={"proposal": proposal.pk, "on": answered_on.isoformat()},
    )
    return proposal


@transaction.atomic
def target_changes_accept_by_silence(*, today: dt.date) -> list[TargetChangeProposal]:
    """Proposals unanswered after their 15th are accepted for the coming quarter (SPEC §5:
    "silence = accepted"). Idempotent."""
    accepted = []
    for proposal in TargetChangeProposal.objects.select_for_update().filter(
        status=ProposalStatus.AWAITING, answer_deadline__lt=today
    ):
        proposal.status = ProposalStatus.ACCEPTED_BY_SILENCE
        proposal.answered_on = today
        _enact(proposal)
        proposal.save()
        log_action(
            "contract.target_change.accepted_by_silence",
            data={"proposal": proposal.pk, "effective_from": proposal.effective_from.isoformat()},
        )
        accepted.append(proposal)
    return accepted


@transaction.atomic
def target_changes_remind(*, today: dt.date) -> list[TargetChangeProposal]:
    """Record one reminder per day for each proposal still awaiting an answer."""
    reminded = []
    for proposal in TargetChangeProposal.objects.select_for_update().filter(
        status=ProposalStatus.AWAITING, answer_deadline__gte=today
    ):
        if proposal.last_reminded_on == today:
            continue
        proposal.last_reminded_on = today
        proposal.save(update_fields=["last_reminded_on"])
        log_action(
            "contract.target_change.reminded",
            data={"proposal": proposal.pk, "deadline": proposal.answer_deadline.isoformat()},
        )
        reminded.append(proposal)
    return reminded
