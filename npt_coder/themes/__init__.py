"""Coded themes: the coded material organised for writing findings.

From a project's codings (the consensus coding where a transcript has one, else every coder's, see
:func:`analysis_codings`) this package builds

- themed summaries per CMO domain -> construct -> code or per research question, with counts, spread across an
  attribute and attributed exemplar quotes (:func:`themes`);
- framework matrices, cases x codes or constructs (:func:`framework_matrix`, Gale et al. 2013);
- code co-occurrence on segments and Context -> Mechanism -> Outcome links (:func:`cooccurrence`, :func:`cmo_links`).

Everything returns DataFrames (or a :class:`Themes` holding them); :mod:`npt_coder.render` turns them into Word,
Excel, HTML, Markdown and plotly charts.
"""

from ._basis import ANALYSIS_COLUMNS, BASIS_COLUMNS, analysis_codings, coding_basis
from ._cooccur import CMO_LINK_COLUMNS, COOCCURRENCE_COLUMNS, cmo_links, cooccurrence
from ._errors import ResearchQuestionsError, ThemesError
from ._material import GROUP_METHOD, QUOTE_COLUMNS, coded_segments, trim_quote
from ._matrix import framework_matrix
from ._rq import ResearchQuestion, ResearchQuestions, load_research_questions
from ._summary import BY_LEVELS, SUMMARY_COLUMNS, Themes, code_label, select_quotes, themes

__all__ = [
    "ANALYSIS_COLUMNS",
    "BASIS_COLUMNS",
    "BY_LEVELS",
    "CMO_LINK_COLUMNS",
    "COOCCURRENCE_COLUMNS",
    "GROUP_METHOD",
    "QUOTE_COLUMNS",
    "SUMMARY_COLUMNS",
    "ResearchQuestion",
    "ResearchQuestions",
    "ResearchQuestionsError",
    "Themes",
    "ThemesError",
    "analysis_codings",
    "cmo_links",
    "code_label",
    "coded_segments",
    "coding_basis",
    "cooccurrence",
    "framework_matrix",
    "load_research_questions",
    "select_quotes",
    "themes",
    "trim_quote",
]
