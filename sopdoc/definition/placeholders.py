"""The example values a new unit and SOP start with, and how to tell one left in a definition.

``sopdoc new``, the studio's new SOP and the Excel template write these values
(through authoring.scaffold, which takes every example it writes from here, so
that the two cannot drift); the reader warns about each one still there, so
that ``--strict`` refuses a definition that is not yet filled in, and an export
names every SOP in force that still holds one.

An example is what nobody would write as a real value ("Nama Lengkap, S.Sos.,
M.M."), never a plausible one ("Pembina Utama Muda, IV/c" is the pangkat of many
a real head of office): a real value must never be taken for an example.
"""

from __future__ import annotations

import re

from sopdoc.definition.model import Kegiatan, Penandatangan

EXAMPLE = "masih contoh dari sopdoc"       # in every message below, which is how is_example tells them
PEMERINTAH = "Pemerintah Kabupaten Contoh"
JABATAN = "Jabatan Penandatangan"
NAMA = "Nama Lengkap, S.Sos., M.M."
PANGKAT = "Pangkat, Golongan"
NIP = "19700101 199001 1 001"
# A unit named after its folder (sopdoc new dinkes/...) is a guess: "Dinkes" is no unit's full name.
_UNIT_GUESS = " (tulis nama lengkap unit)"
_NOMOR = re.compile(r"^000/\s*/\d{4}$")
# The uraian of the example rows, top to bottom.
URAIAN = ("Memberikan disposisi untuk memulai kegiatan", "Menyusun konsep dokumen", "Memeriksa konsep dokumen",
          "Menandatangani dokumen")


def nomor(year: int) -> str:
    """Return the example SOP number of a new SOP made in *year*: blanks to be filled in."""
    return f"000/   /{year}"


def unit_guess(folder: str) -> str:
    """Return the name a new unit in the folder *folder* starts with when nobody typed one: to be replaced."""
    return folder.replace("-", " ").title() + _UNIT_GUESS


def is_example(message: str) -> bool:
    """Say whether a reader's *message* is about an example value left in a definition."""
    return EXAMPLE in message


def in_unit(pemerintah: str | None, unit: str | None = None) -> list[tuple[tuple, str]]:
    """Return (key path, message) for each example value left among a unit file's own values."""
    found = []
    if pemerintah == PEMERINTAH:
        found.append((("pemerintah",), f"'{pemerintah}' {EXAMPLE}; tulis nama pemerintah daerah Anda, "
                                       "misalnya Pemerintah Kabupaten Way Kanan"))
    if unit and unit.endswith(_UNIT_GUESS):
        found.append((("unit",), f"'{unit}' {EXAMPLE} (dibuat dari nama folder); tulis nama lengkap unit, "
                                 "misalnya Dinas Kesehatan"))
    return found


def in_signer(path: tuple, signer: Penandatangan | None) -> list[tuple[tuple, str]]:
    """Return (key path, message) for each example value left in the signer at *path*."""
    if signer is None:
        return []
    found = []
    if signer.jabatan == JABATAN:
        found.append((path + ("jabatan",), f"'{signer.jabatan}' {EXAMPLE}; tulis jabatan penandatangan, misalnya "
                                           "Kepala Dinas Kesehatan"))
    if signer.nama == NAMA:
        found.append((path + ("nama",), f"'{signer.nama}' {EXAMPLE}; tulis nama lengkap "
                                        "penandatangan dengan gelarnya"))
    if signer.pangkat == PANGKAT:
        found.append((path + ("pangkat",), f"'{signer.pangkat}' {EXAMPLE}; tulis pangkat dan golongan "
                                           "penandatangan, misalnya Pembina Utama Muda, IV/c"))
    if signer.nip == NIP:
        found.append((path + ("nip",), f"NIP '{signer.nip}' {EXAMPLE}; tulis NIP penandatangan"))
    return found


def in_sop(nomor_sop: str | None, rows: tuple[Kegiatan, ...]) -> list[tuple[tuple, str]]:
    """Return (key path, message) for each example value left in an SOP's number and rows (one for all rows)."""
    found = []
    if nomor_sop and _NOMOR.match(nomor_sop):
        found.append((("nomor",), f"nomor '{nomor_sop}' {EXAMPLE}; tulis nomor SOP menurut tata "
                                  "naskah unit Anda"))
    examples = [row.nomor for row in rows if row.uraian in URAIAN]
    if examples:
        numbers = ", ".join(str(n) for n in examples)
        found.append((("kegiatan",), f"kegiatan {numbers} {EXAMPLE}; tulis kegiatan SOP Anda "
                                     "sendiri"))
    return found
