"""The workbench team: members with a role and a password hash, and their sign-in sessions.

The store keeps what it is given: a password *hash* (hashing and checking passwords is
:mod:`npt_coder.services`'s part) and the SHA-256 of each session token, never the token, so a copy of the project
file signs nobody in. A removed member keeps their row (their name stays on their codings and in the history) but
can no longer sign in, and their sessions end.
"""

from __future__ import annotations

import pandas as pd

from ..errors import ProjectError
from ._db import now, user

__all__ = ["ROLES", "Team"]

ROLES = ("lead", "coder", "viewer")
"""What a member may do in the workbench: a lead codes, opens comparisons and settles; a coder codes; a viewer
reads."""


class Team:
    """The team part of :class:`~npt_coder.store.Project` (a mixin: it uses the project's connections)."""

    @property
    def users(self) -> pd.DataFrame:
        """Current members: name, role, created_at, created_by (never the hash)."""
        return self._query("SELECT name, role, created_at, created_by FROM users WHERE removed_at IS NULL "
                           "ORDER BY name")

    def has_users(self) -> bool:
        """Whether team mode is set up: at least one current member."""
        return self._one("SELECT 1 FROM users WHERE removed_at IS NULL LIMIT 1") is not None

    def user_login(self, name: str) -> tuple[str, str] | None:
        """``(role, password_hash)`` of a current member, or None."""
        row = self._one("SELECT role, password_hash FROM users WHERE name = ? AND removed_at IS NULL", (name,))
        return (row[0], row[1]) if row else None

    def add_user(self, name: str, role: str, password_hash: str, *, replace: bool = False,
                 who: str | None = None) -> None:
        """Add a member (or, with ``replace``, give an existing one a new role and password hash)."""
        if role not in ROLES:
            raise ProjectError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
        with self.transaction() as conn:
            row = conn.execute("SELECT removed_at FROM users WHERE name = ?", (name,)).fetchone()
            if row is not None and row[0] is None and not replace:
                raise ProjectError(f"{name!r} is already a member (give --replace to set a new role and password)")
            if row is None:
                conn.execute("INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES "
                             "(?, ?, ?, ?, ?)", (name, role, password_hash, now(), who or user()))
            else:
                conn.execute("UPDATE users SET role = ?, password_hash = ?, removed_at = NULL WHERE name = ?",
                             (role, password_hash, name))
                conn.execute("DELETE FROM sessions WHERE user_name = ?", (name,))

    def remove_user(self, name: str) -> None:
        """Retire a member: they can no longer sign in, and their open sessions end."""
        with self.transaction() as conn:
            cur = conn.execute("UPDATE users SET removed_at = ? WHERE name = ? AND removed_at IS NULL", (now(), name))
            if cur.rowcount == 0:
                raise ProjectError(f"no member {name!r} in this project")
            conn.execute("DELETE FROM sessions WHERE user_name = ?", (name,))

    # -- sessions ----------------------------------------------------------------------------------------------
    def add_session(self, token_sha256: str, name: str, csrf: str, expires_at: str) -> None:
        """Record a session of a current member (its token's hash, its CSRF secret and when it ends)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (now(),))
            if conn.execute("SELECT 1 FROM users WHERE name = ? AND removed_at IS NULL", (name,)).fetchone() is None:
                raise ProjectError(f"no member {name!r} in this project")
            conn.execute("INSERT INTO sessions (token_sha256, user_name, csrf, created_at, expires_at) VALUES "
                         "(?, ?, ?, ?, ?)", (token_sha256, name, csrf, now(), expires_at))

    def session(self, token_sha256: str) -> tuple[str, str, str] | None:
        """``(name, role, csrf)`` for a session that has not ended and whose member is current, else None."""
        row = self._one("SELECT u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.name = s.user_name "
                        "WHERE s.token_sha256 = ? AND s.expires_at > ? AND u.removed_at IS NULL",
                        (token_sha256, now()))
        return (row[0], row[1], row[2]) if row else None

    def end_session(self, token_sha256: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_sha256 = ?", (token_sha256,))
