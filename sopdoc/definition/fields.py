"""Every key of the definition format, with its kind, its default and its meaning in Indonesian.

This table is the single source for the reader (which key is read how), the JSON
Schema (`sopdoc schema`), the reference page's key list (tested to agree), and
every set of keys another stage needs: the list keys, the date keys, the defaults.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sopdoc.definition.names import BELAH_KETUPAT, DEFAULT_LABELS, END, KAPSUL, KOTAK, NEXT, automatic_number
from sopdoc.office import paper

# Kinds of value. Each maps to a JSON Schema fragment in schema.py.
TEKS = "teks"
DAFTAR_TEKS = "daftar_teks"
TANGGAL = "tanggal"
BERKAS = "berkas"
PILIHAN = "pilihan"
PENANDATANGAN = "penandatangan"
PELAKSANA = "pelaksana"
KEGIATAN = "kegiatan"
REVISI = "revisi"
KEPUTUSAN = "keputusan"
DEKRET = "dekret"
TAHUN = "tahun"
PELAKSANA_BARIS = "pelaksana_baris"
LABEL = "label"
ID = "id"
VERIFIKASI = "verifikasi"
TUJUAN = "tujuan"               # where a flow goes: an id, berikutnya, selesai, or a list of ids (a fork)
LANGKAH = "langkah"             # the symbols of a row that holds several
JUDUL = "judul"                 # printed headings renamed
YA_TIDAK = "ya_tidak"           # true or false


@dataclass(frozen=True)
class Key:
    name: str
    kind: str
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None         # what a missing key means
    label: str = ""             # what a person reads for it where the document prints no heading of it (see label)


SIMBOL = (KAPSUL, KOTAK, BELAH_KETUPAT)
PAPERS = tuple(paper.PAPER)
ORIENTATIONS = (paper.LANSKAP, paper.POTRET)
# The other two official symbols are drawn by sopdoc itself, never given to a row.
SIMBOL_OTOMATIS = ("anak_panah", "segi_lima")

SIGNER_KEYS = (
    Key("jabatan", TEKS, "Jabatan penandatangan, misalnya Kepala Dinas Komunikasi dan Informatika.", required=True,
        label="Jabatan"),
    Key("nama", TEKS, "Nama lengkap dengan gelar.", label="Nama"),
    Key("pangkat", TEKS, "Pangkat dan golongan, misalnya Pembina Utama Muda, IV/c.", label="Pangkat"),
    Key("nip", TEKS, 'NIP; tulis dalam tanda kutip agar spasinya tetap: "19660921 198603 1 004".', label="NIP"),
)

# What the unit sets for its SOPs' printing and an SOP may set for itself (the SOP's value wins).
KOP = Key("kop", DAFTAR_TEKS, "Baris-baris kop lembar identitas, ditulis utuh (menggantikan pemerintah, unit dan "
                              "sub_unit di kop), untuk instansi tanpa baris 'Pemerintah ...'.", label="Kop")
PRINT_KEYS = (
    KOP,
    Key("judul", JUDUL, "Judul yang dicetak, diganti: kunci lembar identitas atau kolom tabel bagan alir dan teks "
                        "penggantinya, misalnya kelengkapan: Persyaratan/Perlengkapan.", label="Judul"),
    Key("kolom_keterangan", YA_TIDAK, "false: tabel bagan alir dicetak tanpa kolom Keterangan (bawaan: true).",
        label="Kolom Keterangan"),
)
SOP_PRINT_KEYS = (
    Key("kertas", PILIHAN, "Ukuran kertas SOP ini bila berbeda dari unitnya: F4, A4, Letter atau Legal.",
        choices=PAPERS, label="Kertas"),
    Key("orientasi", PILIHAN, "Orientasi bagan alir SOP ini bila berbeda dari unitnya: lanskap atau potret.",
        choices=ORIENTATIONS, label="Orientasi"),
    *PRINT_KEYS,
)

# The headings `judul` may rename, with what is printed when it does not: the identity sheet's, then the
# flowchart table's columns.
JUDUL_KEYS = (
    Key("nomor", TEKS, "Nomor SOP", default="Nomor SOP"),
    Key("tanggal_pembuatan", TEKS, "Tanggal Pembuatan", default="Tanggal Pembuatan"),
    Key("tanggal_revisi", TEKS, "Tanggal Revisi", default="Tanggal Revisi"),
    Key("tanggal_efektif", TEKS, "Tanggal Efektif", default="Tanggal Efektif"),
    Key("disahkan_oleh", TEKS, "Disahkan oleh", default="Disahkan oleh"),
    Key("nama", TEKS, "Nama SOP", default="Nama SOP"),
    Key("dasar_hukum", TEKS, "Dasar Hukum", default="Dasar Hukum"),
    Key("kualifikasi_pelaksana", TEKS, "Kualifikasi Pelaksana", default="Kualifikasi Pelaksana"),
    Key("keterkaitan", TEKS, "Keterkaitan", default="Keterkaitan"),
    Key("peralatan_perlengkapan", TEKS, "Peralatan/Perlengkapan", default="Peralatan/Perlengkapan"),
    Key("peringatan", TEKS, "Peringatan", default="Peringatan"),
    Key("pencatatan_pendataan", TEKS, "Pencatatan dan Pendataan", default="Pencatatan dan Pendataan"),
    Key("no", TEKS, "No", default="No"),
    Key("kegiatan", TEKS, "Kegiatan", default="Kegiatan"),
    Key("pelaksana", TEKS, "Pelaksana", default="Pelaksana"),
    Key("mutu_baku", TEKS, "Mutu Baku", default="Mutu Baku"),
    Key("kelengkapan", TEKS, "Kelengkapan", default="Kelengkapan"),
    Key("waktu", TEKS, "Waktu", default="Waktu"),
    Key("output", TEKS, "Output", default="Output"),
    Key("keterangan", TEKS, "Keterangan", default="Keterangan"),
)
HEADINGS = {key.name: key.default for key in JUDUL_KEYS}

UNIT_KEYS = (
    Key("pemerintah", TEKS, "Nama pemerintah daerah, misalnya Pemerintah Kabupaten Way Kanan; tidak perlu bila kop "
                            "ditulis utuh dengan 'kop'.", label="Pemerintah"),
    Key("unit", TEKS, "Nama unit (dinas, badan, bagian) pemilik buku SOP.", label="Unit"),
    Key("sub_unit", TEKS, "Baris ketiga kop (opsional), misalnya Sub Bagian Perencanaan dan Keuangan.",
        label="Sub unit"),
    Key("logo", BERKAS, "Berkas logo (PNG/JPG), relatif terhadap unit.yaml dan di dalam folder definitions.",
        label="Logo"),
    Key("alamat", TEKS, "Alamat kantor, untuk sampul buku SOP.", label="Alamat"),
    Key("kertas", PILIHAN, "Ukuran kertas: F4 (215 x 330 mm, bawaan), A4, Letter atau Legal.", choices=PAPERS,
        default="F4", label="Kertas"),
    Key("orientasi", PILIHAN, "Orientasi halaman bagan alir: lanskap (bawaan) atau potret.", choices=ORIENTATIONS,
        default="lanskap", label="Orientasi"),
    Key("disahkan_oleh", PENANDATANGAN, "Penandatangan bawaan untuk semua SOP unit ini.", label="Disahkan oleh"),
    Key("template", BERKAS, "Template DOCX lembar identitas milik unit (opsional), relatif terhadap unit.yaml.",
        label="Template"),
    Key("tahun", TAHUN, "Tahun pada sampul buku SOP; bawaan: tahun tanggal efektif terbaru.", label="Tahun"),
    Key("urutan", DAFTAR_TEKS, "Urutan SOP di buku: daftar nama berkas (slug); yang tidak disebut menyusul, "
                               "urut nomor lalu nama.", label="Urutan SOP"),
    Key("penjelasan", DAFTAR_TEKS, "Penjelasan singkat penggunaan buku SOP, satu paragraf per butir.",
        label="Penjelasan"),
    Key("keputusan", DEKRET, "Keputusan pimpinan yang mengesahkan SOP unit ini (untuk buku SOP).",
        label="Keputusan pengesahan"),
    Key("verifikasi", VERIFIKASI, "Cetak kode QR verifikasi di lembar identitas: true, atau dengan url: "
                                  "https://.../{kode} bila unit menerbitkan SOP-nya di web.", label="Verifikasi"),
    *PRINT_KEYS,
)

VERIFICATION_KEYS = (
    Key("url", TEKS, "Alamat halaman pemeriksaan dengan {kode} di tempat kode verifikasi, misalnya "
                     "https://sop.contoh.go.id/cek/{kode}; QR lalu memuat tautan ini.", label="Alamat"),
)

DECREE_KEYS = (
    Key("nomor", TEKS, "Nomor keputusan pengesahan, ditulis persis.", required=True, label="Nomor"),
    Key("tanggal", TANGGAL, "Tanggal keputusan ditetapkan.", required=True, label="Tanggal"),
    Key("tentang", TEKS, "Judul keputusan; bawaan: Standar Operasional Prosedur Administrasi Pemerintahan "
                         "di Lingkungan <unit>.", label="Tentang"),
    Key("menimbang", DAFTAR_TEKS, "Butir-butir 'Menimbang'.", label="Menimbang"),
    Key("mengingat", DAFTAR_TEKS, "Butir-butir 'Mengingat' (dasar hukum keputusan).", label="Mengingat"),
    Key("ditetapkan_di", TEKS, "Tempat keputusan ditetapkan, misalnya Blambangan Umpu.", label="Ditetapkan di"),
    Key("disahkan_oleh", PENANDATANGAN, "Penandatangan keputusan; bawaan: penandatangan unit.",
        label="Disahkan oleh"),
)

REVISION_KEYS = (
    Key("tanggal", TANGGAL, "Tanggal revisi.", required=True, label="Tanggal"),
    Key("catatan", TEKS, "Apa yang diubah.", label="Catatan"),
)

DECISION_KEYS = (
    Key("ya", TUJUAN, f"Ke mana alur pergi bila jawabannya ya: id sebuah baris, '{NEXT}', '{END}' (alur berakhir), "
                      "atau daftar beberapa id (percabangan).", required=True, label="Jika Ya"),
    Key("tidak", TUJUAN, f"Ke mana alur pergi bila jawabannya tidak: id sebuah baris, '{NEXT}', '{END}', atau "
                         "daftar beberapa id.", required=True, label="Jika Tidak"),
    Key("label", LABEL, "Dua label cabang, untuk ya lalu tidak; bawaan [Ya, Tidak]; [\"\", \"\"] mencetak keputusan "
                        "tanpa label.", default=DEFAULT_LABELS, label="Label cabang"),
)

# The keys of one symbol: of a row that holds one, or of an item of `langkah`.
_SYMBOL_ID = Key("id", ID, "Nama pendek simbol ini; hanya perlu bila ada lompatan ke sini.", label="Id")
_SYMBOL_KEYS = (
    Key("keputusan", KEPUTUSAN, "Menjadikan simbol ini belah ketupat (keputusan) dengan dua cabang.",
        label="Keputusan"),
    Key("lanjut", TUJUAN, f"Ke mana alur pergi sesudahnya bila bukan ke baris berikutnya: id sebuah baris, '{END}' "
                          "(alur berakhir di sini), atau daftar beberapa id (percabangan).", label="Alur"),
    Key("simbol", PILIHAN, "Mengganti simbol bawaan, hanya dengan simbol resmi.", choices=SIMBOL, label="Simbol"),
)
LANGKAH_KEYS = (
    _SYMBOL_ID,
    Key("pelaksana", PELAKSANA_BARIS, "Kunci pelaksana simbol ini; boleh daftar bila dua pelaksana sekaligus.",
        required=True, label="Pelaksana"),
    *_SYMBOL_KEYS,
)

ROW_KEYS = (
    Key("id", ID, "Nama pendek baris ini; hanya perlu bila ada lompatan ke baris ini.", label="Id"),
    Key("nomor", TEKS, "Nomor yang dicetak di kolom No bila bukan nomor urut: teks seperti \"2a\", atau \"\" untuk "
                       "baris tanpa nomor; baris sesudahnya melanjutkan dari angka bulat terakhir yang tercetak."),
    Key("uraian", TEKS, "Uraian kegiatan: kalimat yang diawali kata kerja, tanpa subjek.", required=True),
    # Required unless the row holds `langkah` (the reader checks it).
    Key("pelaksana", PELAKSANA_BARIS, "Kunci pelaksana (dari daftar pelaksana); boleh daftar bila dua pelaksana sekaligus."),
    Key("kelengkapan", TEKS, "Mutu baku: persyaratan/kelengkapan."),
    Key("waktu", TEKS, "Mutu baku: waktu, misalnya 15 menit, 2 jam, 1 hari, 3 hari kerja, 2 menit/berkas; atau teks "
                       "bebas (Sesuai jadwal)."),
    Key("output", TEKS, "Mutu baku: keluaran kegiatan."),
    Key("keterangan", TEKS, "Kolom keterangan."),
    *_SYMBOL_KEYS,
    Key("langkah", LANGKAH, "Beberapa simbol dalam satu baris, paling banyak satu per lajur; setiap butir memuat id, "
                            "pelaksana, simbol, keputusan, lanjut (menggantikan kunci-kunci itu di baris ini).",
        label="Simbol"),
)
# The keys a row with `langkah` leaves to its items.
SYMBOL_KEY_NAMES = tuple(key.name for key in LANGKAH_KEYS)

SOP_KEYS = (
    *SOP_PRINT_KEYS,
    Key("nomor", TEKS, "Nomor SOP, ditulis persis seperti tata naskah unit (spasi kosong tetap)."),
    Key("nama", TEKS, "Nama / Judul SOP.", required=True),
    Key("status", PILIHAN, "berlaku (bawaan), draf, diganti, atau dicabut; hanya SOP yang berlaku masuk buku; "
                           "draf (SOP baru yang belum selesai) tidak diekspor kecuali diminta dengan --draf.",
        choices=("berlaku", "draf", "diganti", "dicabut"), default="berlaku", label="Status"),
    Key("diganti_oleh", ID, "Bila status diganti: nama berkas (slug) SOP penggantinya di unit yang sama.",
        label="Diganti oleh"),
    Key("tanggal_pembuatan", TANGGAL, "Tanggal SOP selesai dibuat: 22 Desember 2023, 22/12/2023 atau 2023-12-22; "
                                      "atau bulan dan tahun: Maret 2021."),
    Key("tanggal_efektif", TANGGAL, "Tanggal SOP mulai berlaku, biasanya tanggal pengesahan."),
    Key("revisi", REVISI, "Riwayat revisi, yang terbaru paling bawah; Tanggal Revisi = tanggal entri terakhir.",
        label="Riwayat Revisi"),
    Key("disahkan_oleh", PENANDATANGAN, "Penandatangan SOP ini, bila berbeda dari penandatangan unit.",
        label="Disahkan oleh"),
    Key("dasar_hukum", DAFTAR_TEKS, "Dasar hukum, satu peraturan per butir."),
    Key("kualifikasi_pelaksana", DAFTAR_TEKS, "Kualifikasi pelaksana."),
    Key("keterkaitan", DAFTAR_TEKS, "SOP terkait: teks bebas, atau nama berkas (slug) SOP lain di unit yang sama."),
    Key("peralatan_perlengkapan", DAFTAR_TEKS, "Peralatan/perlengkapan."),
    Key("peringatan", DAFTAR_TEKS, "Akibat bila SOP tidak dilaksanakan."),
    Key("pencatatan_pendataan", DAFTAR_TEKS, "Cara pencatatan dan pendataan."),
    Key("pelaksana", PELAKSANA, "Kolom pelaksana dari kiri ke kanan: kunci pendek: nama jabatan.", required=True),
    Key("kegiatan", KEGIATAN, "Baris-baris kegiatan dari atas ke bawah; nomor diberikan otomatis.", required=True),
)

ALL_KEYS = (*SOP_KEYS, *UNIT_KEYS, *SIGNER_KEYS, *DECREE_KEYS, *VERIFICATION_KEYS, *REVISION_KEYS, *ROW_KEYS,
            *LANGKAH_KEYS, *DECISION_KEYS)


def of_kind(kind: str, keys: tuple[Key, ...] = ALL_KEYS) -> tuple[str, ...]:
    """Return the names of the keys of *kind* among *keys*, each once, in the table's order."""
    return tuple(dict.fromkeys(key.name for key in keys if key.kind == kind))


def key_named(name: str, keys: tuple[Key, ...]) -> Key:
    """Return the key called *name* among *keys*."""
    return next(key for key in keys if key.name == name)


# What a missing top-level key of an SOP or a unit file means.
DEFAULTS = {key.name: key.default for key in (*SOP_KEYS, *UNIT_KEYS) if key.default is not None}
STATUS = key_named("status", SOP_KEYS).choices
IN_FORCE = DEFAULTS["status"]      # an SOP in force: what a file that names no status is; only these go into a book
DRAFT = "draf"      # a new SOP not yet final: left out of books and exports unless asked for


# --- what a person reads for a key ------------------------------------------------------------------------
MUTU_BAKU = ("kelengkapan", "waktu", "output")    # a row's keys printed under the Mutu Baku heading
# A row's keys printed under a heading of another name.
_ROW_HEADINGS = {"nomor": "no", "uraian": "kegiatan", "pelaksana": "pelaksana", "keterangan": "keterangan",
                 **{key: key for key in MUTU_BAKU}}
# Where the keys below a key path (without indexes) are found; the top level is an SOP's or a unit's.
_KEYS_UNDER = {
    ("disahkan_oleh",): SIGNER_KEYS, ("keputusan", "disahkan_oleh"): SIGNER_KEYS, ("keputusan",): DECREE_KEYS,
    ("verifikasi",): VERIFICATION_KEYS, ("revisi",): REVISION_KEYS, ("judul",): JUDUL_KEYS,
    ("kegiatan",): ROW_KEYS, ("kegiatan", "langkah"): LANGKAH_KEYS, ("kegiatan", "keputusan"): DECISION_KEYS,
    ("kegiatan", "langkah", "keputusan"): DECISION_KEYS,
}


def label(names: tuple[str, ...], headings: Mapping[str, str] = HEADINGS) -> str:
    """Return what a person reads for the key at *names* (a key path without indexes).

    That is the heading the document prints for it (*headings*, as judul renames
    them), else the key's label; a key the format does not know, as it is named:
    ("nomor",) -> "Nomor SOP"; ("kegiatan", "waktu") -> "Mutu Baku: Waktu";
    ("disahkan_oleh", "nip") -> "Disahkan oleh - NIP". A row's own keys are named
    without the row: the row is named by its number where it is shown.
    """
    if not names:
        return ""
    *parents, name = names
    if tuple(parents) == ("kegiatan",) and name in _ROW_HEADINGS:
        printed = headings.get(_ROW_HEADINGS[name]) or HEADINGS[_ROW_HEADINGS[name]]
        return f"{headings.get('mutu_baku') or HEADINGS['mutu_baku']}: {printed}" if name in MUTU_BAKU else printed
    if not parents and name in HEADINGS:
        return headings.get(name) or HEADINGS[name]
    own = own_label(names)
    if parents and tuple(parents) not in (("kegiatan",), ("kegiatan", "langkah")):
        return f"{label(tuple(parents), headings)} - {own}"     # as the workbook's "Disahkan oleh - NIP"
    return own


def own_label(names: tuple[str, ...]) -> str:
    """Return the label of the last key of *names* alone: ("revisi", "tanggal") -> "Tanggal"."""
    *parents, name = names
    keys = _KEYS_UNDER.get(tuple(parents), ()) if parents else (*SOP_KEYS, *UNIT_KEYS)
    key = next((k for k in keys if k.name == name), None)
    return (key.label or key.doc.rstrip(".")) if key else name


_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def in_words(path: str, data: Any = None, printed: Mapping[str, str] | None = None) -> str:
    """Return the key path *path* (``kegiatan[5].keputusan.tidak``, rows counted from 1) as a person reads it.

    Rows are named by the No they print in *data* (the definition's data; without it, by their place),
    pelaksana by jabatan, decision branches by their labels, fields by label() with *data*'s judul;
    *printed* names key paths without indexes (``kegiatan.lanjut``) as a form prints them instead:
    "Kegiatan 5, cabang Tidak"; "Tanggal Pembuatan"; 'Pelaksana "Kepala Bidang"'; "Riwayat Revisi ke-2 - Tanggal".
    """
    parts: list[str | int] = [int(i) if i else name for i, name in _PART.findall(path)]
    if not parts or not isinstance(parts[0], str):
        return path
    data = data if isinstance(data, Mapping) else {}
    judul = data.get("judul")
    headings = {**HEADINGS, **({str(k): str(v) for k, v in judul.items() if v} if isinstance(judul, Mapping) else {})}
    printed = printed or {}

    def field(names: tuple[str, ...]) -> str:
        if names[0] == "kegiatan" and names[-1] == "uraian" and ".".join(names) not in printed:
            return "uraian"     # not the row's heading "Kegiatan" again after "Kegiatan 3"
        return printed.get(".".join(names)) or label(names, headings)

    top, rest = parts[0], parts[1:]
    if top == "kegiatan" and rest and isinstance(rest[0], int):
        return ", ".join([_row_name(data.get("kegiatan"), rest[0]), *_in_row(rest[1:], _item(data.get("kegiatan"),
                                                                                                   rest[0]), field)])
    if top == "pelaksana" and len(rest) == 1 and isinstance(rest[0], str):
        actors = data.get("pelaksana")
        jabatan = actors.get(rest[0]) if isinstance(actors, Mapping) else None
        shown = jabatan.strip() if isinstance(jabatan, str) and jabatan.strip() else rest[0]
        return f'{field(("pelaksana",))} "{shown}"'
    names = tuple(p for p in parts if isinstance(p, str))
    text = field(names)
    if rest and isinstance(rest[0], int):       # an item of a list: "Mengingat ke-3", "Riwayat Revisi ke-2 - Tanggal"
        head = field((top,))
        text = f"{head} ke-{rest[0]}{text[len(head):]}" if text.startswith(head) else f"{text} (ke-{rest[0]})"
    return text


def _item(items: Any, number: int) -> Any:
    """Return the *number*-th (from 1) of *items*, or None."""
    return items[number - 1] if isinstance(items, list) and 0 < number <= len(items) else None


def printed_numbers(rows: Any) -> list[str]:
    """Return the No each row of *rows* prints: its nomor as written, else the automatic number."""
    numbers: list[str] = []
    for row in rows if isinstance(rows, list) else []:
        written = row.get("nomor") if isinstance(row, Mapping) else None
        numbers.append(automatic_number(numbers) if written is None else str(written).strip())
    return numbers


def _row_name(rows: Any, number: int) -> str:
    numbers = printed_numbers(rows)
    if 0 < number <= len(numbers):
        printed = numbers[number - 1]
        return f"Kegiatan {printed}" if printed else f"Kegiatan tanpa nomor di baris ke-{number}"
    return f"Kegiatan {number}"


def _in_row(parts: list[str | int], row: Any, field: Any) -> list[str]:
    """Name the key *parts* below a row (*row*: its data, or None) as the pieces after the row's name."""
    words: list[str] = []
    under: tuple[str, ...] = ("kegiatan",)
    holder = row
    while parts:
        part, parts = parts[0], parts[1:]
        if isinstance(part, int):
            words.append(f"langkah ke-{part}")
            holder = _item(holder, part)
        elif part == "langkah" and parts and isinstance(parts[0], int):
            under = ("kegiatan", "langkah")
            holder = holder.get("langkah") if isinstance(holder, Mapping) else None
        elif part == "keputusan" and parts and parts[0] in ("ya", "tidak"):
            decision = holder.get("keputusan") if isinstance(holder, Mapping) else None
            labels = decision.get("label") if isinstance(decision, Mapping) else None
            branch = parts[0]
            printed = field((*under, "keputusan", branch))
            if printed != label((*under, "keputusan", branch)):     # a form's own heading: "Jika Tidak"
                words.append(printed)
            else:
                at = 0 if branch == "ya" else 1
                named = labels[at] if isinstance(labels, list) and len(labels) == 2 else DEFAULT_LABELS[at]
                words.append(f"cabang {str(named).strip() or DEFAULT_LABELS[at]}")
            parts = parts[1:]
        else:
            under = (*under, part)
            if not parts or not isinstance(parts[0], str):
                words.append(field(under))
            holder = holder.get(part) if isinstance(holder, Mapping) else None
    return words
