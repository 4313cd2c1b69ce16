"""Coded material: the analysis codings laid over a project's segments, participants resolved, quotes trimmed.

Everything in the themes layer starts here. A coded span counts on a segment (turn, paragraph or sentence) when it
overlaps it by at least one character; interviewer and facilitator segments are left out unless asked for, so a span
that covers a question and its answer counts only on the answer. Who counts as a participant, and which transcripts
are group transcripts, is the project-wide rule of :mod:`npt_coder._consensus` (:func:`~npt_coder._consensus.
participant_ids`): the transcript's ``participant`` attribute (or the transcript, where it is blank), except in
group methods, where each speaker is a participant of their own under the speaker label (e.g. ``P04``).
Interviewer and facilitator talk, when included, is attributed to its speaker and counts for no participant.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .._consensus import CONSENSUS, GROUP_METHOD, participant_ids, suggestions_left_out
from .._words import noun
from ..codebook import Codebook
from ..ingest import UNITS as SEGMENT_UNITS
from ..store import TRANSCRIPT_COLUMNS
from ._basis import analysis_codings, coding_basis
from ._errors import ThemesError
from ._flagged import flagged_transcripts

__all__ = ["GROUP_METHOD", "QUOTE_COLUMNS", "coded_segments", "trim_quote", "window_quote"]

_FIXED = set(TRANSCRIPT_COLUMNS)  # transcript columns that are not attributes
QUOTE_COLUMNS = ["code_id", "rank", "text", "attribution", "transcript_id", "turn_id", "speaker", "participant",
                 "start", "end", "trimmed", "coders", "basis", "flagged"]
ELLIPSIS = "…"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def trim_quote(text: str, *, max_chars: int | None = 400,
               sentences: Sequence[tuple[int, int]] | None = None) -> tuple[str, int, bool]:
    """Trim a passage of whole sentences to at most ``max_chars`` characters, at a sentence boundary if possible.

    Whitespace runs (line and paragraph breaks included) become single spaces. Whole sentences are kept from the
    start while they fit; where anything is left out, `` …`` ends the quote (counted in ``max_chars``). If the first
    sentence alone is too long it is cut after the last whole word that fits, never inside a word.

    Parameters
    ----------
    text : str
        The passage, starting at a sentence start.
    max_chars : int or None, default 400
        Longest quote, ellipsis included; ``None``: no limit.
    sentences : sequence of (start, end), optional
        Sentence offsets into ``text``; default: :func:`npt_coder.ingest._sentences.sentence_spans`.

    Returns
    -------
    (quote, used, trimmed)
        The quote, how many characters of ``text`` it covers (its end offset), and whether anything was left out.

    Examples
    --------
    >>> trim_quote("We met daily. It worked well!  Then it stopped.", max_chars=35)
    ('We met daily. It worked well! …', 29, True)
    >>> trim_quote("Honestly the whole thing was pitched to us as speed and safety", max_chars=30)
    ('Honestly the whole thing was …', 28, True)
    >>> trim_quote("Short and whole.", max_chars=30)
    ('Short and whole.', 16, False)
    """
    full = _collapse(text)
    if max_chars is None or len(full) <= max_chars:
        return full, len(text.rstrip()), False
    if max_chars < 8:
        raise ThemesError(f"max_chars must be at least 8 (room for a word and the ellipsis); got {max_chars}")
    if sentences is None:
        from ..ingest._sentences import sentence_spans

        sentences = sentence_spans([text])[0]
    sentences = repair_sentences(text, sentences)
    budget = max_chars - len(ELLIPSIS) - 1
    kept_end = 0
    for _, end in sentences:
        if len(_collapse(text[:end])) > budget:
            break
        kept_end = end
    if kept_end:
        return f"{_collapse(text[:kept_end])} {ELLIPSIS}", kept_end, True
    # the first sentence alone is too long: cut after the last whole word that fits
    words = list(re.finditer(r"\S+", text))
    end = 0
    for w in words:
        if len(_collapse(text[:w.end()])) > budget:
            break
        end = w.end()
    if end == 0:  # a single overlong "word" (a URL, say): cut it, as there is no word boundary to use
        end = budget
    head = _collapse(text[:end]).rstrip(",;:–—-")
    return f"{head} {ELLIPSIS}", end, True


def _hits(text: str, keywords: Sequence[str]) -> int:
    low = text.casefold()
    return sum(len(re.findall(r"(?<!\w)" + re.escape(k.casefold()) + r"(?!\w)", low)) for k in keywords if k.strip())


def window_quote(text: str, *, max_chars: int | None = 400, sentences: Sequence[tuple[int, int]] | None = None,
                 focus: tuple[int, int] | None = None, keywords: Sequence[str] = ()) -> tuple[str, int, int, bool]:
    """The best run of whole sentences of ``text`` for a quote of at most ``max_chars`` characters, chosen around
    the coded span ``focus`` rather than from the passage's start.

    Every run of consecutive sentences that fits (with `` …`` marking a cut at either end) is a candidate; the
    chosen one covers the most of the coded span (all of it, where it fits), then holds the most of the code's
    ``keywords``, then is longest (in steps of 40 characters), then has its middle nearest the span's middle, then
    comes first. When no single sentence fits,
    the words around the span's middle are kept, never cutting inside a word. Whitespace runs become single spaces.

    Returns ``(quote, start, end, trimmed)``: ``start``/``end`` are the quoted text's offsets in ``text``.

    >>> t = "I am a coordinator here. We now meet the police daily. It has changed how we share."
    >>> window_quote(t, max_chars=62, focus=(55, 83))
    ('… We now meet the police daily. It has changed how we share.', 25, 83, True)
    >>> window_quote(t, max_chars=40, focus=(0, 83), keywords=["police"])[0]
    '… We now meet the police daily. …'
    """
    full = _collapse(text)
    end_all = len(text.rstrip())
    if max_chars is None or len(full) <= max_chars:
        return full, 0, end_all, False
    if max_chars < 12:
        raise ThemesError(f"max_chars must be at least 12 (room for a word and two ellipses); got {max_chars}")
    if sentences is None:
        from ..ingest._sentences import sentence_spans

        sentences = sentence_spans([text])[0]
    sents = repair_sentences(text, sentences) or [(0, end_all)]
    f0, f1 = focus if focus is not None else (0, end_all)
    f_len = max(1, f1 - f0)
    f_mid = (f0 + f1) / 2
    best, best_key = None, None
    for i in range(len(sents)):
        for j in range(i, len(sents)):
            s, e = sents[i][0], sents[j][1]
            body = _collapse(text[s:e])
            size = len(body) + (2 if s > sents[0][0] else 0) + (2 if e < sents[-1][1] else 0)
            if size > max_chars:
                break
            overlap = max(0, min(e, f1) - max(s, f0))
            cover = round(overlap / min(f_len, e - s), 3)
            key = (cover, _hits(body, keywords), len(body) // 40, -abs((s + e) / 2 - f_mid), -i)
            if best_key is None or key > best_key:
                best, best_key = (s, e), key
    if best is None:  # no sentence fits: the words around the middle of the coded span
        words = list(re.finditer(r"\S+", text))
        mid = min(range(len(words)), key=lambda k: abs((words[k].start() + words[k].end()) / 2 - f_mid))
        lo = hi = mid
        while True:
            grown = False
            for lo2, hi2 in ((lo - 1, hi), (lo, hi + 1)):
                if lo2 < 0 or hi2 >= len(words):
                    continue
                body = _collapse(text[words[lo2].start():words[hi2].end()])
                if len(body) + (2 if lo2 > 0 else 0) + (2 if hi2 < len(words) - 1 else 0) <= max_chars:
                    lo, hi, grown = lo2, hi2, True
                    break
            if not grown:
                break
        best = (words[lo].start(), words[hi].end())
        if len(_collapse(text[best[0]:best[1]])) + 4 > max_chars:  # one overlong "word": cut it
            best = (best[0], best[0] + max_chars - 4)
    s, e = best
    body = _collapse(text[s:e]).rstrip(",;:–—-")
    lead = s > (sents[0][0] if sents else 0) and bool(text[:s].strip())
    tail = bool(text[e:].strip())
    return f"{'… ' if lead else ''}{body}{' …' if tail else ''}", s, e, lead or tail


_OPENERS = "[(“‘"


def repair_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give an opening bracket or quotation mark left at the end of a sentence to the sentence after it.

    The sentence rule keeps punctuation after a full stop with the sentence before, so ``"No. [laughs] Yes."``
    splits as ``"No. ["`` and ``"laughs] Yes."``; a quote must neither end in ``[`` nor start at ``laughs]``.

    >>> t = "No one asked. [laughs] Fair enough."
    >>> [t[s:e] for s, e in repair_sentences(t, [(0, 15), (15, 35)])]
    ['No one asked.', '[laughs] Fair enough.']
    """
    out = [list(s) for s in spans]
    for i, (s, e) in enumerate(out):
        body = text[s:e].rstrip()
        while body and body[-1] in _OPENERS and len(body) > 1:
            body = body[:-1].rstrip()
        if len(body) < len(text[s:e].rstrip()):
            cut = s + len(body)
            out[i][1] = cut
            if i + 1 < len(out):
                nxt = cut
                while nxt < e and text[nxt].isspace():
                    nxt += 1
                out[i + 1][0] = nxt
    return [(s, e) for s, e in out if e > s]


def _overlap_join(spans: pd.DataFrame, segs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (span row, segment row) that overlap by at least one character, in the same transcript.

    ``segs`` must be sorted by transcript then start and non-overlapping within a transcript (true of every unit).
    """
    if spans.empty or segs.empty:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tids = pd.Index(pd.unique(np.concatenate([segs["transcript_id"].to_numpy(dtype=object),
                                              spans["transcript_id"].to_numpy(dtype=object)])))
    big = int(max(segs["end"].max(), spans["end"].max())) + 1
    seg_t = tids.get_indexer(segs["transcript_id"]).astype(np.int64)
    order = np.lexsort((segs["start"].to_numpy(), seg_t))
    if not (order == np.arange(len(order))).all():
        raise ThemesError("internal: segments must be sorted by transcript and start")  # pragma: no cover
    start_key = seg_t * big + segs["start"].to_numpy(dtype=np.int64)
    end_key = seg_t * big + segs["end"].to_numpy(dtype=np.int64)
    sp_t = tids.get_indexer(spans["transcript_id"]).astype(np.int64)
    lo = np.searchsorted(end_key, sp_t * big + spans["start"].to_numpy(dtype=np.int64), side="right")
    hi = np.searchsorted(start_key, sp_t * big + spans["end"].to_numpy(dtype=np.int64), side="left")
    n = np.maximum(hi - lo, 0)
    span_idx = np.repeat(np.arange(len(spans)), n)
    offsets = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return span_idx, np.repeat(lo, n) + offsets


_CODED_KEYS = ["transcript_id", "segment_id", "code_id"]


def _one_row_per_code(out: pd.DataFrame) -> pd.DataFrame:
    """Two spans of one code on one segment (e.g. two sentences of a paragraph) become one row: the first row's
    segment columns, the coded part from the first start to the last end, every coder once (sorted).

    The columns then come in the order ``groupby(...).agg`` gives (keys, the other columns, then coded_start,
    coded_end, coders); rows in the order their segment and code first appear. Only merged rows are joined in
    Python: most rows stand alone.
    """
    dup = out.duplicated(_CODED_KEYS, keep=False).to_numpy()
    if not dup.any():
        return out
    group = out.groupby(_CODED_KEYS, sort=False).ngroup().to_numpy()
    first = ~out.duplicated(_CODED_KEYS).to_numpy()
    rows = np.flatnonzero(dup)
    rows = rows[np.argsort(group[rows], kind="stable")]
    ids, starts = np.unique(group[rows], return_index=True)
    bounds = np.append(starts, len(rows))
    lo = np.minimum.reduceat(out["coded_start"].to_numpy()[rows], starts)
    hi = np.maximum.reduceat(out["coded_end"].to_numpy()[rows], starts)
    coders = out["coders"].to_numpy()[rows]
    joined = [", ".join(sorted(set(", ".join(coders[a:b]).split(", ")))) for a, b in zip(bounds[:-1], bounds[1:])]
    kept = out.loc[first].reset_index(drop=True)
    where = pd.Index(group[first]).get_indexer(ids)  # row of each merged group among the kept rows
    for col, values in (("coded_start", lo), ("coded_end", hi)):
        column = kept[col].to_numpy(copy=True)
        column[where] = values
        kept[col] = column
    column = kept["coders"].to_numpy(copy=True)
    column[where] = joined
    kept["coders"] = column
    merged = ("coded_start", "coded_end", "coders")
    order = _CODED_KEYS + [c for c in out.columns if c not in _CODED_KEYS and c not in merged] + list(merged)
    return kept[order]


def _sorted_segments(segs: pd.DataFrame, tids: pd.Index) -> pd.DataFrame:
    t = tids.get_indexer(segs["transcript_id"])
    order = np.lexsort((segs["start"].to_numpy(), t))
    return segs.iloc[order].reset_index(drop=True)


@dataclass
class Material:
    """A project's coded material, read once and shared by themes, matrices and co-occurrence.

    Built by :func:`material`; holds the analysis codings, the transcripts' attributes and texts, segments at the
    counting unit, participant turns and sentences (read lazily).
    """

    project: object
    codebook: Codebook
    codings: pd.DataFrame  # analysis codings
    basis: pd.DataFrame
    attributes: pd.DataFrame  # one row per transcript, index transcript_id, attribute columns
    unit: str
    include_interviewer: bool
    left_out: str = ""  # the sentence saying how many machine suggestions wait for review ("" for none)
    _cache: dict = field(default_factory=dict)

    @property
    def attribute_names(self) -> list[str]:
        return list(self.attributes.columns)

    def flagged(self) -> frozenset[str]:
        """Transcripts added with anonymisation findings accepted: their quotes are marked (see ._flagged)."""
        if "flagged" not in self._cache:
            self._cache["flagged"] = flagged_transcripts(self.project)
        return self._cache["flagged"]

    def text(self, transcript_id: str) -> str:
        texts = self._cache.setdefault("texts", {})
        if transcript_id not in texts:
            texts[transcript_id] = self.project.transcript_text(transcript_id)
        return texts[transcript_id]

    def segments(self, unit: str) -> pd.DataFrame:
        key = ("segments", unit)
        if key not in self._cache:
            segs = self.project.segments(unit, include_interviewer=self.include_interviewer, text=False)
            segs = segs.drop(columns=["text"])
            segs = _sorted_segments(segs, pd.Index(self.attributes.index))
            segs["participant"] = self._participants(segs)
            self._cache[key] = segs
        return self._cache[key]

    def sentences(self) -> pd.DataFrame:
        if "sentences" not in self._cache:
            segs = self.project.segments("sentence", include_interviewer=True, text=False).drop(columns=["text"])
            self._cache["sentences"] = _sorted_segments(segs, pd.Index(self.attributes.index))
        return self._cache["sentences"]

    def _participants(self, segs: pd.DataFrame) -> np.ndarray:
        """Participant per segment (the shared rule); interviewer talk is attributed to its speaker label."""
        ids = participant_ids(segs["transcript_id"], segs["speaker"], segs["speaker_role"], self.attributes)
        speaker = segs["speaker"].fillna("").astype(str)
        fallback = speaker.where(speaker != "", segs["transcript_id"]).to_numpy()
        return np.where(pd.isna(ids), fallback, ids)

    def coded(self, unit: str | None = None) -> pd.DataFrame:
        """One row per (segment, code) at ``unit``: segment columns, ``code_id``, the coded part of the segment
        (``coded_start``, ``coded_end``), ``coders`` and ``basis``, and the transcript's attributes."""
        unit = unit or self.unit
        key = ("coded", unit)
        if key in self._cache:
            return self._cache[key]
        segs = self.segments(unit)
        span_i, seg_i = _overlap_join(self.codings, segs)
        c = self.codings.iloc[span_i].reset_index(drop=True)
        s = segs.iloc[seg_i].reset_index(drop=True)
        out = s.assign(code_id=c["code_id"].to_numpy(), coded_start=np.maximum(c["start"], s["start"]),
                       coded_end=np.minimum(c["end"], s["end"]), coders=c["coders"].to_numpy(),
                       basis=c["basis"].to_numpy())
        out = _one_row_per_code(out)
        attrs = self.attributes.drop(columns=[c for c in ("participant",) if c in self.attributes.columns])
        out = out.join(attrs, on="transcript_id")
        out = out.sort_values(["transcript_id", "start", "code_id"], kind="stable").reset_index(drop=True)
        self._cache[key] = out
        return out

    def participants(self) -> pd.DataFrame:
        """Every participant of the study (whether coded or not): participant, transcript_id, attributes."""
        if "participants" in self._cache:
            return self._cache["participants"]
        turns = self.project.segments("turn", include_interviewer=False, text=False).drop(columns=["text"])
        turns = _sorted_segments(turns, pd.Index(self.attributes.index))
        turns["participant"] = self._participants(turns)
        pairs = turns[["participant", "transcript_id"]].drop_duplicates()
        no_turns = [t for t in self.attributes.index if t not in set(pairs["transcript_id"])]
        if no_turns:
            extra = pd.DataFrame({"transcript_id": no_turns})
            extra["participant"] = [str(self.attributes.at[t, "participant"]) if "participant" in self.attributes
                                    and pd.notna(self.attributes.at[t, "participant"]) else t for t in no_turns]
            pairs = pd.concat([pairs, extra[["participant", "transcript_id"]]])
        attrs = self.attributes.drop(columns=[c for c in ("participant",) if c in self.attributes.columns])
        out = pairs.join(attrs, on="transcript_id").reset_index(drop=True)
        self._cache["participants"] = out
        return out

    # -- quotes ----------------------------------------------------------------------------------------------------
    def candidates(self) -> pd.DataFrame:
        """Quote candidates: each analysis span cut to each participant turn it overlaps, widened to whole
        sentences. Columns: code_id, transcript_id, turn_id, speaker, speaker_role, participant, start, end (whole
        sentences), span_start, span_end (the coded part), opening (the transcript's first participant turn, where
        an interviewee usually introduces their role), first_sentence, last_sentence (row range in
        :meth:`sentences`), coders, basis, attributes."""
        if "candidates" in self._cache:
            return self._cache["candidates"]
        turns = self.segments("turn")
        span_i, seg_i = _overlap_join(self.codings, turns)
        c = self.codings.iloc[span_i].reset_index(drop=True)
        t = turns.iloc[seg_i].reset_index(drop=True)
        cand = pd.DataFrame({
            "code_id": c["code_id"], "transcript_id": t["transcript_id"], "turn_id": t["turn_id"],
            "speaker": t["speaker"], "speaker_role": t["speaker_role"], "participant": t["participant"],
            "start": np.maximum(c["start"], t["start"]), "end": np.minimum(c["end"], t["end"]),
            "coders": c["coders"], "basis": c["basis"],
        })
        cand["span_start"], cand["span_end"] = cand["start"], cand["end"]  # the coded part, before widening
        talk = turns[turns["speaker_role"] == "participant"]
        first_turn = talk.groupby("transcript_id", sort=False)["turn_id"].first()
        cand["opening"] = (cand["turn_id"] == cand["transcript_id"].map(first_turn)).to_numpy(dtype=bool)
        sents = self.sentences()
        k_i, s_i = _overlap_join(cand, sents)
        if len(k_i):
            first = pd.Series(s_i).groupby(k_i).min()
            last = pd.Series(s_i).groupby(k_i).max()
            cand = cand.iloc[first.index].reset_index(drop=True)
            cand["first_sentence"] = first.to_numpy()
            cand["last_sentence"] = last.to_numpy()
            cand["start"] = sents["start"].to_numpy()[cand["first_sentence"]]
            cand["end"] = sents["end"].to_numpy()[cand["last_sentence"]]
        else:
            cand = cand.iloc[0:0].assign(first_sentence=pd.Series(dtype=np.int64),
                                         last_sentence=pd.Series(dtype=np.int64))
        attrs = self.attributes.drop(columns=[c for c in ("participant",) if c in self.attributes.columns])
        cand = cand.join(attrs, on="transcript_id")
        self._cache["candidates"] = cand
        return cand

    def quote_text(self, row: dict, max_chars: int | None) -> tuple[str, int, int, bool]:
        """``(quote, start, end, trimmed)`` for a candidate (a row of :meth:`candidates` as a dict): the run of
        whole sentences around its coded span that fits ``max_chars`` (see :func:`window_quote`); ``start`` and
        ``end`` are where the quoted text starts and stops in the transcript."""
        start, first, last = int(row["start"]), int(row["first_sentence"]), int(row["last_sentence"])
        sents = self.sentences()
        text = self.text(row["transcript_id"])
        abs_spans = list(zip(sents["start"].to_numpy()[first:last + 1].tolist(),
                             sents["end"].to_numpy()[first:last + 1].tolist()))
        # a first sentence that starts inside a bracket ("laughs] ...") takes back its "[" from the sentence before
        if start > 0 and re.match(r"[^\s\[\]]*\]", text[start:start + 40]):
            back = text.rfind("[", max(0, start - 40), start)
            if back >= 0 and text[back + 1:start].strip() == "":
                start = back
                abs_spans[0] = (back, abs_spans[0][1])
        abs_spans = repair_sentences(text, abs_spans)
        end = abs_spans[-1][1] if abs_spans else int(row["end"])
        passage = text[start:end]
        rel = [(s - start, e - start) for s, e in abs_spans]
        focus = (int(row.get("span_start", start)) - start, int(row.get("span_end", end)) - start)
        code = row.get("code_id")
        keywords = self.codebook[code].keywords if code in self.codebook else ()
        quote, s, e, trimmed = window_quote(passage, max_chars=max_chars, sentences=rel, focus=focus,
                                            keywords=keywords)
        return quote, start + s, start + e, trimmed


def _attributes(project) -> pd.DataFrame:
    t = project.transcripts
    cols = [c for c in t.columns if c not in _FIXED]
    return t.set_index("transcript_id")[cols]


def material(project, *, unit: str = "paragraph", include_interviewer: bool = False, coder: str | None = None,
             consensus: str = CONSENSUS) -> Material:
    """Read a project's coded material once (see :class:`Material`); a project read once for a whole report
    (:func:`npt_coder.store.snapshot`) gives the same Material to every step that asks with the same options."""
    if unit not in SEGMENT_UNITS:
        raise ThemesError(f"unit must be one of {', '.join(map(repr, SEGMENT_UNITS))}; got {unit!r} (the default, "
                          "'paragraph', is the unit the agreement report uses)")
    kept = getattr(project, "kept", None)
    if callable(kept):
        return kept(("material", unit, include_interviewer, coder, consensus),
                    lambda: _read_material(project, unit, include_interviewer, coder, consensus))
    return _read_material(project, unit, include_interviewer, coder, consensus)


def _read_material(project, unit: str, include_interviewer: bool, coder: str | None, consensus: str) -> Material:
    raw = project.codings
    attrs = _attributes(project)
    return Material(project=project, codebook=project.load_codebook(),
                    codings=analysis_codings(raw, coder=coder, consensus=consensus),
                    basis=coding_basis(raw, coder=coder, consensus=consensus, transcripts=list(attrs.index)),
                    attributes=attrs, unit=unit, include_interviewer=include_interviewer,
                    left_out=suggestions_left_out(raw))


def check_attribute(mat: Material, attribute: str, what: str = "attribute") -> None:
    if attribute not in mat.attribute_names:
        raise ThemesError(f"{what} must be a transcript attribute; got {attribute!r} (attributes: "
                          f"{', '.join(mat.attribute_names) or 'none'})")


class _Fields(dict):
    def __missing__(self, key):  # pragma: no cover - fields are checked before formatting
        return "–"


def attribution_fields(template: str, available: Sequence[str]) -> list[str]:
    """Field names used by an attribution template, checked against those available."""
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as err:
        raise ThemesError(f"attribution {template!r} is not a valid format string ({err}); write fields in braces, "
                          "e.g. '({site}, {participant})'") from None
    bad = [n for n in names if n == "" or n not in available]
    if bad:
        raise ThemesError(f"attribution {template!r} names unknown {noun(len(bad), 'field')} "
                          f"{', '.join(map(repr, bad))} "
                          f"(fields: {', '.join(available)})")
    return names


def format_attribution(template: str, row: dict) -> str:
    values = _Fields({k: ("–" if v is None or (isinstance(v, float) and np.isnan(v)) else v) for k, v in row.items()})
    return template.format_map(values)


def coded_segments(project, *, unit: str = "paragraph", include_interviewer: bool = False,
                   coder: str | None = None, consensus: str = CONSENSUS) -> pd.DataFrame:
    """Coded segments: one row per (segment, code), the table every count in a themed summary comes from.

    Parameters
    ----------
    project : Project
    unit : {"paragraph", "turn", "sentence"}, default "paragraph"
        The segment a coded span counts on (overlap of one character or more).
    include_interviewer : bool, default False
        Count interviewer and facilitator segments too.
    coder, consensus
        Which codings: see :func:`analysis_codings` (default: consensus where it exists, else every coder).

    Returns
    -------
    pandas.DataFrame
        transcript_id, segment_id, unit, start, end, speaker, speaker_role, turn_id, start_time, end_time,
        participant (see the module notes), code_id, coded_start, coded_end (the coded part of the segment),
        coders, basis, then the transcript's attributes (site, role, method, ...).
    """
    return material(project, unit=unit, include_interviewer=include_interviewer, coder=coder,
                    consensus=consensus).coded()
