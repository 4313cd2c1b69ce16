"""Reading a user's file, with the reason in words when it cannot be read.

Every reader of user files (term lists, files to pseudonymise, ...) turns the operating system's errors into its
own layer's :class:`~npt_coder.errors.FileReasonError` the same way, through :func:`read_user_bytes`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import FileReasonError

__all__ = ["read_user_bytes"]


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
    except FileNotFoundError:
        raise error(path, f"the {kind} does not exist") from None
    except IsADirectoryError:
        raise error(path, f"is a folder, not a {kind}") from None
    except PermissionError:
        raise error(path, f"the {kind} cannot be read (permission denied)") from None
    except OSError as err:
        raise error(path, f"the {kind} cannot be read ({err.strerror or type(err).__name__})") from None
