"""Transcripts in the store: what an add records, and the writes every transcript change shares (inside the caller's
transaction): the transcript's row, its segments, its anonymisation check."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .._words import count, noun
from ..errors import ProjectError
from ..ingest import UNITS, Transcript
from ._db import float_or_none, now, user

__all__ = ["AddResult", "AnonCheck", "insert_check", "insert_segments", "insert_transcript", "store_transcripts"]


@dataclass
class AddResult:
    """What an ``add`` did: ids added, and files skipped because the project already had them."""

    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file name, existing transcript id)
    batch_id: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (transcript id, what to know about it)


@dataclass(frozen=True)
class AnonCheck:
    """The outcome of the anonymisation check of one transcript, which the store records with it.

    ``by_type`` counts findings per identifier type (never the values); ``accepted_flagged`` says that someone
    accepted those findings. The store refuses a transcript with findings that were not accepted.
    """

    name_detection: bool
    by_type: Mapping[str, int] = field(default_factory=dict)
    accepted_flagged: bool = False

    @property
    def n_findings(self) -> int:
        return int(sum(self.by_type.values()))


def store_transcripts(conn: sqlite3.Connection, transcripts: Sequence[Transcript], checks: Sequence[AnonCheck], *,
                      who: str | None = None, note: str | None = None) -> AddResult:
    """:meth:`Project.store_transcripts` inside the caller's transaction."""
    if len(checks) != len(transcripts):
        raise ProjectError(f"{count(len(transcripts), 'transcript')} but {count(len(checks), 'anonymisation check')}")
    unaccepted = [t.transcript_id for t, c in zip(transcripts, checks) if c.n_findings and not c.accepted_flagged]
    if unaccepted:
        raise ProjectError(f"{noun(len(unaccepted), 'transcript')} with findings of the anonymisation "
                           f"check that nobody accepted: "
                           f"{', '.join(unaccepted)}; nothing was added")
    check_of = {id(t): c for t, c in zip(transcripts, checks)}
    result = AddResult()
    by_hash = dict(conn.execute("SELECT sha256, transcript_id FROM transcripts").fetchall())
    by_id = dict(conn.execute("SELECT transcript_id, source_name FROM transcripts").fetchall())
    fresh: list[Transcript] = []
    seen_ids: dict[str, str] = {}
    for t in transcripts:
        name = Path(t.source_path).name
        if t.sha256 in by_hash:
            result.duplicates.append((name, by_hash[t.sha256]))
            continue
        if any(f.sha256 == t.sha256 for f in fresh):
            result.duplicates.append((name, next(f.transcript_id for f in fresh if f.sha256 == t.sha256)))
            continue
        if t.transcript_id in by_id:
            raise ProjectError(
                f"{name}: transcript id {t.transcript_id!r} is already used by {by_id[t.transcript_id]}, a "
                "different file; give this file another id (attributes table transcript_id) or rename it"
            )
        if t.transcript_id in seen_ids:
            raise ProjectError(f"{name}: transcript id {t.transcript_id!r} is also the id of "
                               f"{seen_ids[t.transcript_id]} in this add")
        seen_ids[t.transcript_id] = name
        fresh.append(t)
    if not fresh:
        return result
    when = now()
    cur = conn.execute(
        "INSERT INTO batches (kind, created_at, created_by, files, note) VALUES ('add', ?, ?, ?, ?)",
        (when, who or user(), json.dumps([Path(t.source_path).name for t in fresh]), note),
    )
    batch = int(cur.lastrowid)
    for t in fresh:
        insert_transcript(conn, t, batch, when)
        insert_check(conn, t.transcript_id, check_of[id(t)], when, who)
        result.added.append(t.transcript_id)
    result.batch_id = batch
    return result


def insert_check(conn: sqlite3.Connection, transcript_id: str, c: AnonCheck, when: str, who: str | None) -> None:
    conn.execute("INSERT INTO anon_checks VALUES (?, ?, ?, ?, ?, ?, ?)", (
        transcript_id, when, who or user(), int(c.name_detection), c.n_findings, json.dumps(dict(c.by_type)),
        int(c.accepted_flagged)))


def insert_transcript(conn: sqlite3.Connection, t: Transcript, batch: int, when: str) -> None:
    """The transcript's row and its segments (inside the caller's transaction)."""
    front = t.front_matter or (None, None)
    conn.execute(
        "INSERT INTO transcripts (transcript_id, source_path, source_name, format, encoding, sha256, text_sha256, "
        "text, attributes, front_start, front_end, n_words, batch_id, added_at, layout, layout_info) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (t.transcript_id, t.source_path, Path(t.source_path).name, t.format, t.encoding, t.sha256,
         t.text_sha256, t.text, json.dumps(t.attributes, ensure_ascii=False), front[0], front[1],
         t.n_words, batch, when, t.layout, json.dumps(t.layout_info, ensure_ascii=False)),
    )
    insert_segments(conn, t)


def insert_segments(conn: sqlite3.Connection, t: Transcript) -> None:
    rows = []
    for unit in UNITS:
        for seq, (segment_id, start, end, ti) in enumerate(t.segment_spans(unit)):
            turn = t.turns[ti]
            lab = (turn.label_start, turn.label_end) if unit == "turn" else (None, None)
            rows.append((t.transcript_id, unit, segment_id, seq, int(start), int(end), turn.speaker,
                         turn.speaker_role, f"t{ti + 1:04d}", float_or_none(turn.start_time),
                         float_or_none(turn.end_time), *lab))
    conn.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
