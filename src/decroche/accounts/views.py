"""Each role's home page, sign-in, sign-out, password change and the CSO's pages of
accounts and roles (SPEC §9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from decroche.core.navigation import destinations_for
from decroche.core.pages import Column, RecordPages, field

from . import selectors, services
from .forms import DsfrPasswordChangeForm, LoginForm, UserAccountForm, UserFilterForm
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


class UserPages(RecordPages):
    """Nominative accounts and their roles, for the CSO and the administrator (SPEC §9)."""

    url_prefix = "user"
    title = _("User accounts")
    add_label = _("Create an account")
    view_permission = "accounts.view_user"
    add_permission = "accounts.add_user"
    change_permission = "accounts.change_user"
    form_class = UserAccountForm
    filter_form_class = UserFilterForm
    search_fields = ("username", "first_name", "last_name", "email")
    columns = (
        Column(_("Name"), lambda account: f"{account.last_name} {account.first_name}"),
        Column(_("Username"), field("username")),
        Column(_("E-mail"), field("email")),
        Column(_("Roles"), lambda account: ", ".join(selectors.role_labels(account)) or "—"),
        Column(
            _("Last login"),
            lambda account: (
                date_format(localtime(account.last_login), "SHORT_DATETIME_FORMAT")
                if account.last_login
                else _("never")
            ),
        ),
    )
    detail_lines = columns + (
        Column(
            _("Temporary password"),
            lambda account: _("yes") if account.must_change_password else _("no"),
        ),
        Column(_("Created on"), lambda account: date_format(localtime(account.date_joined))),
        Column(_("Second factor"), lambda account: selectors.second_factor_summary(account)),
    )

    def visible(self, user):
        return selectors.users_visible_to(user)

    def render_page(self, template: str, **context) -> HttpResponse:
        """The detail page adds the second factor's reset (a lost phone, SPEC §9)."""
        if template != "record_detail.html":
            return super().render_page(template, **context)
        base = {"pages": self, "list_url": reverse("user-list")}
        return render(self.request, "accounts/user_detail.html", base | context)

    def filtered(self, records, data):
        if data.get("role"):
            records = records.filter(groups__name=data["role"])
        if data.get("active") == "yes":
            records = records.filter(is_active=True)
        elif data.get("active") == "no":
            records = records.filter(is_active=False)
        return records

    def is_active(self, record) -> bool:
        return record.is_active

    def save(self, *, form, user, record):
        return services.user_account_save(form=form, user=user)

    def deactivate(self, *, record, user) -> None:
        services.user_deactivate(account=record, user=user)


@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The CSO removes every second factor of an account in their scope (lost phone): the
    person enrols again at their next sign-in (SPEC §9)."""
    if not request.user.has_perm("accounts.change_user"):
        raise PermissionDenied
    account = get_object_or_404(selectors.users_visible_to(request.user), pk=pk)
    services.user_second_factor_reset(account=account, user=request.user, request=request)
    messages.success(
        request, gettext("Second factor reset: the person will set up a new one at next sign-in.")
    )
    return redirect("user-detail", pk=account.pk)


@permission_required("accounts.change_user", raise_exception=True)
def sign_in_locks(request: HttpRequest) -> HttpResponse:
    """The CSO's list of locked accounts and addresses, each with its 'lift' button (SPEC §9)."""
    context = {"title": _("Locked sign-ins"), "locks": selectors.sign_in_locks()}
    return render(request, "accounts/sign_in_locks.html", context)


@require_POST
@permission_required("accounts.change_user", raise_exception=True)
def sign_in_lock_lift(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")[:150]
    ip_address = request.POST.get("ip_address", "")[:45]
    if not username and not ip_address:
        raise PermissionDenied
    services.lock_lift(username=username, ip_address=ip_address, user=request.user, request=request)
    messages.success(request, gettext("Lock lifted."))
    return redirect("sign-in-locks")


@require_POST
@permission_required("accounts.change_user", raise_exception=True)
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The CSO gives an account in their scope a temporary password, shown once here; the
    person changes it at next sign-in (SPEC §9)."""
    account = get_object_or_404(selectors.users_visible_to(request.user), pk=pk)
    password = services.user_password_reset(account=account, user=request.user, request=request)
    context = {"title": _("Temporary password"), "account": account, "password": password}
    response = render(request, "accounts/password_reset_done.html", context)
    response["Cache-Control"] = "no-store"
    return response
