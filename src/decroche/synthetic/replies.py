"""Demo library of reply templates and call scripts (issue 11 point 7): a handful of the
centre's subjects, two of them with a second version whose note says what changed."""

from __future__ import annotations

import datetime as dt

from decroche.accounts.models import User
from decroche.organisation.models import ContactReason
from decroche.replies.models import ReplyTemplate
from decroche.replies.services import version_approve, version_write

# (code, reason, kind, title, [(body, what changed, days before today)])
LIBRARY = (
    (
        "activation-code-lost",
        "enrolment-support",
        "reply",
        "Code d'activation perdu",
        [
            (
                "Bonjour,\n\nVous nous indiquez avoir perdu votre code d'activation. Vous pouvez "
                "en demander un nouveau depuis la page d'accueil du service, rubrique « Activer "
                "mon profil », en vous munissant de votre carte Vitale.\n\nCordialement,",
                "",
                200,
            ),
            (
                "Bonjour,\n\nVous nous indiquez avoir perdu votre code d'activation. Vous pouvez "
                "en demander un nouveau depuis la page d'accueil du service, rubrique « Activer "
                "mon profil », en vous munissant de votre carte Vitale ou de l'application "
                "carte Vitale. Le nouveau code arrive sous 48 heures.\n\nCordialement,",
                "Ajout de l'application carte Vitale et du délai de réception du code.",
                20,
            ),
        ],
    ),
    (
        "serial-number-unreadable",
        "cv-serial-unreadable",
        "script",
        "Numéro de série de la carte illisible",
        [
            (
                "1. Faire préciser le modèle de carte (avec ou sans photo).\n2. Indiquer où lire "
                "le numéro de série au dos de la carte.\n3. Si le numéro reste illisible, proposer "
                "l'activation par code envoyé par courrier.\n4. Reformuler et conclure.",
                "",
                300,
            ),
            (
                "1. Faire préciser le modèle de carte (avec ou sans photo).\n2. Indiquer où lire "
                "le numéro de série au dos de la carte, avec la loupe si besoin.\n3. Si le numéro "
                "reste illisible, proposer l'activation par l'application carte Vitale, sinon le "
                "code par courrier.\n4. Reformuler et conclure.",
                "L'application carte Vitale est proposée avant le courrier.",
                45,
            ),
        ],
    ),
    (
        "add-document",
        "incident-documents",
        "reply",
        "Ajout d'un document",
        [
            (
                "Bonjour,\n\nPour ajouter un document, ouvrez la rubrique « Documents », puis "
                "« Ajouter ». Les formats acceptés sont PDF, JPEG et PNG, jusqu'à 5 Mo.\n\n"
                "Cordialement,",
                "",
                150,
            )
        ],
    ),
    (
        "closure-request",
        "opposition-closure",
        "reply",
        "Demande de clôture du profil",
        [
            (
                "Bonjour,\n\nVous souhaitez clôturer votre profil. Cette démarche se fait depuis "
                "les paramètres du compte, rubrique « Clôturer mon profil ». Les documents "
                "seront conservés pendant la durée légale puis supprimés.\n\nCordialement,",
                "",
                120,
            )
        ],
    ),
    (
        "delegation-representative",
        "delegation-second-legal-representative",
        "script",
        "Délégation au second représentant légal",
        [
            (
                "1. Vérifier l'identité de l'appelant.\n2. Expliquer que le premier représentant "
                "légal ajoute le second depuis le profil de l'enfant.\n3. En cas de désaccord, "
                "orienter vers la CPAM.",
                "",
                90,
            )
        ],
    ),
)


def demo_replies_ensure(*, today: dt.date, author: User, approver: User) -> int:
    """Create the missing templates with their versions, approved; returns how many."""
    created = 0
    reasons = {reason.code: reason for reason in ContactReason.objects.all()}
    for code, reason_code, kind, title, versions in LIBRARY:
        if reason_code not in reasons or ReplyTemplate.objects.filter(code=code).exists():
            continue
        template = ReplyTemplate.objects.create(
            code=code, kind=kind, reason=reasons[reason_code], title=title
        )
        for body, note, days_before in versions:
            version = version_write(
                template=template,
                body=body,
                change_note=note,
                valid_from=today - dt.timedelta(days=days_before),
                user=author,
            )
            version_approve(version, user=approver)
        created += 1
    return created
