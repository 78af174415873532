"""Roles as groups with named permissions — the one place that says who may do what
(STYLE habit 5; SPEC §9). Groups are kept in sync after every migration."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    """`requires_second_factor`: the role sees personal data (callers, advisors, accounts)
    or money (orders, invoices, penalties), so its holders always sign in with a second
    factor (SPEC §9). For the other roles the deployment's policy decides
    (`settings.SECOND_FACTOR_FOR_ALL`), and anyone who enrolled a device must use it."""

    code: str
    label: str
    permissions: tuple[str, ...]
    description: str = ""
    requires_second_factor: bool = True


_READ_CONTACTS = (
    "contacts.view_call",
    "contacts.view_contactform",
    "contacts.view_frontdeskvisit",
    "contacts.view_email",
    "contacts.view_chat",
    "contacts.view_advisorstate",
    "contacts.view_importbatch",
)
_READ_ORGANISATION = (
    "organisation.view_site",
    "organisation.view_team",
    "organisation.view_advisor",
    "organisation.view_channel",
    "organisation.view_contactreason",
    "organisation.view_openinghours",
    "organisation.view_closurecalendar",
    "organisation.view_exceptionalclosure",
)
# Scope beyond one's own teams or site (SPEC §9: access rights by need).
_ALL_SITES = ("organisation.view_all_sites",)
_EDIT_ORGANISATION = (
    "organisation.add_advisor",
    "organisation.change_advisor",
    "organisation.add_team",
    "organisation.change_team",
    "organisation.add_contactreason",
    "organisation.change_contactreason",
    "organisation.add_closurecalendar",
    "organisation.change_closurecalendar",
    "organisation.add_exceptionalclosure",
    "organisation.change_exceptionalclosure",
    "organisation.change_openinghours",
)
# Sites: a site manager keeps their sites' details; planners (every site) also open new ones.
_CHANGE_SITE = ("organisation.change_site",)
_ADD_SITE = ("organisation.add_site",)
# Sites, teams and advisors from the HR roster file (issue 9), within one's scope.
_IMPORT_ROSTER = ("organisation.import_roster",)
# The contract (SPEC §5, §6): orders, statement, target changes, interruptions, committees.
_READ_CONTRACT = (
    "contract.view_order",
    "contract.view_monthlyinvoice",
    "contract.view_targetchangeproposal",
    "contract.view_serviceinterruption",
    "contract.view_committeemeeting",
    "contract.view_actionplan",
)
# The contractor's side: answer orders and target changes, record interruptions, committees.
_PREPARE_CONTRACT = _READ_CONTRACT + (
    "contract.change_order",
    "contract.change_targetchangeproposal",
    "contract.add_serviceinterruption",
    "contract.prepare_committee",
)
# The contract manager: enters the Cnam's orders (page, import), the invoices and settings.
_MANAGE_CONTRACT = _PREPARE_CONTRACT + (
    "contract.enter_order",
    "contract.view_contractsettings",
    "contract.change_contractsettings",
    "contract.add_monthlyinvoice",
    "contract.change_monthlyinvoice",
    "contract.view_servicelevel",
)
# Dashboards and indicator definitions (issue 3; SPEC §3): read, and draft new versions.
_READ_INDICATORS = ("indicators.view_indicatorversion", "indicators.view_measuredefinition")
_DRAFT_INDICATORS = ("indicators.add_indicatorversion",)
# Schedules (SPEC §6): see the runs, and run the optimiser.
_READ_SCHEDULES = ("planning.view_schedulerun",)
_RUN_SCHEDULES = _READ_SCHEDULES + ("planning.run_schedule",)
# Forecast (SPEC §1, §2, §6): see the forecast and the order proposal; enter the planner's
# events and the client's monthly forecasts.
_READ_FORECAST = ("planning.view_forecastevent", "planning.view_clientforecast")
_EDIT_FORECAST = _READ_FORECAST + (
    "planning.add_forecastevent",
    "planning.delete_forecastevent",
    "planning.add_clientforecast",
    "planning.change_clientforecast",
    "planning.delete_clientforecast",
)
# Quality (SPEC §7): evaluate, manage grids, sampling and calibrations; read in scope.
_READ_QUALITY = ("quality.view_evaluations", "quality.view_grid", "quality.view_calibrationsession")
_EVALUATE = _READ_QUALITY + ("quality.evaluate",)
_MANAGE_QUALITY = _EVALUATE + ("quality.manage_quality", "quality.add_coachingsession")
# The library of reply templates and call scripts (issue 11 point 7).
_READ_REPLIES = ("replies.view_replytemplate",)
_WRITE_REPLIES = _READ_REPLIES + ("replies.add_templateversion",)
_APPROVE_REPLIES = _WRITE_REPLIES + ("replies.approve_replytemplate",)
# Incidents and support after a difficult event (issue 14; SPEC §8, §9): report one; a
# team leader sees their team's facts and actions, never health notes; statistics only
# for the site manager, staff representatives and the client's auditor.
_REPORT_INCIDENT = ("wellbeing.report_incident",)
_TEAM_INCIDENTS = _REPORT_INCIDENT + ("wellbeing.view_team_incidents",)
_INCIDENT_STATISTICS = ("wellbeing.view_incident_statistics",)
# Role-play practice (issue 15; SPEC §8): advisors practise and see their own runs; trainers
# also import scenarios, see every run and review the scores.
_PRACTISE = ("practice.practise",)
_TRAIN_PRACTICE = _PRACTISE + (
    "practice.manage_scenarios",
    "practice.view_all_runs",
    "practice.review_run",
    # Trainers evaluate candidates for the certification (issue 15 §5), blind.
    "practice.evaluate_competencies",
    "practice.view_agreement_report",
)
# Certification (issue 15 §4–6): an evaluator grades blind only the assessments assigned to
# them and records evidence; the jury assigns candidates to two evaluators, decides the
# escalations, reads the results and the inter-rater agreement; the client auditor reads
# the co-signed results and the agreement, never a provisional grid.
_EVALUATE_COMPETENCIES = ("practice.evaluate_competencies",)
_CERTIFICATION_RESULTS = ("practice.view_assessment_results", "practice.view_agreement_report")
_CERTIFICATION_JURY = ("practice.manage_assessments",) + _CERTIFICATION_RESULTS
# Training (issue 13; SPEC §8): attend and sign one's own half-days; trainers run their
# sessions; the training manager runs the catalogue; the client's auditor reads.
_ATTEND_TRAINING = ("training.attend",)
_REQUEST_TRAINING = ("training.request_training",)
_TEACH = ("training.teach",)
_VIEW_TRAINING = ("training.view_training",)
_MANAGE_TRAINING = _VIEW_TRAINING + _REQUEST_TRAINING + _TEACH + ("training.manage_training",)
_MANAGE_ACCOUNTS = (
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "core.view_auditentry",
)

ROLES: tuple[Role, ...] = (
    # The advisor sees their own results only, no one else's personal data and no money:
    # the second factor is optional for them, per the deployment's policy.
    Role(
        "advisor",
        _("Advisor"),
        ("organisation.view_contactreason",)
        + _READ_REPLIES
        + _REPORT_INCIDENT
        + _PRACTISE
        + _ATTEND_TRAINING,
        _("Views their own results."),
        requires_second_factor=False,
    ),
    Role(
        "team_leader",
        _("Team leader"),
        _READ_CONTACTS
        + _READ_ORGANISATION
        + _READ_INDICATORS
        + _EVALUATE
        + ("contacts.import_contacts", "quality.add_coachingsession")
        + _READ_REPLIES
        + _TEAM_INCIDENTS
        + _ATTEND_TRAINING
        + _REQUEST_TRAINING,
        _("Steers their team, imports the telephony exports."),
    ),
    Role(
        "site_manager",
        _("Site manager"),
        _READ_CONTACTS
        + _READ_ORGANISATION
        + _EDIT_ORGANISATION
        + _CHANGE_SITE
        + _IMPORT_ROSTER
        + ("contacts.import_contacts",)
        + _PREPARE_CONTRACT
        + _READ_INDICATORS
        + _READ_SCHEDULES
        + _READ_FORECAST
        + _READ_REPLIES
        + _REPORT_INCIDENT
        + _INCIDENT_STATISTICS,
        _("Steers their site and keeps its reference data."),
    ),
    Role(
        "workforce_planner",
        _("Workforce planner"),
        _READ_CONTACTS
        + _READ_ORGANISATION
        + _ALL_SITES
        + _EDIT_ORGANISATION
        + _CHANGE_SITE
        + _ADD_SITE
        + _IMPORT_ROSTER
        + ("contacts.import_contacts",)
        + _PREPARE_CONTRACT
        + _READ_INDICATORS
        + _DRAFT_INDICATORS
        + _RUN_SCHEDULES
        + _EDIT_FORECAST,
        _("Forecasts, sizes and schedules."),
    ),
    Role(
        "contract_manager",
        _("Contract manager"),
        _MANAGE_CONTRACT + _READ_INDICATORS,
        _("Enters the Cnam's orders, the monthly invoices and the contract settings."),
    ),
    Role(
        "quality_analyst",
        _("Quality analyst"),
        _READ_CONTACTS
        + _READ_ORGANISATION
        + _ALL_SITES
        + _READ_INDICATORS
        + _MANAGE_QUALITY
        + _APPROVE_REPLIES,
        _("Evaluates and calibrates quality."),
    ),
    Role(
        "trainer",
        _("Trainer"),
        _READ_ORGANISATION + _ALL_SITES + _WRITE_REPLIES + _TRAIN_PRACTICE + _TEACH,
        _("Organises training."),
    ),
    Role(
        "training_manager",
        _("Training manager"),
        _READ_ORGANISATION + _ALL_SITES + _MANAGE_TRAINING,
        _("Runs the training catalogue, sessions, attendance and certificates."),
    ),
    Role(
        "security_officer",
        _("Security officer (CSO)"),
        _READ_ORGANISATION
        + _ALL_SITES
        + _MANAGE_ACCOUNTS
        # Rejected rows of any import, downloads audited (issue 17.12).
        + ("contacts.view_importbatch", "contacts.download_any_rejects")
        # Leavers, long absences, dormant accounts, the support portal's list (issue 12.5).
        + ("organisation.review_accounts", "organisation.export_portal_users"),
        _("Manages nominative accounts and the access history."),
    ),
    Role(
        "client_auditor",
        _("Client auditor (read-only)"),
        _READ_CONTACTS
        + _READ_ORGANISATION
        + _ALL_SITES
        + _READ_CONTRACT
        + _READ_INDICATORS
        + _READ_QUALITY
        + _READ_REPLIES
        + _INCIDENT_STATISTICS
        + _CERTIFICATION_RESULTS
        + _VIEW_TRAINING,
        _("Views without changing anything."),
    ),
    Role(
        "cnam_evaluator",
        _("Cnam evaluator"),
        _READ_ORGANISATION + _ALL_SITES + _EVALUATE + ("quality.evaluate_for_cnam",),
        _("Scores contacts for the Cnam, in calibrations and with the Cnam's grid."),
    ),
    Role(
        "occupational_health",
        _("Occupational-health referent"),
        _READ_ORGANISATION
        + _ALL_SITES
        + _INCIDENT_STATISTICS
        + ("wellbeing.view_all_incidents", "wellbeing.view_health_notes"),
        _("Follows the agents after a difficult event; reads the health-related notes."),
    ),
    Role(
        "prevention_officer",
        _("Prevention and safety officer"),
        _READ_ORGANISATION + _ALL_SITES + _INCIDENT_STATISTICS + ("wellbeing.view_all_incidents",),
        _(
            "Analyses the causes of incidents and updates the risk assessment, without health notes."
        ),
    ),
    Role(
        "staff_representative",
        _("Staff representative"),
        _INCIDENT_STATISTICS,
        _("Sees the anonymous incident statistics only."),
    ),
    Role(
        "evaluator",
        _("Certification evaluator"),
        _EVALUATE_COMPETENCIES,
        _("Evaluates blind the candidates assigned to them and records the evidence."),
    ),
    Role(
        "certification_jury",
        _("Certification jury"),
        _CERTIFICATION_JURY,
        _(
            "Assigns candidates to two evaluators, decides escalations, reads results and agreement."
        ),
    ),
    Role("administrator", _("Administrator"), ("*",), _("Administers the application.")),
)
ROLES_BY_CODE = {role.code: role for role in ROLES}


def roles_require_second_factor(role_codes) -> bool:
    """True when one of these roles sees personal data or money (SPEC §9). Unknown codes
    (a group that is not a role) count as requiring it: fail closed."""
    return any(
        code not in ROLES_BY_CODE or ROLES_BY_CODE[code].requires_second_factor
        for code in role_codes
    )


def sync_roles() -> None:
    """Create or update one group per role with exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    all_permissions = Permission.objects.select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in all_permissions}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.code)
        if role.permissions == ("*",):
            wanted = list(by_name.values())
        else:
            missing = [name for name in role.permissions if name not in by_name]
            if missing:
                raise LookupError(f"Role {role.code} names unknown permissions: {missing}")
            wanted = [by_name[name] for name in role.permissions]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    """post_migrate hook: permissions of every app exist once the last app has migrated."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # post_migrate is sent only for apps with a models module: wait for the last of those.
    last_app = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is None or app_config.label != last_app.label:
        return
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_roles()
