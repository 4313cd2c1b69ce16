"""Services of assisted coding: suggestions made on this machine (:mod:`npt_coder.assist`), their measured
agreement with the team's coders, and accepting or rejecting one suggestion (one click in a review)."""

from __future__ import annotations

from typing import Sequence

from ..assist import Evaluation, SuggestResult, evaluate, suggest
from ..errors import ProjectError
from ..store import Project

__all__ = ["accept_suggestion", "evaluate_suggestions", "reject_suggestion", "suggest_codes"]


def suggest_codes(project: Project, *, learn_from: Sequence[str] = (), transcripts: Sequence[str] | None = None,
                  unit: str = "paragraph", codes: Sequence[str] | None = None, coder: str = "assist",
                  threshold: float = 0.5, model="auto", include_interviewer: bool = False,
                  who: str | None = None) -> SuggestResult:
    """Suggest codes with a model that runs on this machine and store them as ``coder``'s coding, in one batch.

    The rules (never from the units learnt from; a coder name of its own; codebook-only without ``learn_from``) are
    those of :func:`npt_coder.assist.suggest`, which this calls.
    """
    return suggest(project, learn_from=learn_from, transcripts=transcripts, unit=unit, codes=codes, coder=coder,
                   threshold=threshold, model=model, include_interviewer=include_interviewer, who=who)


def evaluate_suggestions(project: Project, *, learn_from: Sequence[str], unit: str = "paragraph",
                         codes: Sequence[str] | None = None, folds: int = 5, threshold: float = 0.5, model="auto",
                         include_interviewer: bool = False) -> Evaluation:
    """How well suggestions agree with the ``learn_from`` coders, cross-validated by transcript (stores nothing);
    see :func:`npt_coder.assist.evaluate`."""
    return evaluate(project, learn_from=learn_from, unit=unit, codes=codes, folds=folds, threshold=threshold,
                    model=model, include_interviewer=include_interviewer)


def _suggestion(project: Project, coding_id: int):
    found = project.suggestions
    found = found[found["coding_id"] == int(coding_id)]
    if found.empty:
        raise ProjectError(f"coding {coding_id} is not a current suggestion (see Project.suggestions)")
    return found.iloc[0]


def accept_suggestion(project: Project, coding_id: int, *, coder: str, who: str | None = None) -> int:
    """Accept one suggestion (one click in a review): ``coder`` codes the same span with the same code, source
    ``accepted``, memo naming the suggestion; the suggestion stays as the model's record. Returns the new coding id.
    """
    s = _suggestion(project, coding_id)
    if not (coder or "").strip() or coder.strip() == s["coder"]:
        raise ProjectError(f"accepting a suggestion needs the reviewing coder's name (not {s['coder']!r})")
    return project.add_coding(s["transcript_id"], s["code_id"], int(s["start"]), int(s["end"]), coder=coder,
                              memo=f"accepted suggestion {int(coding_id)}", source="accepted", who=who)


def reject_suggestion(project: Project, coding_id: int, *, who: str | None = None) -> int:
    """Reject one suggestion (one click in a review): it is retired, kept in history; returns the batch."""
    _suggestion(project, coding_id)
    return project.remove_coding(int(coding_id), who=who)
