"""Anonymisation check and pseudonymisation: find residual identifiers in transcripts, replace them consistently.

The module works on plain text, offsets and files; it never reads the project store. The flow is

1. :func:`find_identifiers` (or :func:`find_identifiers_many` for a batch): a pattern pass (phones, emails,
   URLs, NHS numbers with their check digit, postcodes, addresses, dates, ages with names, titled names, sites),
   an optional NER pass with a trained spaCy pipeline (person, organisation and place names), a deny list and an
   allow list; overlaps resolved to one finding per span; a masked preview (:func:`mask`) instead of the value.
2. :class:`Pseudonymiser`: placeholders consistent across a study (``[PERSON 1]``, ``[SCHOOL 2]``, ``[PHONE]``)
   and a key from placeholder to original, which the caller writes apart from the data.
3. :func:`pseudonymise_file`: the same for ``.txt``, ``.vtt``, ``.srt`` and ``.docx`` files, keeping their format.

>>> import npt_coder.anon as anon
>>> anon.find_identifiers("P02: email me at sam@example.org")["preview"].tolist()
['s**@e******.***']
"""

from ._cache import CACHE_FOLDER, CheckCache, detector_version
from ._check import IdentifierCheck, check_identifiers, find_identifiers, find_identifiers_many
from ._detect import AUTO_PIPELINE, load_auto_pipeline
from ._files import SUPPORTED_FORMATS, PseudonymisedFile, pseudonymise_file, pseudonymise_files
from ._patterns import GENERIC_TERMS, nhs_number_valid
from ._pseudo import KEY_COLUMNS, Pseudonymiser, Replacement, apply_replacements
from ._terms import fold, load_terms
from ._types import FINDING_COLUMNS, LOW_SEVERITY, PLACEHOLDER, TYPES, mask

__all__ = [
    "AUTO_PIPELINE",
    "CACHE_FOLDER",
    "CheckCache",
    "FINDING_COLUMNS",
    "GENERIC_TERMS",
    "IdentifierCheck",
    "KEY_COLUMNS",
    "LOW_SEVERITY",
    "PLACEHOLDER",
    "SUPPORTED_FORMATS",
    "TYPES",
    "PseudonymisedFile",
    "Pseudonymiser",
    "Replacement",
    "apply_replacements",
    "check_identifiers",
    "detector_version",
    "find_identifiers",
    "find_identifiers_many",
    "fold",
    "load_auto_pipeline",
    "load_terms",
    "mask",
    "nhs_number_valid",
    "pseudonymise_file",
    "pseudonymise_files",
]
