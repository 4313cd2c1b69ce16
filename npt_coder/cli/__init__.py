"""The ``npt-coder`` command line: thin wrappers over the Python API. Only this package prints or exits.

One module per group of verbs, all registered on the one Typer ``app`` of :mod:`._app`, which also holds the
shared options, the parameter types (choices checked while the command line is parsed, ``KEY=VALUE``) and the
rule for how errors reach the terminal (one line; unexpected ones logged without their message).
"""

from __future__ import annotations

import sys

# imported in the order the verbs appear in --help
from . import _agreement, _assist, _codebook, _coding, _logic_model, _manage, _outputs, _serve, _transcripts  # noqa: F401, I001
from ._app import app

__all__ = ["app", "run"]


def run() -> None:  # pragma: no cover - used by python -m npt_coder
    app(prog_name="npt-coder")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
