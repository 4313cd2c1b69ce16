"""The store's home for suggestion details (schema step 5), kept when a transcript is removed or replaced."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd

import npt_coder as nc
from npt_coder.assist import suggest
from npt_coder.services import add_transcripts, remove_transcript, replace_transcript
from npt_coder.store import ImportBatch, _schema

OLD = Path(__file__).parent.parent / "fixtures" / "project-0.1.0"


def _suggestion_columns(project) -> list[str]:
    conn = sqlite3.connect(project.db_path)
    try:
        return [r[1] for r in conn.execute("PRAGMA table_info(suggestions)")]
    finally:
        conn.close()


def test_an_old_project_gains_the_suggestions_table(tmp_path):
    root = tmp_path / "old"
    shutil.copytree(OLD, root)
    p = nc.open_project(root)
    assert _suggestion_columns(p) == ["coding_id", "score", "model", "model_version", "reason"]
    assert _schema.MIGRATIONS[4].version == 5 and _schema.MIGRATIONS[4].summary.startswith("suggestions")
    assert p.suggestions.empty


def test_a_project_at_schema_4_migrates_to_5_and_takes_suggestions(tmp_path, monkeypatch):
    # a project as the release before suggestions made it: the four steps before this one only
    with monkeypatch.context() as m:
        m.setattr(_schema, "MIGRATIONS", _schema.MIGRATIONS[:4])
        m.setattr(_schema, "SCHEMA_VERSION", 4)
        files = []
        for n, words in enumerate(["We had two days of training on the screening tool.",
                                   "The shared record shows every contact we make."], start=1):
            (tmp_path / f"T{n}.txt").write_text(f"Interviewer: Tell me.\n\nP0{n}: {words}\n", encoding="utf-8")
            files.append(tmp_path / f"T{n}.txt")
        p = nc.init_project(tmp_path / "v4")
        add_transcripts(p, files, nlp=None)
        text = p.transcript_text("T1")
        start = text.index("We had")
        p.add_coding("T1", "M3.2", start, start + 20, coder="AK", memo="made before step 5")
        p.add_user("LD", "lead", "x" * 20)
        p.open_comparison("T1", who="LD")
        assert _suggestion_columns(p) == []
        before = {"codings": p.codings.to_dict("records"), "users": p.users.to_dict("records"),
                  "comparisons": p.comparisons.to_dict("records"), "history": p.batches.to_dict("records")}
    conn = sqlite3.connect(p.db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    conn.close()
    again = nc.open_project(p.root)
    conn = sqlite3.connect(again.db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == _schema.SCHEMA_VERSION  # 5 and every later step
    conn.close()
    assert _suggestion_columns(again) == ["coding_id", "score", "model", "model_version", "reason"]
    assert again.codings.to_dict("records") == before["codings"]
    assert again.users.to_dict("records") == before["users"]
    assert again.comparisons.to_dict("records") == before["comparisons"]
    assert again.batches.to_dict("records") == before["history"]
    result = suggest(again, learn_from=["AK"], transcripts=["T2"], model="tfidf", threshold=0.01)
    assert result.batch_id is not None and set(again.suggestions["transcript_id"]) == {"T2"}


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


def test_a_removed_transcript_keeps_its_suggestions_details_in_its_versions(study, hashed):
    suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed)
    stored = study.suggestions
    assert len(stored)
    remove_transcript(study, "T4", with_codings=True)
    assert study.suggestions.empty
    conn = sqlite3.connect(study.db_path)
    kept = json.loads(conn.execute("SELECT codings FROM transcript_versions WHERE kind = 'removed'").fetchone()[0])
    conn.close()
    details = {c["coding_id"]: c["suggestion"] for c in kept if "suggestion" in c}
    assert sorted(details) == sorted(stored["coding_id"])
    first = stored.iloc[0]
    assert details[first["coding_id"]] == {"score": first["score"], "model": first["model"],
                                           "model_version": first["model_version"], "reason": first["reason"]}


def test_a_replaced_transcript_carries_its_suggestions_as_suggestions(study, hashed, tmp_path):
    suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed)
    before = study.suggestions.drop(columns=["coding_id", "start", "end", "imported_at", "batch_id"])
    corrected = tmp_path / "T4_corrected.txt"
    corrected.write_text("A corrected heading\n\n" + study.transcript_text("T4").split("\n", 1)[1], encoding="utf-8")
    result = replace_transcript(study, "T4", corrected, nlp=None)
    assert result.carried == len(before) and not result.not_carried
    after = study.suggestions
    assert set(after["batch_id"]) == {result.batch_id}
    assert after.drop(columns=["coding_id", "start", "end", "imported_at", "batch_id"]).to_dict("records") == \
        before.to_dict("records")
    text = study.transcript_text("T4")
    assert all(text[s:e] for s, e in zip(after["start"], after["end"]))
