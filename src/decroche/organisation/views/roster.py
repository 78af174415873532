"""The roster import page: upload, the diff to check, then confirm (docs/formats.md,
"Roster"). Thin views: the preview and the import are services (STYLE habit 3)."""

from __future__ import annotations

import contextlib
import pathlib
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from decroche.core.tabular.errors import ImportFileError

from .. import services
from ..forms import RosterConfirmForm, RosterUploadForm
from ..selectors import roster_sites_allowed

SESSION_KEY = "organisation.roster_upload"
FIELD_LABELS = {
    "site": _("site"),
    "team": _("team"),
    "last_name": _("last name"),
    "first_name": _("first name"),
    "email": _("e-mail"),
    "joined_on": _("joined on"),
    "left_on": _("left on"),
    "absent_from": _("absent from"),
    "absent_to": _("absent until"),
    "skills": _("skills"),
    "weekly_hours": _("weekly contracted hours"),
    "name": _("name"),
    "leader": _("team leader"),
}
ACTION_LABELS = {
    "created": pgettext_lazy("roster", "to create"),
    "changed": pgettext_lazy("roster", "to change"),
    "unchanged": pgettext_lazy("roster", "unchanged"),
    "rejected": pgettext_lazy("roster", "rejected"),
}


@permission_required("organisation.import_roster", raise_exception=True)
def roster_upload(request: HttpRequest) -> HttpResponse:
    """Upload a roster; show what it would change, writing nothing yet."""
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        staged = _stage(request, form.cleaned_data["file"], form.cleaned_data.get("mapping"))
        try:
            diff = services.roster_preview(
                path=staged["file"],
                mapping_path=staged["mapping"],
                file_name=staged["name"],
                allowed_sites=roster_sites_allowed(request.user),
            )
        except ImportFileError as error:
            _discard(request)
            form.add_error(None, str(error))
        else:
            confirm = RosterConfirmForm(
                initial={"token": staged["token"], "digest": services.roster_digest(diff)}
            )
            context = {
                "title": _("Roster: changes to confirm"),
                "diff": diff,
                "sites": _plans(diff.sites),
                "teams": _plans(diff.teams),
                "advisors": [
                    {
                        "line": o.line,
                        "login": o.login,
                        "action": o.action,
                        "action_label": ACTION_LABELS[o.action],
                        "changes": _changes(o.changes),
                        "account": o.account,
                        "reason": f"{o.field}: {o.reason}" if o.field else o.reason,
                    }
                    for o in diff.outcomes
                    if o.action != "unchanged"
                ],
                "confirm": confirm,
            }
            return render(request, "organisation/roster_preview.html", context)
    return render(
        request, "organisation/roster_upload.html", {"title": _("Import the roster"), "form": form}
    )


@permission_required("organisation.import_roster", raise_exception=True)
def roster_confirm(request: HttpRequest) -> HttpResponse:
    """Apply exactly the diff the person saw: the staged file comes from their session."""
    if request.method != "POST":
        return redirect("roster-upload")
    form = RosterConfirmForm(request.POST)
    staged = request.session.get(SESSION_KEY)
    if not form.is_valid() or not staged or form.cleaned_data["token"] != staged["token"]:
        messages.error(request, _("This preview has expired: upload the roster again."))
        return redirect("roster-upload")
    try:
        summary = services.roster_import(
            path=pathlib.Path(staged["file"]),
            mapping_path=pathlib.Path(staged["mapping"]) if staged["mapping"] else None,
            file_name=staged["name"],
            user=request.user,
            allowed_sites=roster_sites_allowed(request.user),
            expected_digest=form.cleaned_data["digest"],
        )
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("roster-upload")
    finally:
        _discard(request)
    messages.success(
        request,
        _(
            "Roster imported: %(accepted)s rows applied, %(duplicates)s unchanged, %(rejected)s rejected."
        )
        % {
            "accepted": summary.accepted,
            "duplicates": summary.duplicates,
            "rejected": summary.rejected,
        },
    )
    return redirect("roster-upload")


def _changes(changes: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(FIELD_LABELS.get(name, name), old, new) for name, (old, new) in changes.items()]


def _plans(plans) -> list[dict]:
    return [
        {
            "code": plan.code,
            "action_label": ACTION_LABELS[plan.action],
            "changes": _changes(plan.changes)
            if plan.changes
            else [
                (FIELD_LABELS.get(name, name), "", value)
                for name, value in plan.values.items()
                if value and name != "site"
            ],
        }
        for plan in plans
        if plan.action != "unchanged"
    ]


STAGING_HOURS = 24  # an unconfirmed preview's files are removed after this


def _staging_dir() -> pathlib.Path:
    """Where previews wait for their confirmation; files of abandoned previews go."""
    path = pathlib.Path(settings.MEDIA_ROOT) / "roster-staging"
    path.mkdir(parents=True, exist_ok=True)
    too_old = time.time() - STAGING_HOURS * 3600
    for staged in path.iterdir():
        with contextlib.suppress(FileNotFoundError):
            if staged.stat().st_mtime < too_old:
                staged.unlink()
    return path


def _stage(request: HttpRequest, upload: UploadedFile, mapping: UploadedFile | None) -> dict:
    """Keep the uploaded files until the person confirms; the session holds their paths,
    so a request never names a file on the server."""
    token = secrets.token_hex(16)
    staged = {"token": token, "name": upload.name[:255], "file": "", "mapping": ""}
    for key, source, suffix in (
        ("file", upload, pathlib.Path(upload.name).suffix.lower()[:10]),
        ("mapping", mapping, ".toml"),
    ):
        if source is None:
            continue
        target = _staging_dir() / f"{token}-{key}{suffix}"
        with target.open("wb") as handle:
            for chunk in source.chunks():
                handle.write(chunk)
        staged[key] = str(target)
    request.session[SESSION_KEY] = staged
    return {**staged, "mapping": pathlib.Path(staged["mapping"]) if staged["mapping"] else None}


def _discard(request: HttpRequest) -> None:
    staged = request.session.pop(SESSION_KEY, None)
    for key in ("file", "mapping"):
        if staged and staged.get(key):
            with contextlib.suppress(FileNotFoundError):
                pathlib.Path(staged[key]).unlink()
