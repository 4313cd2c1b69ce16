"""Password hashes for workbench members: scrypt from Python's standard library.

scrypt is memory-hard (each guess needs ``128 * n * r`` bytes of memory, which is what makes GPU and ASIC
guessing expensive) and is one of the password hashes OWASP's Password Storage Cheat Sheet recommends, with the
parameters used here (n = 2**17, r = 8, p = 1: 128 MiB and about a second per hash). It ships with every CPython
built against OpenSSL 1.1 or newer, so the workbench needs no extra package. A hash is stored as
``scrypt$n$r$p$salt$key`` (base64), so the cost can be raised later and old hashes still verify.

>>> h = hash_password("correct horse", cost=2**12)
>>> h.split("$")[:4]
['scrypt', '4096', '8', '1']
>>> verify_password("correct horse", h), verify_password("wrong", h)
(True, False)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

__all__ = ["COST", "hash_password", "verify_password"]

COST = 2**17  # OWASP's minimum n for scrypt with r = 8, p = 1
_R, _P, _KEY = 8, 1, 32
_DUMMY = None  # a hash to check against when the name is unknown, so that timing does not tell names apart


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=_KEY)


def hash_password(password: str, *, cost: int = COST) -> str:
    """A salted scrypt hash of ``password`` (``cost`` is scrypt's n, a power of two)."""
    salt = os.urandom(16)
    key = _scrypt(password, salt, cost, _R, _P)
    b64 = base64.b64encode
    return f"scrypt${cost}${_R}${_P}${b64(salt).decode()}${b64(key).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; ``None`` (no such member) spends the same time and says False."""
    global _DUMMY
    if stored is None:
        _DUMMY = _DUMMY or hash_password("", cost=COST)
        stored, password = _DUMMY, password + "\0"
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        found = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, base64.b64decode(key))
