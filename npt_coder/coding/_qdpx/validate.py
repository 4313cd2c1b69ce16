"""Checking ``.qdpx`` and ``.qdc`` files against the REFI-QDA schemas, which ship as package data in
``npt_coder/coding/schema/`` and are read with :mod:`importlib.resources`."""

from __future__ import annotations

import functools
import zipfile
import zlib
from importlib import resources
from pathlib import Path

from lxml import etree

from ...errors import CodingImportError
from .read import _Archive, _find_qde, _guid, _local, _parse_xml

__all__ = ["validate_qdc", "validate_qdpx"]

_SCHEMA_PACKAGE = "npt_coder.coding"  # its schema/ folder holds the .xsd files


@functools.lru_cache(maxsize=None)
def _schema(name: str) -> etree.XMLSchema:
    xsd = resources.files(_SCHEMA_PACKAGE).joinpath("schema", name)
    return etree.XMLSchema(etree.fromstring(xsd.read_bytes()))


def _schema_errors(doc, schema: etree.XMLSchema, member: str) -> list[str]:
    if schema.validate(doc):
        return []
    return [f"{member} line {e.line}: {e.message}" for e in schema.error_log]


def validate_qdpx(path: str | Path) -> list[str]:
    """Problems that keep a ``.qdpx`` from being a valid REFI-QDA project; an empty list when there are none.

    Lists every error against the standard's project schema (``schema/Project-mrt2019.xsd``), then references the
    schema cannot check: a ``CodeRef`` or ``NoteRef`` to a GUID the file does not define, and an ``internal://``
    source file missing from the archive.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            archive = _Archive(zf, path.name)
            qde = _find_qde(archive.names, path.name)
            root = _parse_xml(archive.read(qde), path.name, qde)
            errors = _schema_errors(root, _schema("Project-mrt2019.xsd"), qde)
            codes = {_guid(el.get("guid")) for el in root.iter() if _local(el) == "Code"}
            notes = {_guid(el.get("guid")) for el in root.iter() if _local(el) == "Note"}
            for el in root.iter():
                name = _local(el)
                if name == "CodeRef" and _guid(el.get("targetGUID")) not in codes:
                    errors.append(f"{qde} line {el.sourceline}: CodeRef to {el.get('targetGUID')}, which is no Code")
                elif name == "NoteRef" and _guid(el.get("targetGUID")) not in notes:
                    errors.append(f"{qde} line {el.sourceline}: NoteRef to {el.get('targetGUID')}, which is no Note")
                for attr in ("plainTextPath", "richTextPath", "path"):
                    url = el.get(attr) if name else None
                    if url and url.lower().startswith("internal://") and archive.internal(url) is None:
                        errors.append(f"{qde} line {el.sourceline}: {attr} {url} is not in the archive")
            return errors
    except CodingImportError as err:
        return [str(err)]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        return [f"{path.name}: not a readable zip archive ({err})"]


def validate_qdc(path: str | Path) -> list[str]:
    """Errors against the REFI-QDA codebook schema (``schema/Codebook.xsd``); an empty list when there are none."""
    path = Path(path)
    try:
        root = _parse_xml(path.read_bytes(), path.name, path.name)
    except CodingImportError as err:
        return [str(err)]
    except OSError as err:
        return [f"{path.name}: cannot be read ({err.strerror or err})"]
    return _schema_errors(root, _schema("Codebook.xsd"), path.name)
