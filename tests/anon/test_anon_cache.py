"""Checks kept and reused (npt_coder.anon._cache): a hit gives the same findings without checking again, any
change of text, settings or detector is a miss, and the kept files hold nothing of the text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import npt_coder
import npt_coder.anon as anon
from npt_coder.anon import CheckCache, _cache, check_identifiers, detector_version

TEXTS = ["P01: Kerry Dawson rang me on 07700 900123 about Jamie, aged 7.", "P02: nothing to see here at all.",
         "P01: she goes to Oakwood Primary School in Halifax."]
SKIPS = [[(0, 4)], [(0, 4)], [(0, 4)]]


def _same(a, b):
    assert len(a.findings) == len(b.findings)
    for x, y in zip(a.findings, b.findings):
        pd.testing.assert_frame_equal(x, y)
    assert (a.name_detection, a.note) == (b.name_detection, b.note)


def test_a_second_check_of_the_same_texts_is_read_from_the_cache(tmp_path, detector_calls):
    cache = CheckCache(tmp_path / "checks")
    first = check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache)
    assert detector_calls == [3] and (cache.hits, cache.misses) == (0, 3)
    again = check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache)
    assert detector_calls == [3, 0] and cache.hits == 3  # nothing was checked the second time
    _same(first, again)
    _same(first, check_identifiers(TEXTS, skip_spans=SKIPS))  # and it is what an uncached check finds
    assert sum(len(f) for f in first.findings) >= 4


def test_only_the_texts_not_kept_are_checked(tmp_path, detector_calls):
    cache = CheckCache(tmp_path / "checks")
    check_identifiers(TEXTS[:2], skip_spans=SKIPS[:2], cache=cache)
    result = check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache)
    assert detector_calls == [2, 1]
    _same(result, check_identifiers(TEXTS, skip_spans=SKIPS))


@pytest.mark.parametrize("change", ["text", "skip", "deny", "allow", "pipeline"])
def test_another_text_or_setting_is_a_miss(tmp_path, detector_calls, nlp, change):
    cache = CheckCache(tmp_path / "checks")
    base = {"skip_spans": SKIPS[:1], "deny": ["Dawson"], "allow": ["Oakwood"], "nlp": None}
    check_identifiers(TEXTS[:1], cache=cache, **base)
    texts = [TEXTS[0] + " Then she left."] if change == "text" else TEXTS[:1]
    changed = {"text": {}, "skip": {"skip_spans": [[(0, 3)]]}, "deny": {"deny": ["Dawson", "Kerry"]},
               "allow": {"allow": []}, "pipeline": {"nlp": nlp}}[change]
    other = {**base, **changed}
    result = check_identifiers(texts, cache=cache, **other)
    assert detector_calls == [1, 1]
    _same(result, check_identifiers(texts, **other))


def test_a_new_detector_version_is_a_miss(tmp_path, detector_calls, monkeypatch):
    cache = CheckCache(tmp_path / "checks")
    check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache)
    monkeypatch.setattr(_cache, "detector_version", lambda folder=None: "0.0.0+another-detector")
    check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache)
    assert detector_calls == [3, 3]
    check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache)
    assert detector_calls == [3, 3, 0]  # kept again under the new version


def test_the_detector_version_follows_the_detector_code(tmp_path):
    same, changed = tmp_path / "same", tmp_path / "changed"
    shutil.copytree(Path(anon.__file__).parent, same)
    shutil.copytree(Path(anon.__file__).parent, changed)
    with open(changed / "_patterns.py", "a", encoding="utf-8") as f:
        f.write("\n# a changed rule\n")
    assert detector_version(same) == detector_version()
    assert detector_version(changed) != detector_version()
    assert detector_version().startswith(f"{npt_coder.__version__}+")


def test_kept_files_hold_no_text_value_preview_or_term(tmp_path):
    cache = CheckCache(tmp_path / "checks")
    result = check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache, deny=["Larchfield Road"])
    files = list((tmp_path / "checks").rglob("*.json"))
    assert len(files) == 3
    kept = "".join(f.read_text(encoding="utf-8") for f in files)
    previews = [p for f in result.findings for p in f["preview"]]
    assert previews
    for secret in ["Kerry", "Dawson", "07700", "Jamie", "Oakwood", "Halifax", "Larchfield", *previews]:
        assert secret not in kept


def test_a_damaged_or_unwritable_cache_is_no_error(tmp_path, detector_calls):
    cache = CheckCache(tmp_path / "checks")
    first = check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache)
    for f in (tmp_path / "checks").rglob("*.json"):
        f.write_text("{not json", encoding="utf-8")
    _same(first, check_identifiers(TEXTS, skip_spans=SKIPS, cache=cache))
    assert detector_calls == [3, 3]
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    _same(first, check_identifiers(TEXTS, skip_spans=SKIPS, cache=CheckCache(blocked / "checks")))
