"""Reading a user's file with the reason in words when it cannot be read; writing an output whole or not at all.

Every reader of user files (term lists, files to pseudonymise, ...) turns the operating system's errors into its
own layer's :class:`~npt_coder.errors.FileReasonError` the same way, through :func:`read_user_bytes`. Every output
is written through :func:`write_atomically`, so a full disk or a crash never leaves a half-written report, workbook
or copy where the finished file should be.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable

from .errors import FileReasonError

__all__ = ["file_problem", "read_user_bytes", "write_atomically"]


def file_problem(path: Path) -> str | None:
    """Why ``path`` is not a regular file npt-coder can read, in a few words, or ``None`` when it is.

    A missing file is "file not found"; a symbolic link is followed, and one that loops or points nowhere says so
    (``os.path.exists`` would call both "not found"); a folder, a device or a pipe is "not a file".

    >>> import tempfile
    >>> loop = Path(tempfile.mkdtemp()) / "loop.txt"
    >>> loop.symlink_to(loop)
    >>> file_problem(loop)
    'is a symbolic link that loops back on itself'
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return "is a symbolic link to a file that does not exist" if path.is_symlink() else "file not found"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself"
        return f"cannot be read ({err.strerror or type(err).__name__})"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "not a file (a device, pipe or socket)"
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied)"
    return None


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary_path)`` and move the result onto ``path`` in one step; on any error the temporary
    file is removed and ``path`` is as it was (absent, or the previous version). Missing folders are made.

    The temporary file sits beside ``path`` (same folder, so the move is atomic) and keeps its suffix, so writers
    that look at the suffix still see it.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = write_atomically(target, lambda tmp: tmp.write_text("whole", encoding="utf-8"))
    >>> target.read_text(encoding="utf-8"), sorted(p.name for p in target.parent.iterdir())
    ('whole', ['notes.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def read_user_bytes(path: Path, error: type[FileReasonError], kind: str) -> bytes:
    """The bytes of ``path``, or ``error(path, reason)`` saying why not (missing, a folder, no permission, ...).

    ``kind`` names what the file should be, for the messages: ``"term list file"`` gives "the term list file does
    not exist", "is a folder, not a term list file".

    >>> import tempfile
    >>> from npt_coder.errors import TermListError
    >>> read_user_bytes(Path(tempfile.mkdtemp()), TermListError, "term list file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    npt_coder.errors.TermListError: ...: is a folder, not a term list file
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:  # named as given: the folder is as likely to be wrong as the name
        raise error(path, f"the {kind} does not exist", as_given=True) from None
    except IsADirectoryError:
        raise error(path, f"is a folder, not a {kind}") from None
    except PermissionError:
        raise error(path, f"the {kind} cannot be read (permission denied)") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise error(path, "is a symbolic link that loops back on itself") from None
        raise error(path, f"the {kind} cannot be read ({err.strerror or type(err).__name__})") from None
