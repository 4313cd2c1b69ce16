"""Checks already run, kept so the same text is never checked twice by the same detector.

``npt-coder check-anon FILES`` followed by ``npt-coder add FILES`` reads the same files and would run the slow
name pass twice. :class:`CheckCache` keeps what each check found in a folder of small JSON files (the services
keep it in the project folder, :data:`CACHE_FOLDER`), one per checked text, named by a key that covers everything
the findings depend on: the text (SHA-256), the ranges skipped (speaker labels), the deny and allow terms, the
trained pipeline (name, version, components) or its absence, and :func:`detector_version`, which changes whenever
the detector's code changes. So a cached result is used only where a fresh check would give the same answer.

A file holds the findings' types, severities, offsets and detectors, and whether names were looked for; never
the text, a value, a masked preview (made again from the text when read) or a term of the lists (they are only
hashed into the name). A damaged or unreadable file counts as not cached, and a folder that cannot be written to
leaves the check uncached; neither is an error.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from .._io import write_atomically
from .._version import __version__

__all__ = ["CACHE_FOLDER", "CheckCache", "Row", "detector_version", "pipeline_id"]

#: Where in a project folder the services keep the cache.
CACHE_FOLDER = Path(".cache") / "anon-checks"
_FORMAT = 1
#: A finding as the cache keeps it: (type, severity, start, end, detector).
Row = tuple[str, str, int, int, str]
#: The modules whose code decides what the check finds.
_DETECTOR_MODULES = ("_check", "_detect", "_names", "_patterns", "_places", "_scope", "_terms", "_types")


@lru_cache(maxsize=4)
def detector_version(folder: Path | None = None) -> str:
    """The package version and a hash of the detector's own code (the modules in ``folder``, default: this
    package's): any change to how identifiers are found gives another version, and with it a fresh check."""
    digest = hashlib.sha256()
    folder = Path(folder) if folder is not None else Path(__file__).parent
    for name in _DETECTOR_MODULES:
        digest.update((folder / f"{name}.py").read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def pipeline_id(model: Any) -> str:
    """What identifies a trained pipeline for the cache: language, name, version and components; ``"patterns"``
    when there is none."""
    if model is None:
        return "patterns"
    meta = getattr(model, "meta", {}) or {}
    return json.dumps([meta.get("lang"), meta.get("name"), meta.get("version"), list(model.pipe_names)])


class CheckCache:
    """The checks kept in ``folder`` (created when first written).

    >>> import tempfile
    >>> cache = CheckCache(Path(tempfile.mkdtemp()) / "checks")
    >>> key = cache.key("Ring 07700 900123.", [], "patterns", (), ())
    >>> cache.get(key) is None
    True
    >>> cache.put(key, [("phone", "high", 5, 17, "pattern")], False, "patterns only")
    >>> cache.get(key)[0]
    [('phone', 'high', 5, 17, 'pattern')]
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def key(self, text: str, skip: Sequence[tuple[int, int]], pipeline: str, deny: Iterable[str],
            allow: Iterable[str]) -> str:
        """The name under which the check of ``text`` with these settings is kept."""
        parts = [
            _FORMAT, detector_version(), pipeline, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            [list(map(int, pair)) for pair in skip], sorted(deny), sorted(allow),
        ]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=True).encode("ascii")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[list[Row], bool, str] | None:
        """The kept check as ``(rows, name_detection, note)``, or ``None`` (never kept, or its file is damaged)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            rows = [(str(t), str(sev), int(s), int(e), str(det)) for t, sev, s, e, det in data["findings"]]
            found = (rows, bool(data["name_detection"]), str(data["note"]))
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, key: str, rows: Sequence[Row], name_detection: bool, note: str) -> None:
        """Keep a check; a folder that cannot be written to is left as it is."""
        data = {"findings": [list(r) for r in rows], "name_detection": bool(name_detection), "note": note}
        try:
            write_atomically(self._path(key), lambda tmp: tmp.write_text(json.dumps(data), encoding="utf-8"))
        except OSError:
            pass
