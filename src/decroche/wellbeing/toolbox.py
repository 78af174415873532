"""The manager toolbox (issue 14 §3; SPEC §8, the managers' course): debrief templates,
procedure sheets, relays and managerial rituals. Practice, not therapy: the templates keep
the operational feedback apart from anything clinical."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEBRIEFS = (
    (
        _("Individual debrief"),
        (
            _("How are you now? Do you need anything right away?"),
            _("What happened, in your words, at your pace."),
            _("Reactions in the coming days are normal: tell me if they last."),
            _("Your rights and options: complaint, work-accident declaration, support."),
            _("Work adjustments: no solo front desk, pair work, back office, breaks."),
        ),
    ),
    (
        _("Collective debrief"),
        (
            _("The frame: what is said stays here, nobody has to speak, no judgement."),
            _("The facts in order, each in their own words."),
            _("Reactions in the coming days are normal; where to find support."),
            _("What each of us needs in the coming days."),
            _("The close: the next check-ins and the relays to call."),
        ),
    ),
    (
        _("Team operational feedback"),
        (
            _("What happened (facts only, no names of users)."),
            _("What protected us."),
            _("What we change: organisation, premises, scripts, relays."),
        ),
    ),
)
PROCEDURES = (
    (
        _("Aggression at the front desk or on the phone"),
        (
            _("Put the agent in safety; a colleague or the manager takes over."),
            _("Call security or the police if needed; close the service if needed."),
            _("Do not leave the agent alone; hold the day-0 check-in."),
            _("Report the event; start the follow-up items."),
        ),
    ),
    (
        _("A user expresses suicidal intent"),
        (
            _("Keep the user talking, do not hang up."),
            _("Alert the manager at once; call the emergency services (15) or 3114."),
            _("Pass on the user's location if known."),
            _("Relieve the agent and offer support."),
        ),
    ),
)
RELAYS = (
    (_("Occupational health service"), _("Occupational physician and nurse, on appointment.")),
    (_("Support unit"), _("Psychological support line of the employer, 24 hours a day.")),
    (_("National suicide prevention line"), _("3114, free, 24 hours a day.")),
    (_("Emergency services"), _("15 (medical), 17 (police), 112.")),
)
RITUALS = (
    (_("Short team check-in"), _("Every Monday, 10 minutes: the week's load, who needs help.")),
    (
        _("Experience-sharing time"),
        _("Once a month, 45 minutes: difficult situations and what helped."),
    ),
)
# The warning letter to the user (issue 14 §2): the manager fills in the brackets; facts
# only, never the user's health, never the agent's name.
WARNING_LETTER = _(
    "Madam, Sir,\n\n"
    "On [date], during your contact with our service ([channel]), you addressed our "
    "agent in terms that are not acceptable: [facts, with the words used].\n\n"
    "Our agents are there to help you. Incivility, insults, threats and aggression "
    "against them are not tolerated: they may lead to a complaint, and to your requests "
    "being handled only in writing or by appointment.\n\n"
    "We remain at your disposal to handle your request in a calm exchange.\n\n"
    "[Name and position of the site manager]"
)
