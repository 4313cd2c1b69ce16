"""The themes layer's errors.

Both derive from :class:`~npt_coder.errors.NptCoderError` (the CLI prints them in one line) and from
:class:`ValueError` (``except ValueError`` keeps working). They live here until they move to :mod:`npt_coder.errors`
with the other errors.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import NptCoderError

__all__ = ["ResearchQuestionsError", "ThemesError"]


class ThemesError(NptCoderError, ValueError):
    """An option given to a themes function cannot be used; the message names the rule, the value and a fix."""


class ResearchQuestionsError(NptCoderError, ValueError):
    """A research-questions file has one or more problems; every problem is listed with its location."""

    def __init__(self, problems: list[str], path: Path | str | None = None):
        self.problems = list(problems)
        self.path = path
        head = f"{len(self.problems)} problem(s) in {path or 'research questions'}:"
        super().__init__("\n  - ".join([head, *self.problems]))
