"""npt-coder: Normalisation Process Theory coding, agreement and reporting for qualitative transcripts.

>>> import npt_coder as nc
>>> len(nc.load_codebook())
24
"""

from . import agreement, anon, assist, coding, errors, logic_model, render, review, services, themes
from ._resources import demo_path
from ._version import __version__
from .agreement import agreement_table
from .codebook import Code, Codebook, load_codebook
from .ingest import IngestOptions, Transcript, read_transcript, read_transcripts
from .store import Project, find_project, init_project, open_project
from .themes import (  # nc.themes is the subpackage; the summary is nc.theme_summary
    analysis_codings,
    cmo_links,
    cooccurrence,
    framework_matrix,
    load_research_questions,
    theme_summary,
)


__all__ = [
    "agreement",
    "agreement_table",
    "analysis_codings",
    "anon",
    "assist",
    "cmo_links",
    "coding",
    "cooccurrence",
    "framework_matrix",
    "load_research_questions",
    "logic_model",
    "render",
    "review",
    "services",
    "theme_summary",
    "themes",
    "Code",
    "Codebook",
    "IngestOptions",
    "Project",
    "Transcript",
    "__version__",
    "demo_path",
    "errors",
    "find_project",
    "init_project",
    "load_codebook",
    "open_project",
    "read_transcript",
    "read_transcripts",
]
