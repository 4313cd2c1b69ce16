"""Benchmark: the full study report (Word + Excel + HTML, static chart images included) at study scale and beyond.

Usage::

    python benchmarks/report.py                          # 100 then 1,000 transcripts, 4 coders
    python benchmarks/report.py --transcripts 43         # one size
    python benchmarks/report.py --transcripts 100 --profile 25   # and the 25 costliest functions (cProfile)

For each size, a child process generates (not timed) a study: transcripts over 3 sites and 5 roles of about 3,000
words each, three coders sharing them out and a fourth double-coding a fifth of them, about 90 coded spans per
transcript (90,000 for 1,000 transcripts), with the demo's codebook and its two logic models. It then times what
``npt-coder report -o r.docx -o r.xlsx -o r.html`` does: ``build_report`` (agreement, themes, matrix, logic-model
evidence) while the browser kaleido drives for the static images starts in the background, then writing the files
(:func:`npt_coder.render.write_report`: the Word file last, its charts drawn while the others are written and
its tables laid out, then put in place), and prints where the time goes, the CPU time of the process (less
sensitive than the wall time to other work on the machine) and its peak memory. The curve across sizes shows how
the time grows. The issue's targets are absolute: under 5 s for 100 transcripts and under 20 s for 1,000, peak
under 2 GB.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("the front door team screens every contact and we talk about thresholds consent information sharing with "
         "health police education early help colleagues each morning strategy meeting decisions families support "
         "social worker referral step down case system dashboard audit training").split()
TARGETS = {100: 5.0, 1000: 20.0}


def generate(folder: Path, n_transcripts: int, n_codings: int, seed: int = 7):
    import numpy as np
    import pandas as pd

    import npt_coder as nc
    from npt_coder.coding import import_codings
    from npt_coder.services import add_transcripts

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
        name = f"S{i % 3 + 1}_T{i + 1:04d}.txt"
        (src / name).write_text("\n".join(lines), encoding="utf-8")
        rows.append((name, f"S{i % 3 + 1}_T{i + 1:04d}", f"S{i % 3 + 1}", f"ID{i + 1:04d}", roles[i % 5],
                     "focus group" if i % 9 == 8 else "interview"))
    pd.DataFrame(rows, columns=["file", "transcript_id", "site", "participant", "role", "method"]).to_csv(
        src / "attributes.csv", index=False)
    project = nc.init_project(folder / "study", codebook=nc.demo_path() / "inductive_codes.yaml")
    add_transcripts(project, sorted(src.glob("*.txt")), attributes_table=src / "attributes.csv", nlp=None)
    seg = project.segments("sentence", include_interviewer=False)  # spans of a sentence or two, as coders select
    codes = project.codebook["code_id"].to_numpy()
    tids = sorted(seg["transcript_id"].unique())
    owners = {t: ["CS", "SB", "CG"][k % 3] for k, t in enumerate(tids)}
    double = set(tids[: max(1, len(tids) // 5)])
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


def _write_in_order(report, paths, *, timings):
    from npt_coder.render import save

    for path in paths:
        start = time.perf_counter()
        save(report, path)
        timings[path.name] = time.perf_counter() - start


def run_report(project, folder: Path) -> dict[str, float]:
    """What the report verb does, timed step by step."""
    import npt_coder as nc
    from npt_coder.report import build_report

    try:
        from npt_coder.render import warm_up, write_report
    except ImportError:  # a release before these: the browser started at the first image, files in order
        warm_up, write_report = (lambda: None), _write_in_order
    models = [[nc.demo_path() / "logic_models" / "risk_model.yaml",
               nc.demo_path() / "logic_models" / "needs_model.yaml"]]
    times: dict[str, float] = {}
    warm_up()  # as the report verb does: the browser starts in the background, counted in what follows
    start = time.perf_counter()
    report = build_report(project, logic_models=models)
    times["build_report"] = time.perf_counter() - start
    written: dict[str, float] = {}
    write_report(report, [folder / name for name in ("r.docx", "r.xlsx", "r.html")], timings=written)
    times.update({f"write {name}": seconds for name, seconds in written.items()})
    times.update({f"  build: {k}": v for k, v in report.timings.items()})
    return times


def child(n: int, codings: int, profile: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        project = generate(Path(tmp), n, codings)
        c = project.codings
        gen = {"n_transcripts": len(project.transcripts), "n_coders": int(c["coder"].nunique()), "n_codings": len(c),
               "n_words": int(project.transcripts["n_words"].sum()), "generate_s": time.perf_counter() - t0}
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        start, cpu = time.perf_counter(), time.process_time()
        times = run_report(project, Path(tmp))
        total, cpu = time.perf_counter() - start, time.process_time() - cpu
        if profiler:
            profiler.disable()
            buf = io.StringIO()
            pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(profile)
            gen["profile"] = buf.getvalue()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(json.dumps({**gen, "total_s": total, "cpu_s": cpu, "times": times, "peak_mb": peak, "load": load}))


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--transcripts", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--codings-per-transcript", type=int, default=90)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions (cProfile)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        n = args.transcripts[0]
        child(n, n * args.codings_per_transcript, args.profile)
        return
    curve = []
    for n in args.transcripts:
        out = subprocess.run([sys.executable, __file__, "--child", "--transcripts", str(n),
                              "--codings-per-transcript", str(args.codings_per_transcript),
                              "--profile", str(args.profile)], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        curve.append((n, r["total_s"]))
        target = TARGETS.get(n)
        print(f"\n{r['n_transcripts']} transcripts ({r['n_words']:,} words), {r['n_coders']} coders, "
              f"{r['n_codings']:,} codings (generated in {r['generate_s']:.0f} s, not timed)")
        print(f"report -o r.docx -o r.xlsx -o r.html, static images included: {r['total_s']:.2f} s"
              + (f" (target < {target:.0f} s)" if target else "") + f", CPU {r['cpu_s']:.2f} s, peak "
              f"{r['peak_mb']:.0f} MB (target < 2048); load average {r['load']:.1f} on {os.cpu_count()} cores")
        for name, seconds in r["times"].items():
            print(f"  {name:<28} {seconds:6.2f} s")
        if r.get("profile"):
            print(r["profile"])
    if len(curve) > 1:
        print("\ncurve (transcripts: seconds, seconds per 100 transcripts)")
        for n, s in curve:
            print(f"  {n:>6}: {s:7.2f} s  {100 * s / n:6.2f} s/100")
        (n0, s0), (n1, s1) = curve[0], curve[-1]
        print(f"  {n1 / n0:.0f}x the transcripts took {s1 / s0:.1f}x the time (linear: {n1 / n0:.0f}x)")


if __name__ == "__main__":
    main()
