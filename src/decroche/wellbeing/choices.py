"""Choices of the incident register (issue 14 §1; SPEC §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Place(models.TextChoices):
    FRONT_DESK_APPOINTMENT = "front_desk_appointment", _("Front desk, with an appointment")
    FRONT_DESK_WALK_IN = "front_desk_walk_in", _("Front desk, without an appointment")
    PHONE = "phone", _("Phone")
    EMAIL_CHAT = "email_chat", _("E-mail or chat")
    LETTER = "letter", _("Letter")
    SOCIAL = "social", _("Social networks")
    OUTSIDE = "outside", _("Outside the premises")


class IncidentType(models.TextChoices):
    INCIVILITY = "incivility", _("Incivility")
    VERBAL = "verbal", _("Verbal aggression")
    THREAT = "threat", _("Threats")
    DEATH_THREAT = "death_threat", _("Death threats")
    PSYCHOLOGICAL = "psychological", _("Behavioural or psychological aggression")
    DISCRIMINATORY = "discriminatory", _("Discriminatory words")
    SEXUAL = "sexual", _("Sexual or sexist behaviour")
    PHYSICAL = "physical", _("Physical aggression")
    PROPERTY = "property", _("Damage to property")
    SUICIDAL_INTENT = "suicidal_intent", _("Expression of suicidal intent by the user")


class AggressivenessForm(models.TextChoices):
    UNKNOWN = "", _("Not named")
    PASSIVE = "passive", _("Passive-aggressive posture from the start")
    GRATUITOUS = "gratuitous", _("Gratuitous aggressiveness")
    INDUCED = "induced", _("Aggressiveness induced by the exchange itself")


class Severity(models.IntegerChoices):
    """One stable scale, never renumbered (statistics compare years)."""

    LOW = 1, _("1 – low: rudeness, no threat")
    MODERATE = 2, _("2 – moderate: insults, repeated aggression")
    SERIOUS = 3, _("3 – serious: threats, discrimination, sexual behaviour")
    CRITICAL = 4, _("4 – critical: physical aggression, death threats, danger")


class ImmediateAction(models.TextChoices):
    SAFETY = "safety", _("Agent put in safety")
    TAKEN_OVER = "taken_over", _("A colleague or the manager took over")
    SECURITY = "security", _("Security called")
    POLICE = "police", _("Police called")
    SERVICE_CLOSED = "service_closed", _("Service closed")
    NOT_ALONE = "not_alone", _("Agent not left alone")


class Consequence(models.TextChoices):
    INJURY = "injury", _("Injury")
    SICK_LEAVE = "sick_leave", _("Sick leave")
    INTERRUPTION = "interruption", _("Service interruption")


class FollowUpKind(models.TextChoices):
    MANAGER_INFORMED = "manager_informed", _("Manager informed")
    WORK_ACCIDENT = "work_accident", _("Work-accident declaration started")
    COMPLAINT = "complaint", _("Complaint or hand-rail filed")
    WARNING_LETTER = "warning_letter", _("Warning letter to the user")
    SUPPORT_OFFERED = "support_offered", _("Psychological support offered")
    PHYSICIAN_INFORMED = "physician_informed", _("Occupational physician informed")
    REPRESENTATIVES_INFORMED = "representatives_informed", _("Staff representatives informed")
    CAUSE_ANALYSIS = "cause_analysis", _("Cause analysis and risk assessment update")
    FEEDBACK = "feedback", _("Feedback to the agent")
    CLOSURE = "closure", _("Closure")
    # The procedure opened at once by an expression of suicidal intent.
    SUICIDE_KEEP_TALKING = "suicide_keep_talking", _("Keep the user talking, do not hang up")
    SUICIDE_EMERGENCY = "suicide_emergency", _("Emergency services (15 or 3114) alerted")
    SUICIDE_MANAGER = "suicide_manager", _("Manager alerted at once")
    SUICIDE_LOCATION = "suicide_location", _("User's location passed to the emergency services")
    SUICIDE_AGENT_SUPPORT = "suicide_agent_support", _("Agent relieved and supported")


class CheckInKind(models.TextChoices):
    DAY_0 = "day_0", _("Day 0: safety, needs, not alone, normal reactions, who to call")
    DAYS_1_3 = "days_1_3", _("Days 1–3: interview, rights and options, work adjustments")
    DAY_7 = "day_7", _("Day 7: observable signs")
    DAY_30 = "day_30", _("Day 30: observable signs, return-to-position plan")


class Sign(models.TextChoices):
    """Observable signs: referral triggers, never a diagnosis (issue 14 §3)."""

    AVOIDANCE = "avoidance", _("Avoidance")
    HYPERVIGILANCE = "hypervigilance", _("Hypervigilance")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    SLEEP = "sleep", _("Sleep troubles mentioned")
    IRRITABILITY = "irritability", _("Irritability")
    RED_FLAG = "red_flag", _("Red flag: dark thoughts, distress, unable to work")


class Adjustment(models.TextChoices):
    """Work adjustments offered at the check-ins (issue 14 §3): organisation, not care."""

    NO_SOLO_FRONT_DESK = "no_solo_front_desk", _("No solo front desk")
    PAIR_WORK = "pair_work", _("Pair work")
    BACK_OFFICE = "back_office", _("Temporary back office")
    BREAKS = "breaks", _("Extra breaks")


class DebriefKind(models.TextChoices):
    """Debriefs recorded after an event: operational, kept apart from anything clinical."""

    INDIVIDUAL = "individual", _("Individual debrief")
    COLLECTIVE = "collective", _("Collective debrief")
    FEEDBACK_SESSION = "feedback_session", _("Team operational feedback session")


class ReferralTo(models.TextChoices):
    OCCUPATIONAL_HEALTH = "occupational_health", _("Occupational health service")
    SUPPORT_UNIT = "support_unit", _("Support unit")
    PSYCHOLOGIST = "psychologist", _("Psychologist")


class RitualKind(models.TextChoices):
    """Managerial rituals of the managers' course (SPEC §8)."""

    TEAM_CHECK_IN = "team_check_in", _("Short team check-in")
    EXPERIENCE_SHARING = "experience_sharing", _("Experience-sharing time")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
