"""Services of the workbench's team mode: members with a role and a scrypt password hash, and their sessions."""

from __future__ import annotations

import datetime as _dt
import hashlib
import secrets
from dataclasses import dataclass

from .._passwords import hash_password, verify_password
from ..errors import AccessError, OptionError, ProjectError
from ..store import ROLES, Project
from ._coding import check_coder_name

__all__ = ["SESSION_HOURS", "Session", "add_user", "session_for", "sign_in", "sign_out"]

SESSION_HOURS = 12
"""How long a team-mode session lasts."""


@dataclass(frozen=True)
class Session:
    """A signed-in member: ``token`` goes in the session cookie or an ``Authorization: Bearer`` header; ``csrf``
    must come back with every write the page makes."""

    token: str
    name: str
    role: str
    csrf: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(project: Project, name: str, role: str, password: str, *, replace: bool = False,
             who: str | None = None, cost: int | None = None) -> None:
    """Make ``name`` a member with ``role`` (lead, coder or viewer); the password is stored as a scrypt hash
    (:mod:`npt_coder._passwords`; ``cost`` overrides its n, for tests). Passwords have at least 8 characters."""
    name = check_coder_name(name)
    if role not in ROLES:
        raise OptionError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    if len(password) < 8:
        raise ProjectError("a password has at least 8 characters")
    hashed = hash_password(password) if cost is None else hash_password(password, cost=cost)
    project.add_user(name, role, hashed, replace=replace, who=who)


def sign_in(project: Project, name: str, password: str, *, hours: float = SESSION_HOURS) -> Session:
    """Check a member's password and open a session of ``hours``; :class:`~npt_coder.errors.AccessError` (the
    same words whether the name or the password was wrong) otherwise."""
    login = project.user_login((name or "").strip())
    if not verify_password(password or "", login[1] if login else None) or login is None:
        raise AccessError("unknown name or wrong password")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    ends = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0) + _dt.timedelta(hours=hours)
    project.add_session(_token_hash(token), name.strip(), csrf, ends.isoformat())
    return Session(token, name.strip(), login[0], csrf)


def session_for(project: Project, token: str | None) -> Session | None:
    """The session a token belongs to, if it is still open and its member current."""
    if not token:
        return None
    found = project.session(_token_hash(token))
    return Session(token, *found) if found else None


def sign_out(project: Project, token: str) -> None:
    project.end_session(_token_hash(token))
