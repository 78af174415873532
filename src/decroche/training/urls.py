from django.urls import path

from .views import public, staff, trainee

urlpatterns = [
    path("", staff.catalogue, name="training-catalogue"),
    path("sessions/", staff.sessions, name="training-sessions"),
    path("sessions/<int:pk>/", staff.session_detail, name="training-session"),
    path("sessions/<int:pk>/inscrire/", staff.session_enrol, name="training-session-enrol"),
    path("sessions/<int:pk>/annuler/", staff.session_cancel, name="training-session-cancel"),
    path("sessions/<int:pk>/emargement.pdf", staff.sign_in_sheet, name="training-sign-in-sheet"),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/presence/",
        staff.attendance_record,
        name="training-attendance",
    ),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/signer/",
        staff.half_day_sign,
        name="training-half-day-sign",
    ),
    path(
        "inscriptions/<int:pk>/annuler/", staff.enrolment_cancel, name="training-enrolment-cancel"
    ),
    path(
        "inscriptions/<int:pk>/certificat/",
        staff.certificate_issue,
        name="training-certificate-issue",
    ),
    path("inscriptions/<int:pk>/convocation.pdf", staff.convocation, name="training-convocation"),
    path(
        "sessions/<int:pk>/convocations/",
        staff.convocations_send,
        name="training-convocations-send",
    ),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/scan/",
        staff.sheet_scan_upload,
        name="training-sheet-upload",
    ),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/scan/fichier/",
        staff.sheet_scan,
        name="training-sheet-scan",
    ),
    path("certificats/", staff.certificates, name="training-certificates"),
    path("certificats/<str:code>.pdf", staff.certificate_download, name="training-certificate-pdf"),
    path(
        "certificats/<str:code>/revoquer/",
        staff.certificate_revoke,
        name="training-certificate-revoke",
    ),
    path("demandes/", staff.requests, name="training-requests"),
    path("couts.xlsx", staff.money_xlsx, name="training-money-xlsx"),
    path("annulations/", staff.cancellations, name="training-cancellations"),
    path("qualite/", staff.quality_evidence, name="training-quality"),
    path("sans-parcours/", staff.without_path, name="training-without-path"),
    path("mes-formations/", trainee.my_training, name="training-mine"),
    path("mes-formations/<int:pk>/plan-d-action/", trainee.my_action_plan, name="training-my-plan"),
    path("transfert/<int:pk>/", trainee.transfer_answer, name="training-transfer"),
    path("mon-equipe/", trainee.team, name="training-team"),
    path("sessions/<int:pk>/cloturer/", staff.session_close, name="training-session-close"),
    path("mes-formations/signer/<int:pk>/", trainee.my_sign, name="training-my-sign"),
    path("mes-formations/<int:pk>/test/<str:kind>/", trainee.my_test, name="training-my-test"),
    path(
        "mes-formations/<int:pk>/satisfaction/",
        trainee.my_satisfaction,
        name="training-my-satisfaction",
    ),
    path("programmes/<slug:code>/", public.programme_public, name="training-programme-public"),
]

# Mounted at the site root (src/decroche/urls.py): the QR code of a certificate points here.
public_urlpatterns = [
    path("verifier/<str:code>/", public.certificate_verify, name="training-verify"),
]
