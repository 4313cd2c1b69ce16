"""Who is asking: the two modes of the workbench, sessions, CSRF and roles.

*Local mode* (no team members in the project): the server makes a random token (``--token`` fixes it) and prints
the address with it; ``?token=`` on any page signs that browser in with a session cookie, and API clients send
``Authorization: Bearer TOKEN``. Whoever holds the token is a lead; the coder name they code as is picked in the
page and remembered in a cookie (or given as ``coder`` in an API request).

*Team mode* (the project has members, ``npt-coder users add``): members sign in with their password; the session
token travels in the cookie or as a Bearer token, and the coder is always the signed-in member.

Cookies are HttpOnly and SameSite=Strict (Secure in team mode unless the server was told it runs on plain
loopback HTTP). A write that rides on the cookie must carry the session's CSRF secret in ``X-CSRF-Token`` (the
page's scripts) or a ``csrf`` form field, and must not come from another origin; a Bearer request carries no
ambient credential and needs neither.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from fastapi import HTTPException, Request

from .. import services
from ..errors import ProjectError

__all__ = ["COOKIE", "CODER_COOKIE", "Identity", "WorkbenchState", "identify"]

COOKIE = "npt_session"
CODER_COOKIE = "npt_coder"
_WRITE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class WorkbenchState:
    """What the app knows beyond the project: its mode, the local token and the local sessions (in memory: they
    end with the server, as the token does)."""

    token: str
    team: bool
    secure_cookies: bool
    local_sessions: dict[str, str] = field(default_factory=dict)  # session id -> csrf secret

    def new_local_session(self) -> tuple[str, str]:
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        self.local_sessions[sid] = csrf
        return sid, csrf


@dataclass(frozen=True)
class Identity:
    """A caller: ``coder`` is the name their codings carry (None in local mode until they pick one)."""

    coder: str | None
    role: str
    csrf: str | None  # None for Bearer requests
    session: str | None = None
    member: bool = False  # team mode: a signed-in member, who codes as themself only

    @property
    def can_code(self) -> bool:
        return self.role in ("lead", "coder")

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth[:7].lower() == "bearer " else None


def _local_coder(request: Request) -> str | None:
    try:
        return services.check_coder_name(unquote(request.cookies.get(CODER_COOKIE) or ""))
    except ProjectError:
        return None


def identify(request: Request) -> Identity | None:
    """The caller's identity from a Bearer token or the session cookie, or None."""
    state: WorkbenchState = request.app.state.workbench
    project = request.app.state.project
    bearer = _bearer(request)
    if state.team:
        token = bearer or request.cookies.get(COOKIE)
        found = services.session_for(project, token)
        if found is None:
            return None
        return Identity(found.name, found.role, None if bearer else found.csrf, found.token, member=True)
    if bearer is not None:
        return Identity(_local_coder(request), "lead", None) if _same(bearer, state.token) else None
    sid = request.cookies.get(COOKIE)
    csrf = state.local_sessions.get(sid or "")
    return Identity(_local_coder(request), "lead", csrf, sid) if csrf else None


def check_write(request: Request, who: Identity, form_csrf: str | None = None) -> None:
    """Refuse a cookie-borne write without the session's CSRF secret or from another origin (403)."""
    if who.csrf is None:  # Bearer: nothing ambient to forge
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "cross-origin write refused")
    if request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        raise HTTPException(403, "cross-site write refused")
    if not _same(request.headers.get("x-csrf-token") or form_csrf, who.csrf):
        raise HTTPException(403, "missing or wrong CSRF token (reload the page)")


async def require(request: Request) -> Identity:
    """Dependency: the caller, or 401 (async: no thread hop for the cheap checks of every request)."""
    who = identify(request)
    if who is None:
        raise HTTPException(401, "sign in first (the address with ?token= that 'npt-coder serve' printed, or "
                                 "the sign-in page in team mode)")
    if request.method in _WRITE:
        check_write(request, who)
    return who


async def require_coder(request: Request) -> Identity:
    """Dependency: a caller who may code (lead or coder)."""
    who = await require(request)
    if not who.can_code:
        raise HTTPException(403, f"a {who.role} cannot change codings")
    return who


async def require_lead(request: Request) -> Identity:
    """Dependency: a lead (only a lead opens comparison or settles)."""
    who = await require(request)
    if not who.is_lead:
        raise HTTPException(403, "only a lead opens comparison or settles")
    return who


def coder_for(who: Identity, asked: str | None) -> str:
    """The coder a write is made as: in team mode always the signed-in member (another name is refused, 403); in
    local mode the name asked for, else the one picked in the page."""
    asked = (asked or "").strip() or None
    if who.member:
        if asked is not None and asked != who.coder:
            raise HTTPException(403, f"signed in as {who.coder}: you cannot code as {asked!r}")
        return str(who.coder)
    name = asked or who.coder
    if not name:
        raise HTTPException(400, "no coder name: pick the name you code as first")
    try:
        return services.check_coder_name(name)
    except ProjectError as err:
        raise HTTPException(400, str(err)) from None
