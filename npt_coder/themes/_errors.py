"""The themes layer's errors, defined with the others in :mod:`npt_coder.errors`."""

from ..errors import ResearchQuestionsError, ThemesError

__all__ = ["ResearchQuestionsError", "ThemesError"]
