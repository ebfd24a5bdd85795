"""The Petunjuk sheet: how to fill in the workbook, in Indonesian."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from sopdoc.excel import labels

_MARKS = " ".join(labels.CHECK_MARKS)
# How a target that follows its row is written: what sopdoc writes, and what a person is told to write.
TARGETS = ("Tulis tujuan 'Jika Ya', 'Jika Tidak' dan 'Lanjut ke' sebagai rujukan ke sel No baris tujuan, seperti "
           "sopdoc menulisnya: ketik =, klik sel No itu, tekan Enter (misalnya =A25). Rujukan ikut berpindah bila "
           "baris disisipkan atau dinomori ulang; nomor yang diketik sebagai angka tidak. Boleh juga 'berikutnya'.")

SECTIONS = (
    ("Lembar isian SOP", (
        "Buku kerja ini memuat satu unit (satu buku SOP). Lembar 'Unit' berisi data bersama semua SOP; "
        "setiap lembar lain berisi satu SOP dan boleh diberi nama apa saja.",
        "Setelah diisi, ubah menjadi definisi SOP dengan:  sopdoc import NAMA-BERKAS.xlsx --to definitions",
        "sopdoc memeriksa seluruh isian lebih dulu. Bila ada yang salah, setiap masalah dilaporkan dengan "
        "nama lembar dan selnya (misalnya [Surat Masuk]!D14), dan tidak ada berkas yang ditulis.",
    )),
    ("Menambah SOP", (
        "Salin salah satu lembar SOP (klik kanan nama lembar > Pindahkan atau Salin > Buat salinan), "
        "lalu ganti isinya. Kosongkan baris 'Berkas' agar nama berkas dibuat dari Nama SOP.",
        "Lembar contoh buku kerja kosong tidak pernah diimpor. SOP baru berstatus 'draf': tidak masuk buku "
        "dan ekspor sampai 'Status' diganti 'berlaku'. Contoh yang tertinggal (penandatangan, NIP, nomor, "
        "kegiatan contoh) dilaporkan sebagai peringatan.",
    )),
    ("Identitas SOP (bagian atas lembar)", (
        "Label di kolom A, isi di kolom B. 'Nama SOP' wajib diisi.",
        "Tanggal boleh berupa tanggal Excel, atau teks: 22 Desember 2023, 22/12/2023, 22-12-2023, "
        "2023-12-22, atau bulan dan tahun saja: Maret 2021 (hari selalu sebelum bulan).",
        "'Tanggal Revisi' hanya ditampilkan (diambil dari 'Riwayat Revisi'). Riwayat ditulis satu revisi "
        "per baris: tanggal, titik dua, catatan. Contoh: 10 Juni 2024: Pelaksana langkah 4 diganti.",
        "NIP selalu diketik sebagai teks (sel berformat Teks, atau diawali tanda petik '), karena Excel "
        "hanya menyimpan 15 angka dan NIP 18 angka akan rusak bila diketik sebagai angka.",
        "Dasar Hukum, Kualifikasi Pelaksana, Keterkaitan, Peralatan/Perlengkapan, Peringatan, serta "
        "Pencatatan dan Pendataan: satu butir per baris di dalam sel (tekan Alt+Enter untuk baris baru). "
        "Nomor '1.' atau tanda '-' di awal butir boleh ditulis; sopdoc membuangnya.",
        "Kosongkan 'Disahkan oleh' bila penandatangan SOP sama dengan penandatangan di lembar Unit.",
        "Kolom No dan Kegiatan tetap terlihat saat lembar digeser ke kanan. Kelompok baris identitas dapat "
        "dilipat dengan tombol '-' di kiri lembar agar tabel kegiatan langsung terlihat; saat dicetak, judul "
        "tabel kegiatan diulang di setiap halaman.",
    )),
    ("Tabel kegiatan (bagian bawah lembar)", (
        "Judul tabel adalah baris yang kolom A-nya 'No' dan kolom B-nya 'Kegiatan'. Kolom di antara "
        "'Kegiatan' dan 'Kelengkapan' adalah kolom pelaksana: judulnya nama jabatan. Menambah pelaksana: "
        "sisipkan kolom di antara keduanya dan tulis nama jabatannya.",
        "Setiap baris yang kolom 'Kegiatan'-nya berisi teks adalah satu kegiatan, dari atas ke bawah. "
        "Baris kosong dilewati.",
        f"Siapa yang mengerjakan: beri tanda di kolom pelaksananya: {_MARKS}, atau tulis simbolnya: "
        "Mulai, Proses, Keputusan, Selesai. Tanda di dua kolom = kegiatan itu dikerjakan dua pelaksana bersama.",
        "Kegiatan pertama digambar sebagai Mulai dan yang terakhir sebagai Selesai.",
        "Keputusan (belah ketupat): tulis 'Keputusan' sebagai tandanya, atau isi 'Jika Ya' / 'Jika Tidak'; "
        "kosong berarti baris berikutnya. 'Label Ya' dan 'Label Tidak' mengganti tulisan Ya / Tidak pada "
        "cabangnya. 'Lanjut ke': tujuan bila alur tidak ke baris berikutnya (misalnya kembali untuk perbaikan).",
        TARGETS,
        "Waktu: angka dan satuan (15 Menit, 2 jam, 1 Hari), atau teks bebas (Sesuai jadwal).",
        "Baris 'Kunci' di bawah judul tabel dan kolom 'Id' diisi sopdoc agar impor berikutnya mengenali "
        "pelaksana dan baris yang sama. Keduanya boleh dibiarkan kosong pada baris dan kolom baru.",
    )),
    ("Aman", (
        "Rumus tidak dihitung oleh sopdoc: yang dibaca adalah nilai yang tersimpan terakhir kali di Excel, "
        "kecuali rujukan tujuan (=A25). Buku kerja bermakro (.xlsm) ditolak. Impor memperingatkan bila definisi "
        "SOP diubah sesudah buku kerja ini dibuat.",
    )),
)
# The importer knows the guide by its first line, not by its sheet's name (a name anyone may give a SOP sheet).
TITLE = SECTIONS[0][0]


def write(sheet: Worksheet, body: Font, bold: Font, height) -> None:
    """Fill *sheet* with the instructions, one paragraph per row; *height* sizes a row for its text."""
    # Narrow enough to print on F4 portrait unscaled: LibreOffice does not shrink this sheet.
    width = 80
    sheet.column_dimensions["A"].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1
    for title, paragraphs in SECTIONS:
        cell = sheet.cell(row=row, column=1, value=title)
        cell.font = Font(name=bold.name, size=12, bold=True)
        row += 1
        for text in paragraphs:
            cell = sheet.cell(row=row, column=1, value=text)
            cell.font, cell.alignment = body, wrap
            sheet.row_dimensions[row].height = height([(text, width)])
            row += 1
        row += 1
