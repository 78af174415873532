"""Reference-data pages: sites, teams, advisors and contact reasons (issue 18 point 10;
SPEC §1, §3, §9). Everyone holding a role's `view_*` permission reads the records of
their scope (organisation.selectors: every site for planners, quality analysts, trainers,
the CSO and auditors; their own sites for site managers; their teams for team leaders);
changes need the `change_*` permission and fall within `*_editable_by` (planners every
site, site managers the sites they manage). Writes go through the services, audited."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from decroche.core.pages import Column, RecordPages, field
from decroche.core.services import model_form_save

from .. import services
from ..choices import AdvisorStatus
from ..forms import (
    AdvisorFilterForm,
    AdvisorForm,
    ClosureFilterForm,
    ContactReasonFilterForm,
    ContactReasonForm,
    ExceptionalClosureForm,
    OpeningHoursForm,
    SiteFilterForm,
    SiteForm,
    TeamFilterForm,
    TeamForm,
)
from ..models import ContactReason, ExceptionalClosure, OpeningHours
from ..selectors import (
    advisors_editable_by,
    advisors_visible_to,
    sites_editable_by,
    sites_visible_to,
    teams_editable_by,
    teams_visible_to,
)


def _active_filter(records, data, *, flag: str = "is_active"):
    if data.get("active") == "yes":
        return records.filter(**{flag: True})
    if data.get("active") == "no":
        return records.filter(**{flag: False})
    return records


def _names(related) -> str:
    return ", ".join(str(item) for item in related.all()) or "—"


class SitePages(RecordPages):
    url_prefix = "organisation-site"
    title = _("Sites")
    add_label = _("Add a site")
    view_permission = "organisation.view_site"
    add_permission = "organisation.add_site"
    change_permission = "organisation.change_site"
    form_class = SiteForm
    filter_form_class = SiteFilterForm
    search_fields = ("name", "code", "city")
    columns = (
        Column(_("Name"), field("name")),
        Column(_("Code"), field("code")),
        Column(_("City"), field("city")),
    )
    detail_lines = columns + (
        Column(_("Site managers"), lambda site: _names(site.managers)),
        Column(_("Teams"), lambda site: _names(site.teams.filter(is_active=True))),
        Column(
            _("Advisors"), lambda site: site.advisors.exclude(status=AdvisorStatus.LEFT).count()
        ),
    )

    def visible(self, user):
        return sites_visible_to(user).order_by("name")

    def editable(self, user):
        return sites_editable_by(user)

    def filtered(self, records, data):
        return _active_filter(records, data)

    def is_active(self, record) -> bool:
        return record.is_active

    def save(self, *, form, user, record):
        return model_form_save(form=form, user=user, action="organisation.site")

    def deactivate(self, *, record, user) -> None:
        services.site_deactivate(site=record, user=user)


class TeamPages(RecordPages):
    url_prefix = "organisation-team"
    title = _("Teams")
    add_label = _("Add a team")
    view_permission = "organisation.view_team"
    add_permission = "organisation.add_team"
    change_permission = "organisation.change_team"
    form_class = TeamForm
    filter_form_class = TeamFilterForm
    search_fields = ("name", "code", "leader__last_name")
    columns = (
        Column(_("Name"), field("name")),
        Column(_("Code"), field("code")),
        Column(_("Site"), field("site")),
        Column(_("Team leader"), lambda team: team.leader.get_full_name() if team.leader else "—"),
    )
    detail_lines = columns + (
        Column(
            _("Advisors"),
            lambda team: team.advisors.exclude(status=AdvisorStatus.LEFT).count(),
        ),
    )

    def visible(self, user):
        return teams_visible_to(user).select_related("leader").order_by("site__name", "name")

    def editable(self, user):
        return teams_editable_by(user)

    def filtered(self, records, data):
        if data.get("site"):
            records = records.filter(site=data["site"])
        return _active_filter(records, data)

    def is_active(self, record) -> bool:
        return record.is_active

    def save(self, *, form, user, record):
        return model_form_save(form=form, user=user, action="organisation.team")

    def deactivate(self, *, record, user) -> None:
        services.team_deactivate(team=record, user=user)


class AdvisorPages(RecordPages):
    """Trainers read these (skills, absences, weekly hours): what they opened the admin for."""

    url_prefix = "organisation-advisor"
    title = _("Advisors")
    add_label = _("Add an advisor")
    view_permission = "organisation.view_advisor"
    add_permission = "organisation.add_advisor"
    change_permission = "organisation.change_advisor"
    form_class = AdvisorForm
    filter_form_class = AdvisorFilterForm
    search_fields = ("last_name", "first_name", "login", "email")
    columns = (
        Column(_("Name"), lambda advisor: f"{advisor.last_name} {advisor.first_name}"),
        Column(_("Telephony login"), field("login")),
        Column(_("Site"), field("site")),
        Column(_("Team"), field("team")),
        Column(_("Presence"), field("status")),
    )
    detail_lines = columns + (
        Column(_("E-mail"), field("email")),
        Column(_("Joined on"), field("joined_on")),
        Column(_("Left on"), field("left_on")),
        Column(_("Absent from"), field("absent_from")),
        Column(_("Absent until"), field("absent_to")),
        Column(_("Handles phone calls"), lambda a: _("yes") if a.handles_phone else _("no")),
        Column(_("Handles contact forms"), lambda a: _("yes") if a.handles_forms else _("no")),
        Column(_("Skills (contact reasons)"), lambda advisor: _names(advisor.skills)),
        Column(_("Weekly contracted hours"), field("weekly_hours")),
        Column(_("User account"), lambda a: a.user.get_username() if a.user else "—"),
    )

    def visible(self, user):
        return advisors_visible_to(user).select_related("user").order_by("last_name", "first_name")

    def editable(self, user):
        return advisors_editable_by(user)

    def filtered(self, records, data):
        if data.get("site"):
            records = records.filter(site=data["site"])
        if data.get("status"):
            records = records.filter(status=data["status"])
        return records

    def is_active(self, record) -> bool:
        return record.status != AdvisorStatus.LEFT

    def save(self, *, form, user, record):
        return model_form_save(form=form, user=user, action="organisation.advisor")

    def deactivate(self, *, record, user) -> None:
        services.advisor_deactivate(advisor=record, user=user, on=timezone.localdate())


class ContactReasonPages(RecordPages):
    """The contract's reasons are shared by every site: no site scope (SPEC §1)."""

    url_prefix = "organisation-reason"
    title = _("Contact reasons")
    add_label = _("Add a contact reason")
    view_permission = "organisation.view_contactreason"
    add_permission = "organisation.add_contactreason"
    change_permission = "organisation.change_contactreason"
    form_class = ContactReasonForm
    filter_form_class = ContactReasonFilterForm
    search_fields = ("label", "code")
    columns = (
        Column(_("Label"), field("label")),
        Column(_("Code"), field("code")),
        Column(_("Family"), field("family")),
        Column(_("Active from"), field("active_from")),
        Column(_("Active until"), field("active_to")),
    )
    detail_lines = columns + (Column(_("Position"), field("position")),)

    def visible(self, user):
        return ContactReason.objects.order_by("position", "label")

    def filtered(self, records, data):
        today = timezone.localdate()
        in_force = Q(active_from__lte=today) & (Q(active_to=None) | Q(active_to__gte=today))
        if data.get("family"):
            records = records.filter(family=data["family"])
        if data.get("active") == "yes":
            records = records.filter(in_force)
        elif data.get("active") == "no":
            records = records.exclude(in_force)
        return records

    def is_active(self, record) -> bool:
        return record.is_active_on(timezone.localdate())

    def save(self, *, form, user, record):
        return model_form_save(form=form, user=user, action="organisation.contactreason")

    def deactivate(self, *, record, user) -> None:
        services.contact_reason_deactivate(reason=record, user=user, on=timezone.localdate())


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


class ExceptionalClosurePages(RecordPages):
    """Closures outside public holidays (strike, incident...): the IVR's calls during them
    feed the accessibility rate (SPEC §3). A past closure is corrected, not deactivated."""

    url_prefix = "organisation-closure"
    title = _("Exceptional closures")
    add_label = _("Add a closure")
    view_permission = "organisation.view_exceptionalclosure"
    add_permission = "organisation.add_exceptionalclosure"
    change_permission = "organisation.change_exceptionalclosure"
    can_deactivate = False
    form_class = ExceptionalClosureForm
    filter_form_class = ClosureFilterForm
    search_fields = ("reason",)
    columns = (
        Column(_("Reason"), field("reason")),
        Column(_("Calendar"), field("calendar")),
        Column(_("Start"), lambda closure: _local(closure.starts_at)),
        Column(_("End"), lambda closure: _local(closure.ends_at)),
    )
    detail_lines = columns

    def visible(self, user):
        return ExceptionalClosure.objects.select_related("calendar").order_by("-starts_at")

    def filtered(self, records, data):
        return records.filter(calendar=data["calendar"]) if data.get("calendar") else records

    def save(self, *, form, user, record):
        return model_form_save(form=form, user=user, action="organisation.exceptionalclosure")


class OpeningHoursPages(RecordPages):
    """Opening hours per channel and weekday (SPEC §1); slots are changed, not added here."""

    url_prefix = "organisation-hours"
    title = _("Opening hours")
    view_permission = "organisation.view_openinghours"
    change_permission = "organisation.change_openinghours"
    can_deactivate = False
    form_class = OpeningHoursForm
    search_fields = ("channel__name",)
    columns = (
        Column(_("Channel"), field("channel")),
        Column(_("Weekday"), field("weekday")),
        Column(_("Opens at"), lambda slot: slot.opens_at.strftime("%H:%M")),
        Column(_("Closes at"), lambda slot: slot.closes_at.strftime("%H:%M")),
    )
    detail_lines = columns

    def visible(self, user):
        return OpeningHours.objects.select_related("channel")

    def save(self, *, form, user, record):
        return model_form_save(form=form, user=user, action="organisation.openinghours")
