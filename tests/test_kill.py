"""All or nothing under ``kill -9``: ``add``, ``import`` of coding files and ``import`` of a whole REFI-QDA project
(transcripts, codes and codings in one transaction) killed at random moments (fixed seed), some while their
transaction is open, leave the project exactly as it was before or exactly as a finished run leaves it, with an
intact SQLite file, and the verb then runs to the end on it.

Each run is a real ``npt-coder`` process. One kill falls at a random moment of a run; the others wait for the
rollback journal (which exists only while the transaction writes) and strike a random few milliseconds later, so
that the moments that matter are hit every time, not by luck.
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.coding._qdpx import project_to_qdpx
from npt_coder.services import add_transcripts

from .hostile import dump

SEED = 1117
RANDOM_KILLS = 1  # per verb, at a random moment of the run
JOURNAL_KILLS = 3  # per verb, 0 to 100 ms after the transaction started writing (it writes for about 60 ms)
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\+00:00)?")


def state(root: Path) -> list[str]:
    """The project's dump with timestamps masked (two finished runs differ only in when they ran)."""
    db = root / "npt_coder.sqlite"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    return [_TIME.sub("<time>", line) for line in dump(db)]


def command(verb_args: list[str], root: Path) -> list[str]:
    return [sys.executable, "-m", "npt_coder", *verb_args, "-p", str(root)]


def run(verb_args, root) -> float:
    began = time.perf_counter()
    done = subprocess.run(command(verb_args, root), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - began


def killed(verb_args, root, *, after: float | None = None, journal_delay: float | None = None) -> str:
    """Start the verb and kill it (SIGKILL) ``after`` seconds, or ``journal_delay`` seconds after its rollback
    journal appears; returns when it struck."""
    journal = root / "npt_coder.sqlite-journal"
    proc = subprocess.Popen(command(verb_args, root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    when = "before the end"
    try:
        if after is not None:
            time.sleep(after)
        else:
            deadline = time.monotonic() + 120
            while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0005)
            when = "in the transaction" if journal.exists() else "after the end"
            time.sleep(journal_delay)
        if proc.poll() is not None:
            when = "after the end"
        proc.kill()
    finally:
        proc.wait(timeout=60)
    return when


def _transcripts(folder: Path, n: int, rng: random.Random, site: str) -> list[Path]:
    words = "we met daily about the forms and the families and the school and the team".split()
    paths = []
    for i in range(n):
        turns = []
        for k in range(80):
            who = "INT" if k % 2 == 0 else f"P{i:02d}"
            turns.append(f"{who}: " + " ".join(rng.choice(words) for _ in range(25)) + ".")
        path = folder / f"{site}_P{i:02d}.txt"
        path.write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def workload(tmp_path_factory):
    rng = random.Random(SEED)
    root = tmp_path_factory.mktemp("kill")
    p = nc.init_project(root / "before_add")
    first = _transcripts(root, 1, rng, "S1")
    add_transcripts(p, first, nlp=None)
    files = root / "files"
    files.mkdir()
    more = _transcripts(files, 10, rng, "S2")
    after_add = root / "after_add"
    shutil.copytree(p.root, after_add)
    add_args = ["add", *map(str, more), "--no-ner"]
    add_time = run(add_args, after_add)
    segs = nc.open_project(after_add).segments("sentence")
    picks = segs.sample(n=min(3000, len(segs)), random_state=SEED)
    table = pd.DataFrame({"transcript_id": picks["transcript_id"], "coder": [rng.choice(["AK", "JT", "KL"])
                                                                            for _ in range(len(picks))],
                          "code_id": [rng.choice(["M1.1", "M2.2", "M3.3", "O4"]) for _ in range(len(picks))],
                          "start": picks["start"], "end": picks["end"]})
    csv = files / "codes.csv"
    table.to_csv(csv, index=False)
    after_import = root / "after_import"
    shutil.copytree(after_add, after_import)
    import_args = ["import", str(csv)]
    import_time = run(import_args, after_import)
    # the whole study as another program's project, imported into an empty one
    qdpx = files / "study.qdpx"
    project_to_qdpx(nc.open_project(after_import), qdpx)
    before_project = nc.init_project(root / "before_project").root
    after_project = root / "after_project"
    shutil.copytree(before_project, after_project)
    project_args = ["import", str(qdpx), "--no-ner"]
    project_time = run(project_args, after_project)
    return {"add": (p.root, after_add, add_args, add_time), "import": (after_add, after_import, import_args,
                                                                        import_time),
            "project": (before_project, after_project, project_args, project_time), "rng": rng}


@pytest.mark.parametrize("verb", ["add", "import", "project"])
def test_a_killed_verb_leaves_the_project_before_or_after_never_between(workload, tmp_path, verb):
    before_root, after_root, args, duration = workload[verb]
    rng = random.Random(f"{SEED}-{verb}")
    before, after = state(before_root), state(after_root)
    assert before != after
    outcomes = []
    plans = [{"after": rng.uniform(0.2, 1.0) * duration} for _ in range(RANDOM_KILLS)]
    plans += [{"journal_delay": rng.uniform(0.0, 0.1)} for _ in range(JOURNAL_KILLS)]
    for k, plan in enumerate(plans):
        root = tmp_path / f"run{k}"
        shutil.copytree(before_root, root)
        when = killed(args, root, **plan)
        now = state(root)
        assert now in (before, after), f"kill {k} ({plan}, {when}) left the project half changed"
        outcomes.append((when, "before" if now == before else "after"))
    assert any(when == "in the transaction" for when, _ in outcomes), outcomes
    # the last killed project is usable: the verb runs to the end on it and gives the finished state
    run(args, root)
    assert state(root) == after
