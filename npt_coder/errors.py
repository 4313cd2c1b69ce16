"""Exceptions and warnings that npt_coder raises on purpose.

Every error the toolkit raises deliberately derives from :class:`NptCoderError`, so the CLI can turn it into a
one-line message and a non-zero exit code. Errors that are about bad values also derive from :class:`ValueError`
so that ``except ValueError`` keeps working in user code.
"""

from __future__ import annotations

from pathlib import Path


class NptCoderError(Exception):
    """Base class for errors npt_coder raises on purpose."""


class OptionError(NptCoderError, ValueError):
    """A function was given an argument it does not take (a unit, a reading, a side, ...); the message names the
    option, what was given and what is valid. Raised by the Python API; the CLI checks its choices before."""


class ProblemsError(NptCoderError, ValueError):
    """A file (or mapping) with one or more problems, all listed at once, each with its location."""

    what = "input"

    def __init__(self, problems: list[str], path: Path | str | None = None):
        self.problems = list(problems)
        self.path = path
        n = len(self.problems)
        head = f"{n} problem{'' if n == 1 else 's'} in {path or self.what}:"
        super().__init__("\n  - ".join([head, *self.problems]))

    @classmethod
    def unreadable(cls, path: Path | str, reason: str) -> ProblemsError:
        """The file at ``path`` (named as given) cannot be opened at all: one plain sentence, e.g. "no codebook at
        study.yaml", instead of a list of one problem. ``reason`` is :func:`npt_coder._io.file_problem`'s."""
        err = cls([reason], path)
        text = f"no {cls.what} at {path}" if reason == "file not found" else f"{path}: {reason}"
        err.args = (text,)
        return err


class FileReasonError(NptCoderError, ValueError):
    """A file could not be used; the message names the file and the reason (never its sensitive content)."""

    def __init__(self, path: Path | str, reason: str, *, as_given: bool = False):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path if as_given else self.path.name}: {reason}")


class CodebookError(ProblemsError):
    """A codebook file has one or more problems; every problem is listed with its location."""

    what = "codebook"


class IngestError(FileReasonError):
    """A transcript file could not be read; the message names the file and the reason."""


class TranscriptFormatError(NptCoderError, ValueError):
    """Raised by a reader for a file whose content it cannot use; the reason only, never the file's text.
    :func:`npt_coder.ingest.read_transcripts` catches exactly this type and raises :class:`IngestError` with the
    file's name, so any other exception (a bug) is not disguised as a bad file."""


class ProjectError(NptCoderError):
    """A project could not be found, opened or changed as asked."""


class CodingImportError(NptCoderError, ValueError):
    """Codings could not be imported; nothing was imported. The message lists the problems."""


class AgreementInputError(NptCoderError, ValueError):
    """Reliability data or an option cannot be used; the message names the rule, the value and a fix."""


class AnonymisationError(NptCoderError):
    """Transcripts were refused because the anonymisation check found residual identifiers."""


class UndefinedStatisticWarning(UserWarning):
    """A statistic is undefined for the data given (e.g. no variation); the value returned is ``nan``."""


class AgreementWarning(UserWarning):
    """An agreement result was computed as asked but should not be trusted as it stands; the message says why."""


class IdentifierCheckError(NptCoderError, ValueError):
    """An option given to the anonymisation check or the pseudonymiser is not valid; the message says which."""


class TermListError(FileReasonError):
    """A deny-list or allow-list file could not be read; the message names the file and the reason, never a term."""


class PseudonymisationError(FileReasonError):
    """A file could not be pseudonymised; the message names the file and the reason, never an identifier."""


class LogicModelError(ProblemsError):
    """A logic-model spec (or a request to draft one) has one or more problems; each is listed with its location."""

    what = "logic model"


class ThemesError(NptCoderError, ValueError):
    """An option given to a themes function cannot be used; the message names the rule, the value and a fix."""


class ResearchQuestionsError(ProblemsError):
    """A research-questions file has one or more problems; every problem is listed with its location."""

    what = "research questions"


class RenderError(NptCoderError, ValueError):
    """An output cannot be written as asked (e.g. a file suffix its object has no format for); the message says
    what would work."""


class StaleWorkError(ProjectError):
    """A change was refused because what it was based on changed since (another coder's newer work): reload."""


class AccessError(NptCoderError):
    """Signing in failed, or a workbench user asked for something their role or the blind-coding rule forbids."""
