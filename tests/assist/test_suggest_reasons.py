"""The suggestions' one-line reasons, built from column arrays, are exactly what looking each suggestion's unit and
nearest examples up row by row gave (the implementation this replaced, kept here as the oracle): on the demo study
and on a generated one, learnt from coders and from the codebook alone."""

from __future__ import annotations

import pandas as pd
import pytest

from npt_coder.assist import _suggest, make_suggestions
from npt_coder.assist._suggest import SUGGESTION_TABLE_COLUMNS

from ..generated_study import generated_study
from ..oracles import oracle_table


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
