"""The workbook contract of EXCEL-FORMAT.md: sheet names, labels and marks, each written once.

Labels map to key paths of the definition data (see ``yamlwrite``). Labels that
the contract does not name are sopdoc's additions ("add columns or sheets
freely"); they carry what a round trip needs and may be left empty by hand.
"""

from __future__ import annotations

from sopdoc.definition import fields
from sopdoc.definition.names import BELAH_KETUPAT, END, KAPSUL, KOTAK, NEXT

UNIT_SHEET = "Unit"
GUIDE_SHEET = "Petunjuk"
# A very hidden sheet (never shown, never printed) holding each SOP as it was when the workbook was made,
# so that an import can tell a later edit of the definition from a change made in the workbook.
SOURCE_SHEET = "sopdoc-sumber"

FOLDER = "Folder"                  # sopdoc's addition: the unit's folder below definitions/
SIGNER_LABELS = (
    ("Disahkan oleh - Jabatan", ("disahkan_oleh", "jabatan")),
    ("Disahkan oleh - Nama", ("disahkan_oleh", "nama")),
    ("Disahkan oleh - Pangkat", ("disahkan_oleh", "pangkat")),
    ("Disahkan oleh - NIP", ("disahkan_oleh", "nip")),
)
# sopdoc's additions for what a unit and an SOP may set for their printing (empty: the default, or the unit's).
KOP, JUDUL, KOLOM_KETERANGAN = "Kop", "Judul", "Kolom Keterangan"
PRINT_LABELS = (
    (KOP, ("kop",)),                       # one line of the kop per line of the cell
    (JUDUL, ("judul",)),                   # one heading per line: "Kelengkapan: Persyaratan/Perlengkapan"
    (KOLOM_KETERANGAN, ("kolom_keterangan",)),   # ya / tidak
)
UNIT_LABELS = (
    ("Pemerintah", ("pemerintah",)),
    ("Unit", ("unit",)),
    ("Sub unit", ("sub_unit",)),
    ("Alamat", ("alamat",)),
    ("Kertas", ("kertas",)),
    ("Orientasi", ("orientasi",)),
    *SIGNER_LABELS,
    ("Tahun", ("tahun",)),
    (FOLDER, ("folder",)),
    *PRINT_LABELS,
)

BERKAS = "Berkas"
NAMA = "Nama SOP"
TANGGAL_REVISI = "Tanggal Revisi"  # read-only: it comes from the revision history
RIWAYAT = "Riwayat Revisi"         # sopdoc's addition: one revision per line, "tanggal: catatan"
SOP_LABELS = (
    (BERKAS, ("berkas",)),
    ("Nomor SOP", ("nomor",)),
    (NAMA, ("nama",)),
    ("Tanggal Pembuatan", ("tanggal_pembuatan",)),
    (TANGGAL_REVISI, None),
    ("Tanggal Efektif", ("tanggal_efektif",)),
    *SIGNER_LABELS,
    ("Status", ("status",)),
    ("Diganti oleh", ("diganti_oleh",)),   # sopdoc's addition: the slug that replaces this SOP
    ("Dasar Hukum", ("dasar_hukum",)),
    ("Kualifikasi Pelaksana", ("kualifikasi_pelaksana",)),
    ("Keterkaitan", ("keterkaitan",)),
    ("Peralatan/Perlengkapan", ("peralatan_perlengkapan",)),
    ("Peringatan", ("peringatan",)),
    ("Pencatatan dan Pendataan", ("pencatatan_pendataan",)),
    (RIWAYAT, ("revisi",)),
    ("Kertas", ("kertas",)),               # sopdoc's addition: this SOP's own paper (empty: the unit's)
    ("Orientasi", ("orientasi",)),
    *PRINT_LABELS,
)
LIST_KEYS = fields.of_kind(fields.DAFTAR_TEKS, fields.SOP_KEYS)
DATE_KEYS = fields.of_kind(fields.TANGGAL, fields.SOP_KEYS)

# The flowchart grid. Its header row is the first whose A is No and B is Kegiatan;
# the pelaksana columns lie between Kegiatan and the first of the columns after them.
NO, KEGIATAN = "No", "Kegiatan"
AFTER_PELAKSANA = (
    ("Kelengkapan", "kelengkapan"),
    ("Waktu", "waktu"),
    ("Output", "output"),
    ("Keterangan", "keterangan"),
    ("Lanjut ke", "lanjut"),
    ("Jika Ya", "ya"),
    ("Jika Tidak", "tidak"),
    ("Label Ya", "label_ya"),
    ("Label Tidak", "label_tidak"),
    ("Id", "id"),                      # sopdoc's addition: the row's id, kept for a lossless round trip
)
JUMP_COLUMNS = ("lanjut", "ya", "tidak")
# sopdoc's addition: the row under the header, marked "Kunci" in column A, holds each
# pelaksana column's short key (for a lossless round trip; generated when absent).
KEYS_ROW = "Kunci"
GROUP_PELAKSANA, GROUP_MUTU_BAKU, GROUP_ALUR = "Pelaksana", "Mutu Baku", "Alur (bila tidak ke baris berikutnya)"

CHECK_MARKS = ("✓", "✔", "v", "V", "x", "X", "1")
CHECK = "✓"
SYMBOL_WORDS = {"Mulai": KAPSUL, "Selesai": KAPSUL, "Proses": KOTAK, "Keputusan": BELAH_KETUPAT}
NEXT_ROW = NEXT                    # a jump to the row below, as a definition writes it
END_FLOW = END                     # the flow ends
# Words that say in a cell what a definition says with an empty text.
UNNUMBERED = "tanpa nomor"         # in No: the row prints no number
UNLABELLED = "tanpa label"         # in Label Ya and Label Tidak: the decision prints no labels
YES_NO = {"ya": True, "tidak": False}

# What the workbook prints for a key path (without indexes), where it differs from the document: its headers.
_PRINTED = {
    **{".".join(path): label for label, path in (*UNIT_LABELS, *SOP_LABELS) if path},
    "kegiatan.nomor": NO,
    **{f"kegiatan.{key}": label for label, key in AFTER_PELAKSANA if key in ("kelengkapan", "waktu", "output",
                                                                               "keterangan", "lanjut", "id")},
    **{f"kegiatan{under}.keputusan.{key}": label for label, key in AFTER_PELAKSANA if key in ("ya", "tidak")
       for under in ("", ".langkah")},
    **{f"kegiatan{under}.keputusan.label": "Label Ya / Label Tidak" for under in ("", ".langkah")},
}


def in_words(key: str, data: object = None) -> str:
    """Return the key path *key* as the workbook names it: "Kegiatan 3, Lanjut ke"; "Tanggal Pembuatan"."""
    return fields.in_words(key, data, _PRINTED) if key else ""
