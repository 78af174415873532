"""Contact records: the facts every indicator is computed from (SPEC §1, §3).

Each field's help text names the SPEC §3 formula it feeds. Durations are stored in whole
seconds next to the timestamps they derive from, so that indicators aggregate them in the
database without date arithmetic (which differs between SQLite and PostgreSQL).
Every record carries the natural key of its source system (`source_system`,
`source_id`): importing the same export twice adds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from decroche.organisation.models import Advisor, ContactReason, Site

from .choices import (
    AdvisorStateKind,
    CallOrigin,
    CallOutcome,
    ImportKind,
    ImportStatus,
    VisitKind,
    Widening,
)


class ImportBatch(models.Model):
    """One run of an import: its file, its counts and where its rejected rows went."""

    kind = models.CharField(_("type"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("fichier"), max_length=255)
    file_sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    mapping_name = models.CharField(_("correspondance de colonnes"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("utilisateur")
    )
    started_at = models.DateTimeField(_("début"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    rows = models.PositiveIntegerField(_("lignes lues"), default=0)
    accepted = models.PositiveIntegerField(_("acceptées"), default=0)
    rejected = models.PositiveIntegerField(_("rejetées"), default=0)
    duplicates = models.PositiveIntegerField(_("doublons ignorés"), default=0)
    rejects_path = models.CharField(_("fichier des rejets"), max_length=500, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        permissions = [("import_contacts", _("Importer des contacts"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.started_at:%d/%m/%Y %H:%M})"


class SourceRecord(models.Model):
    """Fields shared by every imported record."""

    source_system = models.CharField(
        _("système source"), max_length=32, help_text=_("Système qui a produit l'enregistrement (odigo, asterisk...).")
    )
    source_id = models.CharField(_("identifiant source"), max_length=64)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("import")
    )

    class Meta:
        abstract = True


class Call(SourceRecord):
    """An inbound call presented to a group (SPEC §1, §3 phone indicators)."""

    queue = models.CharField(_("groupe / file"), max_length=64, blank=True)
    arrived_at = models.DateTimeField(_("arrivée"), help_text=_("Présentation à l'accueil vocal ; fixe le jour et la demi-heure de l'appel."))
    queued_at = models.DateTimeField(_("entrée en file"), null=True, blank=True)
    answered_at = models.DateTimeField(_("décroché"), null=True, blank=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    wrap_up_ended_at = models.DateTimeField(_("fin du post-appel"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(
        _("attente (s)"), default=0, help_text=_("Attente en file, jusqu'au décroché ou à la sortie : numérateur de la durée moyenne d'attente (SPEC §3).")
    )
    talk_seconds = models.PositiveIntegerField(
        _("communication (s)"), default=0, help_text=_("Du décroché à la fin : durée moyenne de communication et DMT (SPEC §3).")
    )
    wrap_up_seconds = models.PositiveIntegerField(
        _("post-appel (s)"), default=0, help_text=_("Travail après l'appel : DMT = (communication + post-appel) / traités (SPEC §3).")
    )
    origin = models.CharField(
        _("origine"), max_length=12, choices=CallOrigin.choices, default=CallOrigin.DIRECT,
        help_text=_("Entrants reçus, transferts et débordements entrants : dénominateurs du taux de décroché et de l'attente (SPEC §3)."),
    )
    outcome = models.CharField(
        _("issue"), max_length=20, choices=CallOutcome.choices,
        help_text=_("Décroché (numérateur du taux de décroché) ou terme correctif du dénominateur (SPEC §3)."),
    )
    widening = models.CharField(
        _("élargissement"), max_length=16, choices=Widening.choices, default=Widening.NONE, blank=True,
        help_text=_("Traités en élargissement sur ce groupe (+) ou sur un autre groupe (−) au dénominateur du taux de décroché (SPEC §3)."),
    )
    transferred_n1plus = models.BooleanField(_("transféré au N1+"), default=False, help_text=_("Taux de transfert vers le N1+ (SPEC §3)."))
    n2_ticket = models.BooleanField(_("ticket N2 créé"), default=False, help_text=_("Escalade au N2 par le portail (SPEC §1)."))
    on_closure_calendar = models.BooleanField(
        _("présenté sur calendrier de fermeture"), default=False, help_text=_("Numérateur du taux d'accessibilité (SPEC §3).")
    )
    technical_incident = models.BooleanField(
        _("incident technique"), default=False, help_text=_("Exclu du taux d'accessibilité (SPEC §3).")
    )
    caller_hash = models.CharField(
        _("appelant (pseudonymisé)"), max_length=64, blank=True,
        help_text=_("Empreinte HMAC du numéro appelant, jamais le numéro en clair (SPEC §9) ; sert au FCR par absence de rappel."),
    )
    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("conseiller"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("site"))
    reason = models.ForeignKey(
        ContactReason, on_delete=models.PROTECT, null=True, blank=True, related_name="calls", verbose_name=_("motif"),
        help_text=_("Qualification ; un appel décroché non qualifié est permis et compte au taux de qualification (SPEC §3)."),
    )

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        constraints = [models.UniqueConstraint(fields=["source_system", "source_id"], name="call_natural_key")]
        indexes = [
            models.Index(fields=["arrived_at"], name="call_arrived"),
            models.Index(fields=["site", "arrived_at"], name="call_site_arrived"),
            models.Index(fields=["advisor", "arrived_at"], name="call_advisor_arrived"),
        ]

    def __str__(self) -> str:
        return f"{self.source_system}:{self.source_id}"

    @property
    def is_answered(self) -> bool:
        return self.outcome == CallOutcome.ANSWERED

    @property
    def is_qualified(self) -> bool:
        return self.reason_id is not None


class ContactForm(SourceRecord):
    """A web contact form (SPEC §1; §3 forms indicators)."""

    received_at = models.DateTimeField(_("reçu le"), help_text=_("Dénominateur du taux de réponse ; stock en fin de période (SPEC §3)."))
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True, help_text=_("Numérateur du taux de réponse (SPEC §3)."))
    handling_seconds = models.PositiveIntegerField(_("traitement (s)"), default=0)
    template_reply = models.CharField(_("réponse type"), max_length=120, blank=True)
    topic = models.CharField(_("rubrique du formulaire"), max_length=120, blank=True)
    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, null=True, blank=True, related_name="forms", verbose_name=_("conseiller"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="forms", verbose_name=_("site"))
    reason = models.ForeignKey(ContactReason, on_delete=models.PROTECT, null=True, blank=True, related_name="forms", verbose_name=_("motif"))

    class Meta:
        verbose_name = _("formulaire de contact")
        verbose_name_plural = _("formulaires de contact")
        constraints = [models.UniqueConstraint(fields=["source_system", "source_id"], name="form_natural_key")]
        indexes = [models.Index(fields=["received_at"], name="form_received"), models.Index(fields=["answered_at"], name="form_answered")]

    def __str__(self) -> str:
        return f"{self.source_system}:{self.source_id}"


class FrontDeskVisit(SourceRecord):
    """A visit at a CPAM front desk (SPEC §1, 000 §2)."""

    kind = models.CharField(_("type"), max_length=12, choices=VisitKind.choices, default=VisitKind.WALK_IN)
    arrived_at = models.DateTimeField(_("arrivée"))
    served_at = models.DateTimeField(_("prise en charge"), null=True, blank=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, null=True, blank=True, related_name="visits", verbose_name=_("conseiller"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="visits", verbose_name=_("site"))
    reason = models.ForeignKey(ContactReason, on_delete=models.PROTECT, null=True, blank=True, related_name="visits", verbose_name=_("motif"))

    class Meta:
        verbose_name = _("visite à l'accueil")
        verbose_name_plural = _("visites à l'accueil")
        constraints = [models.UniqueConstraint(fields=["source_system", "source_id"], name="visit_natural_key")]


class Email(SourceRecord):
    """An e-mail received by the CPAM (SPEC §1)."""

    received_at = models.DateTimeField(_("reçu le"))
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, null=True, blank=True, related_name="emails", verbose_name=_("conseiller"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="emails", verbose_name=_("site"))
    reason = models.ForeignKey(ContactReason, on_delete=models.PROTECT, null=True, blank=True, related_name="emails", verbose_name=_("motif"))

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        constraints = [models.UniqueConstraint(fields=["source_system", "source_id"], name="email_natural_key")]


class Chat(SourceRecord):
    """A live-chat conversation (SPEC §1)."""

    started_at = models.DateTimeField(_("début"))
    answered_at = models.DateTimeField(_("pris en charge"), null=True, blank=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, null=True, blank=True, related_name="chats", verbose_name=_("conseiller"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="chats", verbose_name=_("site"))
    reason = models.ForeignKey(ContactReason, on_delete=models.PROTECT, null=True, blank=True, related_name="chats", verbose_name=_("motif"))

    class Meta:
        verbose_name = _("tchat")
        verbose_name_plural = _("tchats")
        constraints = [models.UniqueConstraint(fields=["source_system", "source_id"], name="chat_natural_key")]


class AdvisorState(models.Model):
    """A span of time an advisor spent in one state (SPEC §3 availability rate, §5 productive hours).

    States do not overlap for one advisor: logged-in time is the sum of all of them, and
    availability rate = available / logged-in on phone activity. Which states count as
    productive hours is configuration of the contract app.
    """

    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, related_name="states", verbose_name=_("conseiller"))
    state = models.CharField(_("état"), max_length=12, choices=AdvisorStateKind.choices)
    started_at = models.DateTimeField(_("début"))
    ended_at = models.DateTimeField(_("fin"))
    duration_seconds = models.PositiveIntegerField(_("durée (s)"))
    source_system = models.CharField(_("système source"), max_length=32)
    import_batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("import"))

    class Meta:
        verbose_name = _("état conseiller")
        verbose_name_plural = _("états conseillers")
        constraints = [models.UniqueConstraint(fields=["advisor", "started_at", "state"], name="state_natural_key")]
        indexes = [models.Index(fields=["started_at"], name="state_started")]

    def __str__(self) -> str:
        return f"{self.advisor} {self.get_state_display()} {self.started_at:%d/%m %H:%M}"
