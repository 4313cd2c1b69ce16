"""Files that ship inside the package: the default codebook, the demo study and the REFI-QDA schemas.

They are read through :mod:`importlib.resources`, so they are found the same way in a checkout, an editable install
and an installed wheel. The repository's top-level ``codebook/`` and ``data/`` are links to these folders, kept for
people who browse the source; there is one copy of each file.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_path", "default_codebook_path", "demo_path"]


def data_path(*parts: str) -> Path:
    """Path of a shipped file or folder under ``npt_coder/data/``.

    The package is always installed as files on disk (wheels are unpacked by pip), so the resource is a real path;
    a zipped install, which cannot hand out paths, is refused with a clear message.

    >>> data_path("codebook", "npt_cmo.yaml").name
    'npt_cmo.yaml'
    """
    resource = files("npt_coder").joinpath("data", *parts)
    path = Path(str(resource))
    if not path.exists():
        raise FileNotFoundError(f"npt-coder's packaged file {'/'.join(parts)} is missing from {path.parent}; "
                                "reinstall npt-coder")
    return path


def default_codebook_path() -> Path:
    """Path of the shipped 24-code NPT/CMO codebook (``npt_coder/data/codebook/npt_cmo.yaml``)."""
    return data_path("codebook", "npt_cmo.yaml")


def demo_path() -> Path:
    """Folder of the bundled demo study (transcripts, attributes table, inductive codes, coders' work)."""
    return data_path("demo")
