"""Codebook loading, validation messages (every problem, with its location) and extension files."""

import pytest

import npt_coder as nc
from npt_coder.codebook import DOMAINS, load_codebook
from npt_coder.errors import CodebookError

MECHANISM_SUBCONSTRUCTS = [f"M{i}.{j}" for i in range(1, 5) for j in range(1, 5)]


def test_default_codebook_has_the_24_codes_of_the_design():
    cb = load_codebook()
    assert cb.ids == ["C1", "C2", "C3", "C4", *MECHANISM_SUBCONSTRUCTS, "O1", "O2", "O3", "O4"]
    frame = cb.frame
    assert frame.groupby("domain").size().to_dict() == {"context": 4, "mechanism": 16, "outcome": 4}
    assert set(frame["construct_id"]) == {"C1", "C2", "C3", "C4", "M1", "M2", "M3", "M4", "O1", "O2", "O3", "O4"}
    assert (frame["kind"] == "deductive").all()
    assert frame["definition"].str.len().min() > 40
    for code in cb:
        assert 1 <= len(code.questions) <= 3, code.code_id
    assert cb["M1.1"].name == "Differentiation" and cb["M1.1"].construct == "Coherence building"
    assert cb["O4"].name == "Sustainment" and cb["C4"].name == "Reframing organisational logics"


def test_demo_extension_adds_inductive_codes_mapped_to_npt(demo_dir):
    cb = load_codebook(demo_dir / "inductive_codes.yaml")
    inductive = [c for c in cb if c.kind == "inductive"]
    assert {c.name for c in inductive} == {"Consent", "Early Help integration", "Hybrid working", "IT systems"}
    consent = cb["IND-CONSENT"]
    assert "M2.4" in consent.maps_to
    assert consent.domain == cb[consent.maps_to[0]].domain
    assert [c.code_id for c in cb.inductive_under("M2.4")] == ["IND-CONSENT"]
    assert cb.sources == ["npt_cmo.yaml", "inductive_codes.yaml"]


def test_resolve_by_id_or_name():
    cb = load_codebook()
    assert cb.resolve("m3.3") == "M3.3"
    assert cb.resolve("  Relational   integration ") == "M3.3"
    assert cb.resolve("Trust") is None


def write(tmp_path, text, name="ext.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_with_its_location(tmp_path):
    path = write(tmp_path, """
extends: default
codes:
  - id: M1.1
    name: Duplicate of a default code
    kind: inductive
    maps_to: [M2.4]
  - id: IND-A
    name: Points nowhere
    kind: inductive
    maps_to: [M9.9, outcome]
  - id: IND-B
    name: Wrong kind
    kind: thematic
  - id: IND-C
    name: Deductive without construct
    construct: M7
  - id: IND-D
    kind: inductive
""")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    problems = info.value.problems
    assert any(p.startswith("ext.yaml: codes[0].id: 'M1.1' already used by npt_cmo.yaml: codes[4]") for p in problems)
    assert "ext.yaml: codes[1].maps_to[0]: 'M9.9' names no code, construct or domain" in problems
    assert "ext.yaml: codes[2].kind: 'thematic' is not one of deductive, inductive" in problems
    assert any(p.startswith("ext.yaml: codes[3].construct: 'M7' is not a construct") for p in problems)
    assert "ext.yaml: codes[4].name: missing" in problems
    assert str(info.value).startswith(f"{len(problems)} problem{'' if len(problems) == 1 else 's'} in npt_cmo.yaml + ext.yaml:")


def test_unknown_domain_is_reported(tmp_path):
    path = write(tmp_path, """
name: Tiny
constructs:
  - {id: X1, name: Thing, domain: contexts}
codes:
  - {id: X1, name: Thing, construct: X1}
""")
    with pytest.raises(CodebookError, match=r"constructs\[0\]\.domain: unknown domain 'contexts' \(use context, "
                                            r"mechanism, outcome\)"):
        load_codebook(path)


def test_bad_yaml_gives_line_and_column(tmp_path):
    path = write(tmp_path, "codes:\n  - id: A\n    name: [unclosed\n")
    with pytest.raises(CodebookError, match=r"line \d+, column \d+: not valid YAML"):
        load_codebook(path)


def test_misspelt_key_is_an_error_naming_file_code_and_key(tmp_path):
    # before: `maps-to` was ignored without a word and the code ended up unmapped
    path = write(tmp_path, """
extends: default
codes:
  - id: IND-CONSENT
    name: Consent
    kind: inductive
    maps-to: [M2.4]
""")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.problems == ["ext.yaml: codes[0].maps-to: unknown key in code 'IND-CONSENT' (did you mean "
                                   "'maps_to'?)"]


def test_unknown_keys_at_every_level_are_reported_with_their_location(tmp_path):
    path = write(tmp_path, """
extends: default
naem: Tiny
constructs:
  - {id: X1, name: Thing, domain: context, descripton: typo}
codes:
  - {id: X1, name: Thing, construct: X1, colour: red}
""")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.problems == [
        "ext.yaml: naem: unknown key (did you mean 'name'?)",
        "ext.yaml: constructs[0].descripton: unknown key in construct 'X1' (did you mean 'description'?)",
        "ext.yaml: codes[0].colour: unknown key in code 'X1' (allowed: id, name, kind, construct, maps_to, "
        "questions, keywords, definition)",
    ]  # the misspelt construct is still a construct: its code is not also reported


def test_extension_cycle_is_refused(tmp_path):
    write(tmp_path, "extends: b.yaml\ncodes: []\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\ncodes: []\n", "b.yaml")
    with pytest.raises(CodebookError, match="goes round in a circle"):
        load_codebook(tmp_path / "a.yaml")


def test_round_trip_through_dict_keeps_everything(demo_dir):
    cb = load_codebook(demo_dir / "inductive_codes.yaml")
    again = nc.Codebook.from_dict(cb.to_dict())
    assert again.frame.equals(cb.frame)
    assert again.sha256 == cb.sha256


def test_tree_places_inductive_codes_under_their_targets(demo_dir):
    tree = load_codebook(demo_dir / "inductive_codes.yaml").tree().splitlines()
    assert tree[0] == "Context"
    legit = tree.index("    M2.4 Legitimation")
    assert tree[legit + 1] == "      ↳ IND-CONSENT – Consent (inductive; maps to M2.4, C2, M3.4)"
    assert sum("IND-CONSENT – Consent" in line for line in tree) == 1  # written out once, at its home
    adaptive = tree.index("  C2 Adaptive execution")
    assert tree[adaptive + 1] == "      ↳ see IND-CONSENT under M2.4"  # and pointed to from its other targets
    assert [line for line in tree if not line.startswith(" ")] == [d.title() for d in DOMAINS]


# -- the coder's manual -----------------------------------------------------------------------------------------------

def test_manual_describes_each_inductive_code_once_with_what_it_maps_to(demo_dir):
    from npt_coder.render import codebook_to_docx, codebook_to_markdown, codebook_to_xlsx

    cb = load_codebook(demo_dir / "inductive_codes.yaml")
    definition = cb["IND-EARLYHELP"].definition
    md = codebook_to_markdown(cb)
    assert md.startswith("# NPT/CMO 1.0.0 + Children's Front Door evaluation - inductive codes 1.0.0\n")
    assert "24 NPT codes (16 mechanism subconstructs plus 8 context and outcome constructs) and 4 inductive" in md
    assert md.count(definition) == 1  # once, where it is listed (it maps to four targets)
    assert md.count("See IND-EARLYHELP Early Help integration (inductive), under C4 Reframing organisational "
                    "logics") == 3  # a line under each other target
    assert ("Maps to: C4 Reframing organisational logics; M2.1 Enrolment; M3.4 Contextual integration; O2 "
            "Relational restructuring") in md
    doc = reopened(codebook_to_docx(cb))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs.count(definition) == 1
    assert paragraphs[0].startswith("Coder's manual: NPT/CMO 1.0.0 + ")
    codes = [r[2] for r in codebook_to_xlsx(cb)["Codes"].iter_rows(min_row=2, values_only=True)]
    assert len(codes) == len(set(codes)) == 28


def reopened(doc):
    """A document as a reader opens it: saved and read back."""
    import io

    from docx import Document

    buffer = io.BytesIO()
    doc.save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))
