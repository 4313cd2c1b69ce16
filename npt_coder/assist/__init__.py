"""Suggested codes that never leave the machine, always reported with their measured agreement with the team.

:func:`suggest` learns from named coders' coding (or, with none, from the codebook's own words: names,
definitions, illustrative questions, keywords) and suggests codes for the units of chosen transcripts; the
suggestions are stored as one more coder's coding (``assist``, source ``suggested``), each with a score, the model
and its version, and a one-line reason, so the team reviews them as it reviews a second coder's work
(``npt-coder agree``, ``disagreements``, ``reconcile``). :func:`evaluate` cross-validates by transcript and gives,
per code, Cohen's kappa, precision and recall against the coders, next to their human-human kappa.

Everything runs on the CPU from installed packages; nothing is fetched from a model hub. The models and how they
were chosen are described in :mod:`npt_coder.assist._models`; :func:`available_models` says which can run here.

>>> import tempfile, npt_coder as nc
>>> from npt_coder.services import add_transcripts
>>> p = nc.init_project(tempfile.mkdtemp() + "/study")
>>> _ = add_transcripts(p, [nc.demo_path() / "S1_P02.txt"], attributes={"site": "S1"})
>>> result = nc.assist.suggest(p, model="tfidf")          # no coding yet: from the codebook alone
>>> sorted(set(p.codings["source"])), result.batch_id is not None
(['suggested'], True)
"""

from ._evaluate import EVALUATION_COLUMNS, Evaluation, evaluate
from ._models import MODEL_CHOICES, AssistError, available_models, load_features
from ._suggest import ASSIST_CODER, SOURCE, SUGGESTION_TABLE_COLUMNS, SuggestResult, make_suggestions, suggest

__all__ = [
    "ASSIST_CODER",
    "EVALUATION_COLUMNS",
    "MODEL_CHOICES",
    "SOURCE",
    "SUGGESTION_TABLE_COLUMNS",
    "AssistError",
    "Evaluation",
    "SuggestResult",
    "available_models",
    "evaluate",
    "load_features",
    "make_suggestions",
    "suggest",
]
