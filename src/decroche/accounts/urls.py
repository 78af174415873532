from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_second_factor

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView accepts POST only: a link cannot sign someone out.
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    # Second factor (SPEC §9).
    path("double-facteur/", views_second_factor.verify, name="second_factor_verify"),
    path("double-facteur/activer/", views_second_factor.enrol, name="second_factor_enrol"),
    path(
        "double-facteur/activer/application/",
        views_second_factor.enrol_totp,
        name="second_factor_enrol_totp",
    ),
    path(
        "double-facteur/activer/e-mail/",
        views_second_factor.enrol_email,
        name="second_factor_enrol_email",
    ),
    path(
        "securite/codes-de-secours/",
        views_second_factor.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("securite/", views_second_factor.security, name="second_factor_security"),
    path(
        "securite/retirer/", views_second_factor.device_remove, name="second_factor_device_remove"
    ),
    *views.UserPages.urlpatterns("utilisateurs"),
    path(
        "utilisateurs/<int:pk>/double-facteur/reinitialiser/",
        views.user_second_factor_reset,
        name="user-second-factor-reset",
    ),
    # The CSO's sign-in locks and password resets (SPEC §9).
    path("verrous/", views.sign_in_locks, name="sign-in-locks"),
    path("verrous/lever/", views.sign_in_lock_lift, name="sign-in-lock-lift"),
    path(
        "utilisateurs/<int:pk>/mot-de-passe/reinitialiser/",
        views.user_password_reset,
        name="user-password-reset",
    ),
]
