"""Pages of the library: the list with what changed since one's last reading, a template
with its history, writing a new version, approving it. Thin views; permissions checked on
the server (accounts.roles)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decroche.core.calendar import paris_today

from . import selectors, services
from .forms import TemplateForm, VersionForm
from .models import ReplyTemplate, TemplateVersion

VIEW = "replies.view_replytemplate"
WRITE = "replies.add_templateversion"
APPROVE = "replies.approve_replytemplate"


@permission_required(VIEW, raise_exception=True)
def library(request: HttpRequest) -> HttpResponse:
    lines = selectors.library_for(request.user, day=paris_today())
    return render(
        request,
        "replies/library.html",
        {
            "title": _("Reply templates and scripts"),
            "lines": lines,
            "unread": sum(1 for line in lines if line.unread),
        },
    )


@permission_required(VIEW, raise_exception=True)
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The version in force (read receipt recorded), what changed since the reader's last
    reading, and the history; drafts only for those who write or approve."""
    template = get_object_or_404(ReplyTemplate.objects.select_related("reason"), pk=pk)
    today = paris_today()
    line = next(
        line for line in selectors.library_for(request.user, day=today) if line.template == template
    )
    if line.current is not None:
        services.version_read(line.current, user=request.user)
    versions = template.versions.select_related("written_by", "approved_by")
    if not (request.user.has_perm(WRITE) or request.user.has_perm(APPROVE)):
        versions = versions.filter(status="approved")
    return render(
        request,
        "replies/template_detail.html",
        {"title": template.title, "template": template, "line": line, "versions": versions},
    )


@permission_required(WRITE, raise_exception=True)
def template_new(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = slugify(f"{data['reason'].code}-{data['title']}")[:60]
        if ReplyTemplate.objects.filter(code=code).exists():
            form.add_error("title", _("A template of this title already exists for this reason."))
        else:
            template = ReplyTemplate.objects.create(
                code=code, kind=data["kind"], reason=data["reason"], title=data["title"]
            )
            services.version_write(
                template=template,
                body=data["body"],
                change_note="",
                valid_from=data["valid_from"],
                user=request.user,
            )
            messages.success(request, _("Template written: it is used once approved."))
            return redirect("replies-template", pk=template.pk)
    return render(request, "replies/form.html", {"title": _("New template"), "form": form})


@permission_required(WRITE, raise_exception=True)
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(ReplyTemplate, pk=pk)
    current = selectors.version_in_force(template, paris_today())
    initial = {"body": current.body} if current else {}
    form = VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_write(template=template, user=request.user, **form.cleaned_data)
        except services.LibraryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("New version written: it is used once approved."))
            return redirect("replies-template", pk=template.pk)
    return render(
        request,
        "replies/form.html",
        {"title": _("New version of “%(title)s”") % {"title": template.title}, "form": form},
    )


@require_POST
@permission_required(APPROVE, raise_exception=True)
def version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(TemplateVersion, pk=pk)
    try:
        services.version_approve(version, user=request.user)
    except services.LibraryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Version approved."))
    return redirect("replies-template", pk=version.template_id)
