"""Suggesting codes for units of a project, and storing the suggestions as one coder's coding.

Suggestions are a coder like any other: stored as codings by ``coder`` (default ``assist``) with source
``suggested``, one coded span per unit and code, in one import batch (so ``npt-coder history`` lists it and
``npt-coder undo`` reverts it), and each carries its score, the model and its version, and a one-line reason in
the store's ``suggestions`` table (:attr:`npt_coder.Project.suggestions`). Running ``suggest`` again for the same
coder supersedes its earlier suggestions on those transcripts (kept in history), as a newer import does. Until a
person accepts one, no finding is made from it (:func:`npt_coder._consensus.reviewed`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .._consensus import SUGGESTED, reviewed
from .._words import count, noun
from ..coding import code_hint
from ..ingest import UNITS
from ..store import ImportBatch, Project
from ._fit import Scored, codebook_prior, score_plan, suggest_plan
from ._models import AssistError, Features, load_features
from ._units import Labelled, code_texts, coded_transcripts, labelled_units, units_of

Progress = Callable[[str, int, int], None]

__all__ = ["ASSIST_CODER", "SOURCE", "SUGGESTION_TABLE_COLUMNS", "SuggestResult", "make_suggestions", "suggest"]

ASSIST_CODER = "assist"
SOURCE = SUGGESTED
SUGGESTION_TABLE_COLUMNS = ["transcript_id", "segment_id", "coder", "code_id", "start", "end", "score", "model",
                            "model_version", "reason", "learnt"]


@dataclass(frozen=True)
class SuggestResult:
    """What one run of :func:`suggest` did.

    ``suggestions`` has :data:`SUGGESTION_TABLE_COLUMNS` (``learnt``: from coded examples, else from the codebook);
    ``learnt_from`` maps each transcript suggested for to the transcripts whose coding its model learnt from (never
    itself); ``unlearnt_codes`` are codes asked about that no learning coder has used, so none is suggested.
    """

    suggestions: pd.DataFrame
    coder: str
    learn_from: tuple[str, ...]
    transcripts: tuple[str, ...]
    unit: str
    threshold: float
    model: str
    model_version: str
    n_units: int
    seconds: float
    learnt_from: dict[str, list[str]] = field(default_factory=dict)
    unlearnt_codes: tuple[str, ...] = ()
    batch_id: int | None = None

    def summary(self) -> str:
        basis = (f"learnt from {', '.join(self.learn_from)}" if self.learn_from else "from the codebook alone")
        text = (f"{count(len(self.suggestions), 'suggestion')} by {self.coder} on {count(self.n_units, self.unit)} of "
                f"{count(len(self.transcripts), 'transcript')}, {basis}; model {self.model} ({self.model_version}); "
                f"threshold {self.threshold:g}; {self.seconds:.1f} s")
        if self.unlearnt_codes:
            more = len(self.unlearnt_codes) - 8
            text += (f"; no coded example, so never suggested: {', '.join(self.unlearnt_codes[:8])}"
                     + (f" and {more} more" if more > 0 else ""))
        if self.batch_id is not None:
            text += f"; stored as batch {self.batch_id} (undo with 'npt-coder undo {self.batch_id}')"
        return text


def human_coders(codings: pd.DataFrame) -> set[str]:
    """Coders with at least one coding that is not a suggestion (the consensus included)."""
    return set(codings.loc[reviewed(codings), "coder"])


def check_request(project: Project, *, learn_from: Sequence[str], transcripts: Sequence[str] | None, unit: str,
                  codes: Sequence[str] | None, coder: str | None = None, threshold: float = 0.5) -> list[str]:
    """Validate a request against the project; return the codes asked about (all of the codebook by default)."""
    if unit not in UNITS:
        raise AssistError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
    if not 0.0 < float(threshold) < 1.0:
        raise AssistError(f"threshold must be between 0 and 1 (exclusive); got {threshold:g}")
    codings = project.codings
    humans = human_coders(codings)
    unknown = [c for c in learn_from if c not in humans]
    if unknown:
        listed = ", ".join(sorted(humans)) or "none yet"
        raise AssistError(f"no codings to learn from by {', '.join(unknown)} (coders with codings: {listed})")
    known = set(project.transcripts["transcript_id"])
    missing = [t for t in (transcripts or ()) if t not in known]
    if missing:
        raise AssistError(f"{noun(len(missing), 'transcript')} not in the project: {', '.join(missing)}")
    codebook = project.load_codebook()
    if codes:
        bad = [c for c in codes if c not in codebook]
        if bad:
            raise AssistError(f"unknown code {bad[0]!r}{code_hint(bad[0], codebook)}")
    if coder is not None:
        name = coder.strip()
        if not name:
            raise AssistError("the coder name for the suggestions (--as) is empty")
        if name in humans or name in learn_from:
            raise AssistError(f"{name!r} has codings of their own; suggestions need a coder name of their own "
                              f"(--as, default {ASSIST_CODER!r}), or they would supersede that work")
    return list(codes) if codes else codebook.ids


def make_suggestions(project: Project, *, learn_from: Sequence[str] = (), transcripts: Sequence[str] | None = None,
                     unit: str = "paragraph", codes: Sequence[str] | None = None, coder: str = ASSIST_CODER,
                     threshold: float = 0.5, model: str | Path = "auto", include_interviewer: bool = False,
                     features: Features | None = None, progress: Progress | None = None) -> SuggestResult:
    """Compute suggestions without storing them (see :func:`suggest` for the arguments)."""
    started = time.perf_counter()
    learn_from = tuple(dict.fromkeys(c.strip() for c in learn_from if c.strip()))
    code_ids = check_request(project, learn_from=learn_from, transcripts=transcripts, unit=unit, codes=codes,
                             coder=coder, threshold=threshold)
    codings = project.codings
    coded = sorted({t for ts in coded_transcripts(codings, learn_from).values() for t in ts})
    if transcripts:
        targets = list(dict.fromkeys(transcripts))
    else:
        targets = [t for t in project.transcripts["transcript_id"] if t not in set(coded)]
        if not targets:
            raise AssistError(f"every transcript was coded by {', '.join(learn_from)}; name the transcripts to "
                              "suggest for with --transcripts (each is then held out of what the model learns from)")
    features = features or load_features(model)
    units = units_of(project, unit, transcripts=sorted(set(coded) | set(targets)),
                     include_interviewer=include_interviewer)
    if not np.isin(units["transcript_id"], targets).any():
        talk = "talk" if include_interviewer else "participant talk (add --include-interviewer for the rest)"
        raise AssistError(f"no {unit}s of {talk} in {', '.join(targets)} to suggest for")
    labelled = labelled_units(codings, units, learn_from, code_ids)
    plan = suggest_plan(targets, coded)
    if learn_from:
        alone = [t for t in targets if t in set(coded) and not set(coded) - {t}]
        if alone:
            raise AssistError(f"nothing to learn from for {alone[0]} once it is held out: {', '.join(learn_from)} "
                              "coded no other transcript")
    scored, _ = score_units(project, features, units, labelled, code_ids, plan, threshold, progress=progress)
    model_name = features.model if learn_from else features.codebook_model
    table = _table(units, labelled, scored, code_ids, coder, threshold, model_name, features.version, project,
                   progress=progress)
    asked = np.isin(units["transcript_id"], targets)
    unlearnt = tuple(c for j, c in enumerate(code_ids) if learn_from and not labelled.labels[:, j].any())
    return SuggestResult(table, coder, learn_from, tuple(targets), unit, float(threshold), model_name,
                         features.version, int(asked.sum()), time.perf_counter() - started,
                         learnt_from={t: scored.learnt_from.get(t, []) for t in targets} if learn_from else {},
                         unlearnt_codes=unlearnt)


_CHUNK = 256  # texts embedded between two reports of progress


def _encode(features: Features, texts: list[str], tell: Progress, done: int, total: int) -> np.ndarray:
    """``features.encode(texts)`` a chunk at a time, telling ``"embedding"`` after each (``done`` before them)."""
    parts = []
    for i in range(0, len(texts), _CHUNK):
        parts.append(features.encode(texts[i:i + _CHUNK]))
        tell("embedding", done + min(i + _CHUNK, len(texts)), total)
    return np.vstack(parts) if parts else features.encode(texts)


def score_units(project: Project, features: Features, units: pd.DataFrame, labelled: Labelled,
                code_ids: list[str], plan, threshold: float | None,
                progress: Progress | None = None) -> tuple[Scored, np.ndarray]:
    """Embed every unit and every distinct context once, then run the plan (from the codebook when there are no
    learning examples). ``progress(stage, done, total)``, when given, hears ``"embedding"`` (texts embedded) and
    ``"scoring"`` (see :func:`._fit.score_plan`)."""
    tell = progress or (lambda stage, done, total: None)
    texts = units["text"].tolist()
    # contexts feed the classifiers only: the codebook alone compares a unit's own words with the definitions
    distinct = list(dict.fromkeys(c for c in units["context"] if c)) if len(labelled.rows) else []
    seen = set(texts)
    fresh = [c for c in distinct if c not in seen]
    total = len(texts) + len(fresh)
    tell("embedding", 0, total)
    known = dict(zip(texts, _encode(features, texts, tell, 0, total)))
    known.update(zip(fresh, _encode(features, fresh, tell, len(texts), total)))
    vectors = np.array([known[t] for t in texts]).reshape(len(texts), -1)
    width = vectors.shape[1]
    context = np.array([known[c] if c in known else np.zeros(width) for c in units["context"]])
    context = context.reshape(len(texts), width)
    prior = None
    if not len(labelled.rows):
        codebook = project.load_codebook()
        all_codes = codebook.ids  # the z-scores are against every code, so --codes changes no decision
        described = code_texts(codebook, all_codes)
        prior, _ = codebook_prior(features, texts, vectors, described, features.encode(described))
        prior = prior[:, [all_codes.index(c) for c in code_ids]]
    return score_plan(features, units, vectors, context, labelled, plan, prior, threshold=threshold,
                      progress=progress), vectors


def _table(units: pd.DataFrame, labelled: Labelled, scored: Scored, code_ids: list[str], coder: str,
           threshold: float, model: str, version: str, project: Project,
           progress: Progress | None = None) -> pd.DataFrame:
    """One row per (unit, code) scoring at least ``threshold``, in unit then code order, with its reason: the
    nearest coded examples for a learnt code, the code's definition otherwise."""
    hits = np.argwhere(np.nan_to_num(scored.scores, nan=-1.0) >= threshold)
    rows_i, cols_j = hits[:, 0], hits[:, 1]
    codebook = project.load_codebook()
    tell = progress or (lambda stage, done, total: None)
    tell("explaining", 0, len(hits))
    ex = labelled.rows
    # each coded example named once ("AK's T1 P3"), not looked up again for every suggestion it explains
    example = [f"{c}'s {t} {g}" for c, t, g in zip(ex["coder"], ex["transcript_id"], ex["segment_id"])]
    learnt = scored.learnt[rows_i, cols_j].astype(bool)
    defined = {c: f"matched the definition of {c} {codebook[c].name}"
               for c in {code_ids[j] for j in np.unique(cols_j[~learnt])}}
    codes = [code_ids[j] for j in cols_j.tolist()]
    reasons = []
    for n, (i, j, code, is_learnt) in enumerate(zip(rows_i.tolist(), cols_j.tolist(), codes, learnt.tolist())):
        if n % 500 == 0 and n:
            tell("explaining", n, len(hits))
        if is_learnt:
            like = ", ".join(f"{example[r]} ({s:.2f})" for r, s in scored.nearest.get((i, j), []))
            reasons.append(f"{code} as coded on similar units: {like}" if like
                           else f"{code} learnt from coded examples")
        else:
            reasons.append(defined[code])
    tell("explaining", len(hits), len(hits))
    at = {c: units[c].to_numpy()[rows_i] for c in ("transcript_id", "segment_id", "start", "end")}
    return pd.DataFrame({
        "transcript_id": at["transcript_id"], "segment_id": at["segment_id"], "coder": coder, "code_id": codes,
        "start": at["start"].astype(int), "end": at["end"].astype(int),
        "score": scored.scores[rows_i, cols_j].astype(float), "model": model, "model_version": version,
        "reason": reasons, "learnt": learnt}, columns=SUGGESTION_TABLE_COLUMNS)


def suggest(project: Project, *, learn_from: Sequence[str] = (), transcripts: Sequence[str] | None = None,
            unit: str = "paragraph", codes: Sequence[str] | None = None, coder: str = ASSIST_CODER,
            threshold: float = 0.5, model: str | Path = "auto", include_interviewer: bool = False,
            who: str | None = None, features: Features | None = None, progress: Progress | None = None
            ) -> SuggestResult:
    """Suggest codes for units of a project and store them as ``coder``'s coding (source ``suggested``).

    Parameters
    ----------
    project : Project
    learn_from : sequence of str
        Coders whose coding the model learns from; none: suggestions come from the codebook alone (each code's
        name, definition, illustrative questions and keywords).
    transcripts : sequence of str, optional
        Transcripts to suggest for (default: every transcript none of ``learn_from`` coded). A transcript they did
        code is held out of what the model learns from, so no suggestion comes from the units it learnt from.
    unit : {"paragraph", "turn", "sentence"}
        The units suggested for and learnt from; participant talk only unless ``include_interviewer``.
    codes : sequence of str, optional
        Limit suggestions to these codes (default: every code of the project's codebook).
    coder : str
        The coder name the suggestions are stored under; refused if it names a coder with codings of their own.
    threshold : float
        A code is suggested for a unit when its score is at least this (0.5: the classifier's own boundary).
    model : str or path
        ``"auto"`` (the embedding model where installed, else TF-IDF), ``"minilm"``, ``"tfidf"``, or a folder
        holding a local sentence-transformers model.
    progress : callable, optional
        ``progress(stage, done, total)`` hears how far the run has come: ``"embedding"`` (texts), ``"scoring"``
        (codes, per step of the plan), ``"explaining"`` (suggestions given their reasons) and ``"storing"``.

    Returns
    -------
    SuggestResult
        ``batch_id`` is the stored batch (None when no unit reached the threshold: nothing is stored).
    """
    result = make_suggestions(project, learn_from=learn_from, transcripts=transcripts, unit=unit, codes=codes,
                              coder=coder, threshold=threshold, model=model, include_interviewer=include_interviewer,
                              features=features, progress=progress)
    if result.suggestions.empty:
        return result
    df = result.suggestions.assign(memo="")
    note = {"learn_from": list(result.learn_from), "unit": unit, "threshold": result.threshold,
            "model": result.model, "model_version": result.model_version,
            "learnt_from": result.learnt_from, "include_interviewer": include_interviewer}
    basis = f"learnt from {', '.join(result.learn_from)}" if result.learn_from else "codebook only"
    tell = progress or (lambda stage, done, total: None)
    tell("storing", 0, 1)
    recorded = project.record_imports([ImportBatch(df, SOURCE, f"suggestions ({basis})", note=note)], who=who)
    tell("storing", 1, 1)
    return SuggestResult(**{**result.__dict__, "batch_id": recorded[0].batch_id})
