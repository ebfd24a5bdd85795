"""The example values a new unit and SOP start with, and how to tell one left in a definition.

``sopdoc new``, the studio's new SOP and the Excel template write these values
(through authoring.scaffold); the reader warns about each one still there, so
that ``--strict`` refuses a definition that is not yet filled in.
"""

from __future__ import annotations

import re

from sopdoc.definition.model import Kegiatan, Penandatangan

PEMERINTAH = "Pemerintah Kabupaten Contoh"
NAMA = "Nama Lengkap, S.Sos., M.M."
NIP = "19700101 199001 1 001"
_NOMOR = re.compile(r"^000/\s*/\d{4}$")
# The uraian of the example rows, top to bottom.
URAIAN = ("Memberikan disposisi untuk memulai kegiatan", "Menyusun konsep dokumen", "Memeriksa konsep dokumen",
          "Menandatangani dokumen")


def nomor(year: int) -> str:
    """Return the example SOP number of a new SOP made in *year*: blanks to be filled in."""
    return f"000/   /{year}"


def in_unit(pemerintah: str | None) -> list[tuple[tuple, str]]:
    """Return (key path, message) for each example value left among a unit file's own values."""
    if pemerintah == PEMERINTAH:
        return [(("pemerintah",), f"'{pemerintah}' masih contoh dari sopdoc; tulis nama pemerintah daerah Anda, "
                                  "misalnya Pemerintah Kabupaten Way Kanan")]
    return []


def in_signer(path: tuple, signer: Penandatangan | None) -> list[tuple[tuple, str]]:
    """Return (key path, message) for each example value left in the signer at *path*."""
    if signer is None:
        return []
    found = []
    if signer.nama == NAMA:
        found.append((path + ("nama",), f"'{signer.nama}' masih contoh dari sopdoc; tulis nama lengkap "
                                        "penandatangan dengan gelarnya"))
    if signer.nip == NIP:
        found.append((path + ("nip",), f"NIP '{signer.nip}' masih contoh dari sopdoc; tulis NIP penandatangan"))
    return found


def in_sop(nomor_sop: str | None, rows: tuple[Kegiatan, ...]) -> list[tuple[tuple, str]]:
    """Return (key path, message) for each example value left in an SOP's number and rows (one for all rows)."""
    found = []
    if nomor_sop and _NOMOR.match(nomor_sop):
        found.append((("nomor",), f"nomor '{nomor_sop}' masih contoh dari sopdoc; tulis nomor SOP menurut tata "
                                  "naskah unit Anda"))
    examples = [row.nomor for row in rows if row.uraian in URAIAN]
    if examples:
        numbers = ", ".join(str(n) for n in examples)
        found.append((("kegiatan",), f"kegiatan {numbers} masih contoh dari sopdoc; tulis kegiatan SOP Anda "
                                     "sendiri"))
    return found
