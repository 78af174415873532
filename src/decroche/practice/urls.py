from django.urls import path

from . import views

urlpatterns = [
    path("", views.scenario_list, name="practice-scenario-list"),
    path("scenarios/<int:pk>/jouer/", views.run_start, name="practice-run-start"),
    path("parties/<int:pk>/", views.run_play, name="practice-run-play"),
    path("parties/<int:pk>/resultat/", views.run_result, name="practice-run-result"),
    path("parties/<int:pk>/revue/", views.run_review, name="practice-run-review"),
    path("mes-parties/", views.my_runs, name="practice-my-runs"),
    path("suivi/", views.run_list, name="practice-run-list"),
    path("revue/", views.review_queue, name="practice-review-queue"),
]
urlpatterns += [
    path("evaluations/", views.assessment_list, name="practice-assessment-list"),
    path("evaluations/<int:pk>/", views.assessment_detail, name="practice-assessment"),
    path(
        "evaluations/<int:pk>/dossier.pdf", views.assessment_file, name="practice-assessment-file"
    ),
    path(
        "evaluations/<int:pk>/preuves/",
        views.assessment_evidence,
        name="practice-assessment-evidence",
    ),
    path("evaluations/resultats/", views.assessment_results, name="practice-assessment-results"),
    path("evaluations/accord/", views.agreement_report, name="practice-agreement"),
    path("evaluations/mes-evaluations/", views.my_assessments, name="practice-my-assessments"),
]
