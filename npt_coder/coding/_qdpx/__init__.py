"""REFI-QDA interchange: read a ``.qdpx`` project made by NVivo, ATLAS.ti, MAXQDA or QualCoder, import its codings,
and write the project as a ``.qdpx`` and the codebook as a ``.qdc``.

A ``.qdpx`` is a zip archive holding ``project.qde`` (XML: Users, CodeBook, Sources with their text selections and
codings, Notes) and the sources' files under ``sources/``. The standard (REFI-QDA 1.5, section 10.2) counts
selection positions in Unicode code points of the plain-text source, ``endPosition`` exclusive. Programs differ:
NVivo counts UTF-16 code units (an emoji outside the Basic Multilingual Plane counts two) with a Windows line break
(CRLF) counting two; ATLAS.ti is reported to count CRLF as one. :func:`read_qdpx` therefore reads each selection in
four ways (:data:`READINGS`) and keeps the reading whose text equals the selection's ``name`` where the file gives one;
where it does not, the reading that the file's other named selections agree on, else the one the exporting program
(``Project@origin``) is known to use. Every offset it returns is a Python ``str`` index (code point) into the
source's plain text as stored (UTF-8, one byte-order mark stripped, line endings kept).

:func:`read_qdpx_codings` turns those selections into spans on the project's transcripts: each source is matched to a
transcript by its content (not its name), each code to the project codebook by id or name (or a code map), and each
coding's user becomes the coder. :func:`project_to_qdpx` and :func:`codebook_to_qdc` write files that validate against
the standard's schemas (shipped in ``npt_coder/coding/schema/``; see :func:`validate_qdpx` and :func:`validate_qdc`).

One module per step; each imports only the modules listed before it:

* :mod:`.model`: the dataclasses a read project is made of, and the two XML namespaces;
* :mod:`.offsets`: the readings, and positions counted in them turned into code points (:func:`to_code_points`);
* :mod:`.read`: the archive and its XML (:func:`read_qdpx`, :func:`read_qdc`);
* :mod:`.match`: sources to transcripts and codes to the codebook (:func:`read_qdpx_codings`);
* :mod:`.write`: the exports (:func:`project_to_qdpx`, :func:`codebook_to_qdc`) and their code GUIDs
  (:func:`code_guid`);
* :mod:`.validate`: the schema checks (:func:`validate_qdpx`, :func:`validate_qdc`);
* :mod:`.project`: a whole project planned as one import into a project, its sources becoming transcripts
  (:func:`plan_qdpx_import`; :func:`npt_coder.services.import_project` runs the anonymisation check and stores it).
"""

from .match import read_qdpx_codings
from .model import CODEBOOK_NS, PROJECT_NS, QdpxCode, QdpxCoding, QdpxProject, QdpxSelection, QdpxSource
from .offsets import READINGS, to_code_points
from .project import QdpxPlan, plan_qdpx_import
from .read import read_qdc, read_qdpx
from .validate import validate_qdc, validate_qdpx
from .write import code_guid, codebook_to_qdc, project_to_qdpx

__all__ = [
    "CODEBOOK_NS",
    "PROJECT_NS",
    "READINGS",
    "QdpxCode",
    "QdpxCoding",
    "QdpxPlan",
    "QdpxProject",
    "QdpxSelection",
    "QdpxSource",
    "code_guid",
    "codebook_to_qdc",
    "plan_qdpx_import",
    "project_to_qdpx",
    "read_qdc",
    "read_qdpx",
    "read_qdpx_codings",
    "to_code_points",
    "validate_qdc",
    "validate_qdpx",
]
