"""Reference data of the contract, loaded by data migrations (SPEC §1)."""

from __future__ import annotations

# (code, French label as the contract spells it, family) — the 17 contact reasons, SPEC §1.
CONTACT_REASONS: tuple[tuple[str, str, str], ...] = (
    ("cv-serial-unreadable", "Numéro série CV illisible", "activation"),
    ("enrolment-support", "Accompagnement enrôlement", "activation"),
    ("general-information", "Info générale sur le service", "information"),
    ("identification-failed", "Intervention avec identification KO", "activation"),
    ("incident-account", 'Info-Incident "Compte"', "usage"),
    ("incident-medical-profile", 'Info-Incident "Profil Médical"', "usage"),
    ("incident-vaccinations", 'Info-Incident "Vaccinations"', "usage"),
    ("incident-documents", 'Info-Incident "Documents"', "usage"),
    ("incident-messaging", 'Info-Incident "Messagerie"', "usage"),
    ("incident-calendar", 'Info-Incident "Agenda"', "usage"),
    ("incident-service-catalogue", 'Info-Incident "Catalogue de services"', "usage"),
    ("incident-mobile-app", 'Info-Incident "Appli mobile"', "usage"),
    ("other-incidents", "Autres incidents", "incident"),
    ("opposition-closure", "Demande intervention pour opposition/clôture", "closure"),
    ("delegation-second-legal-representative", "Ajout/suppression délégation au 2nd RL", "usage"),
    ("out-of-scope", "Hors périmètre Mon espace santé", "other"),
    ("security-data-hosting", "Information sécurité et hébergement données", "information"),
)

CHANNELS: tuple[tuple[str, str], ...] = (
    ("phone", "Téléphone"),
    ("form", "Formulaire de contact"),
    ("front_desk", "Accueil physique"),
    ("email", "Courriel"),
    ("chat", "Tchat"),
)
