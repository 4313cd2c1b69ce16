"""Coded themes: which codings, counts, quotes, research questions, framework matrices, co-occurrence, renderers.

A three-transcript study is built in the test (an interview with a consensus coding, a focus group coded by two
coders, an interview not coded), so every expected number and quote can be read off the text below.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

import npt_coder as nc
from npt_coder.coding import import_codings
from npt_coder.render import matrix_to_xlsx
from npt_coder.render._themes import (
    themes_to_docx,
    themes_to_html,
    themes_to_markdown,
    themes_to_xlsx,
)
from npt_coder.services import add_transcripts
from npt_coder.themes._material import material, window_quote
from npt_coder.themes import (
    ResearchQuestionsError,
    ThemesError,
    analysis_codings,
    cmo_links,
    coded_segments,
    cooccurrence,
    framework_matrix,
    load_research_questions,
    theme_summary,
    trim_quote,
)

INTERVIEW = """Interview S1_P01

Interviewer: How did the front door start?

P01: It started as a way to share information quickly. Everyone sat in one room and talked every morning. \
That changed how we worked together.

Interviewer: What about trust?

P01: We trust the police much more now. I ring them without thinking twice. Health are still on video calls most \
days, which makes it harder.
"""
FOCUS_GROUP = """Focus group S2_FG01

Facilitator: What has changed?

P04: The daily meeting is routine now. Nobody questions it any more.

P05: I agree with that. The meeting is the backbone of the week. It keeps everyone honest about thresholds.

Facilitator: And trust between agencies?

P04: Trust is better than it was. We know each other by name now.

P05: Mostly, yes.
"""
UNCODED = """Interview S3_P09

Interviewer: Tell me about your role.

P09: I work in the school team and link with the front door every week.

Interviewer: Anything else?

P09: Not really, no.
"""
ATTRIBUTES = """file,transcript_id,site,participant,role,method
S1_P01.txt,S1_P01,S1,P01,social care,interview
S2_FG01.txt,S2_FG01,S2,FG01,mixed,focus group
S3_P09.txt,S3_P09,S3,P09,education,interview
"""
TRUST = ("We trust the police much more now. I ring them without thinking twice. Health are still on video calls most "
         "days, which makes it harder.")


def _at(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def build_study(root) -> nc.Project:
    src = root / "src"
    src.mkdir()
    for name, text in (("S1_P01.txt", INTERVIEW), ("S2_FG01.txt", FOCUS_GROUP), ("S3_P09.txt", UNCODED)):
        (src / name).write_text(text, encoding="utf-8")
    (src / "attributes.csv").write_text(ATTRIBUTES, encoding="utf-8")
    p = nc.init_project(root / "study")
    add_transcripts(p, [src / "S1_P01.txt", src / "S2_FG01.txt", src / "S3_P09.txt"],
                    attributes_table=src / "attributes.csv")
    t1, t2 = p.transcript_text("S1_P01"), p.transcript_text("S2_FG01")
    rows = []

    def code(tid, text, coder, code_id, quote, upto=None):
        start, end = _at(text, quote)
        if upto is not None:
            end = _at(text, upto)[1]
        rows.append({"transcript_id": tid, "coder": coder, "code_id": code_id, "start": start, "end": end})

    # S1_P01: AK's first pass, then the consensus; the consensus wins for this transcript
    code("S1_P01", t1, "AK", "C1", "It started as a way")
    code("S1_P01", t1, "AK", "M1.1", "Everyone sat in one room")
    code("S1_P01", t1, "consensus", "C1", "It started as a way", upto="how we worked together.")
    code("S1_P01", t1, "consensus", "M3.3", "What about trust?", upto="which makes it harder.")  # question + answer
    # S2_FG01: two coders, no consensus yet
    code("S2_FG01", t2, "AK", "O4", "The daily meeting is routine now. Nobody questions it any more.")
    code("S2_FG01", t2, "AK", "M3.1", "The daily meeting is routine now.")
    code("S2_FG01", t2, "AK", "M3.3", "Trust is better than it was.")
    code("S2_FG01", t2, "JT", "M3.3", "better than it was. We know each other by name now.")
    code("S2_FG01", t2, "JT", "O4", "meeting is the backbone")  # mid-sentence: the quote widens to the sentence
    df = pd.DataFrame(rows)
    for coder, sub in df.groupby("coder"):
        import_codings(p, sub.reset_index(drop=True), source="csv", source_name=f"{coder}.csv")
    return p


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    return build_study(tmp_path_factory.mktemp("themes"))


@pytest.fixture(scope="module")
def summary(study):
    return theme_summary(study)


def row(summary, code_id):
    t = summary.table
    return t[(t["code_id"] == code_id) & t["primary"]].iloc[0]


# -- which codings ----------------------------------------------------------------------------------------------------

def test_consensus_where_it_exists_else_every_coder_merged(study):
    a = analysis_codings(study)
    s1 = a[a["transcript_id"] == "S1_P01"]
    assert set(s1["basis"]) == {"consensus"} and set(s1["code_id"]) == {"C1", "M3.3"}  # AK's M1.1 is not used
    s2 = a[a["transcript_id"] == "S2_FG01"]
    assert set(s2["basis"]) == {"all coders"}
    trust = s2[s2["code_id"] == "M3.3"]
    assert len(trust) == 1 and trust["coders"].iloc[0] == "AK, JT"  # AK's and JT's overlapping spans: one span
    text = study.transcript_text("S2_FG01")
    merged = text[trust["start"].iloc[0]:trust["end"].iloc[0]]
    assert merged == "Trust is better than it was. We know each other by name now."


def test_methods_text_names_each_transcripts_coders_as_prose(summary):
    # "S1_P02 by AK, JT, S1_P03 by AK" could not be read: which names are coders and which transcripts?
    text = summary.methods_text()
    assert "every coder's coding, overlapping spans of a code merged, for 1 (S2_FG01 by AK and JT)" in text


def test_coder_option_uses_one_coder_only(study):
    a = analysis_codings(study, coder="AK")
    assert set(a["coders"]) == {"AK"} and "M1.1" in set(a["code_id"])
    with pytest.raises(ThemesError, match=r"coder must be one of .*got 'ZZ' \(coders: AK, JT, consensus\)"):
        analysis_codings(study, coder="ZZ")


# -- counts -----------------------------------------------------------------------------------------------------------

def test_counts_transcripts_participants_and_spread(summary):
    r = row(summary, "M3.3")
    assert (r.n_segments, r.n_transcripts, r.n_participants) == (2, 2, 2)  # S1_P01's answer, P04's turn
    assert (r["site=S1"], r["site=S2"], r["site=S3"], r.n_attribute_values) == (1, 1, 0, 2)
    o4 = row(summary, "O4")
    assert (o4.n_segments, o4.n_transcripts, o4.n_participants) == (2, 1, 2)  # two focus-group speakers


def test_every_code_listed_and_absent_codes_have_zero_counts(summary):
    t = summary.table
    assert t["code_id"].nunique() == 24 and t["primary"].sum() == 24
    m11 = row(summary, "M1.1")
    assert m11.absent and (m11.n_segments, m11.n_transcripts, m11.n_participants) == (0, 0, 0)
    assert sorted(t.loc[~t["absent"], "code_id"].unique()) == ["C1", "M3.1", "M3.3", "O4"]
    assert summary.totals.n_codes_present == 4 and summary.totals.n_transcripts_coded == 2
    assert list(pd.unique(t["group_id"])) == ["context", "mechanism", "outcome"]


def test_interviewer_turns_left_out_unless_asked(study, summary):
    assert row(theme_summary(study, include_interviewer=True, n_quotes=0), "M3.3").n_segments == 3
    seg = coded_segments(study)
    assert set(seg["speaker_role"]) == {"participant"}
    assert set(seg.loc[seg["transcript_id"] == "S2_FG01", "participant"]) == {"P04", "P05"}


# -- quotes -----------------------------------------------------------------------------------------------------------

def test_quotes_under_a_code_and_their_attribution(summary):
    q = summary.quotes_for("M3.3")
    assert len(q) == 2
    assert set(q["attribution"]) == {"(S1, P01)", "(S2, P04)"}  # the focus-group speaker is the participant
    s1 = q[q["transcript_id"] == "S1_P01"].iloc[0]
    assert s1.text == TRUST and "What about trust" not in s1.text  # the question in the coded span is left out
    # O4's second passage is M3.3's quote already: not quoted twice
    assert len(summary.quotes_for("O4")) == 1 and len(summary.quotes_for("M1.1")) == 0
    assert not summary.quotes["text"].duplicated().any()


def test_quotes_widen_to_whole_sentences(summary):
    o4 = summary.quotes_for("O4")
    assert "The meeting is the backbone of the week." in set(o4["text"])  # JT coded "meeting is the backbone"


def test_quote_number_and_coverage_first(study):
    t = theme_summary(study, n_quotes=1)
    assert t.quotes.groupby("code_id").size().max() == 1
    assert t.quotes_for("M3.3")["attribution"].tolist() == ["(S1, P01)"]  # first site, then the other


def test_attribution_template_and_unknown_fields(study):
    t = theme_summary(study, attribution="[{role}, {participant}, {transcript_id}]", n_quotes=3)
    assert "[mixed, P04, S2_FG01]" in set(t.quotes_for("M3.3")["attribution"])
    with pytest.raises(ThemesError, match=r"unknown field 'ward'"):
        theme_summary(study, attribution="({ward})")


def test_quotes_trimmed_at_sentence_boundaries_with_ellipsis(study):
    t = theme_summary(study, max_chars=60)
    s1 = t.quotes_for("M3.3").set_index("transcript_id").loc["S1_P01"]
    assert s1.text == "We trust the police much more now. …" and s1.trimmed
    text = study.transcript_text("S1_P01")
    assert text[s1.start:s1.end] == "We trust the police much more now."


def test_trim_never_cuts_inside_a_word():
    passage = "This single sentence goes on and on without any full stop for far longer than the limit allows it"
    quote, used, trimmed = trim_quote(passage, max_chars=40)
    assert trimmed and quote.endswith(" …") and len(quote) <= 40
    head = quote[:-2]
    assert passage.startswith(head) and passage[len(head)] == " "
    assert trim_quote("Short. Whole.", max_chars=40) == ("Short. Whole.", 13, False)


def test_bad_options_are_refused_with_the_fix(study):
    with pytest.raises(ThemesError, match=r"attribute must be a transcript attribute; got 'ward' \(attributes: site"):
        theme_summary(study, attribute="ward")
    with pytest.raises(ThemesError, match=r"by must be 'rq' or levels"):
        theme_summary(study, by=("code", "domain"))
    with pytest.raises(ThemesError, match="by='rq' needs research questions"):
        theme_summary(study, by="rq")


# -- research questions -----------------------------------------------------------------------------------------------

RQS = {"name": "Test questions", "questions": [
    {"id": "RQ1", "question": "How do agencies work together?", "codes": ["M3"]},
    {"id": "RQ2", "question": "What lasts?", "codes": ["O4", "C1"]},
]}


def test_by_research_question(study):
    t = theme_summary(study, by="rq", rq=RQS, n_quotes=2)
    rq1 = t.table[t.table["group_id"] == "RQ1"]
    assert rq1["code_id"].tolist() == ["M3.1", "M3.2", "M3.3", "M3.4"]  # a construct stands for its codes
    assert t.table[t.table["group_id"] == "RQ2"]["code_id"].tolist() == ["C1", "O4"]
    assert (t.table["group_id"] == "unlinked").sum() == 24 - 6
    assert rq1.set_index("code_id").loc["M3.3", "n_segments"] == 2


def test_research_question_problems_listed_together():
    bad = {"questions": [{"id": "RQ1", "question": "A?", "codes": ["M3"]},
                         {"id": "RQ1", "question": "", "codes": ["M9", "mechanism"]}]}
    with pytest.raises(ResearchQuestionsError) as info:
        load_research_questions(bad, codebook=nc.load_codebook())
    assert info.value.problems == [
        "questions[1].id: 'RQ1' already used by questions[0]",
        "questions[1].question: missing",
        "questions[1].codes[0]: 'M9' is not a code, construct or domain of the codebook",
    ]


def test_research_question_unknown_keys_suggest_the_key_meant():
    bad = {"name": "Q", "verison": "1", "questions": [{"id": "RQ1", "question": "A?", "cods": ["M3"]}]}
    with pytest.raises(ResearchQuestionsError) as info:
        load_research_questions(bad)
    assert info.value.problems == [
        "verison: unknown key (did you mean 'version'?)",
        "questions[0].cods: unknown key in question 'RQ1' (did you mean 'codes'?)",
        "questions[0].codes: must be a non-empty list of codes, constructs or domains",
    ]


def test_research_questions_file_problems_name_the_file(tmp_path):
    path = tmp_path / "rq.yaml"
    path.write_text("questions:\n  - {id: RQ1, codes: [M3\n", encoding="utf-8")
    with pytest.raises(ResearchQuestionsError, match=r"(?s)rq\.yaml.*line \d+, column \d+: not valid YAML"):
        load_research_questions(path)
    path.write_bytes("questions: [{id: RQ1, question: Caf\xe9?, codes: [M3]}]\n".encode("latin-1"))
    with pytest.raises(ResearchQuestionsError, match="not UTF-8 text"):
        load_research_questions(path)
    with pytest.raises(ResearchQuestionsError, match="^no research questions at "):
        load_research_questions(tmp_path / "missing.yaml")


def test_demo_research_questions_file_is_valid(demo_dir):
    cb = nc.load_codebook(demo_dir / "inductive_codes.yaml")
    rqs = load_research_questions(demo_dir / "research_questions.yaml", codebook=cb)
    assert [q.rq_id for q in rqs] == ["RQ1", "RQ2", "RQ3", "RQ4", "RQ5"]
    codes = rqs.codes(cb)
    assert "IND-CONSENT" in codes["RQ2"] and codes["RQ4"] == ["M4.1", "M4.2", "M4.3", "M4.4"]
    assert set(cb.ids) <= set().union(*codes.values())  # every code serves a question


# -- framework matrix -------------------------------------------------------------------------------------------------

def test_framework_matrix_excerpts(study):
    found = framework_matrix(study)
    m = found.table
    assert m["participant"].tolist() == ["P01", "P04", "P05", "P09"]  # every case, coded or not
    assert list(found.leading) == ["participant", "transcript_id", "site", "role", "method"]
    cell = m.set_index("participant").at["P04", "M3.3 Relational integration"]
    assert cell == "Trust is better than it was. We know each other by name now. [S2_FG01 t0005]"
    assert m.set_index("participant").loc["P09"].iloc[5:].eq("").all()


def test_framework_matrix_counts_by_construct(study):
    found = framework_matrix(study, columns="construct", cell="count", rows="transcript")
    m = found.table.set_index("transcript_id")
    assert m.at["S2_FG01", "M3 Collective action"] == 2 and m.at["S2_FG01", "O4 Sustainment"] == 2
    assert m.at["S3_P09", "C1 Strategic intentions"] == 0
    assert found.domains["M3 Collective action"] == "mechanism"


def test_matrix_workbook_one_sheet_per_domain(study, tmp_path):
    path = tmp_path / "matrix.xlsx"
    matrix_to_xlsx(framework_matrix(study)).save(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Context", "Mechanism", "Outcome", "About"]
    ws = wb["Mechanism"]
    assert [c.value for c in ws[1]][:6] == ["Participant", "Transcript", "Site", "Role", "Method",
                                            "M1.1 Differentiation"]
    assert ws.freeze_panes == "F2"
    header = [c.value for c in ws[1]]
    col = header.index("M3.3 Relational integration") + 1
    cell = ws.cell(3, col)  # P04's row
    assert cell.value.startswith("Trust is better than it was.") and cell.alignment.wrap_text


# -- co-occurrence ----------------------------------------------------------------------------------------------------

def test_cooccurrence_on_the_same_segment(study):
    c = cooccurrence(study).table.set_index(["code_a", "code_b"])
    assert c.at[("M3.1", "O4"), "n_segments"] == 1 and c.at[("O4", "M3.1"), "n_segments"] == 1
    assert c.at[("O4", "O4"), "n_segments"] == 2 and c.at[("C1", "O4"), "n_segments"] == 0
    assert c.at[("M3.1", "O4"), "jaccard"] == pytest.approx(1 / 2)


def test_cmo_links_within_transcripts(study):
    links = cmo_links(study).table
    got = {(r.stage, r.source, r.target): (r.n, r.units) for r in links.itertuples()}
    assert got == {("C→M", "C1", "M3"): (1, "S1_P01"), ("M→O", "M3", "O4"): (1, "S2_FG01")}
    by_code = cmo_links(study, level="code", within="segment").table
    assert by_code[["source", "target", "n"]].values.tolist() == [["M3.1", "O4", 1]]


# -- renderers --------------------------------------------------------------------------------------------------------

def test_word_headings_block_quotes_and_header_rows(summary, tmp_path):
    path = tmp_path / "themes.docx"
    themes_to_docx(summary).save(path)
    doc = Document(str(path))
    paras = doc.paragraphs
    heads = [(p.style.name, p.text) for p in paras if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Mechanism") in heads and ("Heading 2", "M3 Collective action") in heads
    assert ("Heading 3", "M3.3 Relational integration") in heads
    start = next(i for i, p in enumerate(paras) if p.text == "M3.3 Relational integration")
    end = next(i for i, p in enumerate(paras) if i > start and p.style.name.startswith("Heading"))
    quotes = [p for p in paras[start:end] if p.style.name == "Block Quote"]
    assert len(quotes) == 2
    assert quotes[0].text == f"“{TRUST}” (S1, P01)"
    assert quotes[0].paragraph_format.left_indent is None  # the indent lives in the style
    assert doc.styles["Block Quote"].paragraph_format.left_indent > 0
    absent = next(i for i, p in enumerate(paras) if p.text == "M1.1 Differentiation")
    assert paras[absent + 1].text == "No coded material: no paragraph was coded M1.1."
    table = doc.tables[0]
    assert table.rows[0].cells[0].text == "Code"
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_workbook_typed_cells(summary, tmp_path):
    path = tmp_path / "themes.xlsx"
    themes_to_xlsx(summary).save(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Quotes", "Basis", "About"]
    ws = wb["Summary"]
    header = [c.value for c in ws[1]]
    codes = [r[header.index("Code")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(codes) == len(set(codes)) == 24  # each code once, so a count column adds up over codes
    rows = {r[header.index("Code")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["M3.3"][header.index("Coded paragraphs")] == 2
    assert isinstance(rows["M3.3"][header.index("Site S1 (paragraphs)")], int)
    quotes = list(wb["Quotes"].iter_rows(min_row=2, values_only=True))
    assert ("M3.3", 1, TRUST, "(S1, P01)") in [q[:4] for q in quotes]


def test_html_is_offline_with_contents(summary):
    import plotly.graph_objects as go

    figs = [("One", go.Figure(go.Bar(x=[1], y=[2]))), ("Two", go.Figure(go.Bar(x=[1], y=[3])))]
    page = themes_to_html(summary, figures=figs)
    assert page.count("plotly.js v") == 1  # plotly.js embedded once
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=['\"]?http", page)  # nothing fetched
    assert "<nav aria-label=" in page and "href='#mechanism-m3-3'" in page
    assert "<figcaption><strong>Figure 2.</strong> Two.</figcaption>" in page  # numbered, from the caption
    assert "<footer>(S2, P04)</footer>" in page and "Trust is better than it was." in page
    assert "No coded material: no paragraph was coded M1.1." in page


def test_markdown_quotes(summary):
    md = themes_to_markdown(summary)
    assert f"> “{TRUST}”\n>\n> — (S1, P01)" in md
    assert "#### M3.3 Relational integration" in md and "### O4 Sustainment" in md
    assert re.search(r"\| M3\.3 Relational integration \| Mechanism \| 2 \| 2 \| 2 \| 1 \| 1 \| 0 \|", md)


# -- the demo study ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(demo_run):
    return demo_run.project


def test_demo_quotes_cover_sites_and_stay_short(demo):
    t = theme_summary(demo)
    q = t.quotes
    assert q.groupby("code_id").size().max() == 3
    present = t.table[t.table["primary"] & (t.table["n_attribute_values"] >= 3)]["code_id"]
    cand = material(demo).candidates()
    for code_id in present:  # material in every site: the three quotes come from three sites, unless a site's
        quoted = set(t.quotes_for(code_id)["site"])  # only passages open the interview or are quoted elsewhere
        if len(quoted) == 3:
            continue
        for r in cand[(cand["code_id"] == code_id) & ~cand["site"].isin(quoted)].itertuples():
            elsewhere = q[(q["transcript_id"] == r.transcript_id) & (q["start"] < r.end) & (q["end"] > r.start)
                          & (q["code_id"] != code_id)]
            assert r.opening or len(elsewhere), (code_id, r.site)
    assert sum(t.quotes_for(c)["site"].nunique() == 3 for c in present) >= 0.8 * len(present)
    assert not q["text"].duplicated().any()  # no passage quoted under two codes
    assert (q["text"].str.len() <= 400).all()
    assert not q["text"].str.contains(r"\[ …|^\w+\]").any()  # no stray bracket from "[laughs]"
    assert q["attribution"].str.fullmatch(r"\(S[123], P\d\d\)").all()


def test_demo_by_research_question(demo, demo_dir):
    t = theme_summary(demo, by="rq", rq=demo_dir / "research_questions.yaml")
    assert list(pd.unique(t.table["group_id"])) == ["RQ1", "RQ2", "RQ3", "RQ4", "RQ5"]
    doc = themes_to_docx(t)
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads[1].startswith("RQ1: What is the front door meant to achieve")


# -- names before 0.2 -------------------------------------------------------------------------------------------------

def test_themes_is_the_package_and_the_old_function_forms_warn(study):
    import importlib

    import npt_coder.themes as package

    assert package is importlib.import_module("npt_coder.themes") is nc.themes
    assert nc.theme_summary is package.theme_summary is theme_summary
    with pytest.warns(DeprecationWarning, match=r"npt_coder\.theme_summary"):
        old = nc.themes(study, n_quotes=0)  # the package, callable as the function it used to be
    assert old.table.equals(theme_summary(study, n_quotes=0).table)
    with pytest.warns(DeprecationWarning, match=r"npt_coder\.themes\.themes is deprecated"):
        assert package.themes is theme_summary
    with pytest.warns(DeprecationWarning, match="theme_summary"):
        from npt_coder.themes import themes  # noqa: F401
    with pytest.raises(AttributeError):
        package.summary  # noqa: B018


def test_results_carry_their_metadata_as_fields_not_attrs(study, summary):
    import dataclasses

    assert summary.spread_columns == ("site=S1", "site=S2", "site=S3") and not summary.table.attrs
    assert summary.totals.n_transcripts_total == len(study.transcripts)
    found = cooccurrence(study)  # the same coded paragraphs as the summary counts
    assert (found.unit, found.n_segments) == ("paragraph", summary.totals.n_segments) and not found.table.attrs
    links = cmo_links(study, within="turn")
    assert (links.level, links.within, links.nodes[0]) == ("construct", "turn", "C1") and not links.table.attrs
    matrix = framework_matrix(study, cell="count")
    assert (matrix.row_kind, matrix.column_kind, matrix.cell) == ("participant", "code", "count")
    for result in (summary, summary.totals, found, links, matrix):
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.unit = "turn"


# -- quotes around the coded span ---------------------------------------------------------------------------------

def test_a_quote_is_cut_around_a_coded_phrase_not_from_the_paragraph_start():
    intro = "I have been a social worker here for six years and before that I was in a locality team. "
    coded = "We now ring the family ourselves before anything is decided."
    text = intro + "The work changed a lot when the hub opened. " + coded + " It takes longer but it is fairer."
    start = text.index(coded)
    quote, s, e, trimmed = window_quote(text, max_chars=120, focus=(start, start + len(coded)))
    assert coded in quote and quote.startswith("… ") and trimmed
    assert text[s:e].strip().startswith("The work changed") or text[s:e].startswith(coded)
    assert "social worker here" not in quote


def test_a_long_coded_paragraph_is_quoted_where_its_code_speaks():
    text = ("Yes, so I am one of the coordinators. I came from a family support job years ago. "
            "What matters is that consent is asked for properly. Parents refused consent twice last month. "
            "Then we had to stop.")
    quote = window_quote(text, max_chars=110, focus=(0, len(text)), keywords=["consent"])[0]
    assert "consent" in quote and "coordinators" not in quote
