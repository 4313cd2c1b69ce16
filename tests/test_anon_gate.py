"""The anonymisation gate on add, and the check-anon / pseudonymise commands (values never printed)."""

import json
import sqlite3

import pytest
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.errors import AnonymisationError
from npt_coder.services import add_transcripts

runner = CliRunner()
PHONE = "07700 900123"
EMAIL = "jo.bloggs@example.org"
LEAKY = (f"Interviewer: How do families reach you?\n\nP03: They ring the duty line on {PHONE} or email "
         f"{EMAIL} and we call back.\n")
CLEAN = "Interviewer: How do families reach you?\n\nP04: Through the front door, by referral.\n"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def files(tmp_path):
    leaky = tmp_path / "S1_P03.txt"
    leaky.write_text(LEAKY, encoding="utf-8")
    clean = tmp_path / "S1_P04.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    return leaky, clean


def n_transcripts(p):
    conn = sqlite3.connect(p.db_path)
    try:
        return conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
    finally:
        conn.close()


def test_flagged_transcript_blocks_the_whole_add(tmp_path, files):
    p = nc.init_project(tmp_path / "p")
    with pytest.raises(AnonymisationError, match=r"1 transcript may hold residual identifiers \(S1_P03: "
                                                 r"1 phone, 1 email\); nothing was added.*--accept-flagged") as info:
        add_transcripts(p, list(files), nlp=None)
    assert PHONE not in str(info.value) and EMAIL not in str(info.value)
    assert n_transcripts(p) == 0


def test_accept_flagged_is_recorded(tmp_path, files):
    p = nc.init_project(tmp_path / "p")
    add_transcripts(p, list(files), nlp=None, accept_flagged=True, who="data manager")
    checks = p.anon_checks.set_index("transcript_id")
    assert checks.loc["S1_P03", "accepted_flagged"] == 1 and checks.loc["S1_P03", "checked_by"] == "data manager"
    assert json.loads(checks.loc["S1_P03", "by_type"]) == {"phone": 1, "email": 1}
    assert checks.loc["S1_P04", "n_findings"] == 0 and checks.loc["S1_P04", "accepted_flagged"] == 0


def test_cli_add_gate_and_check_anon(tmp_path, files):
    leaky, clean = files
    p = nc.init_project(tmp_path / "p")
    r = run("add", leaky, clean, "--no-ner", "-p", p.root)
    assert r.exit_code == 1 and r.stderr.startswith("error: 1 transcript may hold residual identifiers")
    assert PHONE not in r.output + r.stderr
    r = run("check-anon", leaky, clean, "--no-ner", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert [f["type"] for f in data["findings"]] == ["phone", "email"]
    assert data["findings"][0]["turn"] == "t0002" and data["findings"][0]["preview"] == "07*** ******"
    assert data["name_detection"] is False and PHONE not in r.output and EMAIL not in r.output
    r = run("check-anon", leaky, "--no-ner", "--fail-on-findings")
    assert r.exit_code == 3 and "values are masked" in r.output and PHONE not in r.output
    out = tmp_path / "findings.xlsx"
    r = run("check-anon", leaky, "--no-ner", "--format", "xlsx", "-o", out)
    assert r.exit_code == 0 and out.exists()
    r = run("add", leaky, clean, "--no-ner", "--accept-flagged", "-p", p.root)
    assert r.exit_code == 0 and "added 2 transcripts" in r.output
    r = run("check-anon", "--no-ner", "-p", p.root, "--format", "json")
    assert [f["transcript_id"] for f in json.loads(r.output)["findings"]] == ["S1_P03", "S1_P03"]


def test_deny_list_and_unreadable_list(tmp_path, files):
    leaky, clean = files
    deny = tmp_path / "deny.txt"
    deny.write_text("# real sites\nfront door\n", encoding="utf-8")
    r = run("check-anon", clean, "--no-ner", "--deny", deny, "--format", "json")
    assert [f["type"] for f in json.loads(r.output)["findings"]] == ["deny_list"]
    r = run("check-anon", clean, "--deny", tmp_path / "missing.txt")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1


def test_pseudonymise_then_check_finds_nothing(tmp_path, files):
    leaky, _ = files
    out = tmp_path / "pseudo"
    r = run("pseudonymise", leaky, "-o", out, "--no-ner")
    assert r.exit_code == 0, r.output
    copy = out / "S1_P03.txt"
    text = copy.read_text(encoding="utf-8")
    assert "[PHONE]" in text and "[EMAIL]" in text and PHONE not in text
    key = tmp_path / "pseudo_KEY.csv"
    assert key.exists() and PHONE in key.read_text(encoding="utf-8")
    r = run("check-anon", copy, "--no-ner", "--format", "json")
    assert json.loads(r.output)["findings"] == []
    r = run("pseudonymise", leaky, "-o", out, "--no-ner", "--key", out / "key.csv")
    assert r.exit_code == 1 and "must not be written inside the output folder" in r.stderr


def test_the_gate_is_a_service_above_the_store(tmp_path, files):
    from npt_coder.services import add_read_transcripts, add_transcripts

    p = nc.init_project(tmp_path / "p")
    with pytest.raises(AnonymisationError, match=r"S1_P03: 1 phone, 1 email"):
        add_transcripts(p, list(files), nlp=None)
    with pytest.raises(AnonymisationError, match=r"S1_P03: 1 phone, 1 email"):
        add_read_transcripts(p, nc.read_transcripts(list(files)), nlp=None)
    assert n_transcripts(p) == 0
    result = add_read_transcripts(p, nc.read_transcripts([files[1]]), nlp=None, note="clean one first")
    assert result.added == ["S1_P04"] and p.anon_checks["n_findings"].tolist() == [0]
    assert p.batches["note"].tolist() == ["clean one first"]
