"""A project read once for one computation: the tables a report reads again and again, kept while it runs.

A study report asks the store for the codings, the transcripts and the segments at each unit many times over (the
themes, the co-occurrence table, the CMO links, the matrix, the logic-model evidence, the methods paragraph and the
agreement each read them). :func:`snapshot` gives an object that answers as the :class:`~npt_coder.store.Project`
does, but reads each of those once and hands out copies, so a caller that changes what it was given changes
nothing for the next. Segment texts are cut from the transcripts' texts in Python (SQLite's ``substr`` reads a
transcript from its start for every segment). Everything else (changes included) goes to the project itself.

Use it only while nothing changes the project: it does not see later changes.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import pandas as pd

from ..codebook import Codebook

__all__ = ["ProjectSnapshot", "snapshot"]


class ProjectSnapshot:
    """The read-once view of a project that :func:`snapshot` returns."""

    def __init__(self, project: Any):
        self._project = project
        self._memo: dict[Any, Any] = {}

    def __getattr__(self, name: str) -> Any:  # anything not kept goes to the project
        return getattr(self._project, name)

    def __repr__(self) -> str:
        return f"snapshot({self._project!r})"

    def kept(self, key: Any, read: Callable[[], Any]) -> Any:
        """``read()`` the first time ``key`` is asked for, the same object afterwards: for what is built from the
        project's tables once and shared (the themes' :class:`~npt_coder.themes._material.Material`)."""
        if key not in self._memo:
            self._memo[key] = read()
        return self._memo[key]

    @property
    def codings(self) -> pd.DataFrame:
        return self.kept("codings", lambda: self._project.codings).copy()

    @property
    def transcripts(self) -> pd.DataFrame:
        return self.kept("transcripts", lambda: self._project.transcripts).copy()

    def load_codebook(self) -> Codebook:
        return self.kept("codebook", self._project.load_codebook)

    @property
    def codebook(self) -> pd.DataFrame:
        return self.load_codebook().frame.copy()

    def _texts(self) -> dict[str, str]:
        def read() -> dict[str, str]:
            t = self.kept("transcripts", lambda: self._project.transcripts)
            return dict(zip(t["transcript_id"], t["text"]))

        return self.kept("texts", read)

    def transcript_text(self, transcript_id: str) -> str:
        texts = self._texts()
        if transcript_id not in texts:
            return self._project.transcript_text(transcript_id)  # the project's own error
        return texts[transcript_id]

    def segments(self, unit: str = "turn", *, include_interviewer: bool = True,
                 transcripts: Iterable[str] | None = None, text: bool = True) -> pd.DataFrame:
        """As :meth:`Project.segments <npt_coder.store.Project.segments>`."""
        bare = self.kept(("segments", unit, include_interviewer),
                          lambda: self._project.segments(unit, include_interviewer=include_interviewer, text=False))
        if transcripts is not None:
            bare = bare[bare["transcript_id"].isin(list(transcripts))].reset_index(drop=True)
        out = bare.copy()
        if text:
            texts = self._texts()
            out["text"] = [texts[t][s:e] for t, s, e in zip(out["transcript_id"], out["start"].tolist(),
                                                            out["end"].tolist())]
        return out


def snapshot(project: Any) -> ProjectSnapshot:
    """A view of ``project`` that reads its codings, transcripts, codebook and segments once (see the module)."""
    return project if isinstance(project, ProjectSnapshot) else ProjectSnapshot(project)
