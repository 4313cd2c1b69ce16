"""Benchmark: ingest N synthetic Word transcripts (text + turns + sentences) against a naive baseline.

Usage::

    python benchmarks/ingest.py 1000          # N files of ~10,000 characters each

The baseline is what one would write first: python-docx paragraphs joined, a regular expression per line for the
speaker, and ``nlp(text)`` per turn with a blank English pipeline + sentencizer. Each side runs in its own child
process on the same files, so the peak memory printed (max RSS) is that side's alone. The files are generated once
into a temporary folder; generation, imports and building the spaCy pipeline are not timed on either side. Timings vary with the machine; the ratio is what to compare.
"""

from __future__ import annotations

import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("the front door team screens every contact and we talk about thresholds consent information sharing with "
         "health police education and early help colleagues each morning strategy meeting decisions families "
         "support social worker referral step down case system dashboard audit training").split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 22))
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def generate(folder: Path, n: int, seed: int = 1) -> list[Path]:
    from docx import Document

    rng = random.Random(seed)
    paths = []
    for i in range(n):
        doc = Document()
        doc.add_heading(f"Synthetic interview {i + 1}", level=1)
        doc.add_paragraph("Site: S1")
        chars = 0
        turn = 0
        while chars < 10_000:
            speaker = "Interviewer" if turn % 2 == 0 else f"P{i % 90 + 1:02d}"
            n_sent = rng.randint(1, 2) if turn % 2 == 0 else rng.randint(2, 9)
            text = " ".join(_sentence(rng) for _ in range(n_sent))
            p = doc.add_paragraph()
            if rng.random() < 0.2:
                p.add_run(f"[00:{turn // 60:02d}:{turn % 60:02d}] ")
            p.add_run(f"{speaker}:").bold = True
            p.add_run(" " + text)
            chars += len(text)
            if turn % 2 == 1 and rng.random() < 0.3:  # a continuation paragraph
                more = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
                doc.add_paragraph(more)
                chars += len(more)
            turn += 1
        path = folder / f"synthetic_{i:05d}.docx"
        doc.save(path)
        paths.append(path)
    return paths


def setup_baseline():
    import docx
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return docx, nlp


def run_baseline(paths: list[Path], docx, nlp) -> dict:
    label = re.compile(r"^(?:\[[\d:]+\]\s*)?([A-Z][\w ]{0,30}):\s*(.*)$")
    n_turns = n_sents = 0
    for path in paths:
        document = docx.Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        turns: list[list[str]] = []
        for line in text.split("\n"):
            m = label.match(line)
            if m:
                turns.append([m.group(1), m.group(2)])
            elif turns:
                turns[-1][1] += "\n" + line
        for _, body in turns:
            n_sents += sum(1 for _ in nlp(body).sents)
        n_turns += len(turns)
    return {"turns": n_turns, "sentences": n_sents}


def setup_ours():
    from npt_coder.ingest import read_transcripts
    from npt_coder.ingest._sentences import _tokenizer

    _tokenizer()  # build the blank English tokenizer once, as the baseline builds its pipeline before timing
    return (read_transcripts,)


def run_ours(paths: list[Path], read_transcripts) -> dict:
    transcripts = read_transcripts(paths)
    return {"turns": sum(len(t.turns) for t in transcripts), "sentences": sum(len(t.sentences) for t in transcripts)}


def child(mode: str, folder: str) -> None:
    paths = sorted(Path(folder).glob("*.docx"))
    setup = setup_ours() if mode == "ours" else setup_baseline()  # imports and pipeline: not timed
    start = time.perf_counter()
    counts = run_ours(paths, *setup) if mode == "ours" else run_baseline(paths, *setup)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, **counts}))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = generate(Path(tmp), n)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {n} .docx transcripts ({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        results = {}
        for mode in ("baseline", "ours"):
            out = subprocess.run([sys.executable, __file__, "--child", mode, tmp], check=True, capture_output=True,
                                 text=True)
            results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        b, o = results["baseline"], results["ours"]
        print(f"baseline (python-docx + regex per line + nlp() per turn): {b['seconds']:.2f} s, "
              f"peak {b['peak_mb']:.0f} MB, {b['turns']} turns, {b['sentences']} sentences")
        print(f"npt-coder read_transcripts:                             {o['seconds']:.2f} s, "
              f"peak {o['peak_mb']:.0f} MB, {o['turns']} turns, {o['sentences']} sentences")
        print(f"speed-up: {b['seconds'] / o['seconds']:.2f}x  ({n / o['seconds']:.0f} transcripts/s)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
