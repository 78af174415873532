"""Calibration of the synthetic traffic (SPEC §1, §2). Plain constants, no Django import.

Every figure either quotes the SPEC or is an assumption listed in docs/synthetic-data.md.
"""

from __future__ import annotations

import datetime as dt

# SPEC §2: calls received at N1 and forms received, per year (2025 counts from 9 November).
CALLS_PER_YEAR: dict[int, int] = {
    2025: 217_725,
    2026: 1_424_153,
    2027: 1_736_929,
    2028: 2_060_359,
    2029: 1_936_502,
}
FORMS_PER_YEAR: dict[int, int] = {
    2025: 10_491,
    2026: 72_328,
    2027: 83_177,
    2028: 95_654,
    2029: 91_668,
}
CONTRACT_START = dt.date(2025, 11, 9)

# Weekday profile (assumption: Monday highest, Friday lowest), Monday = 0.
WEEKDAY_FACTOR = (1.25, 1.05, 0.98, 0.95, 0.85, 0.0, 0.0)
DAY_AFTER_HOLIDAY_FACTOR = 1.20
# Forms arrive on the web every day; weekends are quieter (assumption).
FORMS_WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 1.0, 0.95, 0.5, 0.45)

# Monthly seasonality (assumption: summer and Christmas troughs), January = index 0.
MONTH_FACTOR = (1.10, 1.05, 1.00, 0.95, 0.92, 0.95, 0.85, 0.75, 1.05, 1.05, 1.00, 0.85)
# Notification waves (SPEC §1: peaks after notification sends) — month -> multiplier.
NOTIFICATION_WAVES: dict[tuple[int, int], float] = {
    (2026, 2): 1.15,
    (2026, 9): 1.20,
    (2027, 2): 1.15,
    (2027, 9): 1.15,
    (2028, 2): 1.15,
    (2028, 9): 1.15,
    (2029, 2): 1.10,
    (2029, 9): 1.10,
}
# One media campaign a year: +40% calls per working day vs the previous month (SPEC §1).
CAMPAIGN_MONTHS: frozenset[tuple[int, int]] = frozenset(
    {(2026, 4), (2027, 10), (2028, 4), (2029, 3)}
)
CAMPAIGN_UPLIFT = 1.40

# Intraday profile per half-hour from 08:30 to 17:30 (18 slots; assumption: morning peak,
# lunch dip, smaller afternoon peak). Normalised when used.
HALF_HOUR_PROFILE = (
    0.70,
    1.00,
    1.25,
    1.30,
    1.30,
    1.20,
    1.05,
    0.85,
    0.75,
    0.80,
    0.95,
    1.15,
    1.15,
    1.05,
    1.00,
    0.90,
    0.75,
    0.60,
)
OPEN_SECONDS = 9 * 3600  # 08:30-17:30 (SPEC §1)

# Handling (SPEC §1: 4.16 min average handling per call including qualification).
MEAN_TALK_SECONDS = 200.0
MEAN_WRAP_UP_SECONDS = 49.6  # talk + wrap-up = 249.6 s = 4.16 min
TALK_SIGMA = 0.55  # lognormal shape (assumption)
WRAP_UP_SIGMA = 0.45
MEAN_PATIENCE_SECONDS = (
    600.0  # exponential callers' patience (assumption: a few minutes, long-tailed)
)

# Origins and the small correction terms of the answer rate (SPEC §3), shares of calls.
ORIGIN_SHARES = {"direct": 0.975, "transfer_in": 0.017, "overflow_in": 0.008}
DISSUADED_TELECOM_SHARE = 0.003
OVERFLOWED_OUT_SHARE = 0.004
TAKEN_BACK_SHARE_OF_TRANSFERS = 0.08
OUT_OF_HOURS_SHARE = 0.02  # presented before 08:30 / after 17:30: dissuaded on closure
HOLIDAY_SHARE = 0.06  # presented on a weekday public holiday (closure calendar)
CLOSURE_MISROUTED_SHARE = 0.01  # of those, not played the closure message (accessibility)
UNQUALIFIED_SHARE = 0.015
WIDENING_ON_THIS_GROUP_SHARE = 0.005
WIDENING_ON_OTHER_GROUP_SHARE = 0.003
CALL_BACK_SHARE = 0.07  # a caller calling again the same day (first-contact resolution)
REPEAT_NEXT_DAYS_SHARE = 0.05  # a caller of the last working days calling again
REPEAT_WINDOW_DAYS = 10

# Contact reasons of answered calls (SPEC §1 observed mix; the rest is an assumption).
# (reason code, share %, transfer to N1+ probability, N2 ticket probability)
REASON_MIX: tuple[tuple[str, float, float, float], ...] = (
    ("cv-serial-unreadable", 35.0, 0.01, 0.00),
    ("out-of-scope", 18.0, 0.02, 0.00),
    ("enrolment-support", 13.0, 0.02, 0.01),
    ("general-information", 7.0, 0.00, 0.00),
    ("identification-failed", 5.0, 0.30, 0.02),
    ("incident-account", 4.0, 0.05, 0.25),
    ("incident-documents", 3.0, 0.03, 0.25),
    ("incident-mobile-app", 2.5, 0.02, 0.30),
    ("opposition-closure", 2.0, 0.40, 0.02),
    ("incident-medical-profile", 2.0, 0.03, 0.25),
    ("incident-messaging", 2.0, 0.03, 0.25),
    ("incident-vaccinations", 1.5, 0.03, 0.25),
    ("other-incidents", 1.5, 0.05, 0.40),
    ("incident-calendar", 1.0, 0.02, 0.25),
    ("incident-service-catalogue", 1.0, 0.02, 0.25),
    ("delegation-second-legal-representative", 1.0, 0.20, 0.05),
    ("security-data-hosting", 0.5, 0.05, 0.02),
)

# Forms (SPEC §1: "En savoir plus" + "Mes documents" = 68%; 90 forms per advisor per day).
FORM_TOPICS: tuple[tuple[str, float, str], ...] = (
    ("En savoir plus", 40.0, "general-information"),
    ("Mes documents", 28.0, "incident-documents"),
    ("Mon compte", 10.0, "incident-account"),
    ("Mon profil médical", 8.0, "incident-medical-profile"),
    ("Ma messagerie", 7.0, "incident-messaging"),
    ("Autre demande", 7.0, "out-of-scope"),
)
TEMPLATE_REPLIES = (
    "Réponse type — présentation du service",
    "Réponse type — ajout d'un document",
    "Réponse type — activation du profil",
    "Réponse type — code d'activation perdu",
    "Réponse type — messagerie sécurisée",
    "Réponse type — hors périmètre, réorientation CPAM",
    "Réponse type — clôture du profil",
    "Réponse type — application mobile",
)
FORMS_PER_ADVISOR_DAY = 90
FORMS_PRODUCTIVITY_SIGMA = 0.05

# Staffing (assumptions): phone headcount planned from the forecast (not the actual) volume.
PLANNED_OCCUPANCY = 0.88
ABSENCE_RATE = 0.05
SHORT_DAY_SHARE = 0.08  # days with an extra wave of absences (sickness, strikes, transport)
SHORT_DAY_EXTRA_ABSENCE = 0.20
# The demo's shortage month (`decroche demo`): a winter epidemic nobody planned for takes
# this share of the phone advisors planned each working day, so that the service levels
# (answer rate, waiting time, plan conformity) are missed and the statement owes penalties.
SHORTAGE_ABSENCE = 0.15
SURGE_DAY_SHARE = 0.03  # unforecast incident or notification: +25% calls that day
SURGE_FACTOR = 1.25
DAILY_NOISE_SIGMA = 0.05
TRAINING_HALF_DAY_SHARE = 0.03
INTERNAL_MEETING_SHARE = 0.10

# Shifts, seconds from 08:30: 7 h of logged-in work + 1 h lunch (logged out).
SHIFT_PATTERNS = ((0, 8 * 3600), (1800, 8 * 3600 + 1800), (3600, 9 * 3600))
SHIFT_PATTERN_SHARES = (0.40, 0.25, 0.35)
LUNCH_STARTS = (3 * 3600, 3 * 3600 + 1800, 4 * 3600, 4 * 3600 + 1800)  # 11:30..13:00
LUNCH_SECONDS = 3600
BREAK_SECONDS = 600  # two 10-minute breaks a day

# CPAM Grenoble (SPEC §1: front desk, e-mail, chat), lighter volumes per working day (assumption).
CPAM_VISITS_PER_DAY = 110
CPAM_EMAILS_PER_DAY = 55
CPAM_CHATS_PER_DAY = 35

# Sites, teams, roster (assumptions; SPEC §9: nominative advisors).
PHONE_SITES = (
    ("titulaire-lille", "Titulaire — Lille", "Lille"),
    ("titulaire-poitiers", "Titulaire — Poitiers", "Poitiers"),
)
CPAM_SITE = ("cpam-grenoble", "CPAM de l'Isère — Grenoble", "Grenoble")
TEAMS_PER_PHONE_SITE = 5
ADVISORS_PER_PHONE_TEAM = 20
CPAM_ADVISORS = 12
FORMS_CAPABLE_SHARE = 0.15
LEAVER_SHARE = 0.06
LATE_JOINER_SHARE = 0.12
LONG_ABSENCE_SHARE = 0.03  # sick leave of 1 to 5 months (SPEC §9: over 90 days disables rights)
QUEUE_NAME = "MES-N1"

FIRST_NAMES = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Sarah",
    "Julie",
    "Laura",
    "Marie",
    "Lucie",
    "Pauline",
    "Clara",
    "Océane",
    "Anaïs",
    "Élodie",
    "Justine",
    "Mathilde",
    "Nadia",
    "Sophie",
    "Amandine",
    "Aurélie",
    "Fatima",
    "Yasmine",
    "Hélène",
    "Nathalie",
    "Isabelle",
    "Thomas",
    "Lucas",
    "Hugo",
    "Nicolas",
    "Julien",
    "Maxime",
    "Antoine",
    "Alexandre",
    "Romain",
    "Kevin",
    "Mehdi",
    "Karim",
    "Sébastien",
    "Guillaume",
    "Florian",
    "Quentin",
    "Adrien",
    "Paul",
    "Baptiste",
    "Jérôme",
    "Olivier",
    "Franck",
    "Théo",
    "Louis",
    "Yanis",
    "Samir",
    "Bruno",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Benali",
    "Haddad",
    "Nguyen",
    "Da Silva",
    "Ferreira",
    "Boucher",
    "Colin",
    "Vidal",
    "Caron",
)
