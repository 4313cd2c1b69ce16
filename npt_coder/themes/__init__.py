"""Coded themes: the coded material organised for writing findings.

From a project's codings (the consensus coding where a transcript has one, else every coder's, see
:func:`analysis_codings`) this package builds

- themed summaries per CMO domain -> construct -> code or per research question, with counts, spread across an
  attribute and attributed exemplar quotes (:func:`theme_summary`, a :class:`Themes`);
- framework matrices, cases x codes or constructs (:func:`framework_matrix`, a :class:`FrameworkMatrix`, Gale et al.
  2013);
- code co-occurrence on segments and Context -> Mechanism -> Outcome links (:func:`cooccurrence`, :func:`cmo_links`).

Each returns a small frozen result holding its DataFrame (``.table``) and what the renderers need to describe it;
:mod:`npt_coder.render` turns them into Word, Excel, HTML, Markdown and plotly charts.

Until 0.2 the summary function was called ``themes``, the name of this package, so ``npt_coder.themes`` was the
function and the package could not be reached as an attribute. ``npt_coder.themes`` is now always this package. For
one release it can still be called like the old function, and ``npt_coder.themes.themes`` still gives the function,
both with a :class:`DeprecationWarning` naming :func:`theme_summary`.
"""

import sys
import types
import warnings

from ._basis import ANALYSIS_COLUMNS, BASIS_COLUMNS, analysis_codings, coding_basis
from ._cooccur import CMO_LINK_COLUMNS, COOCCURRENCE_COLUMNS, CmoLinks, Cooccurrence, cmo_links, cooccurrence
from ._errors import ResearchQuestionsError, ThemesError
from ._flagged import FLAG_MARK, FLAG_NOTE, flagged_transcripts, mark_attribution
from ._material import GROUP_METHOD, QUOTE_COLUMNS, coded_segments, trim_quote
from ._matrix import FrameworkMatrix, framework_matrix
from ._rq import ResearchQuestion, ResearchQuestions, load_research_questions
from ._summary import BY_LEVELS, SUMMARY_COLUMNS, Themes, ThemeTotals, code_label, select_quotes, theme_summary

__all__ = [
    "ANALYSIS_COLUMNS",
    "BASIS_COLUMNS",
    "BY_LEVELS",
    "CMO_LINK_COLUMNS",
    "COOCCURRENCE_COLUMNS",
    "FLAG_MARK",
    "FLAG_NOTE",
    "GROUP_METHOD",
    "QUOTE_COLUMNS",
    "SUMMARY_COLUMNS",
    "CmoLinks",
    "Cooccurrence",
    "FrameworkMatrix",
    "ResearchQuestion",
    "ResearchQuestions",
    "ResearchQuestionsError",
    "ThemeTotals",
    "Themes",
    "ThemesError",
    "analysis_codings",
    "cmo_links",
    "code_label",
    "coded_segments",
    "coding_basis",
    "cooccurrence",
    "flagged_transcripts",
    "framework_matrix",
    "load_research_questions",
    "mark_attribution",
    "select_quotes",
    "theme_summary",
    "trim_quote",
]

_RENAMED = ("the themed-summary function is npt_coder.theme_summary (also npt_coder.themes.theme_summary) since "
            "npt-coder 0.2; the old name goes in 0.3")


def __getattr__(name: str):
    if name == "themes":
        warnings.warn(f"npt_coder.themes.themes is deprecated: {_RENAMED}", DeprecationWarning, stacklevel=2)
        return theme_summary
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallablePackage(types.ModuleType):
    """This package, callable for one release as the function that used to hide it (``nc.themes(project)``)."""

    def __call__(self, *args, **kwargs):
        warnings.warn(f"calling npt_coder.themes(...) is deprecated: npt_coder.themes is the package and {_RENAMED}",
                      DeprecationWarning, stacklevel=2)
        return theme_summary(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
