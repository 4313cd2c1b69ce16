"""Sentence boundaries equal spaCy's blank English + sentencizer (plus our one documented change: opening brackets
and quotes left at a sentence's end move to the sentence they open), on the demo study and on random text."""

from functools import lru_cache

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from npt_coder.ingest import read_transcripts
from npt_coder.ingest._sentences import _move_openers, sentence_spans


@lru_cache(maxsize=1)
def _nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def reference(texts):
    nlp = _nlp()
    out = []
    for doc in nlp.pipe(texts):
        spans = []
        for s in doc.sents:
            a, b = s.start_char, s.end_char
            while a < b and doc.text[a].isspace():
                a += 1
            while b > a and doc.text[b - 1].isspace():
                b -= 1
            if b > a:
                spans.append((a, b))
        out.append(_move_openers(doc.text, spans) if len(spans) > 1 else spans)
    return out


def test_opening_brackets_and_quotes_go_with_the_sentence_they_open():
    text = 'It was hard though. [laughter] Then we met. "Quote here." End. Yes. "Next one," she said.'
    got = [text[a:b] for a, b in sentence_spans([text])[0]]
    assert got == ["It was hard though.", "[laughter] Then we met.", '"Quote here."', "End.", "Yes.",
                   '"Next one," she said.']


def test_demo_paragraphs_match_spacy_sentencizer(demo_dir):
    files = sorted(p for p in demo_dir.iterdir() if p.suffix in (".docx", ".txt", ".vtt"))
    texts = [t.text[p.start:p.end] for t in read_transcripts(files, sentences=False) for p in t.paragraphs]
    assert sentence_spans(texts) == reference(texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab .!?…\"')(\n\u3002Dr.", max_size=60), max_size=6))
def test_random_text_matches_spacy_sentencizer(texts):
    assert sentence_spans(texts) == reference(texts)
