"""Who may open the training pages: the permissions, and one helper per object kind that
fetches and authorises (STYLE: fetch and authorise in one helper)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .. import selectors
from ..models import (
    Certificate,
    Session,
)

MANAGE = "training.manage_training"
VIEW = "training.view_training"
TEACH = "training.teach"
ATTEND = "training.attend"
REQUEST = "training.request_training"
BEFORE_AFTER_DAYS = 30  # the same length before and after a session (issue 13 point 6)


def require(user, *permissions: str) -> None:
    if not any(user.has_perm(p) for p in permissions):
        raise PermissionDenied


def session_for(request: HttpRequest, pk: int, *, write: bool = False) -> Session:
    """The session if the user may see it (managers and readers: all; trainers: theirs);
    `write`: the manager, or a trainer of this session (attendance, signatures)."""
    require(request.user, VIEW, TEACH)
    session = get_object_or_404(selectors.sessions_for(request.user), pk=pk)
    if write and not (
        request.user.has_perm(MANAGE)
        or (request.user.has_perm(TEACH) and session.trainers.filter(pk=request.user.pk).exists())
    ):
        raise PermissionDenied
    return session


def certificate_for(request: HttpRequest, code: str) -> Certificate:
    """A certificate for who reads training, or for its own trainee."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__session__programme"), code=code
    )
    enrolment = certificate.enrolment
    own = request.user.pk in (enrolment.user_id, getattr(enrolment.advisor, "user_id", None))
    if not (request.user.has_perm(VIEW) or (own and request.user.has_perm(ATTEND))):
        raise PermissionDenied
    return certificate


def room_secret() -> bytes:
    return f"training-room-code:{settings.SECRET_KEY}".encode()


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()
