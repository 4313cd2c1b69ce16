"""The agreement statistics' bad-input error (defined in :mod:`npt_coder.errors`) and the undefined-value warning.

:class:`~npt_coder.errors.AgreementInputError` derives from :class:`~npt_coder.errors.NptCoderError` (so the CLI
reports it in one line) and from :class:`ValueError` (so ``except ValueError`` keeps working, as in scikit-learn).
"""

from __future__ import annotations

import warnings

from ..errors import AgreementInputError, UndefinedStatisticWarning

__all__ = ["AgreementInputError", "undefined"]


def undefined(statistic: str, reason: str, *, stacklevel: int = 3) -> float:
    """Warn that ``statistic`` is undefined for ``reason`` and return ``nan``."""
    warnings.warn(f"{statistic} is undefined: {reason}; returning nan.", UndefinedStatisticWarning,
                  stacklevel=stacklevel)
    return float("nan")
