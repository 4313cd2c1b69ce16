"""What a reader sees: real plurals (never "transcript(s)"), intervals with true minus signs, plain messages for a
file that is not there, and hints that know an NPT construct from a code."""

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder._words import interval, signed
from npt_coder.cli import app
from npt_coder.coding import closest_codes, code_hint, transcript_to_docx
from npt_coder.errors import CodebookError, LogicModelError
from npt_coder.logic_model import load_logic_model

PACKAGE = Path(nc.__file__).parent
runner = CliRunner()

#: a count in brackets after a word or a placeholder: ``transcript(s)``, ``{unit}(s)``, ``match(es)``, ``repl(ies)``
MAYBE_PLURAL = re.compile(r"(?:[\w}]|^)\((?:s|es|ies)\)")

#: string literals allowed to hold the form, each with why: (file under npt_coder/, start of the literal)
ALLOWED = {
    # the helper that rewrites the form in text written elsewhere documents the form it rewrites
    ("_words.py", "``text`` with every counted ``noun(s)``"),
}


def _literals(path: Path):
    """Every string constant in a module, f-strings' literal parts and docstrings included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_string_in_the_package_writes_a_noun_with_s_in_brackets():
    found, allowed_seen = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for line, text in _literals(path):
            if not MAYBE_PLURAL.search(text):
                continue
            key = next((k for k in ALLOWED if k[0] == rel and text.startswith(k[1])), None)
            if key:
                allowed_seen.add(key)
            else:
                found.append(f"{rel}:{line}: {text[:70]!r}")
    for path in sorted([*PACKAGE.rglob("templates/*.html"), *PACKAGE.rglob("static/*.js")]):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".js":  # only what the page shows: the script's string literals, not calls like f(s)
            text = "\n".join(m[0] for m in re.finditer(r"([\"'`])(?:\\.|(?!\1).)*\1", text))
        found += [f"{path.relative_to(PACKAGE).as_posix()}: {m[0]!r}" for m in MAYBE_PLURAL.finditer(text)]
    assert not found, "write the plural the number needs (npt_coder._words.count / noun):\n" + "\n".join(found)
    assert allowed_seen == ALLOWED, f"allow-list entries that no longer match anything: {ALLOWED - allowed_seen}"


def test_the_scan_would_catch_the_forms_it_looks_for():
    for text in ("added 3 transcript(s)", "{unit}(s) of", "(s) of", "2 match(es)", "3 repl(ies)"):
        assert MAYBE_PLURAL.search(text), text
    for text in ("cpLen (s)", "a (small) note", "see (b)"):
        assert not MAYBE_PLURAL.search(text), text


@pytest.mark.parametrize("low, high, text", [
    (0.123, 0.456, "0.12–0.46"),
    (-0.05, -0.02, "−0.05 to −0.02"),
    (-0.104, 0.3, "−0.10 to 0.30"),
    (-0.001, 0.2, "0.00–0.20"),  # rounds to zero: no sign
])
def test_intervals_use_true_minus_signs_and_to_when_an_end_is_negative(low, high, text):
    assert interval(low, high) == text
    assert "-" not in interval(low, high)


def test_agreement_tables_write_negative_intervals_with_to():
    from npt_coder.render._agreement import _ci

    assert _ci(-0.03, -0.05, -0.02) == "−0.03 (−0.05 to −0.02)"
    assert _ci(0.5, 0.4, 0.6) == "0.50 (0.40–0.60)"
    assert signed(-1.5, 1) == "−1.5"


def test_a_missing_codebook_is_one_plain_line(tmp_path):
    r = runner.invoke(app, ["init", str(tmp_path / "study"), "--codebook", "nowhere/missing.yaml"])
    assert r.exit_code == 1 and r.stderr.strip() == "error: no codebook at nowhere/missing.yaml"
    assert not (tmp_path / "study" / "npt_coder.sqlite").exists()
    with pytest.raises(CodebookError) as info:
        nc.load_codebook(tmp_path)  # a folder: the reason is said, not "not found"
    assert str(info.value) == f"{tmp_path}: is a folder, not a file"
    with pytest.raises(LogicModelError, match=r"^no logic model at .*absent\.yaml$"):
        load_logic_model(tmp_path / "absent.yaml")


def test_a_problem_list_counts_its_problems_in_words(tmp_path):
    bad = tmp_path / "cb.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        nc.load_codebook(bad)
    assert str(info.value).startswith(f"1 problem in {bad}:")


def test_a_missing_term_list_is_named_by_the_path_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("T1.txt").write_text("Interviewer: How is it going?\nP: Fine, thanks.\n", encoding="utf-8")
    r = runner.invoke(app, ["check-anon", "T1.txt", "--no-ner", "--allow", "data/demo/lists/allow.txt"])
    assert r.exit_code == 1
    assert r.stderr.strip() == "error: data/demo/lists/allow.txt: the term list file does not exist"


def test_the_word_copy_names_no_file_it_was_not_saved_as():
    doc = transcript_to_docx("Interviewer: Hello.\nP1: Hi.", transcript_id="T01")
    front = "".join(t.text or "" for t in doc.element.body[0].iter() if t.tag.endswith("}t"))
    assert "npt-coder import" in front and "T01.docx" not in front and "whatever it is called" in front


def test_a_construct_named_where_a_code_belongs_is_called_a_construct():
    cb = nc.load_codebook()
    hint = code_hint("Reflexive monitoring", cb)
    assert "M4 Reflexive monitoring is an NPT construct, not a code" in hint
    for code in cb.codes:
        if code.construct_id == "M4":
            assert f"{code.code_id} {code.name}" in hint
    assert "O2" not in hint
    assert code_hint("M2", cb).startswith(" (M2 Cognitive participation is an NPT construct")
    # a near miss of a construct's name: its codes first, not a code that happens to share a word
    assert closest_codes("Reflexive monitorng", cb)[0] == "M4.1 (Systemisation)"
    assert code_hint("Relational integraton", cb).startswith(" (closest: M3.3 (Relational integration)")


def test_a_word_comment_naming_a_construct_is_refused_with_its_codes(tmp_path):
    from npt_coder.coding._docx_comments import add_comment_to_text
    from npt_coder.errors import CodingImportError
    from npt_coder.services import add_transcripts, import_codings

    p = nc.init_project(tmp_path / "study")
    text = "Interviewer: How do you check it works?\nP1: We audit the referrals every month and talk it through."
    src = tmp_path / "T01.txt"
    src.write_text(text, encoding="utf-8")
    add_transcripts(p, [src], who="test")
    doc = transcript_to_docx(p.transcript_text("T01"), transcript_id="T01")
    add_comment_to_text(doc, "We audit the referrals every month", "Reflexive monitoring", author="AK")
    copy = tmp_path / "T01_for_coding.docx"
    doc.save(copy)
    with pytest.raises(CodingImportError) as info:
        import_codings(p, [copy], who="test")
    message = str(info.value)
    assert "'Reflexive monitoring' (M4 Reflexive monitoring is an NPT construct, not a code" in message
    assert "M4.2 Individual appraisal" in message and "closest: O2" not in message


def test_the_codebook_summary_says_the_count_once():
    r = runner.invoke(app, ["codebook", "show"])
    first = r.output.splitlines()[0]
    assert first == ("NPT/CMO 1.0.0: 24 NPT codes (16 mechanism subconstructs plus 8 context and outcome "
                     "constructs)")
    assert first.count("24") == 1

