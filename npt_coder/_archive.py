"""Reading zip archives a user gives (.docx, .odt, .xlsx, .qdpx) without trusting them.

Every format npt-coder reads that is a zip archive is opened through :class:`SafeZip`. It looks at the archive's
directory before anything is unpacked and refuses, in one line naming the member:

* a member that would unpack to more than :data:`MAX_MEMBER_BYTES`;
* a member that unpacks to more than :data:`RATIO_FLOOR_BYTES` from :data:`MAX_RATIO` times less (a zip bomb:
  real Word, Excel and REFI-QDA files compress their XML 3 to 40 times);
* an encrypted member, a compression method or zip version Python cannot unpack.

Reading a member is capped at the size its directory entry declares and at :data:`MAX_TOTAL_BYTES` for the whole
archive, so an entry that lies about its size cannot exhaust memory either; damaged data (a bad CRC, a corrupt
deflate stream, a truncated archive) becomes the same one-line refusal. Each reader passes the error class of its
own layer (``fail``), so the message reaches the user as that layer's error.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO
from pathlib import Path
from typing import Callable

__all__ = ["MAX_MEMBER_BYTES", "MAX_RATIO", "MAX_TOTAL_BYTES", "RATIO_FLOOR_BYTES", "SafeZip", "check_archive",
           "load_xlsx", "xlsx_sheet_names"]

#: the most one member may unpack to (a Word document.xml of a three-hour focus group is a few MB)
MAX_MEMBER_BYTES = 200_000_000
#: the most all members read from one archive may unpack to
MAX_TOTAL_BYTES = 500_000_000
#: the largest compression ratio accepted for members larger than :data:`RATIO_FLOOR_BYTES`
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 4_000_000

_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
try:
    from lzma import LZMAError
except ImportError:  # pragma: no cover - a Python built without lzma cannot unpack LZMA members at all
    LZMAError = zipfile.BadZipFile
#: what unpacking damaged data raises: zipfile's own error, zlib's, lzma's, bz2's (OSError), a truncated stream,
#: an unsupported method or version (NotImplementedError), an encrypted member (RuntimeError), a lying size
#: (ValueError: negative seek)
_DAMAGED = (zipfile.BadZipFile, zlib.error, LZMAError, EOFError, OSError, NotImplementedError, RuntimeError,
            ValueError)

Fail = Callable[[str], Exception]


def _size(n: int) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n:,} bytes"


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member must not be unpacked, or ``None``."""
    name = info.filename
    if info.flag_bits & 0x1:
        return f"{name} is encrypted (password-protected files cannot be read; save a copy without a password)"
    if info.compress_type not in _METHODS:
        return f"{name} uses a compression method npt-coder cannot unpack (method {info.compress_type})"
    if info.extract_version > zipfile.MAX_EXTRACT_VERSION:
        return f"{name} needs zip version {info.extract_version / 10:.1f}, newer than npt-coder can unpack"
    if info.file_size > MAX_MEMBER_BYTES:
        return (f"{name} would unpack to {_size(info.file_size)}, more than the {_size(MAX_MEMBER_BYTES)} npt-coder "
                "reads from one part of a file")
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return (f"{name} would unpack to {_size(info.file_size)} from {_size(info.compress_size)} ({ratio:,.0f} "
                "times smaller), which only a zip bomb does; refused")
    return None


class SafeZip:
    """A zip archive opened for reading within limits (see the module docstring).

    Parameters
    ----------
    source : bytes or path
        The archive's bytes, or its file.
    fail : callable
        Builds the exception to raise from a one-line reason (e.g. ``TranscriptFormatError``, or
        ``lambda reason: CodingImportError(f"{name}: {reason}")``).
    what : str
        What the file should be, for the messages ("Word .docx file").
    not_zip : str, optional
        The reason given when the file is no zip archive at all (default: "not a valid WHAT (the archive is
        damaged or truncated)").

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
    ...     zf.writestr("big.xml", b"0" * 50_000_000)
    >>> SafeZip(buf.getvalue(), fail=ValueError).read("big.xml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: big.xml would unpack to 50 MB from ... bytes (... times smaller), which only a zip bomb does; refused
    """

    def __init__(self, source: bytes | str | Path, *, fail: Fail, what: str = "zip archive",
                 not_zip: str | None = None):
        self._fail = fail
        self._read = 0
        try:
            self.zf = zipfile.ZipFile(BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
            self.infos = {i.filename: i for i in self.zf.infolist()}
        except zipfile.BadZipFile:
            raise fail(not_zip or f"not a valid {what} (the archive is damaged or truncated)") from None
        except (zipfile.LargeZipFile, *_DAMAGED) as err:
            raise fail(f"the {what} cannot be opened ({_reason(err)})") from None

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.zf.close()

    def namelist(self) -> list[str]:
        return list(self.infos)

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def check(self, names=None) -> None:
        """Refuse the archive if any of ``names`` (default: every member) must not be unpacked."""
        for name in self.infos if names is None else names:
            problem = _member_problem(self.infos[name])
            if problem:
                raise self._fail(problem)

    def read(self, name: str) -> bytes:
        """The unpacked bytes of member ``name`` (``KeyError`` if there is none), within the limits."""
        info = self.infos[name]
        self.check([name])
        if self._read + info.file_size > MAX_TOTAL_BYTES:
            raise self._fail(f"its parts would unpack to more than {_size(MAX_TOTAL_BYTES)} in all; refused")
        try:
            with self.zf.open(info) as member:
                data = member.read(info.file_size + 1)
        except _DAMAGED as err:
            raise self._fail(f"{name} is damaged ({_reason(err)})") from None
        if len(data) > info.file_size:  # pragma: no cover - zipfile itself stops at the declared size
            raise self._fail(f"{name} unpacks to more than its declared size; refused")
        self._read += len(data)
        return data


def _reason(err: BaseException) -> str:
    """A damaged archive's error in a few words (zlib and zipfile messages hold no file content)."""
    if isinstance(err, OSError) and err.strerror:  # never the file's path
        return err.strerror
    text = str(err).split("\n")[0].strip()
    return text[:120] if text else type(err).__name__


def check_archive(source: bytes | str | Path, *, fail: Fail, what: str = "zip archive") -> None:
    """Refuse ``source`` (a file or its bytes) if it is a zip archive with a member that must not be unpacked,
    before another library (openpyxl, python-docx) opens it and unpacks what it likes. A file that is no zip
    archive at all is left for that library to refuse in its own words."""
    if not zipfile.is_zipfile(BytesIO(source) if isinstance(source, (bytes, bytearray)) else source):
        return
    with SafeZip(source, fail=fail, what=what) as zf:
        zf.check()


def load_xlsx(path: str | Path, *, fail: Fail, data_only: bool = True):
    """An Excel workbook (openpyxl) read whole from ``path`` after :func:`check_archive`; the file is closed whatever
    happens (openpyxl leaves it open when it fails half way). ``fail`` as for :class:`SafeZip`."""
    from openpyxl import load_workbook

    check_archive(path, fail=fail, what=".xlsx workbook")
    with open(path, "rb") as handle:
        try:
            return load_workbook(handle, data_only=data_only)
        except Exception as err:  # openpyxl raises many types for files it cannot read
            raise fail(f"not a readable .xlsx workbook ({type(err).__name__})") from None


def xlsx_sheet_names(path: str | Path, *, fail: Fail) -> list[str]:
    """The sheet names of an Excel workbook, read without loading its cells, within the limits of
    :func:`check_archive`; the file is closed whatever happens."""
    from openpyxl import load_workbook

    check_archive(path, fail=fail, what=".xlsx workbook")
    with open(path, "rb") as handle:
        try:
            wb = load_workbook(handle, read_only=True)
            try:
                return list(wb.sheetnames)
            finally:
                wb.close()
        except Exception as err:  # openpyxl raises many types for files it cannot read
            raise fail(f"not a readable .xlsx workbook ({type(err).__name__})") from None
