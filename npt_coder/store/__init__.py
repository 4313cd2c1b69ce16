"""The project store: one SQLite file per study folder, and the only place in the toolkit that speaks SQL.

:func:`init_project`, :func:`open_project` and :func:`find_project` give a :class:`Project`, whose DataFrame
properties (``transcripts``, ``segments()``, ``codings``, ``codebook``, ``memos``, ``history()``) read the store
afresh, and whose methods change it, each change one transaction: storing checked transcripts, recording import
batches, adding, editing and removing one coding, undoing a batch, writing memos and codebook versions. The store
records what it is given; policies such as the anonymisation check before an add live above it, in
:mod:`npt_coder.services`. The schema and its ordered migrations are in :mod:`npt_coder.store._schema`.

Tables (see DESIGN.md): ``meta`` (project id, who made it with which release), ``transcripts`` (one row per
transcript, attributes as JSON), ``segments`` (turn, paragraph and sentence offsets into the transcript's canonical
text), ``codebooks`` (every version the project has used), ``codings`` (spans, superseded never deleted),
``batches`` (who changed what, when), ``anon_checks`` (the check of every added transcript), ``memos``,
``transcript_versions`` (earlier texts of replaced transcripts, everything of removed ones); for the workbench
``users`` and ``sessions`` (password and token hashes only), ``comparisons`` (transcripts a lead opened after blind
double-coding) and ``decisions`` (disagreements settled in the browser, each with its consensus batch);
``suggestions`` (score, model and reason of each suggested coding).
"""

from ._codings import CODING_COLUMNS, SUGGESTION_COLUMNS, UNDOABLE, ImportBatch, RecordedImport
from ._compare import DECISION_COLUMNS
from ._manage import ProjectImport, StoredImport
from ._memos import MEMO_TARGETS
from ._project import PROJECT_FILE, TRANSCRIPT_COLUMNS, AddResult, AnonCheck, Project, find_project, init_project, open_project
from ._schema import SCHEMA_VERSION
from ._snapshot import ProjectSnapshot, snapshot
from ._team import ROLES

__all__ = [
    "CODING_COLUMNS",
    "DECISION_COLUMNS",
    "MEMO_TARGETS",
    "PROJECT_FILE",
    "ROLES",
    "SCHEMA_VERSION",
    "SUGGESTION_COLUMNS",
    "TRANSCRIPT_COLUMNS",
    "UNDOABLE",
    "AddResult",
    "AnonCheck",
    "ImportBatch",
    "Project",
    "ProjectImport",
    "ProjectSnapshot",
    "RecordedImport",
    "StoredImport",
    "find_project",
    "init_project",
    "open_project",
    "snapshot",
]
