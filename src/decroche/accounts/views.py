"""Each role's home page, sign-in, sign-out, password change and the CSO's list of
accounts (SPEC §9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from decroche.core.navigation import destinations_for

from . import selectors, services
from .forms import DsfrPasswordChangeForm, LoginForm
from .roles import ROLES


def home(request: HttpRequest) -> HttpResponse:
    """Cards linking to what the user's roles allow, and nothing else."""
    user_roles = {group.name for group in request.user.groups.all()}
    roles = [role for role in ROLES if role.code in user_roles]
    context = {"title": _("Home"), "roles": roles, "destinations": destinations_for(request.user)}
    return render(request, "accounts/home.html", context)


class LoginView(auth_views.LoginView):
    """Public: Django marks it `login_not_required`. Audit through the auth signals."""

    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("Sign in")}


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = DsfrPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")
    extra_context = {"title": _("Change my password")}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user, request=self.request)
        messages.success(self.request, gettext("Your password has been changed."))
        return response


@permission_required("accounts.view_user", raise_exception=True)
def user_list(request: HttpRequest) -> HttpResponse:
    """Accounts with their roles and last login, for the CSO (SPEC §9)."""
    role = request.GET.get("role", "")
    active = request.GET.get("active", "")
    users = selectors.users_for_security_officer(role=role, active=active)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    rows = [(user, selectors.role_labels(user)) for user in page.object_list]
    context = {
        "title": _("User accounts"),
        "page_obj": page,
        "rows": rows,
        "roles": ROLES,
        "selected_role": role,
        "selected_active": active,
    }
    return render(request, "accounts/user_list.html", context)
