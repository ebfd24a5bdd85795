"""The JSON Schema of SOP and unit files, built from the key table in fields.py."""

from __future__ import annotations

from sopdoc.definition import fields, names
from sopdoc.definition.fields import Key
from sopdoc.definition.values import DATE_PATTERN

_TEXT = {"type": ["string", "number"]}
_TEXT_LIST = {"oneOf": [{"type": "string"}, {"type": "array", "items": _TEXT}]}
_ID = {"type": "string", "pattern": names.ID.pattern}
# A flow's target: an id (berikutnya and selesai match its pattern too), or several ids (a fork).
_TARGETS = {"oneOf": [_ID, {"type": "array", "items": _ID, "minItems": 2, "uniqueItems": True}]}


def _object(keys: tuple[Key, ...]) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k.name for k in keys if k.required],
        "properties": {k.name: {"description": k.doc, **_fragment(k)} for k in keys},
    }


def _fragment(key: Key) -> dict:
    kind = key.kind
    if kind == fields.PILIHAN:
        return {"enum": list(key.choices)}
    if kind == fields.TANGGAL:
        return {"type": ["string", "null"], "pattern": DATE_PATTERN}
    if kind in (fields.TEKS, fields.BERKAS):
        return {"type": ["string", "number", "null"]}
    if kind == fields.ID:
        return _ID
    if kind == fields.TUJUAN:
        return _TARGETS
    if kind == fields.LANGKAH:
        return {"type": "array", "minItems": 1, "items": _object(fields.LANGKAH_KEYS)}
    if kind == fields.JUDUL:
        return {"type": "object", "additionalProperties": False,
                "properties": {k.name: {"description": f"Bawaan: {k.default}", "type": ["string", "number"]}
                               for k in fields.JUDUL_KEYS}}
    if kind == fields.YA_TIDAK:
        return {"type": ["boolean", "null"]}
    if kind == fields.DAFTAR_TEKS:
        return {"oneOf": [*_TEXT_LIST["oneOf"], {"type": "null"}]}
    if kind == fields.PENANDATANGAN:
        return _object(fields.SIGNER_KEYS)
    if kind == fields.PELAKSANA:
        return {"type": "object", "minProperties": 1, "propertyNames": _ID, "additionalProperties": {"type": "string"}}
    if kind == fields.PELAKSANA_BARIS:
        return {"oneOf": [_ID, {"type": "array", "items": _ID, "minItems": 1}]}
    if kind == fields.REVISI:
        return {"type": ["array", "null"], "items": _object(fields.REVISION_KEYS)}
    if kind == fields.KEPUTUSAN:
        return _object(fields.DECISION_KEYS)
    if kind == fields.DEKRET:
        return _object(fields.DECREE_KEYS)
    if kind == fields.TAHUN:
        return {"type": "integer", "minimum": 1945, "maximum": 2100}
    if kind == fields.LABEL:
        return {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}
    if kind == fields.VERIFIKASI:
        return {"oneOf": [{"type": ["boolean", "null"]}, _object(fields.VERIFICATION_KEYS)]}
    if kind == fields.KEGIATAN:
        # A row names its pelaksana, or holds several symbols (langkah) that name theirs.
        row = {**_object(fields.ROW_KEYS), "oneOf": [{"required": ["pelaksana"]}, {"required": ["langkah"]}]}
        return {"type": "array", "minItems": 2, "items": row}
    raise ValueError(f"unknown kind {kind}")


def sop_schema() -> dict:
    """Return the JSON Schema of one SOP file."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Definisi SOP (sopdoc)",
        **_object(fields.SOP_KEYS),
    }


def unit_schema() -> dict:
    """Return the JSON Schema of a unit.yaml file."""
    schema = _object(fields.UNIT_KEYS)
    schema["required"] = []
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": "unit.yaml (sopdoc)", **schema}
