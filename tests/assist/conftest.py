"""A small study for the suggestion tests: four interview transcripts written here, three of them coded by AK and
one double-coded by JT, on three themes whose words differ (training, shared records, the service's aims)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.assist import available_models
from npt_coder.assist._models import Features
from npt_coder.coding import import_codings
from npt_coder.services import add_transcripts

THEMES = {
    "M3.2": ["We had two days of training on the screening tool and the trainer walked us through each question.",
             "The induction training covered risk thresholds, and the refresher course helped newer staff.",
             "Nobody trained us at first; later a training session on the new form made the skills click.",
             "Training for the duty team was patchy, so we asked for a course on the assessment skills."],
    "M4.1": ["The shared record shows every contact, and the dashboard counts how many referrals we close.",
             "We log each decision in the shared case record so the monthly figures come straight out of it.",
             "The data team pulls numbers from the record system and the dashboard shows waiting times.",
             "Every referral is recorded on the system, so audits read the figures from the shared record."],
    "C1": ["The service was set up because families were being passed between agencies with nobody holding them.",
           "Its aim, as the board put it, was one front door so that concerns about children land in one place.",
           "Before it existed each agency screened alone; the point was to stop duplicate visits to families.",
           "The plan was always about earlier help: catching needs before they turned into child protection."],
}
# the packaged sentence model comes with the optional 'assist' extra; its tests are collected only where it is installed
collect_ignore = [] if available_models()["minilm"] else ["test_minilm.py"]

QUESTIONS = {"M3.2": "How were you prepared for the role?", "M4.1": "How do you keep track of the work?",
             "C1": "Why was the service set up?"}


def _transcript(n: int) -> str:
    lines = ["Interview with a practitioner", ""]
    for code in THEMES:
        lines += [f"Interviewer: {QUESTIONS[code]}", "", f"P0{n}: {THEMES[code][n - 1]}", ""]
    lines += ["Interviewer: Anything else?", "", f"P0{n}: Not really, that covers it for transcript {n}.", ""]
    return "\n".join(lines)


def _coding(project, tid: str, coder: str) -> pd.DataFrame:
    seg = project.segments("paragraph", include_interviewer=False, transcripts=[tid])
    rows = []
    for code, texts in THEMES.items():
        for _, s in seg.iterrows():
            if any(t[:40] in s["text"] for t in texts):
                rows.append((tid, coder, code, int(s["start"]), int(s["end"])))
    return pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end"])


@pytest.fixture
def study(tmp_path):
    """T1..T4; AK coded T1-T3, JT double-coded T1; T4 uncoded."""
    files = []
    for n in range(1, 5):
        path = tmp_path / f"T{n}.txt"
        path.write_text(_transcript(n), encoding="utf-8")
        files.append(path)
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, files, nlp=None)
    for tid in ("T1", "T2", "T3"):
        import_codings(p, _coding(p, tid, "AK"), source="csv", source_name=f"AK_{tid}.csv")
    import_codings(p, _coding(p, "T1", "JT"), source="csv", source_name="JT_T1.csv")
    return p


class HashEmbeddings(Features):
    """Dense, deterministic 'embeddings' (bag of hashed words) standing in for a sentence model in tests: the dense
    path (logistic regression, reasons from nearest examples) without torch."""

    name = "hash"
    model = "hashed words + logistic regression"
    codebook_model = "hashed words similarity to the codebook"
    version = "test"
    dense = True

    def __init__(self) -> None:
        self.seen: list[tuple[bool, list[str]]] = []

    def encode(self, texts):
        out = np.zeros((len(texts), 64))
        for i, text in enumerate(texts):
            for word in str(text).lower().split():
                out[i, int(hashlib.sha1(word.strip(".,?;:").encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def matrix(self, texts, vectors, roles, *, fit, use_tfidf):
        self.seen.append((fit, list(texts)))
        return super().matrix(texts, vectors, roles, fit=fit, use_tfidf=use_tfidf)


@pytest.fixture
def hashed():
    return HashEmbeddings()
