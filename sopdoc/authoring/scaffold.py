"""Starting files for a new unit and a new SOP, with every key explained."""

from __future__ import annotations

import datetime

from sopdoc.authoring import quoting
from sopdoc.definition import placeholders

UNIT = """\
# Data bersama semua SOP di folder ini (satu folder = satu unit = satu buku SOP).
# Baris yang diawali '#' adalah keterangan dan tidak dibaca sopdoc.

pemerintah: {pemerintah}                        # baris pertama kop
unit: {unit}                                    # nama unit (dinas, badan, bagian)
# sub_unit: Sub Bagian Umum dan Kepegawaian     # baris ketiga kop (boleh dihapus)
# logo: logo.png                                # berkas logo, relatif terhadap berkas ini
# alamat: Jl. Contoh No. 1                      # untuk sampul buku SOP
kertas: F4                                      # F4, A4, Letter atau Legal
orientasi: lanskap                              # lanskap atau potret
# kop:                                          # kop ditulis utuh, bila tanpa baris 'Pemerintah ...'
#   - BADAN PUSAT STATISTIK
#   - PROVINSI CONTOH
# judul:                                        # judul tercetak yang diganti (bawaan: Kelengkapan, ...)
#   kelengkapan: Persyaratan/Perlengkapan
# kolom_keterangan: false                       # tabel bagan alir tanpa kolom Keterangan
disahkan_oleh:                                  # penandatangan bawaan semua SOP unit ini
  jabatan: {jabatan}                    # misalnya Kepala Dinas Kesehatan
  nama: {nama_lengkap}
  pangkat: {pangkat}                        # misalnya Pembina Utama Muda, IV/c
  nip: "{nip}"                  # dalam tanda kutip agar spasinya tetap
# verifikasi: true                              # kode QR verifikasi di lembar identitas, atau:
# verifikasi:
#   url: https://sop.contoh.go.id/cek/{{kode}}  # QR berisi tautan ini; {{kode}} diganti kode versi SOP

# Untuk buku SOP (sopdoc book); semuanya boleh dihapus.
# tahun: 2024                                   # tahun pada sampul
# urutan: [surat-masuk, surat-keluar]           # urutan SOP di buku (nama berkas)
# penjelasan:                                   # penjelasan singkat penggunaan, satu paragraf per butir
#   - Buku ini memuat SOP Administrasi Pemerintahan di lingkungan unit ini.
# keputusan:                                    # keputusan pimpinan yang mengesahkan SOP
#   nomor: "800/   /2024"
#   tanggal: 2024-01-02
#   tentang: Standar Operasional Prosedur Administrasi Pemerintahan
#   ditetapkan_di: Nama Kota
#   menimbang:
#     - bahwa untuk meningkatkan kualitas layanan perlu ditetapkan SOP
#   mengingat:
#     - Peraturan Menteri PAN RB Nomor 35 Tahun 2012
#   disahkan_oleh:                              # bawaan: penandatangan unit di atas
#     jabatan: {jabatan}
"""

SOP = """\
# Definisi satu SOP. Baris yang diawali '#' adalah keterangan dan tidak dibaca sopdoc.
# Periksa dengan:  sopdoc validate {path}

nomor: "{nomor}"                  # nomor SOP, ditulis persis (spasi kosong tetap)
nama: {nama}                             # Nama / Judul SOP
status: draf                             # draf (tidak masuk buku dan ekspor), berlaku, diganti, atau dicabut
# diganti_oleh: nama-berkas-sop-baru     # hanya bila status: diganti
tanggal_pembuatan: {today}               # tanggal selesai dibuat; juga boleh 2 Januari {year}, 02/01/{year}, Maret {year}
tanggal_efektif: {today}                 # tanggal mulai berlaku
revisi: []                               # riwayat revisi; isi lewat: sopdoc revise
# disahkan_oleh:                         # hanya bila berbeda dari penandatangan di unit.yaml
#   jabatan: Sekretaris Dinas
#   nama: {nama_lengkap}
#   pangkat: Pembina, IV/a
#   nip: "{nip}"
# kertas: A4                             # hanya bila berbeda dari unit.yaml: F4, A4, Letter, Legal
# orientasi: potret                      # hanya bila berbeda dari unit.yaml
# kop: [BADAN CONTOH, PROVINSI CONTOH]   # kop ditulis utuh (bawaan: dari unit.yaml)
# judul: {{kelengkapan: Persyaratan}}      # judul tercetak yang diganti (bawaan: dari unit.yaml)
# kolom_keterangan: false                # tabel bagan alir tanpa kolom Keterangan

dasar_hukum:                             # satu peraturan per butir
  - Peraturan Menteri PAN RB Nomor 35 Tahun 2012 tentang Pedoman Penyusunan SOP Administrasi Pemerintahan
kualifikasi_pelaksana:
  - Memahami tugas dan fungsi unit
keterkaitan: []                          # SOP terkait: teks bebas, atau nama berkas SOP lain di unit ini
peralatan_perlengkapan:
  - Komputer
  - ATK
peringatan:                              # akibat bila SOP tidak dilaksanakan
  - Jika SOP tidak dilaksanakan, layanan terlambat
pencatatan_pendataan:
  - Disimpan sebagai data elektronik dan manual

pelaksana:                               # kolom pelaksana dari kiri ke kanan -> kunci: nama jabatan
  kepala: Kepala Dinas
  kasubag: Kepala Sub Bagian Umum
  staf: Staf Pelaksana

kegiatan:                                # baris dari atas ke bawah; nomor diberikan otomatis
  - uraian: {uraian_1}    # kata kerja, tanpa subjek
    pelaksana: kepala                                      # salah satu kunci di 'pelaksana'
    kelengkapan: Surat masuk                               # mutu baku: kelengkapan
    waktu: 15 menit                                        # detik, menit, jam, hari, hari kerja, minggu, bulan
    output: Disposisi                                      # mutu baku: output
  - id: susun                                              # id hanya perlu bila ada lompatan ke sini
    uraian: {uraian_2}
    pelaksana: staf
    kelengkapan: Disposisi
    waktu: 1 hari
    output: Konsep dokumen
  - uraian: {uraian_3}
    pelaksana: kasubag
    kelengkapan: Konsep dokumen
    waktu: 1 jam
    output: Konsep terperiksa
    keputusan:                                             # menjadikan baris ini belah ketupat
      ya: berikutnya                                       # id tujuan, atau 'berikutnya'
      tidak: susun                                         # kembali ke baris 'susun' untuk diperbaiki
      label: [Sesuai, Tidak sesuai]                        # boleh dihapus: bawaannya Ya / Tidak
  - uraian: {uraian_4}
    pelaksana: kepala
    kelengkapan: Konsep terperiksa
    waktu: 30 menit
    output: Dokumen final
    # keterangan: ...                                      # kolom keterangan (boleh dihapus)
    # lanjut: susun                                        # bila alur tidak ke baris berikutnya: id tujuan, selesai
    # simbol: kotak                                        # mengganti simbol bawaan: kapsul, kotak, belah_ketupat
    # nomor: "4a"                                          # nomor tercetak bila bukan nomor urut ("" = tanpa)
# Beberapa simbol dalam satu baris (satu per lajur): 'langkah' menggantikan pelaksana,
# simbol, keputusan, lanjut dan id baris itu, misalnya:
#  - uraian: Mengarsipkan dokumen
#    langkah:
#      - pelaksana: staf
#        lanjut: selesai
#      - pelaksana: kasubag
"""


# The example values both files start with: the reader warns about each one left (placeholders).
_EXAMPLES = {"pemerintah": placeholders.PEMERINTAH, "jabatan": placeholders.JABATAN, "nama_lengkap": placeholders.NAMA,
             "pangkat": placeholders.PANGKAT, "nip": placeholders.NIP,
             **{f"uraian_{n}": text for n, text in enumerate(placeholders.URAIAN, start=1)}}
EXAMPLE_NAMA = "Contoh SOP (salin lembar ini)"     # the example sheet of `sopdoc excel --kosong`, never imported


def unit_text(unit: str) -> str:
    """Return the text of a new unit.yaml for *unit*."""
    return _fill(UNIT, unit=quoting.scalar(unit), **_EXAMPLES)


def sop_text(nama: str, path: str, today: datetime.date) -> str:
    """Return the text of a new SOP file called *nama*: a draft (status draf) full of examples to replace."""
    # The path goes into a comment: a line break or control character in it would end the comment.
    shown = "".join(ch if ch.isprintable() else "?" for ch in path)
    return _fill(SOP, nama=quoting.scalar(nama), path=shown, today=today.isoformat(), year=today.year,
                 nomor=placeholders.nomor(today.year), **_EXAMPLES)


_COMMENT = "  # "


def _fill(template: str, **values: object) -> str:
    """Format *template* with *values*, keeping each trailing comment in its block's column.

    A value longer or shorter than its placeholder would otherwise push its comment out of
    line with the comments above and below it; such a line takes the column of the nearest
    placeholder-free commented line at the same indentation.
    """
    lines = template.split("\n")
    columns: dict[int, int] = {}  # line index -> the template's comment column, for fixed lines
    for index, line in enumerate(lines):
        head, found, _ = line.partition(_COMMENT)
        if found and "{" not in head:
            columns[index] = len(head) + 2

    def column(index: int, indent: int) -> int:
        for other in sorted(columns, key=lambda i: (abs(i - index), -i)):
            if _indent(lines[other]) == indent:
                return columns[other]
        return 0

    out = []
    for index, line in enumerate(lines):
        head, found, comment = line.partition(_COMMENT)
        if not found:
            out.append(line.format(**values))
            continue
        value = head.rstrip().format(**values)
        at = columns.get(index) or column(index, _indent(line))
        out.append(value.ljust(max(at, len(value) + 2)) + "# " + comment.format(**values))
    return "\n".join(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" #"))
