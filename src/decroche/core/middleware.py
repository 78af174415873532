"""Who is acting, for the audit entries written away from a view (SPEC §9 access history)."""

from __future__ import annotations

from .services import acting_request


class AuditActorMiddleware:
    """Keep the request at hand while it is served, so that an audit entry written by a
    signal (a permission change) names who made the change and from which address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_request(request):
            return self.get_response(request)
