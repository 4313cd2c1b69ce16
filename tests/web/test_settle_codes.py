"""Settling one code in dispute at a time in the workbench: the decisions of the review workbook's kind, applied by
the one reconcile rule, kept beside decisions on whole segments, checked against the codings as they are now, and
a store of schema 5 (decisions per segment only) brought to schema 6 with its decisions intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder import services as sv
from npt_coder.coding import import_codings, merge_overlaps
from npt_coder.errors import ProjectError, StaleWorkError
from npt_coder.review import fingerprint, reconcile_decisions
from npt_coder.store import _schema

from .conftest import make_study

TID = "S1_A01"


def lang_row(study) -> dict:
    """The paragraph AK coded C4 and JT coded M1.1 (two codes in dispute), as the comparison gives it."""
    table = sv.comparison(study, TID, "AK", "JT")
    return table[table["codes_a"] == "C4"].iloc[0].to_dict()


def on_code(r: dict, code: str, decision: str, note: str = "", other=()) -> sv.Decision:
    """A decision on one code in dispute, carrying that code's key back."""
    key = {d["code_id"]: d["key"] for d in r["disputed"]}[code]
    return sv.Decision(TID, r["segment_id"], decision, tuple(other), note, key, code)


def on_segment(r: dict, decision: str, note: str = "") -> sv.Decision:
    return sv.Decision(TID, r["segment_id"], decision, (), note, r["key"])


def consensus(study) -> list[tuple]:
    c = study.coding_table(TID, coder="consensus")
    return sorted(zip(c["code_id"], c["start"], c["end"], c["memo"].fillna("")))


def by_code(r: dict) -> dict:
    return {d["code_id"]: (d["decision"], d["current"], d["settled"]) for d in r["disputed"]}


@pytest.fixture
def opened(study):
    sv.open_comparison(study, TID, who="LD")
    return study


def test_the_comparison_lists_each_code_in_dispute_with_its_name_coder_and_key(opened):
    r = lang_row(opened)
    assert [(d["code_id"], d["name"], d["coded_a"], d["coded_b"]) for d in r["disputed"]] == [
        ("C4", "Reframing organisational logics", True, False), ("M1.1", "Differentiation", False, True)]
    text = opened.transcript_text(TID)
    assert [[text[s:e] for s, e in d["spans_a"] or d["spans_b"]] for d in r["disputed"]] == [
        ["People talk about need now"]] * 2
    keys = [d["key"] for d in r["disputed"]]
    assert len(set(keys + [r["key"]])) == 3  # a key per code, and another for the whole paragraph
    assert keys[0] == fingerprint(r, "C4")  # the review workbook's key of that row
    assert not r["settled"] and by_code(r) == {"C4": ("", False, False), "M1.1": ("", False, False)}


def test_one_code_at_a_time(opened):
    r = lang_row(opened)
    sv.settle(opened, TID, "AK", "JT", [on_code(r, "C4", "A", "AK's reading")], who="LD")
    text = opened.transcript_text(TID)
    got = consensus(opened)
    assert [(c, text[s:e], m) for c, s, e, m in got] == [
        ("C4", "People talk about need now", "AK's reading"), ("M3.1", "Mostly the speed.", "")]  # M1.1 undecided
    r = lang_row(opened)
    assert not r["settled"] and by_code(r) == {"C4": ("A", True, True), "M1.1": ("", False, False)}
    sv.settle(opened, TID, "AK", "JT", [on_code(r, "M1.1", "B", "JT's too")], who="JD")
    got = consensus(opened)
    assert [(c, m) for c, _, _, m in got] == [("C4", "AK's reading"), ("M1.1", "JT's too"), ("M3.1", "")]
    r = lang_row(opened)
    assert r["settled"] and by_code(r) == {"C4": ("A", True, True), "M1.1": ("B", True, True)}
    assert [d["decided_by"] for d in r["disputed"]] == ["LD", "JD"]
    stored = opened.decisions()
    assert stored[["segment_id", "code_id", "decision", "note"]].values.tolist() == [
        [r["segment_id"], "C4", "A", "AK's reading"], [r["segment_id"], "M1.1", "B", "JT's too"]]


def test_a_decision_on_a_code_wins_over_one_on_the_whole_segment(opened):
    r = lang_row(opened)
    # "both" on the paragraph, but JT's call on C4 (JT did not code it): C4 goes, M1.1 stays by "both"
    sv.settle(opened, TID, "AK", "JT", [on_segment(r, "both", "whole"), on_code(r, "C4", "B", "not C4")], who="LD")
    assert [(c, m) for c, _, _, m in consensus(opened)] == [("M1.1", "not C4 | whole"), ("M3.1", "")]
    r = lang_row(opened)
    assert r["settled"] and r["decision"] == "both" and r["current"]
    assert by_code(r) == {"C4": ("B", True, True), "M1.1": ("", False, True)}  # M1.1 settled by the whole decision
    # a later decision on the whole paragraph leaves C4's own decision standing
    sv.settle(opened, TID, "AK", "JT", [on_segment(lang_row(opened), "A")], who="LD")
    assert [c for c, *_ in consensus(opened)] == ["M3.1"]  # AK's call drops M1.1; C4 still by JT's call


def test_the_service_writes_what_the_one_rule_makes(opened):
    r = lang_row(opened)
    consent = sv.comparison(opened, TID, "AK", "JT").iloc[1].to_dict()
    decisions = [on_code(r, "C4", "other code", "instead", ("O3",)), on_code(r, "M1.1", "B"),
                 on_code(consent, "M2.4", "A", "AK's call")]
    before = opened.coding_table(TID)
    segments = opened.segments("paragraph", transcripts=[TID])
    made, _ = merge_overlaps(reconcile_decisions(before, segments, "AK", "JT", decisions,
                                                 codes=opened.load_codebook().ids))  # as the import merges them
    sv.settle(opened, TID, "AK", "JT", decisions, who="LD")
    assert consensus(opened) == sorted(zip(made["code_id"], made["start"], made["end"], made["memo"]))
    assert {c for c, *_ in consensus(opened)} == {"O3", "M1.1", "M2.4", "M3.1"}


def test_bad_decisions_on_codes_change_nothing(opened):
    r = lang_row(opened)
    with pytest.raises(ProjectError, match=r"M3.1 is not a code in dispute on segment p0003 .*in dispute there: "
                                           r"C4, M1.1"):
        sv.settle(opened, TID, "AK", "JT", [sv.Decision(TID, r["segment_id"], "A", key=r["key"], code_id="M3.1")])
    with pytest.raises(StaleWorkError, match="changed since the comparison was loaded"):  # the segment's key
        sv.settle(opened, TID, "AK", "JT", [sv.Decision(TID, r["segment_id"], "A", key=r["key"], code_id="C4")])
    with pytest.raises(ProjectError, match="C4 on segment p0003 is decided twice"):
        sv.settle(opened, TID, "AK", "JT", [on_code(r, "C4", "A"), on_code(r, "C4", "B")])
    with pytest.raises(ProjectError, match="'other code' needs codes"):
        sv.settle(opened, TID, "AK", "JT", [on_code(r, "C4", "other code")])
    assert consensus(opened) == [] and opened.decisions().empty


def test_a_code_decided_on_earlier_codings_is_no_longer_settled(opened):
    loaded = lang_row(opened)
    sv.settle(opened, TID, "AK", "JT", [on_code(loaded, "C4", "A")], who="LD")
    jt = opened.coding_table(TID, coder="JT")
    opened.edit_coding(int(jt[jt["code_id"] == "M1.1"]["coding_id"].iloc[0]), code_id="M1.2", who="JT")
    r = lang_row(opened)
    assert by_code(r)["C4"] == ("A", False, False) and not r["settled"]
    with pytest.raises(StaleWorkError, match="changed since the comparison was loaded"):
        sv.settle(opened, TID, "AK", "JT", [on_code(loaded, "C4", "B")], who="LD")  # a page loaded before the edit
    # deciding another code now does not carry the stale C4 decision along: C4 is undecided again
    sv.settle(opened, TID, "AK", "JT", [on_code(lang_row(opened), "M1.2", "B")], who="LD")
    assert [c for c, *_ in consensus(opened)] == ["M1.2", "M3.1"]


def test_the_store_keeps_one_decision_per_segment_and_code_in_a_batch(opened):
    row = {"transcript_id": TID, "segment_unit": "paragraph", "segment_id": "p0003", "coder_a": "AK",
           "coder_b": "JT", "as_coder": "consensus", "decision": "A", "other_codes": "", "note": "",
           "row_key": "k", "code_id": "C4"}
    batch = nc.store.ImportBatch(pd.DataFrame(columns=["transcript_id", "coder", "code_id", "start", "end", "memo"]),
                                 "consensus", "test", None, 0)
    with pytest.raises(ProjectError, match="C4 on segment p0003 of S1_A01 is decided twice in one settlement"):
        opened.record_settlement(batch, [row, {**row, "decision": "B"}], expect={})
    assert opened.decisions().empty and len(opened.batches) == 3  # the transcripts and the two coders' imports
    opened.record_settlement(batch, [row, {**row, "code_id": ""}], expect={})
    assert opened.decisions()["code_id"].tolist() == ["", "C4"]


def _columns(db, table: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def test_a_store_at_schema_5_keeps_its_segment_decisions_at_6(tmp_path, monkeypatch):
    """A project whose lead settled whole paragraphs under schema 5 (the decisions table as step 4 made it): after
    the upgrade each decision is on its whole paragraph, still in force, and a single code can be settled beside it."""
    with monkeypatch.context() as m:
        m.setattr(_schema, "MIGRATIONS", _schema.MIGRATIONS[:5])
        m.setattr(_schema, "SCHEMA_VERSION", 5)
        p = make_study(tmp_path)
        p.open_comparison(TID, who="LD")
        assert "code_id" not in _columns(p.db_path, "decisions")
        found = nc.review.disagreements(p, "AK", "JT")
        lang = found.table[found.table["codes_a"] == "C4"].iloc[0].to_dict()
        # what the workbench of schema 5 wrote on settling that paragraph as B: a consensus batch and its decision
        text = p.transcript_text(TID)
        speed, need = text.index("Mostly the speed."), text.index("People talk about need now")
        made = pd.DataFrame([(TID, "consensus", "M3.1", speed, speed + 17, ""),
                             (TID, "consensus", "M1.1", need, need + 26, "JT here")],
                            columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
        batch = import_codings(p, made, source="consensus", source_name="settled in the workbench", who="LD").batch_id
        conn = sqlite3.connect(p.db_path)
        for decision in ("A", "B"):  # two decisions on one paragraph in one batch: only the later was in force
            conn.execute("INSERT INTO decisions (batch_id, transcript_id, segment_unit, segment_id, coder_a, coder_b, "
                         "as_coder, decision, other_codes, note, row_key) VALUES (?, ?, 'paragraph', ?, 'AK', 'JT', "
                         "'consensus', ?, '', 'JT here', ?)", (batch, TID, lang["segment_id"], decision,
                                                              fingerprint(lang)))
        conn.commit()
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
        conn.close()
    again = nc.open_project(p.root)
    conn = sqlite3.connect(again.db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == _schema.SCHEMA_VERSION == 6
    assert conn.execute("SELECT decision, code_id FROM decisions").fetchall() == [("B", "")]
    indexes = {r[1]: r[2] for r in conn.execute("PRAGMA index_list(decisions)")}
    conn.close()
    assert indexes["decisions_by_code"] == 1  # unique
    assert "code_id" in _columns(again.db_path, "decisions")
    r = lang_row(again)
    assert (r["decision"], r["current"], r["settled"], r["note"]) == ("B", True, True, "JT here")
    assert by_code(r) == {"C4": ("", False, True), "M1.1": ("", False, True)}  # both by the paragraph's decision
    sv.settle(again, TID, "AK", "JT", [on_code(r, "C4", "A", "and AK's")], who="LD")
    assert [(c, m) for c, _, _, m in consensus(again)] == [("C4", "and AK's | JT here"), ("M1.1", "JT here"),
                                                           ("M3.1", "")]
    assert again.decisions()[["code_id", "decision"]].values.tolist() == [["", "B"], ["C4", "A"]]


def test_the_0_1_0_fixture_gains_the_code_column(tmp_path):
    root = tmp_path / "old"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "project-0.1.0", root)
    p = nc.open_project(root)
    assert _columns(p.db_path, "decisions")[-1] == "code_id" and p.decisions().empty
