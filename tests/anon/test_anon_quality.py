"""The quality targets of issue 3 on the labelled set (tests/anon/labelled.yaml), scored by benchmarks/anon_eval.py.

Targets: recall >= 0.95 on phones, emails, NHS numbers and postcodes; >= 0.85 on person names with the trained
pipeline; precision >= 0.8 overall (with and without the pipeline).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def anon_eval():
    spec = importlib.util.spec_from_file_location("anon_eval", ROOT / "benchmarks" / "anon_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def labelled(anon_eval):
    return anon_eval.load_set(anon_eval.SET)


def test_the_set_is_big_enough_and_covers_every_type(labelled):
    items = labelled["items"]
    assert len(items) >= 200
    kinds = {kind for it in items for kind, _, _ in it["gold"]}
    assert kinds >= {"person", "phone", "email", "url", "nhs_number", "postcode", "address", "date",
                     "age_with_name", "school", "organisation", "place", "deny_list"}
    assert sum(1 for it in items if not it["gold"]) >= 50  # hard negatives


def _by_type(table):
    return table.set_index("type")


def test_targets_without_the_pipeline(anon_eval, labelled):
    table = _by_type(anon_eval.score(labelled, nlp=None)[0])
    for kind in ("phone", "email", "nhs_number", "postcode"):
        assert table.loc[kind, "recall"] >= 0.95, kind
    assert table.loc["overall", "precision"] >= 0.8


def test_targets_with_the_pipeline(anon_eval, labelled, nlp):
    table = _by_type(anon_eval.score(labelled, nlp=nlp)[0])
    for kind in ("phone", "email", "nhs_number", "postcode"):
        assert table.loc[kind, "recall"] >= 0.95, kind
    assert table.loc["person", "recall"] >= 0.85
    assert table.loc["overall", "precision"] >= 0.8


def test_scoring_counts_overlaps_within_a_family(anon_eval):
    labelled = {"deny": [], "allow": [], "items": [
        {"text": "Jamie (7) rang 07700 900123.", "gold": [("age_with_name", 0, 9), ("phone", 15, 27)], "skip": []},
        {"text": "Nothing here at all.", "gold": [], "skip": []},
    ]}
    table = _by_type(anon_eval.score(labelled)[0])
    assert table.loc["overall", "recall"] == 1.0 and table.loc["overall", "precision"] == 1.0
