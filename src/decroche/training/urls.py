from django.urls import path

from . import views, views_public

urlpatterns = [
    path("", views.catalogue, name="training-catalogue"),
    path("sessions/", views.sessions, name="training-sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="training-session"),
    path("sessions/<int:pk>/inscrire/", views.session_enrol, name="training-session-enrol"),
    path("sessions/<int:pk>/annuler/", views.session_cancel, name="training-session-cancel"),
    path("sessions/<int:pk>/emargement.pdf", views.sign_in_sheet, name="training-sign-in-sheet"),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/presence/",
        views.attendance_record,
        name="training-attendance",
    ),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/signer/",
        views.half_day_sign,
        name="training-half-day-sign",
    ),
    path(
        "inscriptions/<int:pk>/annuler/", views.enrolment_cancel, name="training-enrolment-cancel"
    ),
    path(
        "inscriptions/<int:pk>/certificat/",
        views.certificate_issue,
        name="training-certificate-issue",
    ),
    path("inscriptions/<int:pk>/convocation.pdf", views.convocation, name="training-convocation"),
    path(
        "sessions/<int:pk>/convocations/",
        views.convocations_send,
        name="training-convocations-send",
    ),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/scan/",
        views.sheet_scan_upload,
        name="training-sheet-upload",
    ),
    path(
        "sessions/<int:pk>/demi-journees/<int:half_day>/scan/fichier/",
        views.sheet_scan,
        name="training-sheet-scan",
    ),
    path("certificats/", views.certificates, name="training-certificates"),
    path("certificats/<str:code>.pdf", views.certificate_download, name="training-certificate-pdf"),
    path(
        "certificats/<str:code>/revoquer/",
        views.certificate_revoke,
        name="training-certificate-revoke",
    ),
    path("demandes/", views.requests, name="training-requests"),
    path("couts.xlsx", views.money_xlsx, name="training-money-xlsx"),
    path("annulations/", views.cancellations, name="training-cancellations"),
    path("qualite/", views.quality_evidence, name="training-quality"),
    path("sans-parcours/", views.without_path, name="training-without-path"),
    path("mes-formations/", views.my_training, name="training-mine"),
    path("mes-formations/<int:pk>/plan-d-action/", views.my_action_plan, name="training-my-plan"),
    path("transfert/<int:pk>/", views.transfer_answer, name="training-transfer"),
    path("mon-equipe/", views.team, name="training-team"),
    path("sessions/<int:pk>/cloturer/", views.session_close, name="training-session-close"),
    path("mes-formations/signer/<int:pk>/", views.my_sign, name="training-my-sign"),
    path("mes-formations/<int:pk>/test/<str:kind>/", views.my_test, name="training-my-test"),
    path(
        "mes-formations/<int:pk>/satisfaction/",
        views.my_satisfaction,
        name="training-my-satisfaction",
    ),
    path(
        "programmes/<slug:code>/", views_public.programme_public, name="training-programme-public"
    ),
]

# Mounted at the site root (src/decroche/urls.py): the QR code of a certificate points here.
public_urlpatterns = [
    path("verifier/<str:code>/", views_public.certificate_verify, name="training-verify"),
]
