"""Services of assisted coding: suggestions made on this machine (:mod:`npt_coder.assist`), their measured
agreement with the team's coders, and accepting or rejecting one suggestion (one click in a review)."""

from __future__ import annotations

import json
from typing import Sequence

import pandas as pd

from .._consensus import ACCEPTED
from ..assist import SOURCE, Evaluation, SuggestResult, evaluate, suggest
from ..errors import ProjectError
from ..store import Project
from ._coding import check_coder_name
from ._transcripts import Progress

__all__ = ["REVIEW_COLUMNS", "accept_suggestion", "evaluate_suggestions", "reject_suggestion", "suggest_codes",
           "suggestions_to_review"]


def suggest_codes(project: Project, *, learn_from: Sequence[str] = (), transcripts: Sequence[str] | None = None,
                  unit: str = "paragraph", codes: Sequence[str] | None = None, coder: str = "assist",
                  threshold: float = 0.5, model="auto", include_interviewer: bool = False,
                  who: str | None = None, progress: Progress | None = None) -> SuggestResult:
    """Suggest codes with a model that runs on this machine and store them as ``coder``'s coding, in one batch.

    The rules (never from the units learnt from; a coder name of its own; codebook-only without ``learn_from``) are
    those of :func:`npt_coder.assist.suggest`, which this calls; so is ``progress`` (its stages).
    """
    return suggest(project, learn_from=learn_from, transcripts=transcripts, unit=unit, codes=codes, coder=coder,
                   threshold=threshold, model=model, include_interviewer=include_interviewer, who=who,
                   progress=progress)


def evaluate_suggestions(project: Project, *, learn_from: Sequence[str], unit: str = "paragraph",
                         codes: Sequence[str] | None = None, folds: int = 5, threshold: float = 0.5, model="auto",
                         include_interviewer: bool = False, progress: Progress | None = None) -> Evaluation:
    """How well suggestions agree with the ``learn_from`` coders, cross-validated by transcript (stores nothing);
    see :func:`npt_coder.assist.evaluate` (and its ``progress`` stages)."""
    return evaluate(project, learn_from=learn_from, unit=unit, codes=codes, folds=folds, threshold=threshold,
                    model=model, include_interviewer=include_interviewer, progress=progress)


REVIEW_COLUMNS = ["coding_id", "coder", "code_id", "start", "end", "score", "model", "model_version", "reason",
                  "accepted"]
_WITHHELD = "learnt from other coders' coding (a lead sees which coded units it resembles)"


def suggestions_to_review(project: Project, transcript_id: str, *, reviewer: str | None,
                          lead: bool = False) -> pd.DataFrame:
    """The current suggestions on one transcript as ``reviewer`` sees them in a review, in text order.

    Columns :data:`REVIEW_COLUMNS`; ``accepted`` says the reviewer has already coded the same span with the same
    code. A reason that names coded units (coder, transcript, segment) of coders other than the reviewer would show
    a blind coder their colleagues' coding: it is shown to a lead, and to anyone else only when the suggestion
    learnt from nobody but them; otherwise the reason says it was learnt from other coders.
    """
    found = project.suggestions
    found = found[found["transcript_id"] == transcript_id]
    if found.empty:
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    notes = project.batches.set_index("batch_id")["note"]
    learnt_from = {b: set(json.loads(notes[b] or "{}").get("learn_from", [])) for b in set(found["batch_id"])}
    mine = project.coding_table(transcript_id, coder=reviewer) if reviewer else project.coding_table(transcript_id)
    done = set(zip(mine["code_id"], mine["start"], mine["end"])) if reviewer else set()
    out = found.assign(accepted=[(c, s, e) in done for c, s, e in zip(found["code_id"], found["start"],
                                                                          found["end"])])
    if not lead:
        hidden = [bool(learnt_from[b] - {reviewer}) for b in out["batch_id"]]
        out.loc[hidden, "reason"] = _WITHHELD
    return out.sort_values(["start", "end", "code_id"])[REVIEW_COLUMNS].reset_index(drop=True)


def _current_suggestion(project: Project, coding_id: int) -> pd.Series:
    """A current suggestion by its coding id; a ProjectError naming what it is otherwise (no coding; no longer
    current; not a suggestion)."""
    row = project.coding(coding_id)
    found = project.suggestions
    found = found[found["coding_id"] == int(coding_id)]
    if not found.empty:
        return found.iloc[0]
    if row["source"] == SOURCE and row["superseded_by"] is not None:
        raise ProjectError(f"suggestion {coding_id} is no longer current (rejected, or superseded by batch "
                           f"{row['superseded_by']})")
    raise ProjectError(f"coding {coding_id} is not a suggestion (see Project.suggestions)")


def accept_suggestion(project: Project, coding_id: int, *, coder: str, who: str | None = None) -> int:
    """Accept one suggestion (one click in a review): ``coder`` codes the same span with the same code, source
    ``accepted``, memo naming the suggestion; the suggestion stays as the model's record. Returns the coding id;
    accepting what ``coder`` already coded so adds nothing and returns that coding.
    """
    s = _current_suggestion(project, coding_id)
    reviewer = check_coder_name(coder)
    if reviewer == s["coder"]:
        raise ProjectError(f"accepting a suggestion needs the reviewing coder's name (not {s['coder']!r})")
    mine = project.coding_table(s["transcript_id"], coder=reviewer)
    same = mine[(mine["code_id"] == s["code_id"]) & (mine["start"] == s["start"]) & (mine["end"] == s["end"])]
    if len(same):
        return int(same["coding_id"].iloc[0])
    return project.add_coding(s["transcript_id"], s["code_id"], int(s["start"]), int(s["end"]), coder=reviewer,
                              memo=f"accepted suggestion {int(coding_id)}", source=ACCEPTED, who=who or reviewer)


def reject_suggestion(project: Project, coding_id: int, *, who: str | None = None) -> int:
    """Reject one suggestion (one click in a review): it is retired for everyone, kept in the history (the batch
    returned undoes it)."""
    _current_suggestion(project, coding_id)
    return project.remove_coding(int(coding_id), who=who)
