"""The five pages of one kind of record (list with search and filters, detail, create,
edit, deactivate), shared by reference data, accounts and contract settings (issue 18
point 10). Records that figures refer to are deactivated, never deleted.

A subclass of `RecordPages` says, for one model: the permissions, the read scope
(`visible`) and the write scope (`editable`), the form, the columns, and which service
writes. Views stay thin (STYLE habit 3): the permission is checked by the mixin, the
object is fetched within the user's scope in one helper (`record_for`), the form is
validated, one service writes and audits. An object outside the scope is a 404, as if it
did not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from .forms import DsfrForm

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    """A column of a list, or a line of a detail page: a label and how to read the value."""

    label: Any
    value: Callable[[Any], Any]


def field(name: str) -> Callable[[Any], Any]:
    """The displayed value of a model field (`get_FOO_display` for choices)."""

    def read(obj):
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display else getattr(obj, name)
        return "—" if value in (None, "") else value

    return read


class SearchForm(DsfrForm):
    """The free-text search every list has; subclasses add their filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # whose scope limits the choices of subclasses' filters


ACTIVE_CHOICES = [("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))]


class RecordPages(PermissionRequiredMixin, View):
    """Base of every record page; subclasses set the class attributes below."""

    raise_exception = True  # a signed-in person without the permission gets the 403 page

    url_prefix: ClassVar[str]  # "organisation-site" -> organisation-site-list, -detail...
    title: ClassVar[Any]  # plural, e.g. _("Sites")
    add_label: ClassVar[Any] = ""  # the create button and page title, e.g. _("Add a site")
    view_permission: ClassVar[str]
    add_permission: ClassVar[str] = ""  # empty: records of this kind are not created here
    change_permission: ClassVar[str] = ""
    can_deactivate: ClassVar[bool] = True
    form_class: ClassVar[type[forms.ModelForm] | None] = None
    filter_form_class: ClassVar[type[SearchForm]] = SearchForm
    search_fields: ClassVar[Sequence[str]] = ()
    columns: ClassVar[Sequence[Column]] = ()
    detail_lines: ClassVar[Sequence[Column]] = ()

    # --- what subclasses provide ---------------------------------------------------------
    def visible(self, user) -> QuerySet:
        raise NotImplementedError

    def editable(self, user) -> QuerySet:
        return self.visible(user)

    def filtered(self, records: QuerySet, data: dict) -> QuerySet:
        """Apply the filters of `filter_form_class` other than the search."""
        return records

    def is_active(self, record) -> bool:
        return True

    def save(self, *, form, user, record) -> Model:
        """Create (`record` is None) or change a record through the app's service."""
        raise NotImplementedError

    def deactivate(self, *, record, user) -> None:
        raise NotImplementedError

    def form_kwargs(self) -> dict:
        """Extra arguments of the form, e.g. the user whose scope limits the choices."""
        return {"user": self.request.user}

    # --- shared machinery ------------------------------------------------------------------
    def record_for(self, pk: int, *, for_change: bool = False):
        """The record within the user's read or write scope, or 404 (fetch and authorise)."""
        scope = self.editable if for_change else self.visible
        record = scope(self.request.user).filter(pk=pk).first()
        if record is None:
            raise Http404
        return record

    def may(self, permission: str) -> bool:
        return bool(permission) and self.request.user.has_perm(permission)

    def render_page(self, template: str, **context) -> HttpResponse:
        base = {"pages": self, "list_url": reverse(f"{self.url_prefix}-list")}
        return render(self.request, f"pages/{template}", base | context)

    def get_permission_required(self):
        return (self.view_permission,)

    @classmethod
    def urlpatterns(cls, prefix: str) -> list:
        """The list, detail, create, edit and deactivate URLs under `prefix`."""
        name = cls.url_prefix
        list_view = type(f"{cls.__name__}List", (RecordList, cls), {}).as_view()
        detail_view = type(f"{cls.__name__}Detail", (RecordDetail, cls), {}).as_view()
        patterns = [
            path(f"{prefix}/", list_view, name=f"{name}-list"),
            path(f"{prefix}/<int:pk>/", detail_view, name=f"{name}-detail"),
        ]
        if cls.add_permission:
            view = type(f"{cls.__name__}Create", (RecordCreate, cls), {}).as_view()
            patterns.append(path(f"{prefix}/nouveau/", view, name=f"{name}-create"))
        if cls.change_permission:
            view = type(f"{cls.__name__}Edit", (RecordEdit, cls), {}).as_view()
            patterns.append(path(f"{prefix}/<int:pk>/modifier/", view, name=f"{name}-edit"))
            if cls.can_deactivate:
                view = type(f"{cls.__name__}Deactivate", (RecordDeactivate, cls), {}).as_view()
                patterns.append(
                    path(f"{prefix}/<int:pk>/desactiver/", view, name=f"{name}-deactivate")
                )
        return patterns


class RecordList(RecordPages):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.filter_form_class(request.GET or None, user=request.user)
        records = self.visible(request.user)
        if form.is_valid():
            data = form.cleaned_data
            if data.get("q") and self.search_fields:
                query = Q()
                for name in self.search_fields:
                    query |= Q(**{f"{name}__icontains": data["q"]})
                records = records.filter(query)
            records = self.filtered(records, data)
        page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "url": reverse(f"{self.url_prefix}-detail", args=[record.pk]),
                "cells": [column.value(record) for column in self.columns],
                "active": self.is_active(record),
            }
            for record in page.object_list
        ]
        return self.render_page(
            "record_list.html",
            title=self.title,
            form=form,
            page_obj=page,
            rows=rows,
            may_add=self.may(self.add_permission),
        )


class RecordDetail(RecordPages):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.record_for(pk)
        may_change = (
            self.may(self.change_permission) and self.editable(request.user).filter(pk=pk).exists()
        )
        return self.render_page(
            "record_detail.html",
            title=str(record),
            record=record,
            lines=[(line.label, line.value(record)) for line in self.detail_lines],
            active=self.is_active(record),
            may_change=may_change,
        )


class RecordCreate(RecordPages):
    def get_permission_required(self):
        return (self.view_permission, self.add_permission)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._form_page(self.form_class(**self.form_kwargs()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST, **self.form_kwargs())
        if not form.is_valid():
            return self._form_page(form)
        record = self.save(form=form, user=request.user, record=None)
        messages.success(request, _("Record created."))
        return redirect(f"{self.url_prefix}-detail", pk=record.pk)

    def _form_page(self, form) -> HttpResponse:
        return self.render_page("record_form.html", title=self.add_label, form=form)


class RecordEdit(RecordPages):
    def get_permission_required(self):
        return (self.view_permission, self.change_permission)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.record_for(pk, for_change=True)
        return self._form_page(self.form_class(instance=record, **self.form_kwargs()), record)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.record_for(pk, for_change=True)
        form = self.form_class(request.POST, instance=record, **self.form_kwargs())
        if not form.is_valid():
            return self._form_page(form, record)
        self.save(form=form, user=request.user, record=record)
        messages.success(request, _("Changes saved."))
        return redirect(f"{self.url_prefix}-detail", pk=record.pk)

    def _form_page(self, form, record) -> HttpResponse:
        title = _("Edit: %(record)s") % {"record": record}
        return self.render_page("record_form.html", title=title, form=form, record=record)


class RecordDeactivate(RecordPages):
    def get_permission_required(self):
        return (self.view_permission, self.change_permission)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.record_for(pk, for_change=True)
        if self.is_active(record):
            self.deactivate(record=record, user=request.user)
            messages.success(request, _("Deactivated: %(record)s") % {"record": record})
        return redirect(f"{self.url_prefix}-detail", pk=record.pk)
