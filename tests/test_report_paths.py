"""The report's faster paths give what the plain ones give: a project read once (npt_coder.store.snapshot), the
merged analysis spans and one row per segment and code computed on arrays, on a generated study of 4 coders."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from npt_coder.store import snapshot
from npt_coder.themes import _material, analysis_codings, cmo_links, cooccurrence, framework_matrix, theme_summary
from npt_coder.themes._basis import _select

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("report_benchmark", ROOT / "benchmarks" / "report.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.generate(tmp_path_factory.mktemp("study"), 15, 15 * 90)


def _merged_by_groupby(df: pd.DataFrame) -> pd.DataFrame:
    """analysis_codings as it was first written: one pandas groupby with Python joins per group."""
    sub = _select(df, None, "consensus")
    memo = sub["memo"] if "memo" in sub.columns else pd.Series("", index=sub.index)
    sub = sub.assign(memo=memo.fillna("").astype(str), start=sub["start"].astype(np.int64),
                     end=sub["end"].astype(np.int64))
    sub = sub.sort_values(["transcript_id", "code_id", "start", "end"], kind="stable").reset_index(drop=True)
    key = sub["transcript_id"].astype(str) + "\x1f" + sub["code_id"].astype(str)
    running_end = sub.groupby(key, sort=False)["end"].cummax().groupby(key, sort=False).shift(1)
    group = ((key != key.shift(1)) | (sub["start"] >= running_end)).cumsum()

    def join(values, sep):
        seen = []
        for v in values:
            if v and v not in seen:
                seen.append(v)
        return sep.join(sorted(seen) if sep == ", " else seen)

    return sub.groupby(group, sort=False).agg(
        transcript_id=("transcript_id", "first"), code_id=("code_id", "first"), start=("start", "min"),
        end=("end", "max"), coders=("coder", lambda v: join(v.astype(str), ", ")), basis=("basis", "first"),
        memo=("memo", lambda v: join(v, " | ")),
    ).reset_index(drop=True)


def _one_row_by_groupby(out: pd.DataFrame) -> pd.DataFrame:
    if not out.duplicated(["transcript_id", "segment_id", "code_id"]).any():
        return out
    return out.groupby(["transcript_id", "segment_id", "code_id"], sort=False, as_index=False).agg(
        {**{col: "first" for col in out.columns if col not in
            ("transcript_id", "segment_id", "code_id", "coded_start", "coded_end", "coders")},
         "coded_start": "min", "coded_end": "max",
         "coders": lambda v: ", ".join(sorted(set(", ".join(v).split(", "))))})


def test_merged_spans_are_those_of_the_groupby(study):
    codings = study.codings
    rng = np.random.default_rng(5)
    shifted = codings.sample(frac=0.2, random_state=1).assign(coder="XY")  # overlapping spans of a fifth coder
    shifted["start"] += 3
    codings = pd.concat([codings, shifted], ignore_index=True)
    codings["memo"] = rng.choice(["", "", "check", "quote this", None], size=len(codings))
    merged = analysis_codings(codings)
    assert (merged["coders"].str.contains(", ")).sum() > 100 and merged["memo"].str.contains(" | ").any()
    # the same values; pandas 3 may give the two ways different string dtypes (str or object)
    pd.testing.assert_frame_equal(merged, _merged_by_groupby(codings), check_dtype=False)


@pytest.mark.parametrize("unit", ["paragraph", "turn", "sentence"])
def test_one_row_per_segment_and_code_is_that_of_the_groupby(study, unit, monkeypatch):
    fast = _material.material(study, unit=unit).coded()
    monkeypatch.setattr(_material, "_one_row_per_code", _one_row_by_groupby)
    slow = _material.material(study, unit=unit).coded()
    assert len(fast) > 500
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False)  # string dtypes may differ under pandas 3


def test_a_snapshot_answers_as_the_project(study):
    once = snapshot(study)
    pd.testing.assert_frame_equal(once.codings, study.codings)
    pd.testing.assert_frame_equal(once.transcripts, study.transcripts)
    for unit in ("turn", "paragraph", "sentence"):
        for interviewer in (True, False):
            pd.testing.assert_frame_equal(once.segments(unit, include_interviewer=interviewer),
                                          study.segments(unit, include_interviewer=interviewer))
    some = sorted(study.transcripts["transcript_id"])[3:6]
    pd.testing.assert_frame_equal(once.segments("turn", transcripts=some), study.segments("turn", transcripts=some))
    assert once.segments("sentence", text=False)["text"].isna().all()
    tid = some[0]
    assert once.transcript_text(tid) == study.transcript_text(tid)
    assert snapshot(once) is once and once.root == study.root


def test_a_snapshot_reads_each_table_once_and_hands_out_copies(study, monkeypatch):
    once = snapshot(study)
    reads: list[str] = []
    real = type(study)._query
    monkeypatch.setattr(type(study), "_query", lambda self, sql, *a: reads.append(sql) or real(self, sql, *a))
    first = once.codings
    first["code_id"] = "changed"  # a caller that changes what it was given
    assert (once.codings["code_id"] != "changed").all()
    given = once.segments("paragraph")
    given["start"] = -1
    assert (once.segments("paragraph")["start"] >= 0).all()
    assert len(reads) == 3  # codings, paragraphs, and the transcripts whose texts the segments are cut from
    _ = (once.transcripts, once.segments("paragraph", include_interviewer=True), once.codings)
    assert len(reads) == 3


def test_theme_steps_on_a_snapshot_are_those_on_the_project(study):
    once = snapshot(study)
    a, b = theme_summary(once), theme_summary(study)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.quotes, b.quotes)
    pd.testing.assert_frame_equal(cooccurrence(once).table, cooccurrence(study).table)
    pd.testing.assert_frame_equal(cmo_links(once, within="turn").table, cmo_links(study, within="turn").table)
    pd.testing.assert_frame_equal(framework_matrix(once, columns="construct", cell="count").table,
                                  framework_matrix(study, columns="construct", cell="count").table)
    assert _material.material(once) is _material.material(once)  # one material shared by the steps
    assert _material.material(study) is not _material.material(study)


def test_the_store_writes_every_segment_as_the_transcript_lists_it(tmp_path):
    import npt_coder as nc
    from npt_coder.demo import demo_files
    from npt_coder.ingest import read_transcripts
    from npt_coder.services import add_transcripts

    files = demo_files()
    p = nc.init_project(tmp_path / "demo")
    add_transcripts(p, files, accept_flagged=True, nlp=None)
    for t in read_transcripts(files):
        for unit in ("turn", "paragraph", "sentence"):
            stored = p.segments(unit, transcripts=[t.transcript_id])
            mine = t.segments(unit)
            assert len(stored) == len(mine) > 0
            for col in ("segment_id", "start", "end", "speaker", "speaker_role", "turn_id", "text"):
                assert stored[col].tolist() == mine[col].tolist(), (t.transcript_id, unit, col)
            for col in ("start_time", "end_time"):
                assert stored[col].isna().tolist() == mine[col].isna().tolist()
                assert stored[col].dropna().tolist() == pytest.approx(mine[col].dropna().astype(float).tolist())
