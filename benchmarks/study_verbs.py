"""Benchmark: suggest, disagreements and the Word comment import on a generated study, each against the
implementation it replaced (kept here as ``baseline_...``), timed in the same run.

Usage::

    python benchmarks/study_verbs.py                      # 100 then 300 transcripts
    python benchmarks/study_verbs.py --transcripts 100 --docx 20

The study is what ``benchmarks/report.py`` generates (not timed): transcripts of about 3,000 words, four coders,
about 90 coded spans per transcript. Timed:

* ``suggest`` with the TF-IDF model, learning from RMP (who double-coded a fifth of the transcripts) and
  suggesting for the rest; the baseline builds each reason by looking rows up one suggestion at a time;
* ``disagreements`` between CS and RMP at the paragraph unit, and writing the review workbook and document; the
  baseline filters the whole codings table for every disputed code;
* importing ``--docx`` Word copies of transcripts with 20 comments each (the reading, which is what grew with the
  project); the baseline builds every transcript's character-by-character offset map for every file.

Each line prints the baseline's seconds, ours and the ratio; results are checked equal.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # the checkout: tests/oracles.py

from report import generate  # benchmarks/ is the script's folder

from tests.oracles import OracleTextMap as BaselineTextMap  # the code replaced, kept as the tests' oracles
from tests.oracles import oracle_table as baseline_table

from npt_coder.assist import _suggest, make_suggestions
from npt_coder.coding import _docx_comments
from npt_coder.coding._docx_comments import add_comment_to_text, read_docx_comments
from npt_coder.coding._files import transcript_to_docx
from npt_coder.coding._match import TextMap
from npt_coder.render._review import disagreements_to_docx
from npt_coder.review import disagreements, review_workbook


def baseline_spans(codings: pd.DataFrame, coder: str, tid: str, code: str, start: int, end: int) -> tuple:
    g = codings[(codings["transcript_id"] == tid) & (codings["coder"] == coder) & (codings["code_id"] == code)
                & (codings["end"] > start) & (codings["start"] < end)].sort_values("start")
    return tuple((max(int(s), start), min(int(e), end)) for s, e in zip(g["start"], g["end"]))


def baseline_disagreements(project, coder_a: str, coder_b: str, *, unit: str = "paragraph"):
    """Ours, with every disputed code's spans found by filtering the two coders' whole codings table."""
    found = disagreements(project, coder_a, coder_b, unit=unit)
    codings = project.codings
    mine = codings[codings["coder"].isin([coder_a, coder_b]) & codings["transcript_id"].isin(found.transcripts)]
    units = project.segments(unit).set_index(["transcript_id", "segment_id"])
    codes = found.codes.copy()
    for side, coder in (("spans_a", coder_a), ("spans_b", coder_b)):
        codes[side] = [baseline_spans(mine, coder, t, c, int(units.loc[(t, g), "start"]), int(units.loc[(t, g), "end"]))
                       for t, g, c in zip(codes["transcript_id"], codes["segment_id"], codes["code_id"])]
    import dataclasses

    return dataclasses.replace(found, codes=codes)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def line(name: str, base: float, ours: float) -> None:
    print(f"  {name:<34} baseline {base:7.2f} s   ours {ours:7.2f} s   {base / ours:6.1f}x")


def bench_suggest(project) -> None:
    seen = []
    table = _suggest._table

    def keep(*args, **kwargs):
        seen.append((args, kwargs))
        return table(*args, **kwargs)

    _suggest._table = keep
    try:
        total, _ = timed(make_suggestions, project, learn_from=["RMP"], model="tfidf")
    finally:
        _suggest._table = table
    (args, kwargs), = seen
    ours, new = timed(table, *args, **kwargs)
    base, old = timed(baseline_table, *args, **kwargs)
    pd.testing.assert_frame_equal(new, old)
    line(f"suggest: reasons ({len(new):,} suggestions)", base, ours)
    line("suggest: whole verb", total - ours + base, total)


def bench_disagreements(project, folder: Path) -> None:
    def whole(fn):
        found = fn(project, "CS", "RMP", unit="paragraph")
        review_workbook(found, project_id=project.project_id).save(folder / "review.xlsx")
        disagreements_to_docx(found).save(folder / "review.docx")
        return found

    # the baseline pays for our grouping too (it starts from our result): its figure is a floor
    ours, new = timed(disagreements, project, "CS", "RMP", unit="paragraph")
    base, old = timed(baseline_disagreements, project, "CS", "RMP", unit="paragraph")
    assert new.codes["spans_a"].tolist() == old.codes["spans_a"].tolist()
    assert new.codes["spans_b"].tolist() == old.codes["spans_b"].tolist()
    line(f"disagreements ({len(new.codes):,} disputed codes)", base, ours)
    ours_all, _ = timed(whole, disagreements)
    base_all, _ = timed(whole, baseline_disagreements)
    line("disagreements -o .xlsx -o .docx", base_all, ours_all)


def bench_comments(project, folder: Path, n_files: int) -> None:
    rng = random.Random(3)
    codes = project.codebook["code_id"].tolist()
    files = []
    for tid, text in project.transcripts[["transcript_id", "text"]].head(n_files).itertuples(index=False):
        doc = transcript_to_docx(text, transcript_id=tid)
        lines = [x for x in text.split("\n") if len(x) > 80]
        for k in range(20):
            row = rng.choice(lines)
            at = rng.randrange(0, len(row) - 40)
            quote = row[at:at + 30].strip()
            if quote and text.count(quote) == 1:
                add_comment_to_text(doc, quote, f"{rng.choice(codes)}: note {k}", author="CS")
        path = folder / f"{tid}.docx"
        doc.save(path)
        files.append(path)

    def read_all():
        return pd.concat([read_docx_comments(f, project) for f in files], ignore_index=True)

    ours, new = timed(read_all)
    _docx_comments.TextMap = BaselineTextMap
    try:
        base, old = timed(read_all)
    finally:
        _docx_comments.TextMap = TextMap
    pd.testing.assert_frame_equal(new, old)
    line(f"reading {len(files)} Word files ({len(new):,} codings)", base, ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--transcripts", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--docx", type=int, default=100, help="Word files with comments to read (at most one a "
                        "transcript)")
    args = parser.parse_args()
    for n in args.transcripts:
        with tempfile.TemporaryDirectory() as tmp:
            project = generate(Path(tmp), n, n * 90)
            print(f"\n{n} transcripts, {len(project.codings):,} codings")
            bench_suggest(project)
            bench_disagreements(project, Path(tmp))
            bench_comments(project, Path(tmp), min(args.docx, n))


if __name__ == "__main__":
    main()
