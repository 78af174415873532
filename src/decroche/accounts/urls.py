from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView accepts POST only: a link cannot sign someone out.
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    *views.UserPages.urlpatterns("utilisateurs"),
]
