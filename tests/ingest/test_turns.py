import pytest

from npt_coder.ingest import IngestOptions
from npt_coder.ingest._turns import RawParagraph, assemble, parse_timestamp


def build(*texts, **kw):
    return assemble([RawParagraph(t) for t in texts], kw.pop("options", IngestOptions()), **kw)


@pytest.mark.parametrize(
    "label, role",
    [
        ("Interviewer", "interviewer"), ("I", "interviewer"), ("INT", "interviewer"), ("Int", "interviewer"),
        ("Facilitator", "interviewer"), ("Researcher", "interviewer"), ("Researcher 2", "interviewer"),
        ("Respondent", "participant"), ("R", "participant"), ("R2", "participant"), ("P", "participant"),
        ("P01", "participant"), ("Participant 3", "participant"), ("Participant", "participant"),
    ],
)
def test_generic_labels_and_roles(label, role):
    out = build(f"{label}: Some words here.", "Interviewer: next?")
    first = out.turns[0]
    assert first.speaker == label
    assert first.speaker_role == role
    assert out.text[first.start:first.end] == "Some words here."
    assert out.text[first.label_start:first.label_end] == label


def test_pseudonym_labels_count_when_they_recur():
    out = build("Interviewer: How is it?", "Robin: Fine.", "Interviewer: And?", "Robin: Better now.")
    assert [t.speaker for t in out.turns] == ["Interviewer", "Robin", "Interviewer", "Robin"]
    assert out.turns[1].speaker_role == "participant"


def test_a_one_off_capitalised_prefix_is_not_a_speaker():
    out = build("Interviewer: How is it?", "P01: It is fine.", "Honestly: it was hard.")
    assert [t.speaker for t in out.turns] == ["Interviewer", "P01"]
    # the unlabelled paragraph continues P01's turn
    assert out.text[out.turns[1].start:out.turns[1].end] == "It is fine.\nHonestly: it was hard."


def test_unlabelled_paragraph_continues_previous_turn():
    out = build("I: Tell me.", "R: First part.", "Second part.", "I: Thanks.")
    assert len(out.turns) == 3
    r = out.turns[1]
    assert out.text[r.start:r.end] == "First part.\nSecond part."
    assert [p.turn for p in out.paragraphs] == [0, 1, 1, 2]


def test_front_matter_is_not_a_turn():
    out = build("Interview transcript", "Site: S1", "Date: spring 2024", "Interviewer: Hello.", "P02: Hi.")
    assert [t.speaker for t in out.turns] == ["Interviewer", "P02"]
    start, end = out.front_matter
    assert out.text[start:end] == "Interview transcript\nSite: S1\nDate: spring 2024"
    assert all(p.turn is None for p in out.paragraphs[:3])


@pytest.mark.parametrize(
    "line",
    ["[00:01:23] Interviewer: So, the hub.", "Interviewer [00:01:23]: So, the hub.",
     "Interviewer: [00:01:23] So, the hub.", "(00:01:23) Interviewer: So, the hub."],
)
def test_timestamps_are_turn_attributes_not_text(line):
    out = build(line, "P01: Yes.")
    t = out.turns[0]
    assert t.start_time == 83.0
    assert "00:01" not in out.text
    assert out.text.startswith("Interviewer: So, the hub.")


def test_user_speaker_pattern_replaces_detection():
    options = IngestOptions(speaker_pattern=r"(?P<speaker>[A-Z]{2}\d)\s*>\s*")
    out = build("AB1> hello there", "CD2> and back", options=options)
    assert [t.speaker for t in out.turns] == ["AB1", "CD2"]
    assert out.text[out.turns[0].start:out.turns[0].end] == "hello there"


def test_interviewer_labels_are_configurable():
    options = IngestOptions(interviewer_labels=("sam",))
    out = build("Sam: Question?", "Alex: Answer.", "Sam: Another?", "Alex: Yes.", options=options)
    assert [t.speaker_role for t in out.turns] == ["interviewer", "participant"] * 2


def test_no_turns_is_an_error_with_a_hint():
    with pytest.raises(ValueError, match="no speaker turns.*speaker-pattern"):
        build("Just some text.", "More text without any labels.")


def test_speaker_from_structure_is_written_as_label():
    out = assemble([RawParagraph("Hello.", speaker="Researcher 2", start_time=1.0, end_time=2.0)],
                   IngestOptions())
    assert out.text == "Researcher 2: Hello."
    assert out.turns[0].speaker_role == "interviewer"
    assert (out.turns[0].start_time, out.turns[0].end_time) == (1.0, 2.0)


def test_parse_timestamp_forms():
    assert parse_timestamp("00:00:01.500") == 1.5
    assert parse_timestamp("[1:02:03]") == 3723.0
