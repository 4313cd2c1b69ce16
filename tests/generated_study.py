"""A generated study for the tests that compare a faster implementation with the one it replaced: transcripts of
random words from a small vocabulary, and coders whose spans start and end anywhere (mid-word, across paragraphs,
several spans of one code on one paragraph), so clipping and ordering are exercised as real coding does."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

import npt_coder as nc
from npt_coder.coding import import_codings
from npt_coder.services import add_transcripts

WORDS = ("we screen every contact at the front door and talk about thresholds consent sharing with health police "
         "schools early help colleagues each morning decisions families support referral record audit training").split()


def generated_study(folder: Path, *, n_transcripts: int = 6, coders=("A", "B", "C"), spans_per_coder: int = 40,
                    seed: int = 11):
    """A project in ``folder / "study"``: ``n_transcripts`` interviews, every one coded by each of ``coders``."""
    rng = random.Random(seed)
    src = folder / "src"
    src.mkdir(parents=True)
    for t in range(n_transcripts):
        lines = []
        for turn in range(14):
            who = "Interviewer" if turn % 2 == 0 else "P1"
            body = " ".join(" ".join(rng.choices(WORDS, k=rng.randint(5, 14))).capitalize() + "."
                            for _ in range(rng.randint(1, 4)))
            lines += [f"{who}: {body}", ""]
        (src / f"T{t + 1}.txt").write_text("\n".join(lines), encoding="utf-8")
    project = nc.init_project(folder / "study")
    add_transcripts(project, sorted(src.glob("*.txt")), nlp=None)
    codes = project.codebook["code_id"].tolist()[:12]
    rows = []
    for tid, text in project.transcripts[["transcript_id", "text"]].itertuples(index=False):
        for coder in coders:
            for _ in range(spans_per_coder):
                start = rng.randrange(0, len(text) - 5)
                end = min(len(text), start + rng.randint(3, 400))
                rows.append((tid, coder, rng.choice(codes), start, end, ""))
    import_codings(project, pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"]),
                   source="csv")
    return project
