"""The identity sheet's content, built once from the SOP for the DOCX template and the studio's preview.

Both print what :func:`build` returns, so the preview cannot drift from the
signed document: the same upper-cased heads, the same numbered lists, a
keterkaitan slug printed as the linked SOP's name, the same QR code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno

from sopdoc.definition import reader
from sopdoc.definition.model import Penandatangan, Sop
from sopdoc.definition.version import qr_code, version_code

# The lists of the sheet's lower table, in the order it prints them (two to a row); their titles are headings.
LISTS = ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan", "peringatan",
         "pencatatan_pendataan")


@dataclass(frozen=True)
class Signer:
    """A signature block, as printed (the position upper-cased; empty texts where the definition has none)."""

    jabatan: str = ""
    nama: str = ""
    pangkat: str = ""
    nip: str = ""


@dataclass(frozen=True)
class Revision:
    tanggal: str
    catatan: str


@dataclass(frozen=True)
class Verification:
    """The version's code and its QR code, printed in the "Disahkan oleh" box."""

    kode: str
    text: str       # what the QR code holds

    def qr(self) -> segno.QRCode:
        return qr_code(self.text)

    def png(self) -> bytes:
        picture = io.BytesIO()
        self.qr().save(picture, kind="png", scale=10, border=2)
        return picture.getvalue()

    def svg_uri(self) -> str:
        return self.qr().svg_data_uri(border=2)


@dataclass(frozen=True)
class Identity:
    """Everything the identity sheet prints, each text as printed."""

    logo: Path | None
    kop: tuple[str, ...]                   # the kop's lines as printed: given whole, or pemerintah, unit, sub_unit
    kop_given: bool                        # whether the SOP or its unit gave the kop whole
    pemerintah: str
    unit: str
    sub_unit: str
    nomor: str
    nama: str
    tanggal_pembuatan: str
    tanggal_revisi: str
    tanggal_efektif: str
    ttd: Signer
    lists: dict[str, tuple[str, ...]]      # key of LISTS -> its items, numbered when more than one; "-" when none
    riwayat: tuple[Revision, ...]          # every revision, or none when the SOP was never revised
    verifikasi: Verification | None
    judul: dict[str, str]                  # every printed heading by its key (fields.JUDUL_KEYS)

    def rows(self) -> list[tuple[tuple[str, tuple[str, ...]], tuple[str, ...]]]:
        """Return the lower table's rows: two (title, items) pairs each."""
        pairs = [(self.judul[key], self.lists[key]) for key in LISTS]
        return list(zip(pairs[::2], pairs[1::2]))


def build(sop: Sop, names: dict[str, str]) -> Identity:
    """Return the identity sheet of *sop*; *names* gives the name of each linked SOP by slug."""
    unit = sop.unit
    linked = tuple(names.get(slug, slug) for slug in sop.keterkaitan)
    items = {key: linked if key == "keterkaitan" else getattr(sop, key) for key in LISTS}
    made = tuple(line.upper() for line in (unit.pemerintah, unit.unit, unit.sub_unit) if line)
    return Identity(
        logo=unit.logo,
        kop=sop.kop_lines or made,
        kop_given=bool(sop.kop_lines),
        pemerintah=(unit.pemerintah or "").upper(),
        unit=unit.unit.upper(),
        sub_unit=unit.sub_unit.upper() if unit.sub_unit else "",
        nomor=sop.nomor or "-",
        nama=sop.nama,
        tanggal_pembuatan=str(sop.tanggal_pembuatan or "-"),
        tanggal_revisi=str(sop.tanggal_revisi or "-"),
        tanggal_efektif=str(sop.tanggal_efektif or "-"),
        ttd=signature_block(sop.penandatangan),
        lists={key: _numbered(values) for key, values in items.items()},
        riwayat=tuple(Revision(str(r.tanggal), r.catatan or "-") for r in sop.revisi) if len(sop.revisi) > 1 else (),
        verifikasi=_verification(sop) if unit.verifikasi else None,
        judul=sop.headings,
    )


def signature_block(signer: Penandatangan | None) -> Signer:
    """Return what a signature block prints of *signer* (an SOP's "Disahkan oleh", a book's decree)."""
    if signer is None:
        return Signer()
    return Signer(signer.jabatan.upper(), signer.nama or "", signer.pangkat or "", signer.nip or "")


def _verification(sop: Sop) -> Verification:
    kode = version_code(sop)
    return Verification(kode, sop.unit.verifikasi.qr_text(kode))


def _numbered(items: tuple[str, ...]) -> tuple[str, ...]:
    if not items:
        return ("-",)
    if len(items) == 1:
        return items
    return tuple(f"{n}. {item}" for n, item in enumerate(items, start=1))


def sop_names(sops: list[Sop], siblings: dict[Path, dict[str, Path]] | None = None) -> dict[Path, dict[str, str]]:
    """Return, per unit folder, the names of the SOPs that *sops* link to by slug (keterkaitan).

    SOPs already read are used as they are. A linked SOP that was not among
    them (rendering one file of a unit, or one that failed to read) is read only
    when its slug is the name of an SOP file listed in the unit's folder
    (*siblings*, from the reader): a keterkaitan text never becomes a path. All
    of them are read together; one that does not read gives the nama (or nomor) it writes.
    """
    names: dict[Path, dict[str, str]] = {s.unit.folder: {} for s in sops}
    for sop in sops:
        names[sop.unit.folder][sop.slug] = sop.nama
    missing = set()
    for sop in sops:
        listed = (siblings or {}).get(sop.unit.folder, {})
        missing.update(listed[slug] for slug in sop.keterkaitan if slug not in names[sop.unit.folder] and slug in listed)
    for linked in reader.read(sorted(missing)).sops if missing else ():
        if linked.unit.folder in names:
            names[linked.unit.folder].setdefault(linked.slug, linked.nama)
    # A linked SOP that does not read prints the title its file writes: never its file name in place of a title.
    for sop in sops:
        listed, known = (siblings or {}).get(sop.unit.folder, {}), names[sop.unit.folder]
        for slug in sop.keterkaitan:
            if slug in listed and slug not in known and (written := reader.written_title(listed[slug])):
                known[slug] = written
    return names
