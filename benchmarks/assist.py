"""How well suggested codes agree with human coders: the demo study and a public, human-coded dataset.

Usage::

    python benchmarks/assist.py                    # both datasets, the model 'auto' picks (minilm where installed)
    python benchmarks/assist.py --model tfidf      # the floor, as it runs with no optional package
    python benchmarks/assist.py --only demo        # or: --only annomi
    python benchmarks/assist.py --cache DIR        # where the public dataset and its project are kept

For each dataset it prints per-code Cohen's kappa between suggestions and the human coding (cross-validated by
transcript: no suggestion comes from a model that learnt from its transcript), the macro mean, precision and recall,
the human-human kappa where the data has double-coding, and the time per 1,000 units (model loading included).

**Demo study** (``npt-coder demo``; fictional): AK coded six transcripts, JT double-coded three. Suggestions learn
from AK (and, second, from AK and JT) with leave-one-transcript-out folds, and are compared with AK; the
human-human kappa is AK against JT on the three double-coded transcripts. Then suggesting for all twelve
transcripts is timed as a user runs it.

**AnnoMI** (Wu et al. 2022, 2023): 133 transcribed demonstrations of motivational interviewing, every utterance
coded by experts in motivational interviewing; 7 of the transcripts were coded by all ten annotators. Obtained from
the authors' public repository (github.com/uccollab/AnnoMI, file ``AnnoMI-full.csv``) into the cache folder, never
into the package. Codes used here (presence per utterance, several may apply): question, open question, reflection,
complex reflection, therapist input (information, advice, negotiation, options), change talk, sustain talk; their
definitions in the benchmark's codebook are written for this script. Suggestions learn from the 126 transcripts coded
once (5-fold cross-validation by transcript), and, trained on all 126, are compared on the 7 multi-coded transcripts
with each of the ten annotators, next to the annotators' own pairwise kappa.

  Wu, Z., Balloccu, S., Kumar, V., Helaoui, R., Reiter, E., Reforgiato Recupero, D., Riboni, D. (2022). Anno-MI: A
  dataset of expert-annotated counselling dialogues. ICASSP 2022, 6177-6181. doi:10.1109/ICASSP43922.2022.9746035
  Wu, Z., et al. (2023). Creation, analysis and evaluation of AnnoMI, a dataset of expert-annotated counselling
  dialogues. Future Internet 15(3), 110. doi:10.3390/fi15030110

Published anchor for deductive coding of passages (Dunivin 2024, arXiv:2401.15170): GPT-3.5 mean kappa 0.34;
GPT-4 kappa >= 0.6 on 8 of 9 codes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import npt_coder as nc
from npt_coder.agreement import agreement_table
from npt_coder.assist import evaluate, load_features, make_suggestions
from npt_coder.demo import run_demo
from npt_coder.ingest import IngestOptions, read_transcripts
from npt_coder.services import add_read_transcripts

ANNOMI_CSV = "AnnoMI-full.csv"
ANNOMI_SOURCE = "github.com/uccollab/AnnoMI (AnnoMI-full.csv)"
MI_CODES = {
    "MI-Q": ("Question", "The counsellor asks something: a request for information, a view or a feeling, open or "
             "closed.", lambda d: d["question_exists"] == True),  # noqa: E712 (the CSV's booleans)
    "MI-QO": ("Open question", "A question that invites the client to talk at length in their own words rather than "
              "answer yes, no or a fact.", lambda d: d["question_subtype"] == "open"),
    "MI-R": ("Reflection", "The counsellor says back what the client said or meant, as a statement, to show "
             "understanding.", lambda d: d["reflection_exists"] == True),  # noqa: E712
    "MI-RC": ("Complex reflection", "A reflection that adds meaning: the feeling beneath, what the client has not yet "
              "said, or both sides of their ambivalence.", lambda d: d["reflection_subtype"] == "complex"),
    "MI-IN": ("Therapist input", "The counsellor gives information, advice, options or negotiates a plan or a "
              "goal.", lambda d: d["therapist_input_exists"] == True),  # noqa: E712
    "MI-CT": ("Change talk", "The client speaks for changing the behaviour: desire, ability, reasons, need, "
              "commitment or steps taken.", lambda d: d["client_talk_type"] == "change"),
    "MI-ST": ("Sustain talk", "The client speaks for keeping the behaviour as it is, or against changing it.",
              lambda d: d["client_talk_type"] == "sustain"),
}


def per_code(table: pd.DataFrame, title: str) -> None:
    cols = ["code_id", "coder", "both", "only_coder", "only_suggested", "kappa", "precision", "recall", "human_kappa"]
    print(f"\n{title}")
    print(table[cols].to_string(index=False, float_format=lambda v: f"{v:.2f}", na_rep="–"))


def sweep(project, features, thresholds, **options) -> None:
    """Macro kappa at other thresholds (the embeddings are computed once per loaded model)."""
    found = [(t, evaluate(project, threshold=t, features=features, **options)) for t in thresholds]
    print("macro kappa at other thresholds: " + "; ".join(
        f"{t:g}: {ev.macro_kappa:.3f} ({int((ev.table['kappa'] >= 0.6).sum())} code(s) >= 0.6)" for t, ev in found))


# --- the demo study -------------------------------------------------------------------------------------------

def bench_demo(model: str, cache: Path) -> None:
    started = time.perf_counter()
    project = run_demo(cache / "demo").project
    print(f"\n=== demo study ({time.perf_counter() - started:.0f} s to build with npt-coder demo)")
    for learners in (["AK"], ["AK", "JT"]):
        started = time.perf_counter()
        features = load_features(model)
        loading = time.perf_counter() - started
        ev = evaluate(project, learn_from=learners, folds=6, features=features)
        per_code(ev.table, f"learnt from {', '.join(learners)}: {ev.summary()}")
        print(f"macro kappa {ev.macro_kappa:.3f} (human-human {ev.macro_human_kappa:.3f}); model loading "
              f"{loading:.1f} s; {1000 * (ev.seconds + loading) / ev.n_units:.1f} s per 1,000 units with loading")
        if learners == ["AK"]:
            sweep(project, features, (0.4, 0.6), learn_from=learners, folds=6)
    coded = sorted(set(project.codings.loc[project.codings["coder"] == "AK", "transcript_id"]))
    alone = make_suggestions(project, transcripts=coded, features=features)
    codings = pd.concat([project.codings[project.codings["coder"] == "AK"],
                         alone.suggestions.assign(memo="", source="suggested")], ignore_index=True)
    table = agreement_table(codings, coders=["AK", "assist"], unit="paragraph", by=("code",), ci=None,
                            segments=project.segments("paragraph", include_interviewer=False),
                            codebook=project.codebook)
    print(f"\nfrom the codebook alone (no coding learnt), on AK's {len(coded)} transcripts: mean kappa vs AK "
          f"{table['cohen_kappa'].mean():.3f} over {int(table['cohen_kappa'].notna().sum())} code(s)")
    started = time.perf_counter()
    every = project.transcripts["transcript_id"].tolist()
    result = make_suggestions(project, learn_from=["AK"], transcripts=every, model=model)
    total = time.perf_counter() - started
    print(f"\nsuggest for all {len(every)} demo transcripts (learnt from AK; AK's own six held out one at a time): "
          f"{total:.1f} s including model loading, {result.n_units} units, {len(result.suggestions)} suggestions, "
          f"{1000 * total / max(result.n_units, 1):.1f} s per 1,000 units")


# --- AnnoMI ---------------------------------------------------------------------------------------------------

def _fetch_hint(cache: Path) -> str:
    return (f"{cache / ANNOMI_CSV} is missing: put the file {ANNOMI_CSV} of {ANNOMI_SOURCE} there (the benchmark "
            "never downloads anything itself)")


def annomi_project(cache: Path) -> tuple[nc.Project, list[str], list[str]]:
    """The AnnoMI transcripts and codings as an npt-coder project in the cache (made once, then reused)."""
    data = pd.read_csv(cache / ANNOMI_CSV)
    annotators = data.groupby("transcript_id")["annotator_id"].nunique()
    multi = sorted(f"MI{t:03d}" for t in annotators[annotators > 1].index)
    root = cache / "annomi_project"
    if (root / "npt_coder.sqlite").exists():
        project = nc.open_project(root)
        if len(project.codings):
            return project, multi, sorted(set(project.codings["coder"]) - {"expert"})
        shutil.rmtree(root)  # left incomplete by an interrupted run: made again
    texts = cache / "annomi_transcripts"
    texts.mkdir(parents=True, exist_ok=True)
    first = data.sort_values(["transcript_id", "annotator_id", "utterance_id"])
    first = first[first["annotator_id"] == first.groupby("transcript_id")["annotator_id"].transform("min")]
    files = []
    for tid, rows in first.groupby("transcript_id"):
        lines = [f"{who.capitalize()}: {' '.join(str(text).split())}"
                 for who, text in zip(rows["interlocutor"], rows["utterance_text"].fillna("..."))]
        path = texts / f"MI{tid:03d}.txt"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    codebook = cache / "mi_codes.yaml"
    codebook.write_text(yaml.safe_dump({
        "extends": "default", "name": "Motivational interviewing (benchmark)", "version": "1.0.0",
        "codes": [{"id": k, "name": v[0], "kind": "inductive", "maps_to": ["mechanism"], "definition": v[1]}
                  for k, v in MI_CODES.items()]}, sort_keys=False), encoding="utf-8")
    project = nc.init_project(root, codebook=codebook)
    options = IngestOptions(speaker_pattern=r"(?P<speaker>Therapist|Client):", interviewer_labels=["Therapist"])
    read = read_transcripts(files, options=options)
    add_read_transcripts(project, read, accept_flagged=True, nlp=None, note="AnnoMI benchmark")
    seg = project.segments("paragraph")
    rows = []
    for (tid, annotator), g in data.sort_values("utterance_id").groupby(["transcript_id", "annotator_id"]):
        mine = seg[seg["transcript_id"] == f"MI{tid:03d}"]
        if len(mine) != len(g):  # an utterance split or joined on reading: leave the transcript out
            continue
        coder = f"A{annotator}" if f"MI{tid:03d}" in multi else "expert"
        for code, (_, _, rule) in MI_CODES.items():
            hit = rule(g).to_numpy()
            rows += [(f"MI{tid:03d}", coder, code, s, e) for s, e in zip(mine["start"].to_numpy()[hit],
                                                                          mine["end"].to_numpy()[hit])]
    table = pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end"])
    nc.coding.import_codings(project, table, source="csv", source_name="AnnoMI-full.csv")
    return project, multi, sorted(set(table["coder"]) - {"expert"})


def bench_annomi(model: str, cache: Path) -> None:
    if not (cache / ANNOMI_CSV).exists():
        print(f"\n=== AnnoMI: skipped; {_fetch_hint(cache)}")
        return
    started = time.perf_counter()
    project, multi, annotators = annomi_project(cache)
    print(f"\n=== AnnoMI ({ANNOMI_SOURCE}; project ready in {time.perf_counter() - started:.0f} s)")
    codes = list(MI_CODES)
    started = time.perf_counter()
    features = load_features(model)
    loading = time.perf_counter() - started
    ev = evaluate(project, learn_from=["expert"], codes=codes, folds=5, include_interviewer=True, features=features)
    per_code(ev.table, f"5-fold cross-validation on the transcripts coded once: {ev.summary()}")
    print(f"macro kappa {ev.macro_kappa:.3f}; {1000 * (ev.seconds + loading) / ev.n_units:.1f} s per 1,000 units "
          "with loading")
    sweep(project, features, (0.6, 0.7), learn_from=["expert"], codes=codes, folds=5, include_interviewer=True)
    # trained on every single-coded transcript, compared on the multi-coded ones with each annotator
    result = make_suggestions(project, learn_from=["expert"], transcripts=multi, codes=codes,
                              include_interviewer=True, features=features)
    seg = project.segments("paragraph")
    codings = pd.concat([project.codings[project.codings["coder"].isin(annotators)],
                         result.suggestions.assign(memo="", source="suggested")], ignore_index=True)
    table = agreement_table(codings, coders=["assist", *annotators], unit="paragraph",
                            segments=seg[seg["transcript_id"].isin(multi)], by=("code",), ci=None,
                            codebook=project.codebook[project.codebook["code_id"].isin(codes)])
    machine = table[table["coder_a"] == "assist"].groupby("key")["cohen_kappa"].mean()
    human = table[table["coder_a"] != "assist"].groupby("key")["cohen_kappa"].mean()
    n_pairs = len(list(combinations(annotators, 2)))
    print(f"\non the {len(multi)} transcripts coded by all {len(annotators)} annotators "
          f"(model trained on the others): mean kappa, model vs each annotator | annotator pairs ({n_pairs})")
    for code in codes:
        print(f"  {code:6s} {MI_CODES[code][0]:20s} {machine.get(code, np.nan):5.2f} | {human.get(code, np.nan):5.2f}")
    print(f"  macro  {'':20s} {machine.mean():5.2f} | {human.mean():5.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--model", default="auto", help="auto, minilm, tfidf or a local model folder")
    parser.add_argument("--only", choices=("demo", "annomi"))
    parser.add_argument("--cache", type=Path, default=Path("build/bench-assist"),
                        help="folder for the public dataset and the benchmark projects")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "demo"):
        bench_demo(args.model, args.cache)
    if args.only in (None, "annomi"):
        bench_annomi(args.model, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
