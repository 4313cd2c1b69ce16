"""Deny and allow lists, and reading them from files."""

from __future__ import annotations


import pytest

from npt_coder.anon import find_identifiers, fold, load_terms
from npt_coder.errors import IdentifierCheckError, NptCoderError, TermListError


def rows(text, **kw):
    df = find_identifiers(text, **kw)
    return [(t, text[s:e], sev, d) for t, s, e, sev, d in
            zip(df["type"], df["start"], df["end"], df["severity"], df["detector"])]


@pytest.mark.parametrize(
    "text, value",
    [("We met at Bramblewood.", "Bramblewood"), ("the bramblewood lot", "bramblewood"),
     ("BRAMBLEWOOD again", "BRAMBLEWOOD"), ("Zoe  Price was there", "Zoe  Price"), ("ZOË PRICE signed", "ZOË PRICE"),
     ("zoe price signed", "zoe price"), ("Zoë Price’s plan", "Zoë Price")],
)
def test_deny_terms_match_ignoring_case_accents_and_spacing(text, value):
    [(kind, found, severity, detector)] = rows(text, deny=["Bramblewood", "Zoë Price"])
    assert (found, severity, detector) == (value, "high", "deny-list")
    assert kind in ("deny_list", "person")  # "Zoe Price" is also a name the pattern pass knows


def test_deny_terms_match_whole_words_only():
    assert rows("Brambles and Bramblewoods", deny=["Bramble", "Bramblewood"]) == []


def test_deny_term_inside_a_finding_raises_it_to_high():
    text = "He goes to Bramblewood Academy."
    assert rows(text) == [("school", "Bramblewood Academy", "low", "pattern")]
    assert rows(text, deny=["bramblewood"]) == [("school", "Bramblewood Academy", "high", "deny-list")]


def test_deny_terms_are_found_even_in_skip_spans_and_when_allowed():
    text = "Okafor: hello"
    assert rows(text, deny=["Okafor"], skip_spans=[(0, 6)], allow=["Okafor"]) == [
        ("deny_list", "Okafor", "high", "deny-list")]


def test_deny_handles_text_whose_folded_form_is_longer():
    text = "In der Straße wohnt Zoë Price."  # "ß" folds to "ss": offsets must still point into the original
    assert rows(text, deny=["Zoe Price", "strasse"]) == [("deny_list", "Straße", "high", "deny-list"),
                                                         ("deny_list", "Zoë Price", "high", "deny-list")]


def test_allow_suppresses_equal_findings_of_any_type_and_low_ones_that_contain_it():
    text = "Thrive Academy and Mrs Smith, then Leeds City Council."
    assert [r[1] for r in rows(text)] == ["Thrive Academy", "Mrs Smith", "Leeds City Council"]
    assert [r[1] for r in rows(text, allow=["thrive", "mrs smith"])] == ["Leeds City Council"]
    # an allowed town does not hide a street address or a person that contains it
    text = "She lives at 12 Leeds Road with Leeds Walker."
    assert [r[0] for r in rows(text, allow=["Leeds"])] == ["address"]


def test_allow_with_the_pipeline(nlp):
    text = "We run Thrive groups with Family Link in Halifax."
    assert [text[s:e] for s, e in zip(*find_identifiers(text, nlp=nlp)[["start", "end"]].T.values)] == ["Halifax"]
    assert find_identifiers(text, nlp=nlp, allow=["Halifax"]).empty


def test_single_string_lists_are_refused():
    with pytest.raises(IdentifierCheckError, match="deny must be a list of terms"):
        find_identifiers("x", deny="Smith")
    with pytest.raises(IdentifierCheckError, match=r"allow\[1\] must be a str"):
        find_identifiers("x", allow=["ok", 3])


def test_fold():
    assert fold("ZOË O’Brien") == "zoe o'brien"


def test_load_terms_text_file(tmp_path):
    path = tmp_path / "deny.txt"
    path.write_bytes("\ufeff# sites\r\nBramblewood\r\n\r\nZoë   Price # staff\r\nbramblewood\r\n".encode("utf-8"))
    assert load_terms(path) == ("Bramblewood", "Zoë Price")


def test_load_terms_csv(tmp_path):
    path = tmp_path / "allow.csv"
    path.write_text("note,Term\nservice,Early Help\nregulator,Ofsted\n,\n", encoding="utf-8")
    assert load_terms(path) == ("Early Help", "Ofsted")


@pytest.mark.parametrize(
    "name, content, message",
    [("missing.txt", None, "does not exist"),
     ("latin1.txt", "Zo\xeb Price\n".encode("latin-1"), "is not UTF-8 text"),
     ("nocol.csv", b"name\nZoe Price\n", "needs a 'term' column"),
     ("short.txt", "Zoe Price\nZ\n".encode(), "line 2: a term needs at least two letters or digits"),
     ("binary.txt", b"ab\x00cd\n", "binary data")],
)
def test_bad_term_files_are_one_line_errors_without_terms(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(TermListError, match=message) as err:
        load_terms(path)
    assert isinstance(err.value, NptCoderError) and isinstance(err.value, ValueError)
    named = name if content is not None else str(path)  # a missing file is named as given: its folder may be wrong
    assert "\n" not in str(err.value) and str(err.value).startswith(named)
    assert "Zoe" not in str(err.value) and "Price" not in str(err.value)


def test_folder_is_not_a_term_file(tmp_path):
    with pytest.raises(TermListError, match="is a folder"):
        load_terms(tmp_path)


def test_unreadable_term_file(tmp_path, monkeypatch):
    # a permission error is simulated: chmod cannot stop root (CI) from reading a file
    path = tmp_path / "deny.txt"
    path.write_text("Smith\n")
    real = type(path).read_bytes

    def denied(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(type(path), "read_bytes", denied)
    with pytest.raises(TermListError, match="permission denied"):
        load_terms(path)
