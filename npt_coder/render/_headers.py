"""Column headings for people: one vocabulary for every Word, Excel and HTML table the renderers write.

Tables keep their fixed snake_case column names (``percent_agreement``, ``kappa_ci_low``, ``n_segments``) for code
that reads them; a reader of a report sees ``% agreement``, ``κ 95% CI (low)``, ``Coded paragraphs``. A name the
vocabulary does not know is written out (``n_turns`` -> ``Turns``, ``speaker_role`` -> ``Speaker role``).
"""

from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd

from .._consensus import not_recorded

__all__ = ["HEADERS", "header", "headers_for", "readable_columns"]

HEADERS: dict[str, str] = {
    # codes and codebooks
    "code_id": "Code", "name": "Name", "label": "Code", "domain": "CMO domain", "construct_id": "Construct",
    "construct": "Construct", "kind": "Kind", "maps_to": "Maps to", "definition": "Definition",
    "questions": "Questions", "keywords": "Keywords", "group_id": "Section", "group": "Heading",
    "parent": "Listed under", "rq_ids": "Research questions", "absent": "No material",
    # transcripts and people
    "transcript_id": "Transcript", "transcripts": "Transcripts", "n_transcripts": "Transcripts",
    "participant": "Participant", "n_participants": "Participants", "site": "Site", "role": "Role",
    "method": "Method", "date": "Date", "speaker": "Speaker", "speaker_role": "Speaker role", "turn_id": "Turn",
    "segment_id": "Unit", "coder": "Coder", "coders": "Coders", "codings": "Codings", "n_codings": "Codings",
    "basis": "Coding used", "n_words": "Words", "n_turns": "Turns",
    # agreement
    "level": "Level", "coder_a": "Coder A", "coder_b": "Coder B", "unit": "Unit", "n_units": "Units",
    "both": "Both coded", "only_a": "Only A", "only_b": "Only B", "neither": "Neither", "prevalence": "Prevalence",
    "percent_agreement": "% agreement", "cohen_kappa": "Cohen's κ", "kappa_ci_low": "κ 95% CI (low)",
    "kappa_ci_high": "κ 95% CI (high)", "krippendorff_alpha": "Krippendorff's α", "alpha_ci_low": "α 95% CI (low)",
    "alpha_ci_high": "α 95% CI (high)", "gwet_ac1": "Gwet's AC1", "brennan_prediger": "Brennan–Prediger κ",
    "kappa_label": "κ (Landis & Koch)", "alpha_label": "α (Krippendorff)", "fleiss_kappa": "Fleiss' κ",
    "kappa_se": "κ SE", "kappa_se_low": "κ SE 95% CI (low)", "kappa_se_high": "κ SE 95% CI (high)",
    "alpha_se": "α SE", "alpha_se_low": "α SE 95% CI (low)", "alpha_se_high": "α SE 95% CI (high)",
    "ac1_se": "AC1 SE", "ac1_se_low": "AC1 SE 95% CI (low)", "ac1_se_high": "AC1 SE 95% CI (high)",
    "caution": "Flags", "note": "Note", "n_coders": "Coders", "key": "Key",
    # quotes
    "rank": "Rank", "text": "Text", "attribution": "Attribution", "start": "Start", "end": "End",
    "trimmed": "Shortened",
}


def header(name: object, *, unit: str | None = None) -> str:
    """The heading for column ``name``; ``unit`` names what ``n_segments`` counts (``"paragraph"`` ->
    ``Coded paragraphs``). A spread column ``site=S1`` is ``Site S1``, ``site=no site recorded`` is ``No site
    recorded``.

    >>> header("percent_agreement"), header("n_segments", unit="paragraph"), header("site=S1"), header("n_turns")
    ('% agreement', 'Coded paragraphs', 'Site S1', 'Turns')
    >>> header("site=no site recorded")
    'No site recorded'
    """
    text = str(name)
    if text == "n_segments":
        return f"Coded {unit}s" if unit else "Coded segments"
    if text in HEADERS:
        return HEADERS[text]
    if "=" in text:
        attribute, value = text.split("=", 1)
        if value == not_recorded(attribute):  # site=no site recorded: "No site recorded"
            return value[:1].upper() + value[1:]
        return f"{attribute.replace('_', ' ').capitalize()} {value}"
    if text.startswith("n_"):
        text = text[2:]
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else text


def headers_for(columns: Iterable[object], overrides: Mapping[str, str] | None = None, *,
                unit: str | None = None) -> dict[str, str]:
    """``{column: heading}`` for ``columns``, ``overrides`` first."""
    overrides = overrides or {}
    return {str(c): overrides.get(str(c), header(c, unit=unit)) for c in columns}


def readable_columns(frame: pd.DataFrame, overrides: Mapping[str, str] | None = None, *,
                     unit: str | None = None) -> pd.DataFrame:
    """``frame`` with its columns renamed to their headings (for ``DataFrame.to_html`` and the like)."""
    names = headers_for(frame.columns, overrides, unit=unit)
    return frame.rename(columns={c: names[str(c)] for c in frame.columns})
