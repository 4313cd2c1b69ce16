"""Theme charts: trace values, domain colours, labels and titles, from tables shaped as npt_coder.themes returns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from npt_coder.render._charts import (
    cmo_sankey_figure,
    code_frequency_figure,
    code_heatmap_figure,
    code_sunburst_figure,
    cooccurrence_figure,
)
from npt_coder.render._style import DOMAIN_COLOURS
from npt_coder.themes import CmoLinks, Cooccurrence, Themes, ThemeTotals

CODES = [  # code_id, name, domain, construct_id, construct, kind, primary, segments, transcripts, participants, S1, S2
    ("C1", "Strategic intentions", "context", "C1", "Strategic intentions", "deductive", True, 3, 2, 2, 2, 1),
    ("IND-IT", "IT systems", "context", "C3", "Negotiating capacity", "inductive", True, 2, 1, 1, 0, 2),
    ("M3.3", "Relational integration", "mechanism", "M3", "Collective action", "deductive", True, 5, 2, 3, 4, 1),
    ("M3.4", "Contextual integration", "mechanism", "M3", "Collective action", "deductive", True, 0, 0, 0, 0, 0),
    ("IND-IT", "IT systems", "mechanism", "M3", "Collective action", "inductive", False, 2, 1, 1, 0, 2),
    ("O4", "Sustainment", "outcome", "O4", "Sustainment", "deductive", True, 1, 1, 1, 1, 0),
]


@pytest.fixture
def table():
    df = pd.DataFrame(CODES, columns=["code_id", "name", "domain", "construct_id", "construct", "kind", "primary",
                                      "n_segments", "n_transcripts", "n_participants", "site=S1", "site=S2"])
    df["label"] = df["code_id"] + " " + df["name"]
    return Themes(table=df, quotes=pd.DataFrame(), basis=pd.DataFrame(), attribute="site",
                  by=("domain", "construct", "code"), unit="paragraph", include_interviewer=False, codebook="test",
                  spread_columns=("site=S1", "site=S2"), totals=ThemeTotals(n_segments=9, n_transcripts=2))


def test_frequency_bars_per_domain_with_absent_codes(table):
    fig = code_frequency_figure(table)
    assert [t.name for t in fig.data] == ["Context", "Mechanism", "Outcome"]
    mech = fig.data[1]
    assert list(mech.y) == ["M3.3 Relational integration", "M3.4 Contextual integration"]
    assert list(mech.x) == [5, 0] and list(mech.text) == ["5", "0 (none)"]  # an absent code is shown, as 0
    assert mech.marker.color == DOMAIN_COLOURS["mechanism"]
    assert list(fig.data[0].marker.pattern.shape) == ["", "/"]  # the inductive code is hatched
    assert "IND-IT IT systems" in fig.data[0].y and list(fig.data[0].y).count("IND-IT IT systems") == 1
    assert fig.layout.title.text.startswith("Coded paragraphs per code, by CMO domain<br><sup>9 coded paragraphs in 2 "
                                            "transcripts; 4 of 5 codes have material")
    assert list(code_frequency_figure(table, measure="n_participants").data[1].x) == [3, 0]


def test_heatmap_code_by_site(table):
    fig = code_heatmap_figure(table)
    hm = fig.data[0]
    assert list(hm.x) == ["S1", "S2"]
    assert hm.y[2] == "M3.3 Relational integration" and list(hm.z[2]) == [4, 1]
    assert "5 codes × 2 sites" in fig.layout.title.text
    assert DOMAIN_COLOURS["context"] not in fig.layout.yaxis.ticktext[3]  # labels are coloured by domain, darker
    assert "style='color:#" in fig.layout.yaxis.ticktext[3]


def test_sunburst_hierarchy_and_values(table):
    sb = code_sunburst_figure(table).data[0]
    nodes = dict(zip(sb.ids, zip(sb.parents, sb.values)))
    assert nodes["d:mechanism"] == ("", 5) and nodes["c:M3"] == ("d:mechanism", 5)
    assert nodes["k:M3.3"] == ("c:M3", 5)
    assert "k:C1" not in nodes and nodes["c:C1"] == ("d:context", 3)  # C1 is a construct of one code
    assert nodes["k:IND-IT"] == ("c:C3", 2)  # inductive code under its first target only
    assert sb.marker.colors[list(sb.ids).index("d:outcome")] == DOMAIN_COLOURS["outcome"]


def test_cooccurrence_heatmap_is_symmetric_without_diagonal():
    labels = ["C1 Strategic intentions", "M3.3 Relational integration", "O4 Sustainment"]
    ids = ["C1", "M3.3", "O4"]
    dom = ["context", "mechanism", "outcome"]
    co = np.array([[3, 2, 0], [2, 5, 1], [0, 1, 1]])
    rows = [(ids[i], ids[j], labels[i], labels[j], dom[i], dom[j], co[i, j], co[i, i], co[j, j], 0.0)
            for i in range(3) for j in range(3)]
    cooc = Cooccurrence(table=pd.DataFrame(rows, columns=["code_a", "code_b", "label_a", "label_b", "domain_a",
                                                          "domain_b", "n_segments", "n_a", "n_b", "jaccard"]),
                        unit="paragraph", n_segments=7, n_codes=3)
    fig = cooccurrence_figure(cooc)
    z = np.array(fig.data[0].z, dtype=float)
    assert np.isnan(np.diag(z)).all() and z[0, 1] == z[1, 0] == 2 and z[1, 2] == 1
    assert fig.layout.title.text == ("Codes applied to the same paragraph<br><sup>2 pairs of 3 codes co-occur, over 7 "
                                     "coded paragraphs</sup>")


def test_sankey_columns_and_link_values():
    links = pd.DataFrame([
        ("C→M", "C3", "M3", "C3 Negotiating capacity", "M3 Collective action", "context", "mechanism", 4, "a; b"),
        ("C→M", "C1", "M1", "C1 Strategic intentions", "M1 Coherence building", "context", "mechanism", 1, "a"),
        ("M→O", "M3", "O2", "M3 Collective action", "O2 Relational restructuring", "mechanism", "outcome", 3, "a"),
        ("M→O", "M3", "O1", "M3 Collective action", "O1 Intervention performance", "mechanism", "outcome", 2, "b"),
    ], columns=["stage", "source", "target", "source_label", "target_label", "source_domain", "target_domain", "n",
                "units"])
    links = CmoLinks(table=links, level="construct", within="transcript", unit="paragraph", n_units=2,
                     nodes=("C1", "C3", "M1", "M3", "O1", "O2"))
    fig = cmo_sankey_figure(links)
    s = fig.data[0]
    labels = list(s.node.label)
    assert labels == ["C1 Strategic intentions", "C3 Negotiating capacity", "M1 Coherence building",
                      "M3 Collective action", "O1 Intervention performance", "O2 Relational restructuring"]
    assert list(s.node.x) == pytest.approx([0.001, 0.001, 0.4995, 0.4995, 0.998, 0.998])  # three columns
    pairs = {(labels[a], labels[b]): v for a, b, v in zip(s.link.source, s.link.target, s.link.value)}
    assert pairs[("C3 Negotiating capacity", "M3 Collective action")] == 4
    assert pairs[("M3 Collective action", "O1 Intervention performance")] == 2
    assert s.node.color[0] == DOMAIN_COLOURS["context"] and s.link.color[2].startswith("rgba(230,159,0,")
    assert fig.layout.title.text == ("Context → Mechanism → Outcome<br><sup>constructs coded in the same transcript; "
                                     "2 C→M and 2 M→O links over 2 transcripts with coded material</sup>")


def test_charts_refuse_what_they_cannot_draw(table):
    with pytest.raises(ValueError, match="measure must be one of"):
        code_frequency_figure(table, measure="n_quotes")
    with pytest.raises(TypeError, match="pass a Themes object"):
        code_frequency_figure(pd.DataFrame({"x": [1]}))


def test_charts_of_a_project_with_nothing_coded_yet(tmp_path, demo_dir):
    # a new study: transcripts added, no coding yet; every chart and the report must still be made
    import npt_coder as nc
    from npt_coder.services import add_transcripts

    p = nc.init_project(tmp_path / "s")
    add_transcripts(p, [demo_dir / "S1_P02.txt"], attributes={"site": "S1"}, nlp=None,
                    allow=nc.anon.load_terms(demo_dir / "lists" / "allow.txt"), accept_flagged=True)
    from npt_coder.report import build_report
    from npt_coder.render import cooccurrence_figure, report_to_html

    rep = build_report(p)
    fig = cooccurrence_figure(nc.cooccurrence(p))
    assert fig.data[0].z.shape == (0, 0) or len(fig.data[0].z) == 0
    assert "<html" in report_to_html(rep).lower()
