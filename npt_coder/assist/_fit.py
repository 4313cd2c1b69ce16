"""Fitting and scoring with held-out transcripts: the one place where what a suggestion learnt from is decided.

A *plan* is a list of steps ``(targets, held_out)``: the units of the ``targets`` transcripts are scored by
classifiers fitted on the learning examples of every transcript *not* in ``held_out``. Suggesting makes one step
for the transcripts no learning coder coded and one step per coded transcript asked about (held out by itself);
evaluating makes one step per fold. Every step holds its targets out, so no unit is ever scored by a model that
learnt from it (tests check this).

With learning coders, a code none of them used in a step's learning transcripts gets no score there: their coding
says it was absent so far. Without learning coders every code is scored from the codebook: the unit's similarity to
the code's own text (name, definition, questions, keywords), as a z-score against its similarity to every code of
the codebook, read as ``1 / (1 + exp(-2 (z - 1)))``: 0.5 at one standard deviation above the unit's mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from ._models import TFIDF_JOINS_AT, Features, fit_scores
from ._units import Labelled

__all__ = ["Scored", "codebook_prior", "fold_plan", "score_plan", "suggest_plan"]

_NEAREST = 2  # coded examples named in a reason


def suggest_plan(targets: Sequence[str], coded: Sequence[str]) -> list[tuple[list[str], set[str]]]:
    """Uncoded targets share one step; each coded target is held out on its own."""
    coded_set = set(coded)
    plan: list[tuple[list[str], set[str]]] = []
    fresh = [t for t in targets if t not in coded_set]
    if fresh:
        plan.append((fresh, set()))
    plan += [([t], {t}) for t in targets if t in coded_set]
    return plan


def fold_plan(coded: Sequence[str], k: int, seed: int = 0) -> list[tuple[list[str], set[str]]]:
    """``k`` folds of whole transcripts (shuffled with ``seed``); each fold is scored with itself held out."""
    order = np.random.default_rng(seed).permutation(sorted(coded))
    return [(sorted(f.tolist()), set(f.tolist())) for f in np.array_split(order, k) if len(f)]


def codebook_prior(features: Features, unit_texts: Sequence[str], unit_vectors: np.ndarray,
                   code_texts: Sequence[str], code_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scores from the codebook alone for every unit x code, and the z-scores they come from."""
    sim = features.similarity(unit_texts, unit_vectors, code_texts, code_vectors)
    mean, sd = sim.mean(axis=1, keepdims=True), sim.std(axis=1, keepdims=True)
    z = (sim - mean) / np.where(sd > 0, sd, 1.0)
    return 1.0 / (1.0 + np.exp(-2.0 * (z - 1.0))), z


@dataclass
class Scored:
    """Scores of the plan's target units; where each came from; what each step learnt from."""

    scores: np.ndarray  # (n_units, n_codes); nan for units no step targeted
    learnt: np.ndarray  # (n_units, n_codes) bool: from a classifier (else from the codebook)
    nearest: dict[tuple[int, int], list[tuple[int, float]]] = field(default_factory=dict)  # (unit, code) ->
    # [(row of the Labelled table, similarity)]
    learnt_from: dict[str, list[str]] = field(default_factory=dict)  # target transcript -> transcripts learnt from


def score_plan(features: Features, units: pd.DataFrame, vectors: np.ndarray, context: np.ndarray,
               labelled: Labelled, plan: Sequence[tuple[list[str], set[str]]], prior: np.ndarray | None, *,
               threshold: float | None = None, progress: Callable[[str, int, int], None] | None = None) -> Scored:
    """Run every step of ``plan``; with ``threshold``, also find the nearest coded examples of each suggestion.

    ``vectors`` are the units' own vectors, ``context`` those of their context (see :func:`._units.units_of`);
    the classifiers see both, similarities (reasons) use the units' own. ``prior`` (codebook scores of every
    unit) is used when there is nothing to learn from (no learning coders). ``progress(stage, done, total)``,
    when given, hears ``"scoring"``, counting the codes of every step.
    """
    n_units, n_codes = len(units), labelled.labels.shape[1]
    tell = progress or (lambda stage, done, total: None)
    total = len(plan) * n_codes
    out = Scored(np.full((n_units, n_codes), np.nan), np.zeros((n_units, n_codes), dtype=bool))
    unit_t = units["transcript_id"].to_numpy()
    row_t = labelled.rows["transcript_id"].to_numpy()
    for k, (targets, held_out) in enumerate(plan):
        tell("scoring", k * n_codes, total)
        target_idx = np.flatnonzero(np.isin(unit_t, targets))
        train = np.flatnonzero(~np.isin(row_t, list(held_out))) if len(row_t) else np.zeros(0, dtype=int)
        learnt_from = sorted(set(row_t[train]))
        for t in targets:
            out.learnt_from[t] = learnt_from
        if not len(target_idx):
            continue
        step = np.full((len(target_idx), n_codes), np.nan) if prior is None else np.array(prior[target_idx])
        learnt = np.zeros((len(target_idx), n_codes), dtype=bool)
        if len(train):
            rows = labelled.rows.iloc[train]
            y = labelled.labels[train]
            train_units = rows["unit_index"].to_numpy()
            use_tfidf = not features.dense or len(train) >= TFIDF_JOINS_AT
            X = features.matrix(rows["text"].tolist(), np.hstack([vectors[train_units], context[train_units]]),
                                rows["speaker_role"].tolist(), fit=True, use_tfidf=use_tfidf)
            tx = units.iloc[target_idx]
            T = features.matrix(tx["text"].tolist(), np.hstack([vectors[target_idx], context[target_idx]]),
                                tx["speaker_role"].tolist(), fit=False, use_tfidf=use_tfidf)
            fitted = fit_scores(features, X, y, T, on_code=lambda j, k=k: tell("scoring", k * n_codes + j, total))
            learnt[:] = fitted.learnt[None, :]
            step[:, fitted.learnt] = fitted.scores[:, fitted.learnt]
            if threshold is not None:
                _nearest(out, features, units, vectors, target_idx, rows, train, y, step, learnt, threshold)
        out.scores[target_idx] = step
        out.learnt[target_idx] = learnt
    tell("scoring", total, total)
    return out


def _nearest(out: Scored, features: Features, units: pd.DataFrame, vectors: np.ndarray, target_idx: np.ndarray,
             rows: pd.DataFrame, train: np.ndarray, y: np.ndarray, step: np.ndarray, learnt: np.ndarray,
             threshold: float) -> None:
    """For each suggested (unit, learnt code): the learning examples of that code most like the unit (as rows of
    the :class:`Labelled` table, with their similarity)."""
    hits = np.argwhere((step >= threshold) & learnt)
    if not len(hits):
        return
    tx = units.iloc[target_idx]
    sim = features.similarity(tx["text"].tolist(), vectors[target_idx], rows["text"].tolist(),
                              vectors[rows["unit_index"].to_numpy()])
    for i, j in hits:
        positives = np.flatnonzero(y[:, j])
        best = positives[np.argsort(-sim[i, positives], kind="stable")[:_NEAREST]]
        out.nearest[(int(target_idx[i]), int(j))] = [(int(train[b]), float(sim[i, b])) for b in best]
