"""Logic models: spec validation, drafting from a known coding, evidence, comparison, figure, Word, text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import npt_coder as nc
from npt_coder.coding import import_codings
from npt_coder.errors import LogicModelError
from npt_coder.logic_model import (
    code_support,
    compare,
    describe,
    draft_logic_model,
    evidence,
    evidence_labels,
    load_logic_model,
    logic_model_to_yaml,
    normalise_text,
)
from npt_coder.render._logic_model import (
    LINE_SPACING,
    Rect,
    logic_model_figure,
    logic_model_layout,
    logic_model_to_docx,
    logic_model_to_html,
    text_width,
    wrap_text,
)
from npt_coder.services import add_transcripts

DEMO_MODELS = nc.demo_path() / "logic_models"

INTERVIEW = ("Interviewer: Tell me about the front door.\n\n"
             "P02: We are short of staff and the office is full. Early Help sits down the corridor now.\n\n"
             "Interviewer: And the partners?\n\n"
             "P02: I trust the police officers here. It has changed how we work together.\n")
FOCUS_GROUP = ("Facilitator: Welcome all. Today we talk about capacity and partners.\n\n"
               "P04: Capacity is the big worry, we have too many contacts.\n\n"
               "P05: Same for health, there are only two of us.\n\n"
               "P06: I find the other agencies easy to work with now.\n")


# -- a small project with a known coding ------------------------------------------------------------------------------

def _span(project, tid, quote):
    text = project.transcript_text(tid)
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """An interview (S2, P02) and a focus group (S1, speakers P04–P06) coded by AK and JT, the group also settled
    as consensus."""
    root = tmp_path_factory.mktemp("lm")
    src = root / "src"
    src.mkdir()
    (src / "S2_P02.txt").write_text(INTERVIEW, encoding="utf-8")
    (src / "S1_FG01.txt").write_text(FOCUS_GROUP, encoding="utf-8")
    p = nc.init_project(root / "study", codebook=nc.demo_path() / "inductive_codes.yaml")
    add_transcripts(p, [src / "S2_P02.txt"], attributes={"site": "S2", "participant": "P02", "role": "police",
                                            "method": "interview"})
    add_transcripts(p, [src / "S1_FG01.txt"], attributes={"site": "S1", "participant": "FG01", "role": "mixed",
                                             "method": "focus group"})
    rows = []

    def code(tid, coder, code_id, quote):
        rows.append((tid, coder, code_id, *_span(p, tid, quote), ""))

    code("S2_P02", "AK", "C3", "We are short of staff")
    code("S2_P02", "AK", "C2", "the office is full")
    code("S2_P02", "AK", "M3.3", "I trust the police officers here.")
    code("S2_P02", "AK", "M1.1", "It has changed how we work together.")
    code("S2_P02", "AK", "O2", "It has changed how we work together.")
    code("S2_P02", "AK", "IND-EARLYHELP", "Early Help sits down the corridor now.")
    code("S1_FG01", "AK", "C3", "Capacity is the big worry")
    code("S1_FG01", "AK", "C3", "there are only two of us")
    code("S1_FG01", "AK", "C1", "Today we talk about capacity")          # facilitator talk only
    code("S1_FG01", "AK", "O2", "there are only two of us.\n\nP06: I find the other agencies easy")  # P05 and P06
    code("S1_FG01", "JT", "M2.1", "Capacity is the big worry")
    code("S1_FG01", "consensus", "C3", "Capacity is the big worry")       # P04
    code("S1_FG01", "consensus", "M3.3", "I find the other agencies easy")  # P06
    code("S1_FG01", "consensus", "O2", "Same for health")                 # P05
    import_codings(p, pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"]),
                   source="csv")
    return p


def _items(spec, column):
    col = next(c for c in spec["columns"] if c["name"] == column)
    items = col["items"] if "items" in col else [i for g in col["groups"] for i in g["items"]]
    return [(i["id"], i["evidence"]) for i in items]


def ev(p, t, s):
    return {"participants": p, "transcripts": t, "sites": s}


# -- validation ------------------------------------------------------------------------------------------------------

def test_every_problem_is_reported_at_once_with_its_location():
    bad = {
        "titel": "typo",
        "theme": {"context": "blue", "harm": "#f00"},
        "columns": [
            {"name": "Context", "items": [{"text": "Demand is high", "id": "a", "codes": ["C3", "M9"]},
                                          {"text": "", "id": "a"}]},
            {"name": "Activities", "items": ["x"], "groups": []},
            {"name": "Mechanisms", "items": [{"text": "Trust", "evidence": {"participants": -1, "people": 3}}]},
            {"name": "Intended impact", "groups": [{"items": [{"text": "Safer children", "codes": "M3"}]}]},
        ],
        "harms": {"items": [{"text": "x" * 300}]},
    }
    with pytest.raises(LogicModelError) as info:
        load_logic_model(bad, codebook=nc.load_codebook())
    problems = info.value.problems
    expected = [
        r"^titel: unknown key \(did you mean 'title'\?\)$",
        r"^title: missing",
        r"^theme\.harm: unknown key \(did you mean 'harms'\?\)$",
        r"^theme\.context: 'blue' is not a colour",
        r"^columns\[0\]\.items\[0\]\.codes\[1\]: 'M9' is not a code of the codebook",
        r"^columns\[0\]\.items\[1\]\.text: is empty",
        r"^columns\[0\]\.items\[1\]\.id: 'a' is already used by columns\[0\]\.items\[0\]",
        r"^columns\[1\]: give either 'items' or 'groups', not both",
        r"^columns\[2\]\.items\[0\]\.evidence\.participants: must be a whole number",
        r"^columns\[2\]\.items\[0\]\.evidence\.people: unknown count",
        r"^columns\[3\]\.groups\[0\]\.name: missing",
        r"^columns\[3\]\.groups\[0\]\.items\[0\]\.codes\[0\]: 'M3' is not a code of the codebook \(M3 is a construct",
        r"^harms\.items\[0\]\.text: 300 characters is too long",
    ]
    for pattern in expected:
        assert any(re.search(pattern, p) for p in problems), (pattern, problems)
    assert len(problems) == len(expected)
    assert str(info.value).startswith(f"{len(expected)} problems in logic model:")
    assert isinstance(info.value, ValueError)


def test_unknown_keys_name_the_item_and_suggest_the_key_meant():
    spec = {"title": "T", "columns": [{"name": "Context", "color": "#0072B2", "items": [
        {"text": "Demand is high", "id": "demand", "code": ["C3"], "evidence": {"participant": 2}}]}]}
    with pytest.raises(LogicModelError) as info:
        load_logic_model(spec)
    assert info.value.problems == [
        "columns[0].color: unknown key (did you mean 'colour'?)",
        "columns[0].items[0].code: unknown key in item 'demand' (did you mean 'codes'?)",
        "columns[0].items[0].evidence.participant: unknown count (use participants, transcripts, sites)",
    ]


def test_codes_are_checked_only_for_form_without_a_codebook_and_names_resolve_with_one():
    spec = {"title": "T", "columns": [{"name": "Mechanisms", "items": [{"text": "Trust",
                                                                        "codes": "Relational integration, o2"}]}]}
    with pytest.raises(LogicModelError, match=r"codes\[0\]: 'Relational integration' is not a code id"):
        load_logic_model(spec)
    lm = load_logic_model(spec, codebook=nc.load_codebook())
    assert lm.columns[0].items[0].codes == ("M3.3", "O2")


def test_file_problems_name_the_file_and_line(tmp_path):
    path = tmp_path / "model.yaml"
    path.write_text("title: T\ncolumns:\n  - name: Context\n    items: [a\n", encoding="utf-8")
    with pytest.raises(LogicModelError, match=r"(?s)model\.yaml.*line \d+, column \d+: not valid YAML"):
        load_logic_model(path)
    with pytest.raises(LogicModelError, match="^no logic model at "):
        load_logic_model(tmp_path / "missing.yaml")
    path.write_text("title: T\ncolumns: [{name: Context, kind: contxt, colour: '#12345'}]\n", encoding="utf-8")
    with pytest.raises(LogicModelError) as info:
        load_logic_model(path)
    assert info.value.problems == [
        "columns[0].kind: must be one of 'context', 'activities', 'mechanism', 'outcome', 'other'; got 'contxt'",
        "columns[0].colour: '#12345' is not a colour; use a hex colour such as '#0072B2'",
    ]


def test_defaults_kinds_from_names_and_round_trip():
    lm = load_logic_model(DEMO_MODELS / "needs_model.yaml")
    assert [c.kind for c in lm.columns] == ["context", "activities", "mechanism", "outcome"]
    assert [g.name for g in lm.columns[3].groups] == ["For services and staff", "For children and families"]
    again = load_logic_model(yaml.safe_load(logic_model_to_yaml(lm)))
    assert again.to_dict() == lm.to_dict()
    assert [i.path for i in again.items] == [i.path for i in lm.items]


@pytest.mark.parametrize("name", ["risk_model.yaml", "needs_model.yaml"])
def test_demo_models_are_valid_against_the_demo_codebook(name):
    from npt_coder.codebook import load_codebook

    # the demo codebook: the default NPT/CMO codes plus the study's inductive codes
    lm = load_logic_model(DEMO_MODELS / name, codebook=load_codebook(nc.demo_path() / "inductive_codes.yaml"))
    assert len(lm.columns) == 4 and lm.harms is not None and lm.harms.items
    assert all(item.codes for item in lm.items)


# -- drafting from the coding ----------------------------------------------------------------------------------------

def test_draft_uses_consensus_where_it_exists_and_counts_focus_group_speakers(study):
    spec = draft_logic_model(study)
    # IND-EARLYHELP maps first to C4 (then M2.1, M3.4, O2): reported under Context, as in the themed summaries
    assert _items(spec, "Context") == [("C3", ev(2, 2, 2)), ("C2", ev(1, 1, 1)), ("IND-EARLYHELP", ev(1, 1, 1))]
    assert _items(spec, "Mechanisms") == [("M3.3", ev(2, 2, 2)), ("M1.1", ev(1, 1, 1))]
    assert _items(spec, "Intended impact") == [("O2", ev(2, 2, 2))]
    assert _items(spec, "Activities") == []
    first = spec["columns"][0]["items"][0]
    assert first["text"].startswith("Negotiating capacity: ") and first["codes"] == ["C3"]
    assert spec["source"]["transcripts"] == ["S1_FG01", "S2_P02"]
    assert "consensus coding on 1 transcript, otherwise every coder's coding: AK on 1 transcript" in \
        spec["source"]["coding"]
    load_logic_model(spec, codebook=study.load_codebook())


def test_draft_and_themes_report_each_inductive_code_under_the_same_domain(study):
    # One rule (npt_coder._consensus.reporting_domain): the domain of the first maps_to target.
    from npt_coder.themes import theme_summary

    spec = draft_logic_model(study, top=None)
    column_of = {item["id"]: col["kind"] for col in spec["columns"]
                 for item in col.get("items", []) + [i for g in col.get("groups", []) for i in g["items"]]}
    primary = theme_summary(study).table
    primary = primary[primary["primary"]].set_index("code_id")["domain"]
    inductive = [c for c in study.load_codebook().codes if c.kind == "inductive" and c.code_id in column_of]
    assert inductive  # the fixture codes IND-EARLYHELP
    for c in inductive:
        assert column_of[c.code_id] == primary[c.code_id] == c.domain, c.code_id


def test_draft_for_one_coder_a_site_and_top(study):
    spec = draft_logic_model(study, coder="AK")
    # C3: P02 in the interview, P04 and P05 in the group; C1 was coded on facilitator talk only: no participant
    # (IND-EARLYHELP, reported under Context, ranks before C1 on participants)
    assert _items(spec, "Context") == [("C3", ev(3, 2, 2)), ("C2", ev(1, 1, 1)), ("IND-EARLYHELP", ev(1, 1, 1)),
                                       ("C1", ev(0, 1, 1))]
    assert _items(spec, "Intended impact")[0] == ("O2", ev(3, 2, 2))  # the span covers P05 and P06
    site = draft_logic_model(study, coder="AK", attribute_filter={"site": "S1"}, top=1)
    assert _items(site, "Context") == [("C3", ev(2, 1, 1))]
    assert _items(site, "Mechanisms") == []
    assert site["title"] == "Draft logic model (site=S1)"


def test_draft_refuses_unknown_coders_attributes_and_top(study):
    with pytest.raises(LogicModelError) as info:
        draft_logic_model(study, coder="ZZ", attribute_filter={"region": "N"})
    assert len(info.value.problems) == 2
    assert "attribute_filter.region: the transcripts have no attribute 'region'" in info.value.problems[0]
    assert "coder: no codings by 'ZZ' in this project (coders: AK, JT, consensus)" in info.value.problems[1]
    with pytest.raises(LogicModelError, match="top: must be a whole number"):
        draft_logic_model(study, top=0)


def test_draft_yaml_is_editable_and_loads(study, tmp_path):
    text = logic_model_to_yaml(draft_logic_model(study))
    assert "codes: [C3]" in text and "evidence: {participants: 2, transcripts: 2, sites: 2}" in text
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    lm = load_logic_model(path, codebook=study.load_codebook())
    assert evidence_labels(lm, True)["columns[0].items[0]"] == "2 participants, 2 transcripts, 2 sites"


def test_code_support_table(study):
    df = code_support(study).set_index("code_id")
    assert df.loc["C3", ["participants", "transcripts", "sites"]].tolist() == [2, 2, 2]
    assert df.loc["M2.1", "transcripts"] == 0  # JT's code on a transcript that has a consensus coding
    assert len(df) == len(study.load_codebook())


# -- evidence --------------------------------------------------------------------------------------------------------

def test_evidence_is_the_union_over_an_items_codes(study):
    spec = {"title": "T", "columns": [{"name": "Mechanisms", "items": [
        {"text": "Trust and capacity", "codes": ["C3", "M3.3"]},  # P02, P04, P06
        {"text": "No codes"},
        {"text": "Never coded", "codes": ["M4.4"]}]}]}
    df = evidence(spec, study)
    assert df["path"].tolist() == ["columns[0].items[0]", "columns[0].items[2]"]
    assert df[["participants", "transcripts", "sites"]].values.tolist() == [[3, 2, 2], [0, 0, 0]]
    assert df["label"].tolist() == ["3 participants, 2 transcripts, 2 sites", "no coded evidence"]
    with pytest.raises(LogicModelError, match=r"codes\[0\]: 'M9' is not a code"):
        evidence({"title": "T", "columns": [{"name": "C", "items": [{"text": "x", "codes": ["M9"]}]}]}, study)


# -- comparison ------------------------------------------------------------------------------------------------------

A = {"title": "Model A", "columns": [
    {"name": "Context", "items": [
        {"text": "High demand", "id": "demand"},
        "Shared office",                                   # matches B's text (case, spacing, punctuation)
        {"text": "Risk first", "id": "aim-a"}]},           # B has the same text under another id: no match
    {"name": "Mechanisms", "items": ["Trust between agencies", "Quick chats in the office"]}],
    "harms": ["Parents distrust services"]}
B = {"title": "Model B", "columns": [
    {"name": "Context", "items": [
        {"text": "Demand is average or below", "id": "demand"},   # same id, new words: matched
        "  shared   OFFICE.",
        {"text": "Risk first", "id": "aim-b"},
        "Early help is part of the job"]},
    {"name": "Mechanisms", "items": ["trust between agencies!", "Partners are accountable"]}],
    "harms": ["Parents distrust services", "Families wait for help"]}
ONLY_A = {"columns[0].items[2]", "columns[1].items[1]"}
ONLY_B = {"columns[0].items[2]", "columns[0].items[3]", "columns[1].items[1]", "harms.items[1]"}


def test_compare_matches_by_id_then_normalised_text():
    c = compare(A, B)
    assert c.only_a == ONLY_A and c.only_b == ONLY_B
    assert ("columns[0].items[0]", "columns[0].items[0]", "id") in c.pairs
    assert ("columns[0].items[1]", "columns[0].items[1]", "text") in c.pairs
    frame = c.to_frame()
    assert frame["unique"].sum() == len(ONLY_A) + len(ONLY_B)
    assert normalise_text("Parents’ views -- heard!") == normalise_text("parents views heard")


def _unique_texts(model, paths):
    lm = load_logic_model(model)
    return {lm.item(p).text for p in paths}


@pytest.mark.parametrize("layout", ["stacked", "side-by-side"])
def test_bold_marks_exactly_the_differing_items_in_the_figure(layout):
    lay = logic_model_layout(A, compare_with=B, layout=layout)
    bold = [b for b in lay.blocks if b.role in ("item", "harms-item") and b.bold]
    texts = {" ".join(b.lines) for b in bold}
    assert texts == _unique_texts(A, ONLY_A) | _unique_texts(B, ONLY_B)
    assert len(bold) == len(ONLY_A) + len(ONLY_B)
    fig = logic_model_figure(A, compare_with=B, layout=layout)
    item_texts = {i.text for m in (A, B) for i in load_logic_model(m).items}
    drawn = {re.sub("<[^>]+>", "", a.text.replace("<br>", " ")): a.text.startswith("<b>")
             for a in fig.layout.annotations if a.text}
    assert {t for t, is_bold in drawn.items() if is_bold and t in item_texts} == texts
    assert {t for t, is_bold in drawn.items() if not is_bold and t in item_texts} == item_texts - texts
    # no emphasis without a second model
    assert not any(b.bold for b in logic_model_layout(A).blocks if b.role == "item")


def test_bold_marks_exactly_the_differing_items_in_word(tmp_path):
    path = tmp_path / "compare.docx"
    logic_model_to_docx(A, compare_with=B).save(path)
    doc = Document(str(path))
    assert len(doc.tables) == 2
    for table, model, only in ((doc.tables[0], A, ONLY_A), (doc.tables[1], B, ONLY_B)):
        bold, plain = set(), set()
        for row in table.rows[1:]:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.style.name == "List Bullet":
                        (bold if all(r.bold for r in p.runs) else plain).add(p.text)
        assert bold == _unique_texts(model, only)
        assert plain == {i.text for i in load_logic_model(model).items} - bold


def test_a_note_both_compared_models_carry_is_said_once_in_word(tmp_path):
    """Two models compared in Word: a note both carry (here their own shared note) is said once, under the first,
    for both; each keeps the note that is its own ("Bold: not in ...")."""
    a = {**A, "notes": ["Drawn with the service's team."]}
    b = {**B, "notes": ["Drawn with the service's team."]}
    path = tmp_path / "compare.docx"
    logic_model_to_docx(a, compare_with=b).save(path)
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert [t for t in texts if "service's team" in t] == ["Both models. Drawn with the service's team."]
    assert sum(t.startswith("Bold: not in the model") for t in texts) == 2
    single = tmp_path / "one.docx"
    logic_model_to_docx(a).save(single)
    assert "Drawn with the service's team." in [p.text for p in Document(str(single)).paragraphs]


def test_bold_marks_exactly_the_differing_items_in_the_description():
    text = describe(A, compare_with=B)
    marked = {line.strip()[2:].split(" [differs")[0] for line in text.splitlines()
              if line.strip().startswith("- ") and "[differs" in line}
    assert marked == _unique_texts(A, ONLY_A) | _unique_texts(B, ONLY_B)
    assert text.count("[differs:") == len(ONLY_A) + len(ONLY_B)


def test_demo_models_differ_where_the_services_differ():
    c = compare(DEMO_MODELS / "risk_model.yaml", DEMO_MODELS / "needs_model.yaml")
    ids_b = {c.b.item(p).id for p in c.only_b}
    assert {"accountability", "written", "plan-help", "wider-partners", "waiting"} <= ids_b
    assert "infrastructure" not in ids_b and "consent" not in ids_b  # shared ideas, matched by id or text


# -- text description ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["risk_model.yaml", "needs_model.yaml"])
def test_description_lists_every_item_column_and_group(name):
    lm = load_logic_model(DEMO_MODELS / name)
    text = describe(lm, evidence=True)
    for col in lm.columns:
        assert f": {col.name} (" in text
        for g in col.groups:
            if g.name:
                assert f"\n{g.name}:\n" in text
    for item in lm.items:
        assert re.search(rf"^\s*- {re.escape(item.text)}$", text, flags=re.M), item.text
    assert f"Box: {lm.harms.title} ({len(lm.harms.items)} items)" in text
    both = describe(lm, compare_with=DEMO_MODELS / "risk_model.yaml")
    assert both.startswith("Two logic models are compared")


def test_description_carries_evidence(study):
    spec = {"title": "T", "columns": [{"name": "Context", "items": [{"text": "Capacity", "codes": ["C3"]}]}]}
    assert "- Capacity (evidence: 2 participants, 2 transcripts, 2 sites)" in describe(spec,
                                                                                        evidence=evidence(spec, study))


# -- Word ------------------------------------------------------------------------------------------------------------

def test_word_table_has_the_columns_items_groups_and_red_harms_row(tmp_path, study):
    lm = load_logic_model(DEMO_MODELS / "needs_model.yaml")
    path = tmp_path / "model.docx"
    logic_model_to_docx(lm).save(path)
    doc = Document(str(path))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [c.name for c in lm.columns]
    for k, col in enumerate(lm.columns):
        paras = [p.text for p in table.rows[1].cells[k].paragraphs]
        assert [i.text for i in col.items] == [t for t in paras if t in {i.text for i in col.items}]
        for g in col.groups:
            if g.name:
                assert g.name in paras
    harms = table.rows[2].cells[0]
    assert len({id(c._tc) for c in table.rows[2].cells}) == 1  # one merged cell across the row
    assert harms.paragraphs[0].text == "Unintended harms"
    assert harms.paragraphs[0].runs[0].font.color.rgb is not None
    assert [p.text for p in harms.paragraphs[1:]] == [i.text for i in lm.harms.items]
    shading = harms._tc.tcPr.xpath("./w:shd")[0].get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")
    assert shading.startswith("F") and shading != "FFFFFF"  # a light red


def test_word_appends_to_a_given_document_with_evidence(tmp_path, study):
    spec = {"title": "Small", "columns": [{"name": "Context", "items": [{"text": "Capacity", "codes": ["C3"]}]}]}
    doc = Document()
    doc.add_paragraph("Report text before the model.")
    out = logic_model_to_docx(spec, document=doc, evidence=evidence(spec, study))
    assert out is doc
    path = tmp_path / "report.docx"
    doc.save(path)
    texts = [p.text for p in Document(str(path)).tables[0].rows[1].cells[0].paragraphs]
    assert texts == ["Capacity", "2 participants, 2 transcripts, 2 sites"]


# -- figure ----------------------------------------------------------------------------------------------------------

def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _check_no_overlaps(lay):
    """Panels and harms boxes never overlap, nor do item boxes, nor notes and boxes."""
    big = [r for r in lay.rects if r.role in ("panel", "harms")]
    small = [r for r in lay.rects if r.role in ("item", "harms-item")]
    for group in (big, small):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                assert not _overlap(a, b), (a, b)
    for note in (b for b in lay.blocks if b.role == "note"):
        area = Rect("note", note.x, note.y, note.x + note.width, note.y + note.height, "#FFFFFF")
        assert not any(_overlap(area, r) for r in big), note.lines


def _check_fits(lay):
    """Every text block fits its box, and every item box is exactly as tall as its wrapped lines need."""
    assert lay.overflows() == []
    _check_no_overlaps(lay)
    fs = 14
    by_box: dict[int, list] = {}
    for b in lay.blocks:
        box = lay.rects[b.container]
        assert all(text_width(line, b.size, bold=b.bold) <= box.x1 - b.x for line in b.lines)
        if box.role in ("item", "harms-item"):
            by_box.setdefault(b.container, []).append(b)
    for index, blocks in by_box.items():
        box = lay.rects[index]
        ipad = round(fs * 0.45)
        need = 2 * ipad + sum(len(b.lines) * b.size * LINE_SPACING for b in blocks)
        need += fs * 0.15 * (len(blocks) - 1)
        assert box.y1 - box.y0 == pytest.approx(need)
        for b in blocks:
            assert all(text_width(line, b.size, bold=b.bold) <= box.x1 - box.x0 - 2 * ipad for line in b.lines)


@pytest.mark.parametrize("layout", ["stacked", "side-by-side"])
def test_demo_figure_text_fits_its_boxes(layout):
    risk, needs = DEMO_MODELS / "risk_model.yaml", DEMO_MODELS / "needs_model.yaml"
    lay = logic_model_layout(risk, compare_with=needs, evidence=True, compare_evidence=True, layout=layout)
    _check_fits(lay)
    labels = {"columns[0].items[0]": "12 participants, 9 transcripts, 3 sites"}
    _check_fits(logic_model_layout(needs, evidence=labels, width=800))


def test_figure_parts(study):
    lm = load_logic_model(DEMO_MODELS / "risk_model.yaml")
    lay = logic_model_layout(lm)
    roles = [r.role for r in lay.rects]
    assert roles.count("panel") == 4 and roles.count("harms") == 1
    assert len(lay.arrows) == 4  # three between columns, one into the harms box
    harms = next(r for r in lay.rects if r.role == "harms")
    assert harms.line == "#C62828"
    panels = [r for r in lay.rects if r.role == "panel"]
    assert all(a.x1 < b.x0 for a, b in zip(panels, panels[1:]))  # left to right, no overlap
    mechanisms = panels[2]
    assert harms.y0 > mechanisms.y1 and harms.x0 == mechanisms.x0  # under the mechanisms column
    headers = [b for b in lay.blocks if b.role == "header"]
    assert [h.lines[0] for h in headers] == ["Context", "Activities", "Mechanisms", "Intended impact"]
    found = evidence(lm, study)
    with_evidence = logic_model_layout(lm, evidence=found)
    assert with_evidence.height > lay.height  # evidence lines add height
    shown = {b.path: b.lines for b in with_evidence.blocks if b.role == "evidence"}
    assert shown == {p: (label,) for p, label in zip(found["path"], found["label"])}
    fig = logic_model_figure(lm, evidence=found)
    assert (fig.layout.width, fig.layout.height) == (with_evidence.width, with_evidence.height)


words = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.lists(words, min_size=1, max_size=25).map(" ".join).filter(lambda t: t.strip()),
                      min_size=1, max_size=8),
       width=st.integers(min_value=400, max_value=1600), bold=st.booleans())
def test_any_text_fits_its_box(texts, width, bold):
    texts = [" ".join(t.split())[:240] for t in texts]
    a = {"title": texts[0][:60] or "T", "columns": [
        {"name": "Context", "items": texts}, {"name": "Mechanisms", "items": texts[::-1]}], "harms": texts[:2]}
    b = {"title": "Other", "columns": [{"name": "Context", "items": ["x"]}]}
    lay = logic_model_layout(a, compare_with=b if bold else None, width=width,
                             evidence={"columns[0].items[0]": texts[-1][:80]})
    assert lay.overflows() == []
    _check_no_overlaps(lay)


def test_wrap_keeps_every_word_and_respects_the_width():
    text = "Families passed to Early Help wait for support because local teams are full"
    lines = wrap_text(text, 180, 14)
    assert " ".join(lines) == text and len(lines) > 1
    assert all(text_width(line, 14) <= 180 for line in lines)
    long = wrap_text("Supercalifragilisticexpialidocious", 60, 14)  # a word wider than the box is split
    assert "".join(long) == "Supercalifragilisticexpialidocious" and len(long) > 1
    assert all(text_width(line, 14) <= 60 for line in long)


def test_png_and_html(tmp_path):
    from npt_coder.render._images import figure_png

    fig = logic_model_figure(DEMO_MODELS / "risk_model.yaml")
    png, reason = figure_png(fig, width=fig.layout.width, height=fig.layout.height, scale=1)
    if png is None:  # no Chromium on this machine: the documented outcome is a reason, never a crash
        assert "chromium" in reason.lower() or "kaleido" in reason.lower()
    else:
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and reason == ""
    page = logic_model_to_html(DEMO_MODELS / "risk_model.yaml", compare_with=DEMO_MODELS / "needs_model.yaml")
    assert not re.search(r"<script[^>]+src=", page) and "Plotly.newPlot" in page  # plotly.js embedded: works offline
    assert 'aria-describedby="lm-description"' in page and "Two logic models are compared" in page


def test_too_narrow_a_figure_is_refused_with_the_width_needed():
    six = {"title": "T", "columns": [{"name": f"C{k}", "items": ["x"]} for k in range(6)]}
    with pytest.raises(ValueError, match=r"too narrow for 6 columns .* at least \d+ px"):
        logic_model_layout(six, width=500)
    assert logic_model_layout(six, width=1400).overflows() == []


@pytest.mark.parametrize("columns", [["Context", "Outcomes"], ["Inputs", "Context", "Mechanisms"],
                                     ["Context", "Activities", "Mechanisms", "Intended impact"]])
@pytest.mark.parametrize("n_items", [1, 9])
def test_harms_box_placements_never_overlap(columns, n_items):
    spec = {"title": "T", "columns": [{"name": c, "items": [f"{c} item {k}" for k in range(n_items)]}
                                      for c in columns],
            "harms": [f"Harm {k} with a few more words to wrap" for k in range(3)], "notes": ["A note."]}
    lay = logic_model_layout(spec)
    _check_fits(lay)
    harms = next(r for r in lay.rects if r.role == "harms")
    assert harms.y1 < lay.height and all(r.y1 < lay.height for r in lay.rects)


def test_participants_are_counted_by_one_rule_in_themes_logic_models_and_the_report(study):
    # npt_coder._consensus: the focus group's speakers are its participants (not its participant attribute, FG01),
    # the interview's participant attribute is its one participant; themes, logic-model evidence and the report's
    # methods count the same people.
    from npt_coder.report import _participants
    from npt_coder.themes import theme_summary

    support = code_support(study).set_index("code_id")["participants"]
    table = theme_summary(study).table
    themed = table[table["primary"]].set_index("code_id")["n_participants"]
    for code_id in ("C3", "M3.3", "O2", "C2", "M1.1", "IND-EARLYHELP"):
        assert support[code_id] == themed[code_id], code_id
    people = _participants(study)
    assert "FG01" not in set(people["participant"]) and "P02" in set(people["participant"])
    assert {"P04", "P05", "P06"} <= set(people["participant"]) and people["participant"].is_unique
