"""The NER pass reads only where a name could be (npt_coder.anon._scope): the same findings as NER over every
text on the labelled sets and the demo study, and the windows themselves."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import npt_coder as nc
import npt_coder.anon as anon
from npt_coder.anon import _detect, find_identifiers
from npt_coder.errors import IdentifierCheckError
from npt_coder.anon._scope import PAD_WORDS, name_windows
from npt_coder.ingest import read_transcripts

ROOT = Path(__file__).resolve().parents[2]
WORDS = frozenset({"think", "threshold", "attendance", "work", "meeting", "interview", "ward"})


def _anon_eval():
    spec = importlib.util.spec_from_file_location("anon_eval", ROOT / "benchmarks" / "anon_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _found(texts, skips, nlp, scope):
    out = _detect.detect_many(texts, skips, nlp, None, None, 64, scope=scope)
    return [[(c.type, c.start, c.end, c.detector) for c in found] for found in out]


@pytest.mark.parametrize("name", ["labelled.yaml", "heldout.yaml", "heldout2.yaml"])
def test_same_findings_as_ner_over_every_text_on_the_labelled_sets(nlp, name):
    anon_eval = _anon_eval()
    items = anon_eval.load_set(ROOT / "tests" / "anon" / name)["items"]
    texts, skips = [it["text"] for it in items], [it["skip"] for it in items]
    fast, full = _found(texts, skips, nlp, "names"), _found(texts, skips, nlp, "all")
    assert sum(map(len, full)) > 40  # the pipeline found names on these sets: the comparison means something
    assert fast == full


def test_same_findings_as_ner_over_every_text_on_the_demo_transcripts(nlp):
    paths = sorted(p for p in nc.demo_path().iterdir() if p.suffix in (".docx", ".txt", ".vtt"))
    ts = read_transcripts(paths, sentences=False)
    texts, skips = [t.text for t in ts], [t.label_spans() for t in ts]
    assert _found(texts, skips, nlp, "names") == _found(texts, skips, nlp, "all")
    read = sum(e - s for t, sk in zip(texts, skips) for s, e in name_windows(t, sk, _detect.common_words(nlp)))
    assert read < 0.5 * sum(map(len, texts))  # and most of the talk was never given to the pipeline


def test_names_far_into_a_long_text_are_found_at_their_offsets(nlp):
    filler = "P01: we talked about the threshold and the meeting went on for a long time.\n" * 400
    text = filler + "P01: then Kerry Dawson rang the office.\n" + filler + "P01: Tegan was only little.\n"
    df = find_identifiers(text, nlp=nlp)
    assert [(t, text[s:e]) for t, s, e in zip(df["type"], df["start"], df["end"])] == [
        ("person", "Kerry Dawson"), ("person", "Tegan")]


def test_talk_without_capitals_needs_no_ner():
    assert name_windows("we met daily. it worked, mostly, and nobody minded at all.") == []
    assert name_windows("Interview. we met on 3 days, 12 times in all.", [], WORDS) == []


def test_the_pronoun_labels_and_common_opening_words_need_no_ner():
    text = "P01: I think so. I'm not sure I've seen it. Attendance was fine. It's hard. Thresholds, yes."
    assert name_windows(text, [(0, 4)], WORDS) == []
    assert name_windows(text, [], WORDS) != []  # the label P01 itself is looked at unless skipped


@pytest.mark.parametrize("text, name", [
    ("we spoke. Grace was there too, in the end.", "Grace"),   # a given name that is also a word opens a sentence
    ("we spoke. Morgan said no, not then.", "Morgan"),         # a given name not among the common words
    ("we spoke to the team and then Mr Okafor came in.", "Okafor"),   # capitals inside a sentence
    ("we spoke. Oakwood Primary said no.", "Oakwood"),
    ("she moved to Halifax last year.", "Halifax"),
    ("Interview 104\nwe spoke.", "Interview 104"),  # a common word opening a line, then a number: a heading
    ("we spoke. Ward 7 was full.", "Ward 7"),
])
def test_a_capitalised_word_that_could_be_a_name_opens_a_window_around_its_sentence(text, name):
    windows = name_windows(text, [], WORDS)
    assert len(windows) == 1
    s, e = windows[0]
    assert text.index(name) >= s and text.index(name) + len(name) <= e


def test_windows_take_a_few_words_either_side_and_merge_where_they_meet():
    before = "one two three four five six. "
    text = before + "Then Kerry rang. " + "seven eight nine ten eleven twelve."
    (s, e), = name_windows(text, [], WORDS)
    assert text[s:e].split() == ["three", "four", "five", "six.", "Then", "Kerry", "rang.", "seven", "eight", "nine",
                                      "ten"]
    assert PAD_WORDS == 4
    two = "Kerry rang. we waited. Tegan came."  # the padded windows overlap: one window
    assert name_windows(two, [], WORDS) == [(0, len(two))]
    apart = "Kerry rang. " + "we waited a very long time for anyone to come. " * 3 + "Tegan came."
    assert len(name_windows(apart, [], WORDS)) == 2


def test_two_worker_processes_find_the_same(nlp, monkeypatch):
    texts = ["P01: then Kerry Dawson rang the office about Tegan.", "P02: nothing much to say here at all.",
             "P03: she moved from Halifax to Leeds General Infirmary, Ward 7."] * 4
    one = anon.check_identifiers(texts, nlp=nlp, n_process=1).findings
    monkeypatch.setattr(_detect, "_PARALLEL_CHARS", 0)  # however little there is to read
    two = anon.check_identifiers(texts, nlp=nlp, n_process=2).findings
    for a, b in zip(one, two):
        pd.testing.assert_frame_equal(a, b)
    assert sum(len(f) for f in one) >= 12
    with pytest.raises(IdentifierCheckError, match="n_process must be a positive integer"):
        anon.check_identifiers(texts, n_process=0)
