"""Shaping what the store and services return into what pages and the JSON API show (no rules, no SQL)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..codebook import Code, Codebook
from ..render import DOMAIN_COLOURS
from ..render._colour import text_on

__all__ = ["code_entry", "codebook_payload", "coding_entries", "coding_entry", "plain", "suggestion_entries",
           "turns_payload"]


def plain(value: Any) -> Any:
    """A JSON-ready value: numpy scalars to Python, NaN/None to None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_CODING_KEYS = ("coding_id", "transcript_id", "coder", "code_id", "start", "end", "memo", "source", "imported_at",
                "batch_id")
_INT_KEYS = {"coding_id", "start", "end", "batch_id"}


def _value(key: str, v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return int(v) if key in _INT_KEYS else v


def coding_entry(row: dict) -> dict:
    """One coding as the API gives it."""
    return {k: _value(k, plain(row.get(k))) for k in _CODING_KEYS}


def coding_entries(table: pd.DataFrame) -> list[dict]:
    """Every row of a coding table as :func:`coding_entry` gives it (column-wise: a page can hold thousands)."""
    columns = [table[k].tolist() if k in table.columns else [None] * len(table) for k in _CODING_KEYS]
    return [{k: _value(k, v) for k, v in zip(_CODING_KEYS, row)} for row in zip(*columns)]


_NO_DOMAIN = "#6B6B6B"  # a code without a domain: grey that white text reads on (5.3:1)


def code_entry(code: Code) -> dict:
    """A code as the pages use it; ``ink`` is the text colour that reads on its ``colour`` (4.5:1 or more)."""
    colour = DOMAIN_COLOURS.get(code.domain, _NO_DOMAIN)
    return {"code_id": code.code_id, "name": code.name, "domain": code.domain, "construct_id": code.construct_id,
            "construct": code.construct, "definition": code.definition, "questions": list(code.questions),
            "kind": code.kind, "maps_to": list(code.maps_to), "colour": colour, "ink": text_on(colour)}


def codebook_payload(cb: Codebook) -> dict:
    """The codebook as a tree (domain → construct → code, each inductive code once, under its
    :meth:`~npt_coder.codebook.Codebook.home`, as :meth:`~npt_coder.codebook.Codebook.tree` lays it out) plus
    every code's entry by id."""
    def under(target: str) -> list[str]:
        return [c.code_id for c in cb.inductive_under(target) if cb.home(c) == target]

    domains = []
    for d, cons in cb.hierarchy():
        constructs = []
        for con, codes in cons:
            single = len(codes) == 1 and codes[0].code_id == con["id"]
            constructs.append({
                "id": con["id"], "name": con["name"], "single": single,
                "inductive": [] if single else under(con["id"]),
                "codes": [{"code_id": c.code_id, "inductive": under(c.code_id)} for c in codes],
            })
        domains.append({"id": d["id"], "name": d["name"], "colour": DOMAIN_COLOURS.get(d["id"], _NO_DOMAIN),
                        "inductive": under(d["id"]), "constructs": constructs})
    unmapped = [c.code_id for c in cb.codes if c.kind == "inductive" and not c.maps_to]
    return {"name": cb.name, "version": cb.version, "domains": domains, "unmapped": unmapped,
            "codes": {c.code_id: code_entry(c) for c in cb.codes}}


def turns_payload(segments: pd.DataFrame, text: str) -> list[dict]:
    """Turns with their text, in order: segment_id, start, end, speaker, speaker_role, text."""
    return [{"segment_id": r.segment_id, "start": int(r.start), "end": int(r.end), "speaker": plain(r.speaker),
             "speaker_role": plain(r.speaker_role), "text": text[int(r.start):int(r.end)]}
            for r in segments.itertuples(index=False)]


_EXCERPT = 160  # characters of a suggested span shown in the review list


def suggestion_entries(table: pd.DataFrame, text: str, cb: Codebook) -> list[dict]:
    """Suggestions to review (:func:`npt_coder.services.suggestions_to_review`) for the page: each row's values,
    its code's name and an excerpt of the span (at most 160 characters)."""
    out = []
    for r in table.to_dict("records"):
        span = " ".join(text[int(r["start"]):int(r["end"])].split())
        out.append({**{k: plain(v) for k, v in r.items()}, "name": cb[r["code_id"]].name if r["code_id"] in cb else "",
                    "excerpt": span if len(span) <= _EXCERPT else span[:_EXCERPT - 1] + "…"})
    return out
