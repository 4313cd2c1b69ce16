"""Who and what counts: the one set of rules used by agreement, themes, logic models, reports and the CLI.

Which codings findings are made from
    Every coding a person made. A machine suggestion (``npt-coder suggest``: source :data:`SUGGESTED`) is not one
    until a person accepts it, which records the person's own coding of the same span and code (source
    :data:`ACCEPTED`, counted like any other); the suggestion itself stays the model's record and is left out of
    themes, matrices, logic-model evidence, the report's coders and the default agreement pairs
    (:func:`reviewed`). Asked for by name (``agree --coders AK,assist``), the model's codings are compared.
Which coding stands for the study
    A double-coded transcript ends with a consensus coding (``npt-coder reconcile``), imported under the coder
    name :data:`CONSENSUS` unless the team chose another with ``--as``. Where a transcript has a consensus coding,
    that coding stands for it; elsewhere every coder's coding does (:func:`consensus_first`). Agreement compares
    the individual coders, never the consensus nor the machine (:func:`individual_coders`).
Which transcripts are group transcripts
    Those whose ``method`` attribute names a group or a workshop ("focus group", "group interview", "workshop",
    in any case, with ``_`` or ``-`` for spaces, singular or plural): :func:`is_group_method`.
How participants are counted
    In a group transcript each participant speaker is a participant, identified by the speaker label (``P04``):
    labels are the study's participant ids, as in interviews, so a person who spoke in an interview and a focus
    group under one id counts once. Elsewhere the transcript's ``participant`` attribute (the case) is the
    participant, or the transcript itself where that attribute is blank. Interviewer and facilitator talk is
    nobody's. :func:`participant_ids` applies this to segments.
What a missing attribute counts as
    Nothing: sites, roles, methods (any case attribute a report groups by) are counted only where recorded. A
    transcript with no value (empty, blank or absent) is grouped under ``"no site recorded"`` (``"no role
    recorded"``, ...: :func:`not_recorded`), listed after the recorded values, so that per-value columns add up to
    their totals; prose says it in words ("9 transcripts have no site recorded"). :func:`recorded_values`
    applies this to a column.
Under which CMO domain an inductive code is reported
    The domain of its *first* ``maps_to`` target: the codebook lists the primary mapping first, and
    :class:`~npt_coder.codebook.Code` carries that domain (``IND-EARLYHELP``, mapped to C4, M2.1, M3.4 and O2, is
    reported under Context). Themes list it under every target it maps to, its quotes under the first; the
    logic-model draft puts it in the column of that domain (:func:`reporting_domain`).

This module sits low in the package (it needs only pandas) so that every layer that applies a rule can import it.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ._words import count, noun

__all__ = ["ACCEPTED", "CONSENSUS", "GROUP_METHOD", "SUGGESTED", "consensus_first", "individual_coders",
           "is_group_method", "not_recorded", "participant_ids", "recorded_values", "reporting_domain", "reviewed", "suggestions_left_out",
           "unreviewed_suggestions"]

CONSENSUS = "consensus"
"""The coder name a settled review is imported as by default."""
SUGGESTED = "suggested"
"""The source of a machine suggestion's coding (:mod:`npt_coder.assist`)."""
ACCEPTED = "accepted"
"""The source of the coding a person's acceptance of a suggestion records."""


def reviewed(codings: pd.DataFrame) -> pd.Series:
    """Which rows of a codings table findings may be made from: a boolean Series aligned with ``codings``, false
    on machine suggestions (source :data:`SUGGESTED`); true everywhere when the table has no ``source`` column.

    >>> df = pd.DataFrame({"coder": ["AK", "assist", "AK"], "source": ["xlsx", "suggested", "accepted"]})
    >>> reviewed(df).tolist()
    [True, False, True]
    """
    if "source" not in codings.columns:
        return pd.Series(True, index=codings.index)
    return codings["source"] != SUGGESTED


def unreviewed_suggestions(codings: pd.DataFrame) -> int:
    """How many machine suggestions no person has accepted yet: suggestions whose transcript, code and span no
    coding of source :data:`ACCEPTED` has (a rejected suggestion is no longer current, so not counted).

    >>> df = pd.DataFrame({"transcript_id": ["T1"] * 3, "coder": ["assist", "assist", "AK"], "code_id": ["C1"] * 3,
    ...                    "start": [0, 9, 0], "end": [5, 12, 5], "source": ["suggested", "suggested", "accepted"]})
    >>> unreviewed_suggestions(df)
    1
    """
    keep = reviewed(codings)
    if keep.all():
        return 0
    key = ["transcript_id", "code_id", "start", "end"]
    done = set(codings.loc[codings["source"] == ACCEPTED, key].itertuples(index=False, name=None))
    return sum(k not in done for k in codings.loc[~keep, key].itertuples(index=False, name=None))


def suggestions_left_out(codings: pd.DataFrame) -> str:
    """The sentence a methods text carries where machine suggestions wait for review, else ``""``.

    >>> suggestions_left_out(pd.DataFrame({"transcript_id": ["T1", "T2"], "coder": ["assist"] * 2,
    ...     "code_id": ["C1"] * 2, "start": [0, 0], "end": [5, 5], "source": ["suggested"] * 2}))
    '2 machine suggestions that no coder has accepted yet are left out.'
    """
    n = unreviewed_suggestions(codings)
    return (f"{count(n, 'machine suggestion')} that no coder has accepted yet {noun(n, 'is')} left out." if n
            else "")


def consensus_first(codings: pd.DataFrame, *, consensus: str = CONSENSUS) -> pd.Series:
    """Which rows of a codings table stand for the study: a boolean Series aligned with ``codings``.

    On a transcript with any coding by ``consensus``, only those rows; on every other transcript, every
    coder's rows. Machine suggestions are never among them (:func:`reviewed`).

    >>> df = pd.DataFrame({"transcript_id": ["T1", "T1", "T2", "T2"], "coder": ["AK", "JT", "AK", "consensus"]})
    >>> df[consensus_first(df)].values.tolist()
    [['T1', 'AK'], ['T1', 'JT'], ['T2', 'consensus']]
    """
    keep = reviewed(codings)
    is_consensus = (codings["coder"] == consensus) & keep
    settled = codings["transcript_id"].isin(set(codings.loc[is_consensus, "transcript_id"]))
    return keep & (is_consensus | ~settled)


def individual_coders(codings: pd.DataFrame, *, consensus: str = CONSENSUS) -> list[str]:
    """The coders of a codings table other than ``consensus``, sorted: those with a coding findings may be made
    from (:func:`reviewed`), so not the machine whose codings are all suggestions.

    >>> individual_coders(pd.DataFrame({"coder": ["JT", "consensus", "AK", "JT"]}))
    ['AK', 'JT']
    >>> individual_coders(pd.DataFrame({"coder": ["AK", "assist"], "source": ["xlsx", "suggested"]}))
    ['AK']
    """
    return sorted(c for c in pd.unique(codings.loc[reviewed(codings), "coder"]) if c != consensus)


GROUP_METHOD = re.compile(r"group|workshop", re.IGNORECASE)
"""A ``method`` attribute matching this marks a group transcript (see the module docstring)."""


def is_group_method(method: Any) -> bool:
    """Whether a transcript's ``method`` attribute makes it a group transcript (every speaker a participant).

    >>> [is_group_method(m) for m in ("Focus group", "group_interview", "workshops", "interview", None)]
    [True, True, True, False, False]
    """
    return isinstance(method, str) and bool(GROUP_METHOD.search(method))


def participant_ids(transcript_id: pd.Series, speaker: pd.Series, speaker_role: pd.Series,
                    attributes: pd.DataFrame) -> np.ndarray:
    """The participant each segment's talk belongs to, ``None`` for interviewer or facilitator talk.

    ``transcript_id``, ``speaker`` and ``speaker_role`` are aligned columns of a segments table; ``attributes`` is
    indexed by transcript_id with the ``method`` and ``participant`` attributes (either may be absent).

    >>> attrs = pd.DataFrame({"method": ["interview", "focus group", "interview"], "participant": ["P01", "", ""]},
    ...                      index=["T1", "FG1", "T3"])
    >>> participant_ids(pd.Series(["T1", "FG1", "FG1", "T3"]), pd.Series(["R", "P07", "F", "R"]),
    ...                 pd.Series(["participant", "participant", "interviewer", "participant"]), attrs).tolist()
    ['P01', 'P07', None, 'T3']
    """
    tid = pd.Series(np.asarray(transcript_id, dtype=object))
    method = tid.map(attributes["method"]) if "method" in attributes else pd.Series(None, index=tid.index)
    group = method.map(is_group_method).astype(bool).to_numpy()
    part = tid.map(attributes["participant"]) if "participant" in attributes else pd.Series(None, index=tid.index)
    blank = (part.isna() | (part.astype(str).str.strip() == "")).to_numpy()
    case = np.where(blank, tid.astype(str).to_numpy(), part.astype(str).to_numpy())
    spk = pd.Series(np.asarray(speaker, dtype=object)).fillna("").astype(str).str.strip().to_numpy()
    talk = (pd.Series(np.asarray(speaker_role, dtype=object)).fillna("participant") == "participant").to_numpy()
    out = np.where(group, np.where(spk != "", spk, tid.astype(str).to_numpy()), case).astype(object)
    out[~talk] = None
    return out


def not_recorded(attribute: str) -> str:
    """The label of the group of transcripts with no value of ``attribute``.

    >>> not_recorded("site")
    'no site recorded'
    """
    return f"no {attribute} recorded"


def recorded_values(values: pd.Series, attribute: str) -> pd.Series:
    """``values`` as strings, stripped, with every missing or blank one given the :func:`not_recorded` label.

    >>> recorded_values(pd.Series(["S4", None, " ", float("nan"), " S5"]), "site").tolist()
    ['S4', 'no site recorded', 'no site recorded', 'no site recorded', 'S5']
    """
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return text.where(text != "", not_recorded(attribute))


def reporting_domain(code: Any) -> str:
    """The CMO domain a code is reported under: its own for an NPT code, its first ``maps_to`` target's for an
    inductive one (what :class:`~npt_coder.codebook.Code` carries as ``domain``)."""
    return code.domain
