"""npt-coder: Normalisation Process Theory coding, agreement and reporting for qualitative transcripts.

>>> import npt_coder as nc
>>> len(nc.load_codebook())
24
"""

from ._version import __version__
from . import errors  # noqa: E402
from ._resources import demo_path  # noqa: E402
from .codebook import Code, Codebook, load_codebook  # noqa: E402
from .ingest import IngestOptions, Transcript, read_transcript, read_transcripts  # noqa: E402
from .store import Project, find_project, init_project, open_project  # noqa: E402

from . import agreement, anon, assist, coding, logic_model, render, review, themes  # noqa: E402
from .agreement import agreement_table  # noqa: E402
from .themes import (  # noqa: E402  (nc.themes is the subpackage; the summary is nc.theme_summary)
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
