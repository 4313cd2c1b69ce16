"""Reviewing suggestions one at a time (the services a review screen calls): accept, reject, and what a reviewer
is shown."""

from __future__ import annotations

import pytest

from npt_coder.assist import suggest
from npt_coder.errors import ProjectError
from npt_coder.services import REVIEW_COLUMNS, accept_suggestion, reject_suggestion, suggestions_to_review


def test_a_suggestion_is_accepted_or_rejected_one_at_a_time(study, hashed):
    suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed)
    first, second = study.suggestions["coding_id"].iloc[:2]
    new = accept_suggestion(study, first, coder="MB", who="reviewer")
    mine = study.coding_table("T4", coder="MB").set_index("coding_id").loc[new]
    s = study.suggestions.set_index("coding_id").loc[first]
    assert (mine["code_id"], mine["start"], mine["end"], mine["source"]) == (s["code_id"], s["start"], s["end"],
                                                                             "accepted")
    assert mine["memo"] == f"accepted suggestion {first}"
    assert accept_suggestion(study, first, coder="MB") == new  # a second click adds nothing
    assert len(study.coding_table("T4", coder="MB")) == 1
    batch = reject_suggestion(study, second, who="MB")
    assert second not in set(study.suggestions["coding_id"]) and first in set(study.suggestions["coding_id"])
    assert study.batches.set_index("batch_id").loc[batch, "kind"] == "remove"


def test_reviewing_what_is_not_a_current_suggestion_is_a_one_line_error(study, hashed):
    suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed)
    first = int(study.suggestions["coding_id"].iloc[0])
    human = int(study.coding_table("T1", coder="AK")["coding_id"].iloc[0])
    reject_suggestion(study, first)
    before = len(study.coding_table(include_superseded=True))
    for call, message in [
        (lambda: reject_suggestion(study, first), rf"^suggestion {first} is no longer current \(rejected"),
        (lambda: accept_suggestion(study, first, coder="MB"), rf"^suggestion {first} is no longer current"),
        (lambda: accept_suggestion(study, human, coder="MB"), rf"^coding {human} is not a suggestion"),
        (lambda: reject_suggestion(study, 99999), r"^no coding 99999 in this project$"),
        (lambda: accept_suggestion(study, int(study.suggestions["coding_id"].iloc[0]), coder="assist"),
         r"needs the reviewing coder's name \(not 'assist'\)"),
        (lambda: accept_suggestion(study, int(study.suggestions["coding_id"].iloc[0]), coder="consensus"),
         r"'consensus' is the name settled codings are written as"),
    ]:
        with pytest.raises(ProjectError, match=message) as info:
            call()
        assert len(str(info.value).splitlines()) == 1
    assert len(study.coding_table(include_superseded=True)) == before


def test_a_reviewer_sees_pending_and_accepted_suggestions_in_text_order(study, hashed):
    suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed)
    shown = suggestions_to_review(study, "T4", reviewer="AK", lead=False)
    assert list(shown.columns) == REVIEW_COLUMNS and len(shown) == len(study.suggestions)
    assert shown["start"].is_monotonic_increasing and not shown["accepted"].any()
    accept_suggestion(study, int(shown["coding_id"].iloc[1]), coder="AK")
    again = suggestions_to_review(study, "T4", reviewer="AK")
    assert again["accepted"].tolist() == [i == 1 for i in range(len(again))]
    assert not suggestions_to_review(study, "T4", reviewer="JT")["accepted"].any()  # AK's acceptance is AK's
    assert suggestions_to_review(study, "T1", reviewer="AK").empty


def test_a_reason_naming_colleagues_coded_units_is_shown_to_a_lead_only(study, hashed):
    suggest(study, learn_from=["AK", "JT"], transcripts=["T4"], features=hashed)
    full = suggestions_to_review(study, "T4", reviewer="LD", lead=True)["reason"]
    assert full.str.contains("as coded on similar units: (?:AK|JT)'s T").any()
    for reviewer in ("AK", "MB"):  # each learnt from someone besides them
        shown = suggestions_to_review(study, "T4", reviewer=reviewer, lead=False)["reason"]
        assert set(shown) == {"learnt from other coders' coding (a lead sees which coded units it resembles)"}


def test_a_reason_from_ones_own_coding_or_the_codebook_is_shown_to_the_coder(study, hashed):
    suggest(study, learn_from=["AK"], transcripts=["T4"], features=hashed)
    own = suggestions_to_review(study, "T4", reviewer="AK", lead=False)["reason"]
    assert own.str.contains("as coded on similar units: AK's T").any()
    suggest(study, transcripts=["T4"], coder="codebook", features=hashed)
    shown = suggestions_to_review(study, "T4", reviewer="MB", lead=False)
    from_codebook = shown[shown["coder"] == "codebook"]["reason"]
    assert len(from_codebook) and from_codebook.str.startswith("matched the definition of ").all()
    assert set(shown[shown["coder"] == "assist"]["reason"]) == {  # AK's coding, withheld from MB
        "learnt from other coders' coding (a lead sees which coded units it resembles)"}
