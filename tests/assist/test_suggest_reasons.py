"""The suggestions' one-line reasons, built from column arrays, are exactly what looking each suggestion's unit and
nearest examples up row by row gave (the implementation this replaced, kept here as the oracle): on the demo study
and on a generated one, learnt from coders and from the codebook alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from npt_coder.assist import _suggest, make_suggestions
from npt_coder.assist._suggest import SUGGESTION_TABLE_COLUMNS

from ..generated_study import generated_study


def oracle_table(units: pd.DataFrame, labelled, scored, code_ids: list[str], coder: str,
           threshold: float, model: str, version: str, project,
           progress=None) -> pd.DataFrame:
    hits = np.argwhere(np.nan_to_num(scored.scores, nan=-1.0) >= threshold)
    codebook = project.load_codebook()
    tell = progress or (lambda stage, done, total: None)
    rows = []
    for n, (i, j) in enumerate(hits):
        if n % 500 == 0:
            tell("explaining", n, len(hits))
        u = units.iloc[i]
        code = code_ids[j]
        if scored.learnt[i, j]:
            near = scored.nearest.get((int(i), int(j)), [])
            like = ", ".join(f"{labelled.rows.iloc[r]['coder']}'s {labelled.rows.iloc[r]['transcript_id']} "
                             f"{labelled.rows.iloc[r]['segment_id']} ({s:.2f})" for r, s in near)
            reason = f"{code} as coded on similar units: {like}" if like else f"{code} learnt from coded examples"
        else:
            reason = f"matched the definition of {code} {codebook[code].name}"
        rows.append((u["transcript_id"], u["segment_id"], coder, code, int(u["start"]), int(u["end"]),
                     float(scored.scores[i, j]), model, version, reason, bool(scored.learnt[i, j])))
    tell("explaining", len(hits), len(hits))
    return pd.DataFrame(rows, columns=SUGGESTION_TABLE_COLUMNS)


def both_ways(monkeypatch, project, **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The suggestions, and what the oracle makes of the very same scores (a refit need not repeat every bit)."""
    seen = []
    table = _suggest._table

    def keep(*args, **kwargs):
        seen.append((args, kwargs))
        return table(*args, **kwargs)

    monkeypatch.setattr(_suggest, "_table", keep)
    new = make_suggestions(project, model="tfidf", **kw).suggestions
    (args, kwargs), = seen
    return new, oracle_table(*args, **kwargs)


def assert_same(new: pd.DataFrame, old: pd.DataFrame, *, learnt: bool) -> None:
    assert len(new) > 0 and new["learnt"].any() == learnt
    assert new["reason"].tolist() == old["reason"].tolist()
    pd.testing.assert_frame_equal(new, old)
    assert list(new.columns) == SUGGESTION_TABLE_COLUMNS


@pytest.mark.parametrize("learn_from", [["A", "B"], []])
def test_reasons_unchanged_on_a_generated_study(tmp_path, monkeypatch, learn_from):
    project = generated_study(tmp_path, n_transcripts=5, coders=("A", "B"))
    new, old = both_ways(monkeypatch, project, learn_from=learn_from, transcripts=["T1", "T2"], threshold=0.3)
    assert_same(new, old, learnt=bool(learn_from))
    if learn_from:
        assert new["reason"].str.contains("as coded on similar units: ").any()


@pytest.mark.parametrize("learn_from", [["AK"], []])
def test_reasons_unchanged_on_the_demo(demo_run, monkeypatch, learn_from):
    new, old = both_ways(monkeypatch, demo_run.project, learn_from=learn_from, threshold=0.3)
    assert_same(new, old, learnt=bool(learn_from))
