"""Writes of the organisation app: the roster import (docs/formats.md, "Roster"; SPEC §3
resources, §6 schedules, §9 nominative accounts, leavers and long absences)."""

from __future__ import annotations

import hashlib
import json
import pathlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decroche.accounts.models import User
from decroche.accounts.services import user_identity_update, user_nominative_create
from decroche.core.imports import ImportSummary
from decroche.core.services import log_action
from decroche.core.tabular.errors import ImportFileError
from decroche.core.tabular.rejects import RejectsWriter

from .choices import AdvisorStatus
from .models import Advisor, ContactReason, Site, Team
from .roster import RosterDiff, roster_diff, roster_file_read
from .roster.result import CHANGED, CREATED, RowOutcome
from .selectors import roster_state

ADVISOR_ROLE = "advisor"  # accounts.roles: what a roster-created account may do


def roster_preview(
    *,
    path: pathlib.Path,
    mapping_path: pathlib.Path | None = None,
    file_name: str | None = None,
    allowed_sites: frozenset[str] | None = None,
    **_unused,
) -> RosterDiff:
    """What importing the roster would change, without writing anything (`--dry-run`).

    `allowed_sites` (lower-case site codes) restricts the rows a person may import to
    the sites in their scope; None means every site (the command line).
    """
    roster = roster_file_read(pathlib.Path(path), mapping_path=mapping_path, file_name=file_name)
    return roster_diff(
        roster, roster_state(), today=timezone.localdate(), allowed_sites=allowed_sites
    )


def roster_digest(diff: RosterDiff) -> str:
    """A fingerprint of a diff: the web page applies only the diff the person saw."""
    return hashlib.sha256(json.dumps(diff.as_dict(), sort_keys=True).encode()).hexdigest()


def roster_import(
    *,
    path: pathlib.Path,
    mapping_path: pathlib.Path | None = None,
    user=None,
    file_name: str | None = None,
    rejects_path: pathlib.Path | None = None,
    allowed_sites: frozenset[str] | None = None,
    expected_digest: str | None = None,
    **_unused,
) -> ImportSummary:
    """Apply a roster file in one transaction (a roster is a whole, not batches) and write
    one audit entry with counts and ids only (names and e-mails are personal data).

    Rows that change nothing count as duplicates, so importing the same file twice
    changes nothing the second time; advisors missing from the file are kept. Raises
    `ImportFileError` when the file cannot be read, or when `expected_digest` (the diff
    the person previewed) no longer matches what would be applied.
    """
    roster = roster_file_read(pathlib.Path(path), mapping_path=mapping_path, file_name=file_name)
    with transaction.atomic():
        diff = roster_diff(
            roster, roster_state(), today=timezone.localdate(), allowed_sites=allowed_sites
        )
        if expected_digest is not None and roster_digest(diff) != expected_digest:
            raise ImportFileError(
                f"{roster.name}: the roster or the stored data changed since the preview; preview it again"
            )
        written = _apply(diff)
        entry = log_action(
            "organisation.roster.imported",
            user=user,
            data={
                "file_sha256": diff.file_sha256,
                "rows": diff.rows,
                "accepted": diff.accepted,
                "rejected": diff.rejected,
                "duplicates": diff.duplicates,
                "absent_from_file": len(diff.absent),
                **written,
            },
        )
    written_rejects = None
    if diff.rejected:
        target = pathlib.Path(
            rejects_path or settings.MEDIA_ROOT / "rejects" / f"roster-{entry.pk}.csv"
        )
        writer = RejectsWriter(target)
        writer.mask_line = roster.mask_line
        for rejection in diff.rejections():
            writer.add(rejection.line, rejection.field, rejection.reason, rejection.raw)
        writer.flush()
        writer.close()
        written_rejects = str(target)
    return ImportSummary(
        batch_id=entry.pk,
        kind="roster",
        file_name=diff.file_name,
        rows=diff.rows,
        accepted=diff.accepted,
        rejected=diff.rejected,
        duplicates=diff.duplicates,
        rejects_path=written_rejects,
    )


def _apply(diff: RosterDiff) -> dict[str, list[int]]:
    """Write the diff; returns the ids of what was created or changed, for the audit."""
    sites = {site.code.lower(): site for site in Site.objects.all()}
    written: dict[str, list[int]] = {
        key: []
        for key in (
            "sites_created",
            "sites_changed",
            "teams_created",
            "teams_changed",
            "advisors_created",
            "advisors_changed",
            "accounts_created",
            "accounts_linked",
            "accounts_updated",
        )
    }
    for plan in diff.sites:
        if plan.action == CREATED:
            site = Site(code=plan.code, name=plan.values["name"])
        elif plan.action == CHANGED:
            site = sites[plan.code.lower()]
            site.name = plan.values["name"]
        else:
            continue
        site.full_clean()
        site.save()
        sites[site.code.lower()] = site
        written[f"sites_{plan.action}"].append(site.pk)
    teams = {team.code.lower(): team for team in Team.objects.all()}
    for plan in diff.teams:
        if plan.action == CREATED:
            team = Team(
                code=plan.code, name=plan.values["name"], site=sites[plan.values["site"].lower()]
            )
        elif plan.action == CHANGED and "name" in plan.changes:
            team = teams[plan.code.lower()]
            team.name = plan.values["name"]
        else:
            continue
        team.full_clean()
        team.save()
        teams[team.code.lower()] = team
        written[f"teams_{plan.action}"].append(team.pk)
    reasons = {reason.code: reason for reason in ContactReason.objects.all()}
    for outcome in diff.outcomes:
        if outcome.action in (CREATED, CHANGED):
            try:
                _advisor_write(outcome, sites, teams, reasons, written)
            except ValidationError as error:
                # The diff checks what the models check: this is a gap between the two,
                # reported on its line, and the whole roster is rolled back.
                raise ImportFileError(
                    f"{diff.file_name}: line {outcome.line}: {'; '.join(error.messages)}"
                ) from None
    for plan in diff.teams:
        if plan.action != CREATED and "leader" not in plan.changes:
            continue
        team = teams[plan.code.lower()]
        leader = plan.values.get("leader", "")
        team.leader = User.objects.get(username=leader) if leader else None
        team.save(update_fields=["leader"])
        if plan.action == CHANGED and "name" not in plan.changes:
            written["teams_changed"].append(team.pk)
    return written


def _advisor_write(
    outcome: RowOutcome, sites: dict, teams: dict, reasons: dict, written: dict[str, list[int]]
) -> None:
    row = outcome.row
    assert row is not None  # accepted outcomes carry their row
    advisor = Advisor.objects.filter(login=row.login).first() or Advisor(login=row.login)
    is_new = advisor.pk is None
    advisor.site = sites[row.site_code.lower()]
    advisor.last_name, advisor.first_name, advisor.email = row.last_name, row.first_name, row.email
    advisor.joined_on = row.joined_on
    for name in ("left_on", "absent_from", "absent_to", "weekly_hours"):
        if name in row.given:
            setattr(advisor, name, getattr(row, name))
    if "team_code" in row.given:
        advisor.team = teams[row.team_code.lower()] if row.team_code else None
    if "skills" in row.given:
        advisor.handles_phone = "phone" in row.skills
        advisor.handles_forms = "form" in row.skills
    if outcome.account == "create":
        advisor.user = user_nominative_create(
            username=row.login,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            role_code=ADVISOR_ROLE,
        )
        written["accounts_created"].append(advisor.user.pk)
    elif outcome.account == "link":
        advisor.user = User.objects.get(username=row.login)
        user_identity_update(
            user=advisor.user, email=row.email, first_name=row.first_name, last_name=row.last_name
        )
        written["accounts_linked"].append(advisor.user.pk)
    elif outcome.account == "sync" and advisor.user is not None:
        if user_identity_update(
            user=advisor.user, email=row.email, first_name=row.first_name, last_name=row.last_name
        ):
            written["accounts_updated"].append(advisor.user.pk)
    advisor.full_clean()
    advisor.save()
    if "skills" in row.given:
        by_code = {code.lower(): reason for code, reason in reasons.items()}
        advisor.skills.set(
            [by_code[skill] for skill in row.skills if skill not in ("phone", "form")]
        )
    written["advisors_created" if is_new else "advisors_changed"].append(advisor.pk)


# --- reference-data pages (issue 18 point 10) -------------------------------------------------
# Created and changed through `core.services.model_form_save`; deactivated here, never
# deleted, because contacts, indicators and schedules refer to these records.


@transaction.atomic
def site_deactivate(*, site: Site, user) -> None:
    site.is_active = False
    site.save(update_fields=["is_active"])
    log_action("organisation.site.deactivated", user=user, data={"id": site.pk, "code": site.code})


@transaction.atomic
def team_deactivate(*, team: Team, user) -> None:
    team.is_active = False
    team.save(update_fields=["is_active"])
    log_action("organisation.team.deactivated", user=user, data={"id": team.pk, "code": team.code})


@transaction.atomic
def advisor_deactivate(*, advisor: Advisor, user, on) -> None:
    """The advisor has left: status `left`, leaving date `on` unless one is recorded. Their
    account is closed by the leavers' deactivation (SPEC §9: within 3 working days)."""
    advisor.status = AdvisorStatus.LEFT
    advisor.left_on = advisor.left_on or max(on, advisor.joined_on)
    advisor.full_clean()
    advisor.save(update_fields=["status", "left_on"])
    log_action(
        "organisation.advisor.deactivated",
        user=user,
        data={"id": advisor.pk, "login": advisor.login, "left_on": advisor.left_on.isoformat()},
    )


@transaction.atomic
def contact_reason_deactivate(*, reason: ContactReason, user, on) -> None:
    """Retire a reason: its validity ends on `on` (SPEC §1: reasons have a validity range,
    past contacts keep their qualification)."""
    reason.active_to = max(on, reason.active_from)
    reason.full_clean()
    reason.save(update_fields=["active_to"])
    log_action(
        "organisation.contactreason.deactivated",
        user=user,
        data={"id": reason.pk, "code": reason.code, "active_to": reason.active_to.isoformat()},
    )
