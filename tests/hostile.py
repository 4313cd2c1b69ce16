"""Builders of damaged and hostile files, made in the test from real ones (never stored binaries), and the dump
that shows a project unchanged.

Zip archives are changed at the byte level the way damage or an attacker changes them: a member's compression
method, zip version or encryption flag set in both its local header and its central-directory entry, its declared
size made to lie, its compressed data corrupted, the archive cut short, or a member replaced by a zip bomb.
"""

from __future__ import annotations

import io
import sqlite3
import struct
import zipfile

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The archive with member ``name`` holding ``content`` (added if absent), every other member as it was."""
    parts = members(data)
    parts[name] = content
    return zip_bytes(parts)


def bomb(data: bytes, name: str, size: int = 60_000_000) -> bytes:
    """The archive with ``name`` replaced by ``size`` bytes of one repeated character: a ratio near 1,000:1."""
    return replace_member(data, name, b" " * size)


def _entries(data: bytes):
    """(local header offset, central entry offset, name) of each member, read from the central directory."""
    end = data.rindex(_END)
    count = struct.unpack_from("<H", data, end + 10)[0]
    pos = struct.unpack_from("<I", data, end + 16)[0]
    out = []
    for _ in range(count):
        assert data[pos:pos + 4] == _CENTRAL
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        local = struct.unpack_from("<I", data, pos + 42)[0]
        out.append((local, pos, data[pos + 46:pos + 46 + name_len].decode()))
        pos += 46 + name_len + extra_len + comment_len
    return out


def _patch(data: bytes, name: str, local_off: int, central_off: int, fmt: str, value) -> bytes:
    buf = bytearray(data)
    for local, central, member in _entries(data):
        if member == name:
            struct.pack_into(fmt, buf, local + local_off, value)
            struct.pack_into(fmt, buf, central + central_off, value)
            return bytes(buf)
    raise KeyError(name)


def set_method(data: bytes, name: str, method: int = 99) -> bytes:
    """Member ``name`` claims a compression method (99 is AES, which Python cannot unpack)."""
    return _patch(data, name, 8, 10, "<H", method)


def set_version(data: bytes, name: str, version: int = 99) -> bytes:
    """Member ``name`` claims to need zip version ``version / 10`` to be unpacked."""
    return _patch(data, name, 4, 6, "<H", version)


def set_encrypted(data: bytes, name: str) -> bytes:
    """Member ``name`` is flagged as encrypted."""
    for local, central, member in _entries(data):
        if member == name:
            flags = struct.unpack_from("<H", data, local + 6)[0] | 0x1
            return _patch(data, name, 6, 8, "<H", flags)
    raise KeyError(name)


def lie_about_size(data: bytes, name: str, size: int = 10) -> bytes:
    """Member ``name`` declares an unpacked size of ``size`` bytes, whatever it really holds."""
    return _patch(data, name, 22, 24, "<I", size)


def corrupt(data: bytes, name: str) -> bytes:
    """Member ``name``'s compressed data with bytes in its middle overwritten (a damaged deflate stream)."""
    buf = bytearray(data)
    for local, central, member in _entries(data):
        if member == name:
            name_len, extra_len = struct.unpack_from("<HH", data, local + 26)
            size = struct.unpack_from("<I", data, central + 20)[0]
            start = local + 30 + name_len + extra_len
            for k in range(start + size // 3, start + size // 3 + max(8, size // 4)):
                buf[k] = 0xFF
            return bytes(buf)
    raise KeyError(name)


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def dump(path) -> list[str]:
    """Every statement that would rebuild a SQLite file: equal dumps, equal stores."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
