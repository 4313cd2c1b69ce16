"""Benchmark: the workbench under a team's load, on loopback only, bounded in count and time.

Usage::

    python benchmarks/workbench.py                 # 8 coders for 60 s, then 30 opens of the large transcript
    python benchmarks/workbench.py --seconds 20    # shorter (at most 120 s; at most 200,000 writes in all)

It makes a project in a temporary folder with a synthetic interview of 10,000 words (and a second, short one),
serves it with ``npt-coder serve`` in a child process on 127.0.0.1 (nothing else is contacted), and then

1. has 8 simulated coders post codings at the same time, each in its own thread and connection, every coder
   waiting ``--think`` seconds (default 0.25, about a hundred times a real coder's pace) between answers; at the
   end every coder's stored codings are compared with the ones the server confirmed: none may be missing, none
   doubled, none extra. Write latency is measured at the client (request sent to answer read);
2. loads the 10,000-word transcript holding 2,000 codings (the coding page and its JSON), reading the server's
   own time from the ``Server-Timing`` header.

Targets (issue 16): zero lost or duplicated writes, p95 write latency under 50 ms, opening under 300 ms server time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pandas as pd

import npt_coder as nc
from npt_coder.services import add_transcripts
from npt_coder.store import ImportBatch

MAX_SECONDS, MAX_WRITES = 120, 200_000
WORDS = ("the front door team screens each contact and we talk about thresholds consent information sharing with "
         "health police education and early help colleagues every morning strategy meeting decisions families "
         "support social worker referral step down case system dashboard audit training").split()
CODES = ["C1", "C2", "C3", "C4", "M1.1", "M1.2", "M2.1", "M2.3", "M3.1", "M3.3", "M4.2", "O1", "O4"]


def interview(n_words: int, rng: random.Random) -> str:
    lines = ["Synthetic interview for the workbench benchmark", ""]
    words = 0
    while words < n_words:
        q = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16)))
        a = " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 22))).capitalize() + "."
                     for _ in range(rng.randint(3, 8)))
        lines += [f"INT: {q.capitalize()}?", "", f"P99: {a}", ""]
        words += len(q.split()) + len(a.split())
    return "\n".join(lines)


def make_project(root: Path, rng: random.Random) -> tuple[nc.Project, str]:
    files = root / "files"
    files.mkdir()
    (files / "S9_P99.txt").write_text(interview(10_000, rng), encoding="utf-8")
    (files / "S9_P98.txt").write_text(interview(1_500, rng), encoding="utf-8")
    project = nc.init_project(root / "study")
    add_transcripts(project, sorted(files.iterdir()), name_pattern="{site}_{participant}", nlp=None,
                    accept_flagged=True, who="bench")
    text = project.transcript_text("S9_P99")
    spans = []
    for i in range(2_000):
        s = rng.randrange(0, len(text) - 400)
        spans.append(("S9_P99", ("AK", "JT", "MB", "RS")[i % 4], rng.choice(CODES), s, s + rng.randint(20, 400)))
    frame = pd.DataFrame(spans, columns=["transcript_id", "coder", "code_id", "start", "end"]).assign(memo="")
    project.record_imports([ImportBatch(frame, "csv", "bench.csv")], who="bench")  # as stored: no merging
    project.open_comparison("S9_P99", who="bench")  # all 2,000 are visible to whoever opens it
    return project, text


def coder(base: str, token: str, name: str, length: int, stop: float, think: float, out: dict, seed: int) -> None:
    rng = random.Random(seed)
    confirmed, latencies, server, errors = [], [], [], 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
        while time.monotonic() < stop and len(confirmed) < MAX_WRITES // 8:
            s = rng.randrange(0, length - 200)
            body = {"transcript_id": "S9_P98", "code_id": rng.choice(CODES), "start": s, "end": s + rng.randint(5, 200),
                    "coder": name}
            began = time.perf_counter()
            r = c.post("/api/codings", json=body)
            latencies.append((time.perf_counter() - began) * 1000)
            server.append(float(r.headers["server-timing"].split("dur=")[1]))
            if r.status_code == 201:
                confirmed.append(r.json()["coding_id"])
            else:
                errors += 1
            time.sleep(think)
    out[name] = (confirmed, latencies, server, errors)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--coders", type=int, default=8)
    ap.add_argument("--think", type=float, default=0.25)
    ap.add_argument("--opens", type=int, default=30)
    args = ap.parse_args()
    seconds = min(args.seconds, MAX_SECONDS)
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        project, _ = make_project(Path(tmp), rng)
        small = len(project.transcript_text("S9_P98"))
        token = "benchmark-token-16"
        proc = subprocess.Popen([sys.executable, "-m", "npt_coder", "serve", "-p", str(project.root), "--port", "0",
                                 "--host", "127.0.0.1", "--token", token, "--no-browser"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            first = proc.stdout.readline().strip()
            base = first.split(": ", 1)[1].split("/?")[0]
            if not base.startswith("http://127.0.0.1:"):
                raise SystemExit(f"unexpected first line {first!r}")
            out: dict = {}
            stop = time.monotonic() + seconds
            threads = [threading.Thread(target=coder, args=(base, token, f"B{i + 1}", small, stop, args.think, out, i))
                       for i in range(args.coders)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            opens_html, opens_json = [], []
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
                c.get("/?token=" + token)  # a browser's session for the HTML page
                for _ in range(args.opens):
                    r = c.get("/transcripts/S9_P99")
                    opens_html.append(float(r.headers["server-timing"].split("dur=")[1]))
                    r = c.get("/api/transcripts/S9_P99")
                    opens_json.append(float(r.headers["server-timing"].split("dur=")[1]))
                    n_visible = len(r.json()["codings"])
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
        stored = project.coding_table("S9_P98")
        lost = dup = extra = 0
        latencies: list[float] = []
        server: list[float] = []
        errors = 0
        for name, (confirmed, lat, srv, err) in out.items():
            mine = stored[stored["coder"] == name]["coding_id"].tolist()
            lost += len(set(confirmed) - set(mine))
            dup += len(mine) - len(set(mine)) + len(confirmed) - len(set(confirmed))
            extra += len(set(mine) - set(confirmed))
            latencies += lat
            server += srv
            errors += err
        n = sum(len(c[0]) for c in out.values())
        words = len(project.transcript_text("S9_P99").split())
        print(f"writes: {args.coders} coders for {seconds:.0f} s (think {args.think:.2f} s): {n} codings confirmed, "
              f"{n / seconds:.1f} writes/s, {errors} refused")
        print(f"  stored vs confirmed: {lost} lost, {dup} duplicated, {extra} unconfirmed extra")
        print(f"  write latency at the client: p50 {pct(latencies, 50):.1f} ms, p95 {pct(latencies, 95):.1f} ms, "
              f"max {max(latencies):.1f} ms (server time p50 {pct(server, 50):.1f} ms, p95 {pct(server, 95):.1f} ms)")
        print(f"open: {words:,}-word transcript with {n_visible:,} codings, {args.opens} times (server time): "
              f"page p50 {statistics.median(opens_html):.0f} ms, p95 {pct(opens_html, 95):.0f} ms; "
              f"JSON p50 {statistics.median(opens_json):.0f} ms, p95 {pct(opens_json, 95):.0f} ms")
        ok = (lost == dup == extra == errors == 0 and pct(latencies, 95) < 50 and pct(opens_html, 95) < 300
              and pct(opens_json, 95) < 300)
        print("targets met" if ok else "TARGETS MISSED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
