"""Demo training data (issue 13; SPEC §8): the three programmes of the sources, the
contractor's initial training path, sessions past and future with enrolments, a waiting
list, attendance, certificates, requests (one overdue) and a cancellation by the training
body; most advisors completed the path before going on the line, a few did not, so the
`trained_advisors_rate` indicator is below 100 %.

Deterministic (seeded), safe to run again: nothing is created when the path exists. The
path's attendance of the whole roster is written in bulk (hundreds of half-days); the
showcase sessions go through `training.services` (audited, waiting list, certificates).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from decroche.core.calendar import PARIS, add_working_days, is_working_day
from decroche.organisation.models import Advisor
from decroche.training import followup, services
from decroche.training.choices import EnrolmentStatus, Presence, SignatureMethod
from decroche.training.models import (
    Attendance,
    Enrolment,
    LineStart,
    Programme,
    Question,
    Session,
    SessionHalfDay,
    TransferEvaluation,
)

SEED = 13
GO_LIVE = dt.date(2025, 10, 1)  # the roster's go-live: initial training in the days before
PATH_GROUP = 12
NOT_TRAINED_SHARE = 0.06  # advisors who missed a required half-day of the path
BODY = "Forma Relation Usagers"
CONTRACTOR = "Titulaire du marché (centre de contacts)"

# (code, title, hours, half-days of the 4-day path, optional) — seed 002 §5.2.
PATH = (
    ("path-institutional", "Parcours initial — Contexte institutionnel", "3.5", [(0, "am")], False),
    (
        "path-product",
        "Parcours initial — Le produit Mon espace santé",
        "7",
        [(0, "pm"), (1, "am")],
        False,
    ),
    (
        "path-portal-n2",
        "Parcours initial — Portail de support et escalade N2",
        "3.5",
        [(1, "pm")],
        False,
    ),
    (
        "path-scripts",
        "Parcours initial — Scripts de réponse et règles de traitement",
        "10.5",
        [(2, "am"), (2, "pm"), (3, "am")],
        False,
    ),
    (
        "path-tools",
        "Parcours initial — Outils complémentaires (facultatif)",
        "3.5",
        [(3, "pm")],
        True,
    ),
)

PROGRAMMES = (
    dict(
        code="situations-difficiles-agents",
        title="Gérer les situations difficiles — agents d'accueil et de téléphonie",
        audience="Conseillers téléphoniques (96), conseillers d'accueil (52), managers ; complété par les agents du back-office.",
        prerequisites="Être en poste d'accueil physique, téléphonique ou de traitement des courriels.",
        objectives=(
            "Reconnaître les types de situations difficiles (incivilité, détresse psychologique, comportements déstabilisants).\n"
            "Distinguer public difficile, public en difficulté et public fragile.\n"
            "Pratiquer une communication assertive et l'« engagement distancié ».\n"
            "Réguler ses émotions et son stress ; désamorcer un conflit ; garder un cadre sécurisant."
        ),
        content="Jour 1 : typologie des situations et des publics, mécanismes de tension. Jour 2 : communication assertive, mises en situation, régulation émotionnelle, plan d'action personnel.",
        methods="Apports théoriques, études de cas vécus, jeux de rôle, exercices de régulation émotionnelle, auto-évaluation et plan d'action personnel.",
        duration_hours=Decimal("14"),
        format="intra",
        place="Grenoble — locaux de la CPAM",
        parts_description="2 jours consécutifs.",
        price=Decimal("1900"),
        price_basis="session",
        deliverables="Support écrit, certificat de réalisation.",
        accessibility="Salle accessible aux personnes à mobilité réduite ; adaptation sur demande au référent handicap.",
        contacts="Assistante formation : formation@example.org ; cheffe de projet : 04 76 00 00 00.",
    ),
    dict(
        code="situations-difficiles-managers",
        title="Gérer les situations difficiles — managers",
        audience="Managers de proximité (16).",
        prerequisites="Encadrer une équipe d'accueil ou de téléphonie.",
        objectives=(
            "Intervenir avec discernement : rôle, posture, marges de manœuvre.\n"
            "Conduire un débriefing après un événement difficile.\n"
            "Repérer la fatigue émotionnelle et activer les relais (santé au travail, psychologue) dans la confidentialité."
        ),
        content="Posture du manager ; débriefing individuel et collectif ; culture collective et rituels managériaux ; événements potentiellement traumatiques.",
        methods="Apports, co-développement en sous-groupes, boîte à outils du manager.",
        duration_hours=Decimal("7"),
        format="intra",
        place="Grenoble — locaux de la CPAM",
        parts_description="1 jour.",
        price=Decimal("1200"),
        price_basis="session",
        deliverables="Boîte à outils du manager, certificat de réalisation.",
        contacts="Assistante formation : formation@example.org.",
    ),
    dict(
        code="co-construction-indicateurs",
        title="Co-construire des indicateurs avec les professionnels de santé",
        audience="Cadres de l'Assurance Maladie et professionnels de santé.",
        prerequisites="Aucun.",
        objectives="Construire avec les professionnels des indicateurs partagés, les tester et les suivre.",
        content="Jours 1 et 2 : démarche inductive (MONTRER / FAIRE / DIRE / VÉRIFIER), travail préparatoire entre les sessions. Jour 3 (à trois mois) : retour d'expérience.",
        methods="Pédagogie inductive, ateliers, travail intersession.",
        duration_hours=Decimal("21"),
        format="inter",
        place="Paris",
        parts_description="2 jours, puis une journée de retour d'expérience trois mois plus tard ; 9 h–12 h 30 / 14 h–17 h 30.",
        price=Decimal("1620"),
        price_basis="person",
        funded_share=Decimal("0.70"),
        funding_rule="70 % pris en charge pour certains publics ; le reste facturé à l'organisme employeur.",
        deliverables="Support écrit, certificat de réalisation.",
        contacts="Assistante : inscriptions@example.org ; chef de projet : 01 40 00 00 00.",
    ),
)


# The agents' course question bank: (objective, question, choices, right choice).
QUESTIONS = (
    (
        "Reconnaître les situations difficiles",
        "Un usager répète sa demande en haussant le ton dès le début de l'appel. Il s'agit :",
        [
            "d'une agressivité gratuite",
            "d'une posture passive-agressive d'emblée",
            "d'un public fragile",
        ],
        1,
    ),
    (
        "Reconnaître les situations difficiles",
        "Une personne en difficulté financière et perdue dans ses démarches est :",
        ["un public difficile", "un public en difficulté", "un public agressif"],
        1,
    ),
    (
        "Communication assertive",
        "Face à un reproche injuste, la réponse assertive est :",
        [
            "« Calmez-vous. »",
            "« Je comprends votre agacement ; voici ce que je peux faire. »",
            "Ne rien répondre.",
        ],
        1,
    ),
    (
        "Communication assertive",
        "L'« engagement distancié », c'est :",
        [
            "prendre la colère pour soi",
            "s'impliquer dans la solution sans absorber l'émotion",
            "abréger l'appel",
        ],
        1,
    ),
    (
        "Réguler ses émotions",
        "Après un appel éprouvant, le premier réflexe utile est :",
        [
            "enchaîner aussitôt",
            "une courte pause de respiration et en parler au superviseur",
            "rappeler l'usager",
        ],
        1,
    ),
    (
        "Réguler ses émotions",
        "Une agressivité induite par sa propre communication se prévient en :",
        ["reformulant et en expliquant les étapes", "répondant plus vite", "citant le règlement"],
        0,
    ),
)
COMMENTS = (
    "Les mises en situation étaient très proches de nos appels.",
    "J'aurais aimé plus de temps sur la gestion du stress.",
    "Concret, je repars avec mon plan d'action.",
)


@dataclass(frozen=True)
class TrainingDemoSummary:
    sessions: int
    attendances: int
    certificates: int
    not_trained: int


def _working_days_from(day: dt.date, count: int) -> list[dt.date]:
    first = day if is_working_day(day) else add_working_days(day, 1)
    return [first] + [add_working_days(first, n) for n in range(1, count)]


def _path_sessions(modules, days: list[dt.date], group: int, trainer) -> list[Session]:
    sessions = []
    for module, (_code, _title, _hours, half_days, _optional) in zip(modules, PATH, strict=True):
        session = Session.objects.create(
            programme=module,
            reference=f"PI-{days[0]:%Y%m%d}-{group:02d}-{module.path_order}",
            place="Centre de contacts — salle de formation",
            training_body=CONTRACTOR,
            capacity=module.max_group_size,
            status="held" if days[-1] < timezone.localdate() else "validated",
        )
        session.trainers.add(trainer)
        for offset, half in half_days:
            SessionHalfDay.objects.create(session=session, day=days[offset], half=half)
        sessions.append(session)
    return sessions


def _at(day: dt.date, half: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 5) if half == "am" else dt.time(14, 5), tzinfo=PARIS)


def _path_ensure(rng: random.Random, today: dt.date, trainer, manager) -> tuple[int, int, int]:
    """The path's sessions for the go-live cohort and every later joiner already on the
    line, in groups; attendance in bulk. Returns (sessions, attendances, not trained)."""
    modules = []
    for order, (code, title, hours, _half_days, optional) in enumerate(PATH, start=1):
        modules.append(
            Programme.objects.create(
                code=code,
                title=title,
                audience="Conseillers du titulaire avant leur mise en production.",
                objectives="Être opérationnel sur le périmètre du marché dès la mise en production.",
                duration_hours=Decimal(hours),
                max_group_size=PATH_GROUP,
                is_initial_path=True,
                path_optional=optional,
                path_order=order,
                deliverables="Certificat de réalisation.",
                place="Centre de contacts",
            )
        )
    advisors = list(Advisor.objects.order_by("login"))
    cohorts: dict[dt.date, list[Advisor]] = {}
    for advisor in advisors:
        if advisor.joined_on <= GO_LIVE:
            start = add_working_days(GO_LIVE, -4)  # the four working days before go-live
        else:
            start = advisor.joined_on
        days = _working_days_from(start, 4)
        if days[-1] >= today:
            continue  # still to be trained: not on the line yet
        cohorts.setdefault(days[0], []).append(advisor)
    sessions = attendances = 0
    not_trained: set[int] = set()
    line_starts = []
    rows = []
    for first_day, cohort in sorted(cohorts.items()):
        days = _working_days_from(first_day, 4)
        operational_on = GO_LIVE if first_day < GO_LIVE else add_working_days(days[-1], 1)
        for group_index in range(0, len(cohort), PATH_GROUP):
            group = cohort[group_index : group_index + PATH_GROUP]
            group_sessions = _path_sessions(modules, days, group_index // PATH_GROUP, trainer)
            sessions += len(group_sessions)
            missed = {a.pk for a in group if rng.random() < NOT_TRAINED_SHARE}
            not_trained |= missed
            for session in group_sessions:
                for advisor in group:
                    enrolment = Enrolment.objects.create(
                        session=session,
                        advisor=advisor,
                        user=advisor.user,
                        trainee_name=f"{advisor.first_name} {advisor.last_name}",
                        employer=CONTRACTOR,
                        status=EnrolmentStatus.ENROLLED,
                        requested_at=_at(days[0], "am") - dt.timedelta(days=14),
                        enrolled_by=manager,
                    )
                    for half_day in session.half_days.all():
                        # a missed half-day of the scripts module: the path is incomplete
                        absent = (
                            advisor.pk in missed
                            and session.programme.code == "path-scripts"
                            and half_day.half == "pm"
                        )
                        rows.append(
                            Attendance(
                                enrolment=enrolment,
                                half_day=half_day,
                                presence=Presence.ABSENT if absent else Presence.PRESENT,
                                method=SignatureMethod.CLICK
                                if advisor.user_id
                                else SignatureMethod.TRAINER,
                                signed_at=_at(half_day.day, half_day.half),
                                recorded_by=advisor.user or trainer,
                                remark="Absent, non remplacé" if absent else "",
                            )
                        )
            for advisor in group:
                if advisor.joined_on > GO_LIVE:
                    line_starts.append(LineStart(advisor=advisor, operational_on=operational_on))
    # Two late joiners put on the line before their path ended (the list beside the indicator).
    for start in line_starts[:2]:
        start.operational_on = start.advisor.joined_on
        not_trained.add(start.advisor.pk)
    LineStart.objects.bulk_create(line_starts)
    Attendance.objects.bulk_create(rows, batch_size=500)
    attendances = len(rows)
    SessionHalfDay.objects.filter(session__programme__is_initial_path=True, day__lt=today).update(
        trainer_signed_by=trainer, trainer_signed_at=timezone.now()
    )
    return sessions, attendances, len(not_trained)


def _showcase_ensure(
    rng: random.Random, today: dt.date, trainer, manager, leader
) -> tuple[int, int, int]:
    """The three programmes: held sessions with attendance and certificates, future ones
    with a waiting list, requests (one overdue), a cancellation by the training body."""
    programmes = {p["code"]: Programme.objects.create(**p) for p in PROGRAMMES}
    agents = programmes["situations-difficiles-agents"]
    managers = programmes["situations-difficiles-managers"]
    indicators = programmes["co-construction-indicateurs"]
    agents.review_on = dt.date(today.year, 12, 15)
    agents.save(update_fields=["review_on"])
    advisors = list(Advisor.objects.filter(left_on__isnull=True).order_by("login"))
    demo = next((a for a in advisors if a.login == "A1001"), None)
    others = [a for a in advisors if a.login != "A1001"]
    sessions = attendances = certificates = 0

    def plan(programme, reference, days, planned_on, request=None):
        half_days = [(day, half) for day in days for half in ("am", "pm")]
        session = services.session_plan(
            programme=programme,
            reference=reference,
            half_days=half_days,
            user=manager,
            planned_on=planned_on,
            trainers=[trainer],
            training_body=BODY,
            request=request,
        )
        services.session_validate(session, user=manager, on=planned_on)
        return session

    # A held agents' session two months ago, with the demo advisor, one late arrival,
    # one excused absence, and certificates for everyone who attended.
    past_days = _working_days_from(today - dt.timedelta(days=60), 2)
    request = services.request_create(
        programme=agents,
        requested_on=past_days[0] - dt.timedelta(days=40),
        user=leader,
        trainees_expected=10,
    )
    held = plan(
        agents, f"SDA-{past_days[0]:%Y%m}", past_days, past_days[0] - dt.timedelta(days=20), request
    )
    group = ([demo] if demo else []) + others[:9]
    enrolments = [services.enrol(held, advisor=a, by=leader, employer=CONTRACTOR) for a in group]
    sessions += 1
    for index, enrolment in enumerate(enrolments):
        for half_day in held.half_days.all():
            presence, missed = Presence.PRESENT, 0
            if index == 1 and half_day.half == "am" and half_day.day == past_days[0]:
                presence, missed = Presence.LATE, 30
            if index == 2 and half_day.day == past_days[1]:
                presence = Presence.EXCUSED
            services.attendance_sign(
                enrolment=enrolment,
                half_day=half_day,
                presence=presence,
                minutes_missed=missed,
                by=enrolment.user or trainer,
                method=SignatureMethod.CLICK if enrolment.user else SignatureMethod.TRAINER,
                at=_at(half_day.day, half_day.half),
                ip_address="192.0.2.20" if enrolment.user else None,
            )
            attendances += 1
    for half_day in held.half_days.all():
        services.half_day_trainer_sign(half_day, by=trainer)
    for enrolment in enrolments:
        services.certificate_issue(enrolment, by=manager)
        certificates += 1
    # The evaluation: pre-test before, post-test after (same bank), hot satisfaction.
    bank = [
        Question.objects.create(
            programme=agents,
            objective=objective,
            text=text,
            choices=choices,
            answer=answer,
            order=order,
        )
        for order, (objective, text, choices, answer) in enumerate(QUESTIONS)
    ]
    for index, enrolment in enumerate(enrolments):
        for kind, right_share, day in (("pre", 0.45, past_days[0]), ("post", 0.85, past_days[1])):
            followup.test_answer(
                enrolment=enrolment,
                kind=kind,
                choices={
                    q.pk: q.answer
                    if rng.random() < right_share
                    else (q.answer + 1) % len(q.choices)
                    for q in bank
                },
                at=_at(day, "am" if kind == "pre" else "pm"),
            )
        if index < 8:
            followup.satisfaction_answer(
                enrolment=enrolment,
                rating=rng.choice((4, 4, 5, 5, 3)),
                objectives_met=rng.choice((4, 5, 4)),
                comment=COMMENTS[index] if index < len(COMMENTS) else "",
                at=_at(past_days[1], "pm"),
            )
    for enrolment in enrolments[:4]:
        followup.action_plan_write(
            enrolment=enrolment,
            self_assessment="À l'aise pour reformuler ; plus difficile de recadrer un appelant insistant.",
            actions="Annoncer le cadre dès la première minute ; une pause après chaque appel éprouvant.",
        )
    followup.session_close(held, by=manager)  # transfer evaluations due in three months

    # A managers' session last month, held, certificates issued.
    managers_day = _working_days_from(today - dt.timedelta(days=30), 1)
    held_managers = plan(
        managers,
        f"SDM-{managers_day[0]:%Y%m}",
        managers_day,
        managers_day[0] - dt.timedelta(days=25),
    )
    sessions += 1
    manager_trainees = [u for u in get_user_model().objects.filter(groups__name="team_leader")]
    for user in manager_trainees:
        enrolment = services.enrol(held_managers, user=user, by=manager, employer=CONTRACTOR)
        for half_day in held_managers.half_days.all():
            services.attendance_sign(
                enrolment=enrolment,
                half_day=half_day,
                presence=Presence.PRESENT,
                by=user,
                method=SignatureMethod.CLICK,
                at=_at(half_day.day, half_day.half),
                ip_address="192.0.2.30",
            )
            attendances += 1
        services.certificate_issue(enrolment, by=manager)
        certificates += 1
    followup.session_close(held_managers, by=manager)

    # A future agents' session, full, with a waiting list of three; one withdrawal promotes
    # the first of the list.
    future_days = _working_days_from(today + dt.timedelta(days=21), 2)
    future = plan(agents, f"SDA-{future_days[0]:%Y%m}", future_days, today - dt.timedelta(days=5))
    sessions += 1
    future_enrolments = [
        services.enrol(future, advisor=a, by=leader, employer=CONTRACTOR) for a in others[10:23]
    ]
    services.enrolment_cancel(future_enrolments[0], by=leader)

    # The indicator co-construction course: days 1–2, then the feedback day at three months.
    first_days = _working_days_from(today + dt.timedelta(days=35), 2)
    feedback_day = _working_days_from(first_days[0] + dt.timedelta(days=91), 1)
    course = services.session_plan(
        programme=indicators,
        reference=f"CCI-{first_days[0]:%Y%m}",
        half_days=[(d, h, Decimal("3.5"), 1) for d in first_days for h in ("am", "pm")]
        + [(feedback_day[0], h, Decimal("3.5"), 2) for h in ("am", "pm")],
        user=manager,
        planned_on=today,
        place="Paris",
        trainers=[trainer],
        training_body="EN3S",
    )
    sessions += 1
    for a in others[23:27]:
        services.enrol(course, advisor=a, by=manager, employer="CPAM de l'Isère")

    # A session validated then cancelled by the training body (the register, penalties).
    cancelled_days = _working_days_from(today - dt.timedelta(days=14), 1)
    cancelled = plan(
        managers,
        f"SDM-{cancelled_days[0]:%Y%m%d}-X",
        cancelled_days,
        cancelled_days[0] - dt.timedelta(days=30),
    )
    services.session_cancel(
        cancelled,
        user=manager,
        on=cancelled_days[0] - dt.timedelta(days=2),
        reason="Formatrice indisponible, pas de remplaçant proposé.",
        by_training_body=True,
    )
    sessions += 1

    # An agents' session four months ago: held, its transfer evaluations answered.
    older_days = _working_days_from(today - dt.timedelta(days=125), 2)
    older = plan(
        agents, f"SDA-{older_days[0]:%Y%m}-A", older_days, older_days[0] - dt.timedelta(days=21)
    )
    sessions += 1
    older_enrolments = [
        services.enrol(older, advisor=a, by=leader, employer=CONTRACTOR) for a in others[30:36]
    ]
    for enrolment in older_enrolments:
        for half_day in older.half_days.all():
            services.attendance_sign(
                enrolment=enrolment,
                half_day=half_day,
                presence=Presence.PRESENT,
                by=trainer,
                method=SignatureMethod.TRAINER,
                at=_at(half_day.day, half_day.half),
            )
            attendances += 1
        services.certificate_issue(enrolment, by=manager)
        certificates += 1
    followup.session_close(older, by=manager)
    for evaluation in TransferEvaluation.objects.filter(enrolment__session=older).select_related(
        "enrolment__advisor__team"
    ):
        team = evaluation.enrolment.advisor.team
        respondent_user = (
            evaluation.enrolment.user
            if evaluation.respondent == "trainee"
            else (team.leader if team and team.leader_id else leader)
        )
        if respondent_user is None:
            continue  # a trainee without an account answers on paper
        followup.transfer_answer(
            evaluation,
            by=respondent_user,
            applied=rng.choice((3, 4, 4, 5)),
            comment="Reformulation systématique, moins d'appels qui dégénèrent.",
        )
    followup.complaint_record(
        kind="complaint",
        received_on=older_days[1] + dt.timedelta(days=3),
        description="Salle trop petite pour les jeux de rôle en sous-groupes.",
        session=older,
        by=manager,
    )

    # Requests: one overdue and unplanned, one recent within its month.
    services.request_create(
        programme=managers,
        requested_on=today - dt.timedelta(days=45),
        user=leader,
        trainees_expected=8,
        note="Nouvelle équipe de managers à Lyon.",
    )
    services.request_create(
        programme=agents,
        requested_on=today - dt.timedelta(days=6),
        user=leader,
        trainees_expected=10,
        note="Conseillers recrutés en renfort.",
    )
    return sessions, attendances, certificates


def demo_training_ensure(*, today: dt.date) -> TrainingDemoSummary | None:
    """The demo's training data (see the module docstring); None when it exists."""
    if Programme.objects.filter(is_initial_path=True).exists():
        return None
    users = get_user_model().objects
    trainer = users.filter(groups__name="trainer").order_by("pk").first()
    manager = users.filter(groups__name="training_manager").order_by("pk").first()
    leader = users.filter(groups__name="team_leader").order_by("pk").first()
    if trainer is None or manager is None or leader is None:
        return None
    rng = random.Random(SEED)
    with transaction.atomic():
        path_sessions, path_rows, not_trained = _path_ensure(rng, today, trainer, manager)
        sessions, rows, certificates = _showcase_ensure(rng, today, trainer, manager, leader)
    return TrainingDemoSummary(
        path_sessions + sessions, path_rows + rows, certificates, not_trained
    )
