"""The operations a user performs on a project, shared by every front end (the CLI, the workbench, a notebook).

Each service runs the checks a policy asks for and then the store's change, which is one transaction. The store
records what it is given; the rules of *when* it may be given something live here, for instance that no transcript
enters a project without the anonymisation check, or that a coder sees only their own codings until a lead opens
comparison.

- transcripts and imports (:mod:`._transcripts`): add with the anonymisation gate, attributes, remove, replace,
  coding files and whole projects from other programs;
- coding in the workbench (:mod:`._coding`): one coding at a time, blind double-coding, the study at a glance,
  retrieving coded passages;
- comparing and settling (:mod:`._settle`): two coders' disagreements on a transcript and the lead's decisions,
  written through the review package's reconcile rule;
- team mode (:mod:`._team`): members, password hashes and sessions;
- assisted coding (:mod:`._assist`): suggestions made on this machine, their agreement with the team's coders,
  and accepting or rejecting one suggestion.

Examples
--------
>>> import tempfile, npt_coder as nc
>>> p = nc.init_project(tempfile.mkdtemp() + "/study")
>>> add_transcripts(p, [nc.demo_path() / "S1_P02.txt"], attributes={"site": "S1"}).added
['S1_P02']
"""

from ..review import Decision
from ._assist import (
    REVIEW_COLUMNS,
    accept_suggestion,
    evaluate_suggestions,
    reject_suggestion,
    suggest_codes,
    suggestions_to_review,
)
from ._coding import (
    RETRIEVE_COLUMNS,
    VisibleAgreement,
    check_coder_name,
    code,
    open_comparison,
    retrieve,
    study_overview,
    visible_agreement,
    visible_codings,
    visible_transcripts,
)
from ._settle import comparison, settle
from ._team import SESSION_HOURS, Session, add_user, session_for, sign_in, sign_out
from ._transcripts import (
    Progress,
    ProjectImportResult,
    ReplaceResult,
    add_read_transcripts,
    add_transcripts,
    check_cache,
    check_transcripts,
    import_attributes,
    import_codings,
    import_project,
    read_for_project,
    remove_transcript,
    replace_transcript,
    set_attributes,
)

__all__ = [
    "RETRIEVE_COLUMNS",
    "REVIEW_COLUMNS",
    "SESSION_HOURS",
    "Decision",
    "Progress",
    "ProjectImportResult",
    "ReplaceResult",
    "Session",
    "VisibleAgreement",
    "accept_suggestion",
    "add_read_transcripts",
    "add_transcripts",
    "add_user",
    "check_cache",
    "check_coder_name",
    "check_transcripts",
    "code",
    "comparison",
    "evaluate_suggestions",
    "import_attributes",
    "import_codings",
    "import_project",
    "open_comparison",
    "read_for_project",
    "reject_suggestion",
    "remove_transcript",
    "replace_transcript",
    "retrieve",
    "session_for",
    "set_attributes",
    "settle",
    "sign_in",
    "sign_out",
    "study_overview",
    "suggest_codes",
    "suggestions_to_review",
    "visible_agreement",
    "visible_codings",
    "visible_transcripts",
]
