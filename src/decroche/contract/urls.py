from django.urls import path

from . import settings_pages, views

urlpatterns = [
    path("commandes/", views.order_list, name="contract-order-list"),
    path("commandes/nouvelle/", views.order_enter, name="contract-order-enter"),
    path("commandes/<int:order_id>/", views.order_detail, name="contract-order-detail"),
    path("commandes/<int:order_id>/modifier/", views.order_amend, name="contract-order-amend"),
    path("commandes/<int:order_id>/reponse/", views.order_answer, name="contract-order-answer"),
    path("releve/", views.statement, name="contract-statement"),
    path("parametres/", settings_pages.settings_detail, name="contract-settings"),
    path("parametres/modifier/", settings_pages.settings_edit, name="contract-settings-edit"),
    path("objectifs/", views.proposal_list, name="contract-proposal-list"),
    path("objectifs/nouveau/", views.proposal_create, name="contract-proposal-create"),
    path(
        "objectifs/<int:proposal_id>/reponse/",
        views.proposal_answer,
        name="contract-proposal-answer",
    ),
    path("interruptions/", views.interruption_list, name="contract-interruption-list"),
    path("interruptions/nouvelle/", views.interruption_create, name="contract-interruption-create"),
    path("revue-securite/", views.security_review, name="security-review"),
    path("comites/", views.committee_list, name="contract-committee-list"),
    path("comites/nouveau/", views.committee_create, name="contract-committee-create"),
    path("comites/<int:meeting_id>/", views.committee_detail, name="contract-committee-detail"),
    path(
        "comites/<int:meeting_id>/compte-rendu/",
        views.committee_minutes,
        name="contract-committee-minutes",
    ),
]
