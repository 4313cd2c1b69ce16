"""The workbench's services and store parts: settling rules (those of reconcile, as data), one disagreement at a
time, stale work refused, undo, blind visibility, retrieval, team members and password hashes."""

from __future__ import annotations

import json
import sqlite3

import pytest

from npt_coder import services as sv
from npt_coder._passwords import COST, hash_password, verify_password
from npt_coder.errors import AccessError, OptionError, ProjectError, StaleWorkError
from npt_coder.store import SCHEMA_VERSION

from .conftest import LOW_COST


def opened(study):
    sv.open_comparison(study, "S1_A01", who="LD")
    return sv.comparison(study, "S1_A01", "AK", "JT")


def decide(r, decision, other=(), note=""):
    """A lead's decision on one row of the comparison, carrying the row's key back."""
    return sv.Decision("S1_A01", r.segment_id, decision, tuple(other), note, r.key)


def row(table, codes_a):
    return table[table["codes_a"] == codes_a].iloc[0]


def consensus(study):
    c = study.coding_table("S1_A01", coder="consensus")
    return sorted(zip(c["code_id"], c["start"], c["end"], c["memo"].fillna("")))


def test_comparison_is_refused_while_blind(study):
    with pytest.raises(AccessError, match="still blind-coded"):
        sv.comparison(study, "S1_A01", "AK", "JT")
    with pytest.raises(ProjectError, match="not coded by both"):
        sv.open_comparison(study, "S2_B02", who="LD")
        sv.comparison(study, "S2_B02", "AK", "JT")


@pytest.mark.parametrize("decision, expected", [
    ("A", {"M3.1", "C4"}), ("B", {"M3.1", "M1.1"}), ("both", {"M3.1", "C4", "M1.1"}), ("neither", {"M3.1"}),
])
def test_decisions_follow_the_reconcile_rules(study, decision, expected):
    table = opened(study)
    lang = row(table, "C4")
    sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, decision, note="talked it over")], who="LD")
    got = consensus(study)
    assert {c for c, *_ in got} == expected
    text = study.transcript_text("S1_A01")
    agreed = [g for g in got if g[0] == "M3.1"][0]
    assert text[agreed[1]:agreed[2]] == "Mostly the speed."  # agreed code: the coders' own extent
    for code, s, e, memo in got:
        if code in ("C4", "M1.1"):
            assert text[s:e] == "People talk about need now"  # the coder's own extent, not the paragraph
            assert memo == "talked it over"


def test_other_code_covers_the_segment_and_decisions_can_come_one_at_a_time(study):
    table = opened(study)
    lang, consent = row(table, "C4"), row(table, "M2.4")
    sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "other code", ("O3",), "new")], who="LD")
    first = consensus(study)
    assert ("O3", int(lang.start), int(lang.end), "new") in first
    sv.settle(study, "S1_A01", "AK", "JT", [decide(consent, "A")], who="LD")
    second = consensus(study)
    assert ("O3", int(lang.start), int(lang.end), "new") in second  # the earlier decision is kept
    assert "M2.4" in {c for c, *_ in second}
    now = sv.comparison(study, "S1_A01", "AK", "JT")
    assert now["settled"].all() and now["decided_by"].tolist() == ["LD", "LD"]
    assert study.history()["files"].iloc[-1].startswith("settled in the workbench: S1_A01")


def test_stale_work_is_refused_and_changes_nothing(study):
    table = opened(study)
    lang = row(table, "C4")
    jt = study.coding_table("S1_A01", coder="JT")
    study.edit_coding(int(jt[jt["code_id"] == "M1.1"]["coding_id"].iloc[0]), code_id="M1.2", who="JT")
    with pytest.raises(StaleWorkError, match="changed since the comparison was loaded"):
        sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "A")], who="LD")
    assert consensus(study) == [] and study.decisions().empty


def test_a_concurrent_change_inside_the_write_is_refused(study, monkeypatch):
    table = opened(study)
    lang = row(table, "C4")
    real = study.record_settlement

    def racing(*args, **kw):  # another coder's write lands between reading the codings and writing the consensus
        sv.code(study, "S1_A01", "M4.1", 0, 5, coder="JT")
        return real(*args, **kw)

    monkeypatch.setattr(study, "record_settlement", racing)
    with pytest.raises(StaleWorkError, match="JT's codings on S1_A01 changed"):
        sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "A")], who="LD")
    assert consensus(study) == [] and study.decisions().empty


def test_undoing_the_settle_withdraws_the_decision(study):
    table = opened(study)
    lang = row(table, "C4")
    result = sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "B")], who="LD")
    assert len(study.decisions()) == 1
    study.undo_batch(result.batch_id)
    assert study.decisions().empty and consensus(study) == []
    assert not sv.comparison(study, "S1_A01", "AK", "JT")["settled"].any()


def test_removing_a_settled_transcript_keeps_its_comparison_in_the_history(study):
    table = opened(study)
    lang = row(table, "C4")
    sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "B", note="agreed in the meeting")], who="LD")
    sv.remove_transcript(study, "S1_A01", with_codings=True)
    assert study.comparisons.empty and study.decisions().empty
    conn = sqlite3.connect(study.db_path)
    kept = json.loads(conn.execute("SELECT comparison FROM transcript_versions WHERE transcript_id = 'S1_A01'")
                      .fetchone()[0])
    conn.close()
    assert kept["opened"]["opened_by"] == "LD"
    assert [(d["segment_id"], d["decision"], d["note"]) for d in kept["decisions"]] == [
        (lang.segment_id, "B", "agreed in the meeting")]


def test_bad_decisions(study):
    table = opened(study)
    lang = row(table, "C4")
    with pytest.raises(OptionError, match="decision must be one of"):
        sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "C")])
    with pytest.raises(ProjectError, match="'other code' needs codes"):
        sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "other code", ("ZZ",))])
    with pytest.raises(StaleWorkError, match="no longer a disagreement"):
        sv.settle(study, "S1_A01", "AK", "JT", [sv.Decision("S1_A01", "p0002", "A", key=lang.key)])
    with pytest.raises(ProjectError, match="decided twice"):
        sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "A")] * 2)
    with pytest.raises(ProjectError, match="must not be one of the coders"):
        sv.settle(study, "S1_A01", "AK", "JT", [decide(lang, "A")], as_coder="AK")
    assert consensus(study) == []


def test_visible_codings(study):
    assert set(sv.visible_codings(study, "AK")["coder"]) == {"AK"}
    assert sv.visible_codings(study, None).empty
    sv.open_comparison(study, "S1_A01", who="LD")
    assert set(sv.visible_codings(study, None)["coder"]) == {"AK", "JT"}
    assert sv.open_comparison(study, "S1_A01", who="LD") is False  # opened once, stays open


def test_code_service_and_coder_names(study):
    row = sv.code(study, "S2_B02", "O1", 0, 10, coder="  MB ", memo=" first ")
    assert (row["coder"], row["memo"], row["source"]) == ("MB", "first", "workbench")
    for bad, words in (("", "empty"), ("x" * 41, "at most 40"), ("Consensus", "settled codings"), ("a\tb", "printable")):
        with pytest.raises(ProjectError, match=words):
            sv.check_coder_name(bad)


def test_retrieve_boolean(study):
    sv.open_comparison(study, "S1_A01", who="LD")
    assert sv.retrieve(study, codes=["C4", "M1.1"], match="all")["segment_id"].tolist() == ["p0003"]
    assert len(sv.retrieve(study, codes=["C4", "M3.1"], match="any")) == 2
    assert sv.retrieve(study, codes=["C4", "M3.1"], exclude=["M1.1"])["segment_id"].tolist() == ["p0002"]
    assert sv.retrieve(study, codes=["M3.1"], coders=["JT"])["coders"].tolist() == ["JT"]
    assert sv.retrieve(study, codes=["M3.1"], attributes={"site": ["S2"]}).empty
    assert sv.retrieve(study).empty  # nothing asked, nothing given
    with pytest.raises(ProjectError, match="no transcript attribute"):
        sv.retrieve(study, codes=["M3.1"], attributes={"colour": ["red"]})


def test_members_sessions_and_hashes(study):
    sv.add_user(study, "LD", "lead", "a-long-password", cost=LOW_COST)
    stored = study.user_login("LD")[1]
    assert stored.startswith(f"scrypt${LOW_COST}$8$1$") and "a-long-password" not in stored
    with pytest.raises(AccessError, match="unknown name or wrong password"):
        sv.sign_in(study, "LD", "wrong-password")
    with pytest.raises(AccessError, match="unknown name or wrong password"):
        sv.sign_in(study, "ZZ", "a-long-password")
    session = sv.sign_in(study, "LD", "a-long-password")
    assert sv.session_for(study, session.token).role == "lead"
    conn = sqlite3.connect(study.db_path)
    assert session.token not in str(conn.execute("SELECT * FROM sessions").fetchall())  # only its hash is kept
    conn.close()
    sv.sign_out(study, session.token)
    assert sv.session_for(study, session.token) is None
    with pytest.raises(OptionError, match="role must be one of"):
        sv.add_user(study, "XX", "boss", "a-long-password", cost=LOW_COST)


def test_password_hash_defaults_are_owasp_scrypt():
    h = hash_password("pass phrase")
    kind, n, r, p, salt, key = h.split("$")
    assert (kind, int(n), int(r), int(p)) == ("scrypt", 2**17, 8, 1) and COST == 2**17
    assert verify_password("pass phrase", h) and not verify_password("pass phrase ", h)
    assert hash_password("pass phrase") != h  # salted
    assert not verify_password("anything", None) and not verify_password("x", "md5$abc")


def test_schema_has_the_workbench_tables(study):
    conn = sqlite3.connect(study.db_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "sessions", "comparisons", "decisions"} <= tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4  # the workbench came in 4
    conn.close()


def test_study_overview(study):
    t = sv.study_overview(study).set_index("transcript_id")
    assert t.loc["S1_A01", "double_coded"] and not t.loc["S2_B02", "double_coded"]
    assert t.loc["S1_A01", "progress"] == {"AK": 1.0, "JT": 0.5}  # AK coded both participant turns, JT one
    assert t["kappa"].isna().all()  # nothing opened yet
    sv.open_comparison(study, "S1_A01", who="LD")
    assert -1 <= sv.study_overview(study).set_index("transcript_id").loc["S1_A01", "kappa"] <= 1

