"""Charts of coded themes, each a plotly Figure: code frequency, code x attribute heatmap, sunburst, co-occurrence
heatmap and a Context -> Mechanism -> Outcome Sankey.

They take what :mod:`npt_coder.themes` returns (a :class:`~npt_coder.themes.Themes`, a
:class:`~npt_coder.themes.Cooccurrence`, a :class:`~npt_coder.themes.CmoLinks`; a bare ``.table`` is drawn too, with
the totals it cannot carry left out of the title), never the project. Every chart colours
codes by CMO domain with :data:`DOMAIN_COLOURS` (inductive codes take the colour of the domain they map to, and are
hatched where bars are drawn), labels codes ``"M3.3 Relational integration"`` and says in its title what is counted
and how many.
"""

from __future__ import annotations

import dataclasses
import html
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..errors import RenderError
from ._colour import rgba, shade, tint
from ._style import DOMAIN_COLOURS, DOMAIN_NAMES, UNMAPPED_COLOUR

__all__ = [
    "cmo_sankey_figure",
    "code_frequency_figure",
    "code_heatmap_figure",
    "code_sunburst_figure",
    "cooccurrence_figure",
]

_MEASURES = {"n_segments": "coded {unit}s", "n_transcripts": "transcripts", "n_participants": "participants"}
_DOMAIN_NAMES = {**DOMAIN_NAMES, "": "Not mapped"}
_FONT = dict(family="Arial, Helvetica, sans-serif", size=12)


def _table(themes_or_table) -> pd.DataFrame:
    table = getattr(themes_or_table, "table", themes_or_table)
    if not isinstance(table, pd.DataFrame) or "code_id" not in table.columns:
        raise TypeError("pass a Themes object (npt_coder.theme_summary) or its .table")
    return table


def _meta(result, name: str, default):
    """What a themes result says about its table (``default`` for a bare table, which cannot say it)."""
    return default if isinstance(result, pd.DataFrame) else getattr(result, name, default)


def _totals(themes) -> dict:
    """A summary's totals by name (none for a bare table)."""
    totals = _meta(themes, "totals", None)
    return dataclasses.asdict(totals) if dataclasses.is_dataclass(totals) else {}


def _codes(table: pd.DataFrame) -> pd.DataFrame:
    """One row per code (its primary row), in table order."""
    rows = table[table["primary"]] if "primary" in table.columns else table
    return rows.drop_duplicates("code_id").reset_index(drop=True)


def _colour(domain: str) -> str:
    return DOMAIN_COLOURS.get(str(domain), UNMAPPED_COLOUR)


def _coloured(label: str, domain: str) -> str:
    return f"<span style='color:{shade(_colour(domain))}'>{html.escape(label)}</span>"


def _unit(result) -> str:
    return str(_meta(result, "unit", "segment"))


def _plural(word: str, n: int) -> str:
    return word if n == 1 or word.endswith("s") else f"{word}s"


def _two_lines(title: str) -> str:
    """``"What: how many"`` as a title line and a smaller subtitle line, so long titles never run off the chart."""
    head, _, rest = title.partition(": ")
    return f"{head}<br><sup>{html.escape(rest)}</sup>" if rest else title


def _layout(fig: go.Figure, title: str, height: int, **kw) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0.01, xanchor="left", font=dict(size=15)), template="plotly_white",
                      height=height, font=_FONT, **kw)
    return fig


def code_frequency_figure(themes, *, measure: str = "n_segments", title: str | None = None) -> go.Figure:
    """Horizontal bars, one per code in codebook order, coloured by CMO domain; absent codes show ``0``.

    Parameters
    ----------
    themes : Themes or its ``table``
    measure : {"n_segments", "n_transcripts", "n_participants"}, default "n_segments"
    title : str, optional
        Default: what is counted and how many, e.g. "Coded paragraphs per code, by CMO domain: 136 paragraphs in
        6 transcripts; 27 of 28 codes have material".
    """
    table = _table(themes)
    if measure not in _MEASURES:
        raise RenderError(f"measure must be one of {', '.join(map(repr, _MEASURES))}; got {measure!r}")
    codes = _codes(table)
    unit = _unit(themes)
    what = _MEASURES[measure].format(unit=unit)
    fig = go.Figure()
    for domain in pd.unique(codes["domain"]):
        sub = codes[codes["domain"] == domain]
        values = sub[measure].astype(int)
        fig.add_trace(go.Bar(
            y=sub["label"], x=values, orientation="h", name=_DOMAIN_NAMES.get(domain, str(domain).title()),
            marker=dict(color=_colour(domain), line=dict(color=_colour(domain), width=1),
                        pattern=dict(shape=["/" if k == "inductive" else "" for k in sub["kind"]],
                                     fgcolor="white", size=6)),
            text=[f"{v}" if v else "0 (none)" for v in values], textposition="outside", cliponaxis=False,
            customdata=np.stack([sub["n_segments"], sub["n_transcripts"], sub["n_participants"]], axis=1),
            hovertemplate=("%{y}<br>%{customdata[0]} coded " + unit + "s, %{customdata[1]} transcripts, "
                           "%{customdata[2]} participants<extra></extra>"),
        ))
    a = _totals(themes)
    n_present = int((codes["n_segments"] > 0).sum())
    n_seg = a.get("n_segments", int(codes["n_segments"].sum()))
    default = (f"{what[0].upper()}{what[1:]} per code, by CMO domain: {n_seg}"
               f" coded {unit}s in {a.get('n_transcripts', '?')} transcripts; {n_present} of {len(codes)} codes have "
               "material")
    if (codes["kind"] == "inductive").any():
        default += "; hatched: inductive codes"
    _layout(fig, title or _two_lines(default), height=max(320, 24 * len(codes) + 150),
            yaxis=dict(categoryorder="array", categoryarray=list(codes["label"]), autorange="reversed",
                       tickmode="array", tickvals=list(codes["label"]),
                       ticktext=[_coloured(lab, d) for lab, d in zip(codes["label"], codes["domain"])]),
            xaxis=dict(title=what, rangemode="tozero"), barmode="overlay", bargap=0.25,
            legend=dict(title="CMO domain", orientation="h", y=1.0, yanchor="bottom", x=1, xanchor="right"),
            margin=dict(l=10, r=60, t=90, b=50))
    return fig


def _spread_columns(themes, table: pd.DataFrame) -> list[str]:
    cols = _meta(themes, "spread_columns", None)
    if cols:
        return list(cols)
    return [c for c in table.columns if "=" in str(c)]


def code_heatmap_figure(themes, *, title: str | None = None, show_absent: bool = True) -> go.Figure:
    """Heatmap of coded segments per code (rows, coloured labels) and attribute value (columns: site, role, ...).

    The attribute is the one the summary was made with (``theme_summary(project, attribute="role")`` for roles).
    """
    table = _table(themes)
    codes = _codes(table)
    if not show_absent:
        codes = codes[codes["n_segments"] > 0]
    cols = _spread_columns(themes, table)
    if not cols:
        raise RenderError("the table has no spread columns (make it with theme_summary(project, attribute=...))")
    attribute = str(_meta(themes, "attribute", None) or cols[0].split("=", 1)[0])
    values = [c.split("=", 1)[1] for c in cols]
    z = codes[cols].to_numpy(dtype=float)
    unit = _unit(themes)
    fig = go.Figure(go.Heatmap(
        z=z, x=values, y=list(codes["label"]), colorscale="Blues", zmin=0, xgap=2, ygap=2,
        text=z.astype(int).astype(str), texttemplate="%{text}", textfont=dict(size=11),
        colorbar=dict(title=f"coded<br>{unit}s", thickness=14),
        hovertemplate="%{y}<br>" + attribute + " %{x}: %{z} coded " + unit + "s<extra></extra>",
    ))
    n_vals = len(values)
    default = (f"Coded {unit}s per code and {attribute}: {len(codes)} codes × {n_vals} {_plural(attribute, n_vals)}, "
               f"{_totals(themes).get('n_segments', int(codes['n_segments'].sum()))} coded {unit}s")
    _layout(fig, title or _two_lines(default), height=max(320, 22 * len(codes) + 160),
            yaxis=dict(autorange="reversed", tickmode="array", tickvals=list(codes["label"]),
                       ticktext=[_coloured(lab, d) for lab, d in zip(codes["label"], codes["domain"])]),
            xaxis=dict(title=attribute, side="top", type="category"), margin=dict(l=10, r=10, t=110, b=20))
    return fig


def code_sunburst_figure(themes, *, measure: str = "n_segments", title: str | None = None) -> go.Figure:
    """Sunburst domain -> construct -> code, sized by ``measure``; inductive codes sit under what they map to
    first. Codes with no material take no space (the title says how many there are)."""
    table = _table(themes)
    if measure not in _MEASURES:
        raise RenderError(f"measure must be one of {', '.join(map(repr, _MEASURES))}; got {measure!r}")
    codes = _codes(table)
    unit = _unit(themes)
    ids, labels, parents, values, colours, hover = [], [], [], [], [], []

    def add(node_id, label, parent, value, colour, text):
        ids.append(node_id)
        labels.append(label)
        parents.append(parent)
        values.append(value)
        colours.append(colour)
        hover.append(text)

    for domain in pd.unique(codes["domain"]):
        sub = codes[codes["domain"] == domain]
        col = _colour(domain)
        d_total = int(sub[measure].sum())
        add(f"d:{domain}", _DOMAIN_NAMES.get(domain, str(domain).title()), "", d_total, col,
            f"{d_total}")
        for con in pd.unique(sub["construct_id"]):
            csub = sub[sub["construct_id"] == con]
            if con:
                name = csub["construct"].iloc[0]
                single = len(csub[csub["kind"] == "deductive"]) == 1 and csub["code_id"].iloc[0] == con
                c_total = int(csub[measure].sum())
                add(f"c:{con}", f"{con} {name}", f"d:{domain}", c_total, tint(col, 0.3), f"{c_total}")
                parent = f"c:{con}"
            else:
                single, parent = False, f"d:{domain}"
            for r in csub.itertuples(index=False):
                v = int(getattr(r, measure))
                if single and r.code_id == con:
                    continue  # C1..C4 and O1..O4: the construct is the code
                add(f"k:{r.code_id}", r.label, parent, v, tint(col, 0.55 if r.kind == "deductive" else 0.75),
                    f"{v}")
    fig = go.Figure(go.Sunburst(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker=dict(colors=colours, line=dict(color="white", width=1)), insidetextorientation="radial",
        customdata=hover, hovertemplate="%{label}<br>%{customdata} " + _MEASURES[measure].format(unit=unit)
        + "<extra></extra>", sort=False,
    ))
    n_present = int((codes[measure] > 0).sum())
    what = _MEASURES[measure].format(unit=unit)
    default = (f"{what[0].upper()}{what[1:]} by CMO domain, construct and code: "
               f"{_totals(themes).get('n_segments', int(codes['n_segments'].sum()))} coded {unit}s; {n_present} of "
               f"{len(codes)} codes have material")
    _layout(fig, title or _two_lines(default), height=720, margin=dict(l=10, r=10, t=70, b=10))
    return fig


def cooccurrence_figure(found, *, value: str = "n_segments", title: str | None = None) -> go.Figure:
    """Heatmap of how often two codes were applied to the same segment (what :func:`npt_coder.themes.cooccurrence`
    returns, or its table); the diagonal (a code with itself) is left blank."""
    if value not in ("n_segments", "jaccard"):
        raise RenderError(f"value must be 'n_segments' or 'jaccard'; got {value!r}")
    cooc = getattr(found, "table", found)
    labels = list(pd.unique(cooc["label_a"]))
    domains = dict(zip(cooc["label_a"], cooc["domain_a"]))
    square = cooc.pivot(index="label_a", columns="label_b", values=value).reindex(index=labels, columns=labels)
    z = square.to_numpy(dtype=float, copy=True)  # our own copy: a frame's array is read-only under copy-on-write
    np.fill_diagonal(z, np.nan)
    unit = _unit(found)

    def label(v: float) -> str:
        if np.isnan(v) or v == 0:
            return ""
        return f"{v:.2f}" if value == "jaccard" else f"{int(v)}"

    # a plain loop, not np.vectorize, so a project with nothing coded yet (0 x 0) still draws
    text = np.array([label(v) for v in z.ravel()], dtype=object).reshape(z.shape)
    ticks = [_coloured(lab, domains.get(lab, "")) for lab in labels]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=labels, colorscale="Oranges", zmin=0, xgap=1, ygap=1, text=text, texttemplate="%{text}",
        textfont=dict(size=9), colorbar=dict(title="same<br>" + unit if value == "n_segments" else "Jaccard",
                                             thickness=14),
        hovertemplate="%{y}<br>%{x}<br>%{z} " + (f"{unit}s" if value == "n_segments" else "(Jaccard)")
        + "<extra></extra>",
    ))
    off = cooc[(cooc["code_a"] < cooc["code_b"]) & (cooc["n_segments"] > 0)]
    default = (f"Codes applied to the same {unit}: {len(off)} pairs of {len(labels)} codes co-occur, over "
               f"{_meta(found, 'n_segments', '?')} coded {unit}s")
    size = max(520, 20 * len(labels) + 300)
    _layout(fig, title or _two_lines(default), height=size,
            xaxis=dict(tickangle=-55, tickmode="array", tickvals=labels, ticktext=ticks, side="bottom"),
            yaxis=dict(autorange="reversed", tickmode="array", tickvals=labels, ticktext=ticks),
            margin=dict(l=10, r=10, t=70, b=10))
    return fig


def cmo_sankey_figure(found, *, title: str | None = None) -> go.Figure:
    """Sankey of Context -> Mechanism -> Outcome co-occurrence (what :func:`npt_coder.themes.cmo_links` returns, or
    its table): contexts on the left, mechanisms in the middle, outcomes on the right, link width = units in which
    both ends were coded, link colour = the colour of its source's domain."""
    column = {"context": 0, "mechanism": 1, "outcome": 2}
    links = getattr(found, "table", found)
    nodes: dict[str, tuple[str, str]] = {}
    for r in links.itertuples(index=False):
        nodes.setdefault(r.source, (r.source_label, r.source_domain))
        nodes.setdefault(r.target, (r.target_label, r.target_domain))
    known = list(_meta(found, "nodes", ())) or sorted(nodes, key=_natural)
    rank = {k: i for i, k in enumerate(known)}
    order = sorted(nodes, key=lambda k: (column.get(nodes[k][1], 3), rank.get(k, len(rank)), _natural(k)))
    index = {k: i for i, k in enumerate(order)}
    flow_in = links.groupby("target")["n"].sum()
    flow_out = links.groupby("source")["n"].sum()
    value = {k: max(float(flow_in.get(k, 0)), float(flow_out.get(k, 0))) for k in order}
    # with fixed positions plotly draws a node value * ky pixels high, ky = plot height / the fullest column's total,
    # so the fullest column fills the height; node centres are placed to match, each column centred vertically,
    # and white node borders keep neighbouring nodes apart
    height, top, bottom, pad = 560, 70, 20, 10
    plot_h = height - top - bottom
    cols = [[k for k in order if column.get(nodes[k][1], 3) == c] for c in range(3)]
    ky = plot_h / max(max(sum(value[k] for k in m) for m in cols if m) if any(cols) else 1.0, 1e-9)
    xs, ys = [], []
    for c, members in enumerate(cols):
        y = (plot_h - ky * sum(value[k] for k in members)) / 2
        for k in members:
            h = value[k] * ky
            xs.append(0.001 + 0.4985 * c)
            ys.append(min(max((y + h / 2) / plot_h, 0.001), 0.999))
            y += h
    within = str(_meta(found, "within", "transcript"))
    fig = go.Figure(go.Sankey(
        arrangement="fixed",
        node=dict(label=[nodes[k][0] for k in order], color=[_colour(nodes[k][1]) for k in order], pad=pad,
                  thickness=18, x=xs, y=ys, line=dict(color="white", width=3),
                  hovertemplate="%{label}<extra></extra>"),
        link=dict(source=[index[s] for s in links["source"]], target=[index[t] for t in links["target"]],
                  value=links["n"].astype(float), color=[rgba(_colour(d), 0.35) for d in links["source_domain"]],
                  customdata=links["units"] if "units" in links.columns else None,
                  hovertemplate="%{source.label} → %{target.label}<br>%{value} " + within + "s<extra></extra>"),
    ))
    n_cm = int((links["stage"] == "C→M").sum())
    n_mo = int((links["stage"] == "M→O").sum())
    n_units = _meta(found, "n_units", "?")
    level = str(_meta(found, "level", "construct"))
    default = (f"Context → Mechanism → Outcome: {level}s coded in the same {within}; {n_cm} C→M and {n_mo} M→O "
               f"links over {n_units} {_plural(within, 2)} with coded material")
    _layout(fig, title or _two_lines(default), height=height, margin=dict(l=10, r=10, t=top, b=bottom))
    return fig


def _natural(key: str) -> tuple:
    """Sort key putting C2 before C10 and codes before inductive codes."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", str(key)))
