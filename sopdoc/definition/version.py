"""The verification code of one version of an SOP.

The code is a short hash of the unit, the SOP's file name and nomor, its
revision date and the content of its definition (the model, so comments and
layout of the YAML file do not count). Any change of what the document says
gives another code; the same definition always gives the same code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re

import segno

from sopdoc.definition.model import Sop, Verifikasi

# Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10     # 50 bits
# How a code looks where it is printed (under the QR code): two groups of five, joined by a dash.
PRINTED = re.compile(rf"\b[{_ALPHABET}]{{{LENGTH // 2}}}-[{_ALPHABET}]{{{LENGTH - LENGTH // 2}}}\b")


def content_digest(sop: Sop) -> str:
    """Return the SHA-256 of what *sop*'s document prints, independent of file paths."""
    fields = {f.name: getattr(sop, f.name) for f in dataclasses.fields(sop) if f.name not in ("source", "unit")}
    unit = sop.unit
    printed = {"pemerintah": unit.pemerintah, "unit": unit.unit, "sub_unit": unit.sub_unit,
               "penandatangan": sop.penandatangan}
    data = json.dumps(_plain({**fields, **printed}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def version_code(sop: Sop) -> str:
    """Return the verification code of this version of *sop*, e.g. ``K7Q2M-9XD4T``."""
    revised = sop.tanggal_revisi.key if sop.tanggal_revisi else None
    identity = json.dumps([sop.unit.key, sop.slug, sop.nomor, revised, content_digest(sop)])
    number = int.from_bytes(hashlib.sha256(identity.encode("utf-8")).digest()[:8], "big") >> (64 - 5 * LENGTH)
    chars = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return f"{chars[:5]}-{chars[5:]}"


def qr_code(text: str) -> segno.QRCode:
    """Return the QR code an identity sheet prints to hold *text* (its verifikasi's qr_text for a code).

    A fixed error level: segno would otherwise raise it and change the symbol's
    size between SOPs. Raises segno.DataOverflowError when the text is too long
    for any QR code (the reader refuses such a verifikasi.url first).
    """
    return segno.make(text, error="m", boost_error=False)


def fits_qr(verifikasi: Verifikasi) -> bool:
    """Say whether the QR code of *verifikasi* can hold a verification code (every code is as long)."""
    try:
        qr_code(verifikasi.qr_text("0" * (LENGTH // 2) + "-" + "0" * (LENGTH - LENGTH // 2)))
    except segno.DataOverflowError:
        return False
    return True


def _plain(value):
    """Return *value* with dataclasses, tuples and numbers turned into JSON values."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
