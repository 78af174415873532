"""What each person can do, as links: the header menu and the home-page cards are built
from this one list, filtered by the user's permissions (STYLE habit 5). A link is shown
only if its view would let the user in; the view still checks on the server."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Destination:
    label: str
    description: str
    url_name: str
    # The permission that opens the page, or a tuple of permissions any of which does.
    permission: str | tuple[str, ...]
    in_menu: bool = True
    # Shown to members of this role (group) instead of holders of `permission`: a page about
    # the person themself, such as an advisor's own results, needs no model permission.
    role: str = ""


DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        _("My results"),
        _(
            "Your calls handled, talk and handling time, qualification, availability and forms, by day, week and month, beside the targets and your team."
        ),
        "advisor-results",
        "",
        role="advisor",
    ),
    Destination(
        _("Import contacts"),
        _("Upload a telephony or contact-form export; see the summary and download rejected rows."),
        "import-upload",
        "contacts.import_contacts",
    ),
    Destination(
        _("Import history"),
        _("Every import with its file, its counts and its rejected rows."),
        "import-list",
        "contacts.view_importbatch",
    ),
    Destination(
        _("Calls"),
        _("Calls of your scope, filtered by date, site, reason and outcome."),
        "call-list",
        "contacts.view_call",
    ),
    Destination(
        _("Quality evaluations"),
        _(
            "Evaluations of calls, written replies and N2 tickets in your scope, with their disputes."
        ),
        "quality-evaluation-list",
        "quality.view_evaluations",
    ),
    Destination(
        _("My evaluations"),
        _("Your quality evaluations: read them, acknowledge them, dispute an item."),
        "quality-evaluation-list",
        "",
        role="advisor",
    ),
    Destination(
        _("Calibrations"),
        _("Contacts scored blind by the contractor and the Cnam, then their gaps."),
        "quality-calibration-list",
        "quality.view_calibrationsession",
    ),
    Destination(
        _("Orders"),
        _("Orders of productive hours per ten-day period; validate or refuse them."),
        "contract-order-list",
        "contract.view_order",
    ),
    Destination(
        _("Monthly statement"),
        _("Service levels, penalties and the 10% cap of a month; download XLSX or PDF."),
        "contract-statement",
        "contract.view_monthlyinvoice",
    ),
    Destination(
        _("Target changes"),
        _("Target and threshold changes proposed by the Cnam, and their answers."),
        "contract-proposal-list",
        "contract.view_targetchangeproposal",
        in_menu=False,
    ),
    Destination(
        _("Service interruptions"),
        _("Interruptions of the service (power, fire...), limited to 48 hours."),
        "contract-interruption-list",
        "contract.view_serviceinterruption",
        in_menu=False,
    ),
    Destination(
        _("Contract settings"),
        _("Start of the activity, grace period, productive states, interruption limit."),
        "contract-settings",
        "contract.view_contractsettings",
    ),
    Destination(
        _("Committees"),
        _("Weekly, monthly and ten-day committee packs; minutes and their state."),
        "contract-committee-list",
        "contract.view_committeemeeting",
    ),
    Destination(
        _("Indicator dashboard"),
        _(
            "Daily, weekly and monthly indicators with their targets, by site, team, advisor and reason."
        ),
        "indicator-dashboard",
        "indicators.view_indicatorversion",
    ),
    Destination(
        _("Resources dashboard"),
        _("Staffing forecast for the coming week, training hours, present and planned staff."),
        "resources-dashboard",
        "indicators.view_indicatorversion",
    ),
    Destination(
        _("Indicator definitions"),
        _("Formulas and targets of each indicator, their versions, drafts and history."),
        "indicator-definitions",
        "indicators.view_indicatorversion",
        in_menu=False,
    ),
    Destination(
        pgettext_lazy("page", "Forecast"),
        _("Calls and forms expected per day; the planner's events and the client's forecasts."),
        "planning-forecast",
        "planning.view_forecastevent",
    ),
    Destination(
        _("Order proposal"),
        _("Hours to order at the forecast committee, firm and indicative, with scenarios; XLSX."),
        "planning-order-proposal",
        "planning.view_forecastevent",
    ),
    Destination(
        _("Schedules"),
        _("Shifts per advisor covering the need per half-hour at the fewest paid hours; XLSX."),
        "planning-schedules",
        "planning.view_schedulerun",
    ),
    Destination(
        _("Import the roster"),
        _("Sites, teams and advisors from the HR file: check the changes, then apply them."),
        "roster-upload",
        "organisation.import_roster",
    ),
    Destination(
        _("Sites"),
        _("Production sites, their managers and teams."),
        "organisation-site-list",
        "organisation.view_site",
    ),
    Destination(
        _("Teams"),
        _("Teams of advisors and their team leaders, by site."),
        "organisation-team-list",
        "organisation.view_team",
    ),
    Destination(
        _("Advisors"),
        _("Advisors with their site, team, skills, absences and contracted hours."),
        "organisation-advisor-list",
        "organisation.view_advisor",
    ),
    Destination(
        _("Contact reasons"),
        _("The contact reasons contacts are qualified with, and their validity."),
        "organisation-reason-list",
        "organisation.view_contactreason",
    ),
    Destination(
        _("Exceptional closures"),
        _("Closures of the service outside public holidays, by calendar."),
        "organisation-closure-list",
        "organisation.view_exceptionalclosure",
    ),
    Destination(
        _("Opening hours"),
        _("Opening hours of each channel, per weekday."),
        "organisation-hours-list",
        "organisation.view_openinghours",
        in_menu=False,
    ),
    Destination(
        _("Report an incident"),
        _("An incivility or an aggression in under two minutes, on any channel."),
        "incident-report",
        "wellbeing.report_incident",
    ),
    Destination(
        _("My incident file"),
        _("The incidents you reported or suffered, and who read them."),
        "incident-mine",
        "wellbeing.report_incident",
    ),
    Destination(
        _("Team incidents"),
        _("Your teams' reports, overdue items and check-ins to hold."),
        "incident-team",
        "wellbeing.view_team_incidents",
    ),
    Destination(
        _("Manager toolbox"),
        _("Debrief templates, procedure sheets, relays and managerial rituals."),
        "incident-toolbox",
        ("wellbeing.view_team_incidents", "wellbeing.view_all_incidents"),
    ),
    Destination(
        _("Occupational health"),
        _("Open reports, health-related notes and referrals proposed."),
        "incident-health",
        "",
        role="occupational_health",  # not the administrator's wildcard (SPEC §9)
    ),
    Destination(
        _("Incident statistics"),
        _("Anonymous counts by month, site, channel, type and severity; XLSX."),
        "incident-statistics",
        "wellbeing.view_incident_statistics",
    ),
    Destination(
        _("Role-play practice"),
        _("Practise difficult conversations and get a scored, evidenced feedback."),
        "practice-scenario-list",
        "practice.practise",
    ),
    Destination(
        _("My role-play runs"),
        _("Your runs, self-assessments, action plans and progress per technique."),
        "practice-my-runs",
        "practice.practise",
    ),
    Destination(
        _("Role-play runs of the trainees"),
        _("Every trainee's runs with their scores and evidence."),
        "practice-run-list",
        "practice.view_all_runs",
    ),
    Destination(
        _("Scores to review"),
        _("Confirm or change the scores the rules gave to finished runs."),
        "practice-review-queue",
        "practice.review_run",
    ),
    Destination(
        _("Competency assessments"),
        _(
            "Assessments assigned to you: your grid filled blind, then reconciliation and co-signature."
        ),
        "practice-assessment-list",
        "practice.evaluate_competencies",
    ),
    Destination(
        _("Certification: assign evaluators"),
        _("Assign each candidate to two evaluators, follow the assessments, decide escalations."),
        "practice-assessment-list",
        "",
        role="certification_jury",  # the evaluators' entry above serves the administrator
    ),
    Destination(
        _("Certification results"),
        _("The co-signed results per block and overall, frozen with the framework version."),
        "practice-assessment-results",
        "practice.view_assessment_results",
    ),
    Destination(
        _("My certification"),
        _("Your competency assessments: where they stand, then your co-signed result and file."),
        "practice-my-assessments",
        "practice.practise",
    ),
    Destination(
        _("Inter-rater agreement"),
        _("Exact agreement and Cohen's kappa per criterion and per evaluator pair; XLSX."),
        "practice-agreement",
        "practice.view_agreement_report",
    ),
    Destination(
        _("User accounts"),
        _("Nominative accounts with their roles and last login; create, change, deactivate."),
        "user-list",
        "accounts.view_user",
    ),
    Destination(
        _("Reply templates and scripts"),
        _("The templates and scripts in force per contact reason, and what changed."),
        "replies-library",
        "replies.view_replytemplate",
    ),
    Destination(
        _("Locked sign-ins"),
        _("Accounts and addresses locked after repeated failures; lift a lock."),
        "sign-in-locks",
        "accounts.change_user",
    ),
    Destination(
        _("Accounts to review"),
        _(
            "Leavers whose account is still open, rights suspended for long absences, dormant accounts; the support portal's user list."
        ),
        "accounts-review",
        "organisation.review_accounts",
    ),
    Destination(
        _("Security review"),
        _(
            "The six-monthly review: second-factor coverage, locks, leavers' delays, access history."
        ),
        "security-review",
        "organisation.review_accounts",
    ),
    Destination(
        _("Training"),
        _("Catalogue, sessions, requests, attendance, certificates and the initial path."),
        "training-catalogue",
        "training.view_training",
    ),
    Destination(
        _("Training sessions"),
        _("The sessions you run: half-day attendance, signatures, sign-in sheets."),
        "training-sessions",
        ("training.teach", "training.view_training"),
    ),
    Destination(
        _("My training"),
        _("Your enrolments, your half-days to sign and your certificates."),
        "training-mine",
        "training.attend",
    ),
    Destination(
        _("Training requests"),
        _("Ask for a session: the training body plans it within a month."),
        "training-requests",
        ("training.request_training", "training.view_training"),
    ),
    Destination(
        _("My team's training"),
        _("Your people's enrolments and certificates, and the transfer evaluations to answer."),
        "training-team",
        "training.request_training",
    ),
    Destination(
        _("Audit log"),
        _("Sign-ins, failed attempts and business actions, for at least one year."),
        "audit-log",
        "core.view_auditentry",
    ),
    Destination(
        _("Access history"),
        _("Sign-ins, permission changes and reads of sensitive records; chain verified."),
        "access-history",
        "core.view_auditentry",
    ),
)


def _holds_any(user, permission: str | tuple[str, ...]) -> bool:
    permissions = (permission,) if isinstance(permission, str) else permission
    return any(user.has_perm(p) for p in permissions)


def destinations_for(user, *, menu_only: bool = False) -> list[dict[str, str]]:
    """The destinations `user` may open, with their URLs."""
    if not user.is_authenticated:
        return []
    roles = {group.name for group in user.groups.all()}
    allowed = [
        d
        for d in DESTINATIONS
        if (d.role in roles if d.role else _holds_any(user, d.permission))
        and (d.in_menu or not menu_only)
    ]
    return [
        {
            "label": str(d.label),
            "description": str(d.description),
            "url": reverse(d.url_name),
            "url_name": d.url_name,
        }
        for d in allowed
    ]


def _section_of(url_name: str) -> str:
    """The header menu groups destinations by domain (the home page lists them all)."""
    if url_name.startswith(("import-", "call-")):
        return "contacts"
    if url_name.startswith(("indicator-", "resources-", "advisor-")):
        return "indicators"
    if url_name.startswith("contract-"):
        return "contract"
    if url_name.startswith("planning-"):
        return "planning"
    if url_name.startswith(("quality-", "replies-")):
        return "quality"
    if url_name.startswith(("organisation-", "roster-")):
        return "organisation"
    if url_name.startswith("incident-"):
        return "incidents"
    if url_name.startswith("practice-"):
        return "practice"
    if url_name.startswith("training-"):
        return "training"
    return "administration"


SECTIONS = (
    ("contacts", _("Contacts")),
    ("indicators", _("Indicators")),
    ("contract", _("Contract")),
    ("planning", _("Planning")),
    ("quality", _("Quality")),
    ("organisation", _("Reference data")),
    ("incidents", _("Incidents")),
    ("practice", _("Practice")),
    ("training", _("Training")),
    ("administration", _("Administration")),
)


def menu_sections(user, current_path: str = "") -> list[dict]:
    """The header menu: one entry per domain holding the user's destinations in it, with
    `current` set on the section of the page shown."""
    destinations = destinations_for(user, menu_only=True)
    sections = []
    for code, label in SECTIONS:
        inside = [d for d in destinations if _section_of(d["url_name"]) == code]
        if inside:
            sections.append(
                {
                    "code": code,
                    "label": str(label),
                    "destinations": inside,
                    "current": any(current_path == d["url"] for d in inside),
                }
            )
    return sections
