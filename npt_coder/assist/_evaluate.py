"""How well suggestions agree with the team's coders: k-fold cross-validation by transcript.

The transcripts the learning coders coded are split into ``folds`` groups of whole transcripts; each group is
suggested for by a model that learnt from the other groups only, and the suggestions are compared with each learning
coder on the units of the held-out transcripts that coder coded, code by code: the four counts, Cohen's kappa
(:func:`npt_coder.agreement.cohen_kappa_from_counts`), precision (share of suggestions the coder also made) and
recall (share of the coder's codes that were suggested). Next to them stands the human-human kappa of the same
code on the double-coded transcripts (:func:`npt_coder.agreement.agreement_table`: the learning coder against
every other individual coder, never the consensus nor suggestions, mean over pairs), the number the suggestions'
kappa is to be read against.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .._consensus import individual_coders
from .._words import count, noun
from ..agreement import agreement_table, cohen_kappa_from_counts
from ..errors import NptCoderError
from ..store import Project
from ._fit import fold_plan
from ._models import AssistError, Features, load_features
from ._suggest import check_request, human_coders, score_units
from ._units import coded_transcripts, labelled_units, units_of

__all__ = ["EVALUATION_COLUMNS", "Evaluation", "evaluate"]

EVALUATION_COLUMNS = ["code_id", "name", "coder", "n_units", "both", "only_coder", "only_suggested", "neither",
                      "kappa", "precision", "recall", "human_kappa", "human_pairs"]


@dataclass(frozen=True)
class Evaluation:
    """The cross-validated agreement of suggestions with the learning coders.

    ``table`` has :data:`EVALUATION_COLUMNS`, one row per code and learning coder, for the codes the learning
    coders used (one nobody used is never suggested, so there is nothing to compare; precision or recall ``nan``
    where nothing was suggested or coded; ``human_kappa`` ``nan`` where no double-coding exists).
    ``macro_kappa`` is the mean kappa over the rows where it is defined, ``macro_human_kappa`` the same for the
    human-human kappa; ``seconds_per_1000`` is the time of the whole evaluation per 1,000 units scored.
    """

    table: pd.DataFrame
    learn_from: tuple[str, ...]
    unit: str
    folds: int
    n_transcripts: int
    n_units: int
    threshold: float
    model: str
    model_version: str
    seconds: float

    @property
    def macro_kappa(self) -> float:
        return float(np.nanmean(self.table["kappa"])) if self.table["kappa"].notna().any() else float("nan")

    @property
    def macro_human_kappa(self) -> float:
        k = self.table["human_kappa"]
        return float(np.nanmean(k)) if k.notna().any() else float("nan")

    @property
    def seconds_per_1000(self) -> float:
        return 1000.0 * self.seconds / max(self.n_units, 1)

    def summary(self) -> str:
        human = self.macro_human_kappa
        n_rated = int(self.table["kappa"].notna().sum())
        text = (f"{self.folds}-fold cross-validation by transcript on {count(self.n_transcripts, 'transcript')} coded "
                f"by {', '.join(self.learn_from)} ({count(self.n_units, self.unit)}); model {self.model} "
                f"({self.model_version}); threshold {self.threshold:g}: mean kappa {self.macro_kappa:.3f} over "
                f"{n_rated} "
                + (noun(n_rated, "code") if len(self.learn_from) == 1 else noun(n_rated, "code x coder row")))
        text += (f", human-human mean kappa {human:.3f} on the double-coded transcripts" if not np.isnan(human)
                 else "; no double-coded transcripts to compare with")
        return text + f"; {self.seconds_per_1000:.1f} s per 1,000 units"


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.maximum(b, 1), np.nan)


def _human_kappa(project: Project, learners: Sequence[str], unit: str, include_interviewer: bool,
                 codes: Sequence[str]) -> pd.DataFrame:
    """Mean kappa per code between each learning coder and every other coder of their own, and the pairs."""
    humans = individual_coders(project.codings[project.codings["coder"].isin(human_coders(project.codings))])
    rows = []
    for learner in learners:
        others = [c for c in humans if c != learner]
        if not others:
            continue
        try:
            table = agreement_table(project, coders=[learner, *others], unit=unit, by=("code",), ci=None,
                                    include_interviewer=include_interviewer)
        except NptCoderError:  # nobody double-coded a transcript with this coder
            continue
        mine = table[(table["coder_a"] == learner) | (table["coder_b"] == learner)]
        for code, group in mine.groupby("key"):
            pairs = sorted({f"{a}-{b}" for a, b in zip(group["coder_a"], group["coder_b"])})
            rows.append({"code_id": code, "coder": learner, "human_kappa": group["cohen_kappa"].mean(),
                         "human_pairs": ", ".join(pairs)})
    out = pd.DataFrame(rows, columns=["code_id", "coder", "human_kappa", "human_pairs"])
    return out[out["code_id"].isin(codes)]


def evaluate(project: Project, *, learn_from: Sequence[str], unit: str = "paragraph",
             codes: Sequence[str] | None = None, folds: int = 5, threshold: float = 0.5, model: str | Path = "auto",
             include_interviewer: bool = False, seed: int = 0, features: Features | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> Evaluation:
    """Cross-validate suggestions against the learning coders, by transcript (see the module docstring).

    ``folds`` is capped at the number of coded transcripts (leave-one-transcript-out when they are fewer);
    ``seed`` fixes which transcripts fall in which fold. Nothing is stored. ``progress(stage, done, total)``, when
    given, hears ``"embedding"`` and ``"scoring"`` (codes, fold by fold), then ``"agreement"`` (the human-human
    kappa).
    """
    started = time.perf_counter()
    learn_from = tuple(dict.fromkeys(c.strip() for c in learn_from if c.strip()))
    if not learn_from:
        raise AssistError("evaluation needs a coder to compare with: give --learn-from CODER")
    if folds < 2:
        raise AssistError(f"folds must be 2 or more; got {folds}")
    code_ids = check_request(project, learn_from=learn_from, transcripts=None, unit=unit, codes=codes,
                             threshold=threshold)
    codings = project.codings
    coded = sorted({t for ts in coded_transcripts(codings, learn_from).values() for t in ts})
    if len(coded) < 2:
        raise AssistError(f"cross-validation needs at least two transcripts coded by {', '.join(learn_from)}; "
                          f"found {len(coded)}")
    k = min(folds, len(coded))
    features = features or load_features(model)
    units = units_of(project, unit, transcripts=coded, include_interviewer=include_interviewer)
    labelled = labelled_units(codings, units, learn_from, code_ids)
    scored, _ = score_units(project, features, units, labelled, code_ids, fold_plan(coded, k, seed), None,
                            progress=progress)
    suggested = np.nan_to_num(scored.scores, nan=-1.0) >= threshold
    rows = []
    names = project.codebook.set_index("code_id")["name"]
    for learner in learn_from:
        mine = (labelled.rows["coder"] == learner).to_numpy()
        human = labelled.labels[mine]
        machine = suggested[labelled.rows.loc[mine, "unit_index"].to_numpy()]
        both = (human & machine).sum(axis=0)
        only_h = (human & ~machine).sum(axis=0)
        only_m = (~human & machine).sum(axis=0)
        neither = (~human & ~machine).sum(axis=0)
        counts = np.stack([both, only_h, only_m, neither], axis=1)
        kappa = cohen_kappa_from_counts(counts, warn=False)
        for j, code in enumerate(code_ids):
            rows.append({"code_id": code, "name": names.get(code, code), "coder": learner, "n_units": int(mine.sum()),
                         "both": int(both[j]), "only_coder": int(only_h[j]), "only_suggested": int(only_m[j]),
                         "neither": int(neither[j]), "kappa": float(kappa[j]),
                         "precision": float(_ratio(both, both + only_m)[j]),
                         "recall": float(_ratio(both, both + only_h)[j])})
    table = pd.DataFrame(rows, columns=EVALUATION_COLUMNS[:-2])
    used = table.groupby("code_id")[["both", "only_coder"]].sum().sum(axis=1)
    table = table[table["code_id"].map(used) > 0]  # a code no learning coder used is never suggested: no comparison
    tell = progress or (lambda stage, done, total: None)
    tell("agreement", 0, 1)
    human = _human_kappa(project, learn_from, unit, include_interviewer, code_ids)
    tell("agreement", 1, 1)
    table = table.merge(human, on=["code_id", "coder"], how="left")
    table["human_pairs"] = table["human_pairs"].fillna("")
    return Evaluation(table[EVALUATION_COLUMNS].reset_index(drop=True), learn_from, unit, k, len(coded), len(units),
                      float(threshold), features.model, features.version, time.perf_counter() - started)
