"""Suggestions: never from the units learnt from, codebook-only without coding, stored as a coder with their
details, reviewed like a coder, refused with one line when asked the impossible."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.assist import AssistError, evaluate, make_suggestions, suggest
from npt_coder.coding import undo
from npt_coder.services import add_transcripts

from .conftest import THEMES


def _texts_of(project, tid):
    return set(project.segments("paragraph", transcripts=[tid])["text"])


def test_suggestions_never_come_from_the_units_they_learnt_from(study, hashed):
    result = suggest(study, learn_from=["AK"], transcripts=["T1", "T4"], features=hashed)
    # T1 was coded by AK: it is held out of its own model; T4 (uncoded) learns from all three coded transcripts
    assert result.learnt_from == {"T1": ["T2", "T3"], "T4": ["T1", "T2", "T3"]}
    fits = [(hashed.seen[i][1], hashed.seen[i + 1][1]) for i in range(0, len(hashed.seen), 2)]
    assert len(fits) == 2 and all(hashed.seen[i][0] and not hashed.seen[i + 1][0] for i in range(0, 4, 2))
    for learnt_on, scored in fits:
        assert set(learnt_on).isdisjoint(scored)  # no unit scored was a learning example of that fit
    t1_fit = next(f for f in fits if set(f[1]) <= _texts_of(study, "T1"))
    assert set(t1_fit[0]).isdisjoint(_texts_of(study, "T1"))
    # and the stored batch says what each transcript's model learnt from
    note = study.batches.iloc[-1]["note"]
    assert '"T1": ["T2", "T3"]' in note


def test_learnt_suggestions_find_the_coded_themes_with_reasons(study, hashed):
    result = suggest(study, learn_from=["AK"], features=hashed)  # default: T4, the one AK did not code
    assert result.transcripts == ("T4",)
    got = result.suggestions
    seg = study.segments("paragraph", transcripts=["T4"]).set_index("segment_id")["text"]
    for code, texts in THEMES.items():
        units = got.loc[got["code_id"] == code, "segment_id"]
        assert [seg[u] for u in units] == [f"{texts[3]}"], code
    assert got["learnt"].all()
    assert got["reason"].str.match(r"^\S+ as coded on similar units: AK's T\d p\d{4} \(\d\.\d\d\), AK's").all()
    assert not got["reason"].str.contains("training|record|families", case=False).any()  # ids, never text
    assert set(result.unlearnt_codes) == set(study.load_codebook().ids) - set(THEMES)


def test_no_coding_yet_gives_codebook_only_suggestions(tmp_path, demo_dir):
    p = nc.init_project(tmp_path / "fresh")
    add_transcripts(p, [demo_dir / "S1_P02.txt"], nlp=None)
    result = suggest(p, model="tfidf")
    got = result.suggestions
    assert len(got) and not got["learnt"].any() and result.learn_from == ()
    assert got["reason"].str.startswith("matched the definition of ").all()
    assert result.model == "tfidf similarity to the codebook" and set(p.suggestions["model"]) == {result.model}
    names = p.codebook.set_index("code_id")["name"]
    assert all(r.endswith(f"{c} {names[c]}") for c, r in zip(got["code_id"], got["reason"]))
    assert set(p.codings["coder"]) == {"assist"} and set(p.codings["source"]) == {"suggested"}


def test_codes_limit_keeps_the_same_decisions(tmp_path, demo_dir):
    p = nc.init_project(tmp_path / "fresh")
    add_transcripts(p, [demo_dir / "S1_P02.txt"], nlp=None)
    every = make_suggestions(p, model="tfidf").suggestions
    some = make_suggestions(p, model="tfidf", codes=["M3.3", "C1"]).suggestions
    assert set(some["code_id"]) <= {"M3.3", "C1"}
    expected = every[every["code_id"].isin(["M3.3", "C1"])]
    assert some[["segment_id", "code_id"]].values.tolist() == expected[["segment_id", "code_id"]].values.tolist()


def test_suggestions_are_stored_with_score_model_and_reason_and_undone_as_a_batch(study, hashed):
    result = suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed, who="tester")
    stored = study.suggestions
    assert len(stored) == len(result.suggestions) > 0
    assert set(stored["model"]) == {hashed.model} and set(stored["model_version"]) == {"test"}
    assert stored["score"].between(0.5, 1).all() and stored["reason"].str.len().gt(10).all()
    history = study.history().iloc[-1]
    assert history["kind"] == "import" and history["coders"] == "assist" and history["created_by"] == "tester"
    undo(study, result.batch_id)
    assert study.suggestions.empty and "assist" not in set(study.codings["coder"])
    conn = sqlite3.connect(study.db_path)
    assert conn.execute("SELECT COUNT(*) FROM suggestions").fetchone() == (0,)  # details go with their codings
    conn.close()


def test_suggesting_again_supersedes_the_earlier_suggestions(study, hashed):
    first = suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed)
    second = suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed, threshold=0.6)
    assert second.batch_id != first.batch_id
    assert len(study.suggestions) == len(second.suggestions) <= len(first.suggestions)
    assert study.suggestions["score"].min() >= 0.6


def test_suggestions_are_reviewed_like_a_second_coder(study, hashed):
    suggest(study, learn_from=["AK"], transcripts=["T1", "T2"], features=hashed)
    table = nc.agreement_table(study, coders=["AK", "assist"], by=("code", "pooled"), ci=None)
    pooled = table[table["level"] == "pooled"].iloc[0]
    assert pooled["n_transcripts"] == 2 and pooled["both"] + pooled["only_a"] + pooled["only_b"] > 0
    found = nc.review.disagreements(study, "AK", "assist")
    assert set(found.transcripts) <= {"T1", "T2"}


@pytest.mark.parametrize("kwargs, message", [
    ({"learn_from": ["ZZ"]}, r"^no codings to learn from by ZZ \(coders with codings: AK, JT\)$"),
    ({"learn_from": ["AK"], "codes": ["M3.9"]}, r"^unknown code 'M3.9' \(closest: "),
    ({"learn_from": ["AK"], "transcripts": ["T9"]}, r"^transcript not in the project: T9$"),
    ({"learn_from": ["AK"], "coder": "JT"}, r"^'JT' has codings of their own"),
    ({"learn_from": ["AK"], "threshold": 1.5}, r"^threshold must be between 0 and 1"),
    ({"learn_from": ["AK"], "unit": "page"}, r"^unit must be one of turn, paragraph, sentence; got 'page'$"),
    ({"learn_from": ["AK"], "transcripts": ["T1", "T2", "T3"], "coder": "assist"}, None),
])
def test_bad_requests_are_refused_and_change_nothing(study, hashed, kwargs, message):
    before = len(study.coding_table(include_superseded=True))
    if message is None:  # every coded transcript asked for: fine, each is held out of its own model
        assert suggest(study, features=hashed, **kwargs).learnt_from["T2"] == ["T1", "T3"]
        return
    with pytest.raises(AssistError, match=message):
        suggest(study, features=hashed, **kwargs)
    assert len(study.coding_table(include_superseded=True)) == before


def test_every_transcript_coded_needs_transcripts_named(study, hashed):
    nc.coding.import_codings(study, pd.DataFrame({"transcript_id": ["T4"], "coder": ["AK"], "code_id": ["C1"],
                                                  "start": [0], "end": [5]}), source="csv")
    with pytest.raises(AssistError, match="every transcript was coded by AK; name the transcripts"):
        suggest(study, learn_from=["AK"], features=hashed)


def test_a_transcript_with_nothing_else_to_learn_from_is_refused(tmp_path, demo_dir, hashed):
    p = nc.init_project(tmp_path / "one")
    add_transcripts(p, [demo_dir / "S1_P02.txt"], nlp=None)
    nc.coding.import_codings(p, pd.DataFrame({"transcript_id": ["S1_P02"], "coder": ["AK"], "code_id": ["C1"],
                                              "start": [0], "end": [50]}), source="csv")
    with pytest.raises(AssistError, match="nothing to learn from for S1_P02 once it is held out"):
        suggest(p, learn_from=["AK"], transcripts=["S1_P02"], features=hashed)


def test_evaluation_counts_agree_with_the_agreement_engine(study, hashed):
    ev = evaluate(study, learn_from=["AK"], features=hashed)
    assert ev.folds == 3 and ev.n_transcripts == 3 and set(ev.table["code_id"]) == set(THEMES)
    row = ev.table.set_index("code_id").loc["M4.1"]
    counts = np.array([[row["both"], row["only_coder"], row["only_suggested"], row["neither"]]])
    assert row["kappa"] == pytest.approx(nc.agreement.cohen_kappa_from_counts(counts, warn=False)[0])
    assert row["precision"] == pytest.approx(row["both"] / (row["both"] + row["only_suggested"]))
    assert row["recall"] == pytest.approx(row["both"] / (row["both"] + row["only_coder"]))
    assert counts.sum() == 12  # 4 participant paragraphs x 3 transcripts
    # JT double-coded T1 exactly as AK: the human-human kappa of each code is 1, pair AK-JT
    assert (ev.table["human_kappa"] == 1.0).all() and set(ev.table["human_pairs"]) == {"AK-JT"}
    assert ev.macro_kappa == pytest.approx(ev.table["kappa"].mean())
    assert "3-fold cross-validation by transcript" in ev.summary()


def test_evaluation_suggests_each_fold_from_the_other_folds_only(study, hashed):
    evaluate(study, learn_from=["AK"], features=hashed)
    pairs = [(hashed.seen[i][1], hashed.seen[i + 1][1]) for i in range(0, len(hashed.seen), 2)]
    assert len(pairs) == 3
    for learnt_on, scored in pairs:
        assert set(learnt_on).isdisjoint(scored)


def test_evaluation_needs_coders_and_transcripts(study, hashed):
    with pytest.raises(AssistError, match="evaluation needs a coder to compare with"):
        evaluate(study, learn_from=[], features=hashed)
    with pytest.raises(AssistError, match="needs at least two transcripts coded by JT; found 1"):
        evaluate(study, learn_from=["JT"], features=hashed)


def test_the_tfidf_floor_learns_the_themes(study):
    ev = evaluate(study, learn_from=["AK"], model="tfidf")
    assert ev.model == "tfidf + linear SVM" and ev.macro_kappa > 0.3


def test_an_unknown_model_is_a_one_line_error(study):
    with pytest.raises(AssistError, match=r"^model must be one of auto, minilm, tfidf or a folder .*got 'gpt'$"):
        suggest(study, learn_from=["AK"], model="gpt")


def test_a_transcript_of_interviewer_talk_only_has_nothing_to_suggest_for(study, tmp_path, hashed):
    path = tmp_path / "T5.txt"
    path.write_text("Interviewer: Thank you for coming.\n\nInterviewer: We will start next week.\n", encoding="utf-8")
    add_transcripts(study, [path], nlp=None)
    with pytest.raises(AssistError, match=r"^no paragraphs of participant talk \(add --include-interviewer"):
        suggest(study, learn_from=["AK"], transcripts=["T5"], features=hashed)
    both_sides = suggest(study, learn_from=["AK"], transcripts=["T5"], features=hashed, include_interviewer=True)
    assert both_sides.n_units == 2 and both_sides.transcripts == ("T5",)
