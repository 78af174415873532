"""Authorization matrix (issue 12 point 9; SPEC §9). Every URL pattern of the project is
requested as anonymous and as a signed-in person without any role, and every page of the
navigation as each role, so that a new view without a login, permission or scope check fails
here. The role table is `accounts.roles.ROLES`; the page each permission opens is
`core.navigation.DESTINATIONS`."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from decroche.accounts.roles import ROLES
from decroche.core.navigation import DESTINATIONS

pytestmark = pytest.mark.django_db

# Pages anyone may open: signing in, and what a signed-out person must reach.
PUBLIC = {"/comptes/connexion/", "/admin/login/"}
# Public pages of one record (issue 13): a programme's page for newcomers and the
# verification of a certificate; an unknown code is "not found" to anyone.
PUBLIC_RECORDS = {"/formation/programmes/inconnu/", "/verifier/inconnu/"}
# Pages about the signed-in person themself: their password, second factor, sign-out.
OWN_ACCOUNT = {
    "/",
    "/comptes/deconnexion/",
    "/comptes/mot-de-passe/",
    "/comptes/double-facteur/",
    "/comptes/double-facteur/activer/",
    "/comptes/double-facteur/activer/application/",
    "/comptes/double-facteur/activer/e-mail/",
    "/comptes/securite/",
    "/comptes/securite/codes-de-secours/",
    "/comptes/securite/retirer/",
}
SIGN_IN = ("/comptes/connexion/", "/admin/login/")


def _patterns(resolver=None, prefix=""):
    """(concrete path, whether the route has parameters) for every pattern."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            yield from _patterns(item, route)
        elif isinstance(item, URLPattern):
            yield _fill(route), "<" in route or "(?P" in route


def _fill(route: str) -> str:
    """A concrete path for a route: each parameter gets a value no record has."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"<int:[^>]+>", "999999", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)|<[^>]+>", "inconnu", route)
    return "/" + route


def _request(client, path):
    """GET, or POST when the view takes only POST (state changes)."""
    response = client.get(path)
    return client.post(path) if response.status_code == 405 else response


def test_every_pattern_is_enumerated():
    paths = [path for path, _ in _patterns()]
    assert len(paths) > 300 and "/contrat/releve/" in paths and "/admin/" in paths


def test_anonymous_is_sent_to_sign_in_from_every_page_but_the_public_ones(client):
    wrong = {}
    for path, _ in _patterns():
        response = _request(client, path)
        if path in PUBLIC:
            ok = response.status_code == 200
        elif path in PUBLIC_RECORDS:
            ok = response.status_code == 404
        else:
            ok = response.status_code == 302 and response["Location"].startswith(SIGN_IN)
        if not ok:
            wrong[path] = response.status_code
    assert wrong == {}


def test_a_person_without_a_role_is_refused_everything_but_their_own_account(client, make_user):
    client.force_login(make_user(None))
    wrong = {}
    for path, has_parameters in _patterns():
        if path in PUBLIC or path in PUBLIC_RECORDS or path in OWN_ACCOUNT:
            continue
        status = _request(client, path).status_code
        # A record that does not exist may answer "not found" rather than "not allowed".
        if status not in ({403, 404} if has_parameters else {403}):
            wrong[path] = status
    assert wrong == {}


def _opened_by_role() -> dict[str, set[str]]:
    """url name -> the roles the role table lets in (a page listed twice opens to both)."""
    opened = defaultdict(set)
    for role in ROLES:
        granted = set(role.permissions)
        for destination in DESTINATIONS:
            if destination.role:
                allowed = destination.role == role.code
            else:
                needed = destination.permission
                needed = {needed} if isinstance(needed, str) else set(needed)
                allowed = "*" in granted or bool(needed & granted)
            if allowed:
                opened[destination.url_name].add(role.code)
    return opened


def test_each_role_opens_exactly_the_pages_its_permissions_grant(client, users, advisor):
    # The advisor's own pages need their advisor record (their scope), not only the role.
    advisor.user = users["advisor"]
    advisor.save(update_fields=["user"])
    opened = _opened_by_role()
    url_names = sorted({d.url_name for d in DESTINATIONS})
    wrong = {}
    for role in ROLES:
        client.force_login(users[role.code])
        for name in url_names:
            expected = 200 if role.code in opened[name] else 403
            status = client.get(reverse(name)).status_code
            if status != expected:
                wrong[(role.code, name)] = (status, expected)
        client.logout()
    assert wrong == {}
