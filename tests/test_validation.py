"""Each invalid fixture yields exactly the messages a user should read."""

import pytest
from conftest import FIXTURES, problem_lines

from sopdoc.definition import reader

_KAPSUL = ("kegiatan Mulai atau Selesai digambar sebagai satu kapsul, jadi hanya satu pelaksana; tulis satu "
           "pelaksana, dan jadikan kegiatan bersama baris tersendiri sesudah Mulai atau sebelum Selesai")

EXPECTED = {
    "sintaks-yaml-rusak": [
        "sintaks-yaml-rusak.yaml:6 : sintaks YAML tidak sah: tanda ':' tidak boleh di sini "
        "(teks yang memuat ': ' perlu diapit tanda kutip) (kolom 33)",
    ],
    "kunci-ganda": [
        "kunci-ganda.yaml:2 : kunci 'nama' ditulis dua kali (pertama di baris 1); hapus salah satunya",
    ],
    "kunci-tidak-dikenal": [
        "kunci-tidak-dikenal.yaml:3 pelaksana.kasubag: pelaksana Kepala Sub Bagian Umum tidak pernah dipakai di "
        "kegiatan mana pun; pakai di sebuah kegiatan, atau hapus baris ini (peringatan)",
        "kunci-tidak-dikenal.yaml:6 kegiatan[1].pelaksana: wajib diisi: Kunci pelaksana (dari daftar pelaksana); "
        "boleh daftar bila dua pelaksana sekaligus.",
        "kunci-tidak-dikenal.yaml:7 kegiatan[1].pelaksanaa: kunci 'pelaksanaa' tidak dikenal; "
        "mungkin maksud Anda 'pelaksana'?",
    ],
    "tipe-salah": [
        "tipe-salah.yaml:8 kegiatan[1].output: harus berupa teks, bukan daftar",
        "tipe-salah.yaml:11 dasar_hukum: harus berupa daftar (setiap butir diawali '- '), bukan pemetaan (kunci: nilai)",
    ],
    "nama-tidak-ada": ["nama-tidak-ada.yaml:1 nama: wajib diisi: Nama / Judul SOP."],
    "keputusan-dan-kapsul-dua-pelaksana": [
        "keputusan-dan-kapsul-dua-pelaksana.yaml:8 kegiatan[1].pelaksana: " + _KAPSUL,
        "keputusan-dan-kapsul-dua-pelaksana.yaml:13 kegiatan[3].pelaksana: baris keputusan digambar sebagai satu "
        "belah ketupat dengan dua cabang, jadi hanya satu pelaksana (yang memutuskan); tulis satu pelaksana, dan "
        "pindahkan kegiatan bersama ke baris sebelumnya",
        "keputusan-dan-kapsul-dua-pelaksana.yaml:19 kegiatan[4].pelaksana: " + _KAPSUL,
    ],
    "tanggal-mustahil": [
        "tanggal-mustahil.yaml:1 tanggal_pembuatan: '2023-02-30' bukan tanggal yang ada di kalender; "
        "periksa hari dan bulannya",
        "tanggal-mustahil.yaml:2 tanggal_efektif: 'Maretz 2023' bukan tanggal; tulis misalnya 15 Januari 2024, "
        "15/01/2024, 15-01-2024 atau 2024-01-15; bila harinya tidak ada, bulan dan tahun: Maret 2021",
    ],
    "revisi-sebelum-pembuatan": [
        "revisi-sebelum-pembuatan.yaml:3 revisi[1].tanggal: tanggal revisi 1 Mei 2023 lebih awal dari "
        "tanggal pembuatan (1 Juni 2023); revisi ditulis berurutan, yang terbaru paling bawah",
    ],
    "pelaksana-tidak-dikenal": [
        "pelaksana-tidak-dikenal.yaml:3 pelaksana.kasubag: pelaksana Kepala Sub Bagian Umum tidak pernah dipakai "
        "di kegiatan mana pun; pakai di sebuah kegiatan, atau hapus baris ini (peringatan)",
        "pelaksana-tidak-dikenal.yaml:7 kegiatan[1].pelaksana: 'kasubbag' bukan pelaksana yang dikenal "
        "(pilihan: kasubag, staf); mungkin maksud Anda 'kasubag'?",
    ],
    "id-ganda": [
        "id-ganda.yaml:9 kegiatan[2].id: id 'awal' sudah dipakai oleh kegiatan nomor 1; setiap id harus unik",
    ],
    "lompatan-ke-id-tidak-ada": [
        "lompatan-ke-id-tidak-ada.yaml:9 kegiatan[1].lanjut: tidak ada kegiatan dengan id 'penutup' "
        "(id yang ada: disposisi)",
    ],
    "keputusan-cabang-sama": [
        "keputusan-cabang-sama.yaml:10 kegiatan[2].keputusan: kedua cabang keputusan menuju kegiatan yang sama "
        "(nomor 3); satu cabang harus ke tempat lain, atau jadikan baris ini kotak biasa",
    ],
    # One mistake, one message: the emptied branch is missing, not also a target that is "wajib diisi".
    "keputusan-cabang-kosong": [
        "keputusan-cabang-kosong.yaml:12 kegiatan[2].keputusan.ya: wajib diisi: Ke mana alur pergi bila jawabannya "
        "ya: id sebuah baris, 'berikutnya', 'selesai' (alur berakhir), atau daftar beberapa id (percabangan).",
    ],
    "alur-berputar": [
        f"alur-berputar.yaml:{line} kegiatan[{n}]: dari kegiatan nomor {n} alur tidak pernah sampai ke akhir "
        "(berputar terus); beri jalan keluar dengan 'lanjut' (boleh 'selesai') atau cabang keputusan"
        for line, n in ((6, 1), (8, 2), (11, 3))
    ] + [
        "alur-berputar.yaml:14 kegiatan[4]: kegiatan nomor 4 tidak pernah dicapai dari kegiatan pertama; "
        "arahkan 'lanjut' atau cabang keputusan ke baris ini, atau hapus barisnya",
    ],
    "baris-yatim": [
        "baris-yatim.yaml:9 kegiatan[2]: kegiatan nomor 2 tidak pernah dicapai dari kegiatan pertama; "
        "arahkan 'lanjut' atau cabang keputusan ke baris ini, atau hapus barisnya",
    ],
    "simbol-tidak-resmi": [
        "simbol-tidak-resmi.yaml:10 kegiatan[2].simbol: 'bintang' bukan salah satu dari lima simbol resmi "
        "Permenpan RB 35/2012 (untuk kegiatan: kapsul, kotak, belah_ketupat)",
    ],
    "keputusan-di-baris-pertama": [
        "keputusan-di-baris-pertama.yaml:8 kegiatan[1].keputusan: kegiatan pertama adalah Mulai dan tidak boleh "
        "berupa keputusan; tambahkan satu kegiatan sebelumnya",
    ],
    # A decision may stand in the last row (one branch may end the flow with 'selesai'), but no flow goes on
    # past the last row.
    "berikutnya-dari-baris-terakhir": [
        "berikutnya-dari-baris-terakhir.yaml:13 kegiatan[2].keputusan.tidak: tidak ada kegiatan sesudah kegiatan "
        "terakhir; tulis id tujuannya, atau 'selesai'",
    ],
    "kegiatan-bukan-daftar": [
        "kegiatan-bukan-daftar.yaml:5 kegiatan: harus berupa daftar kegiatan (setiap butir diawali '- '), "
        "bukan pemetaan (kunci: nilai)",
    ],
    # The constructs of real, signed SOPs, each refused where it is written wrongly.
    "simbol-langkah-tidak-tercapai": [
        "simbol-langkah-tidak-tercapai.yaml:11 kegiatan[2].langkah[2]: simbol 'periksa' (langkah ke-2 kegiatan nomor "
        "2) tidak pernah dicapai dari kegiatan pertama; arahkan 'lanjut' atau cabang keputusan ke id-nya, atau hapus "
        "butir ini",
    ],
    "dua-simbol-satu-lajur": [
        "dua-simbol-satu-lajur.yaml:13 kegiatan[2].langkah[2].pelaksana[2]: lajur 'staf' sudah memuat simbol (langkah "
        "ke-1 kegiatan nomor 2); satu lajur memuat satu simbol per baris (pindahkan salah satunya ke baris lain)",
    ],
    "lompat-ke-baris-langkah-tanpa-id": [
        "lompat-ke-baris-langkah-tanpa-id.yaml:8 kegiatan[1].lanjut: kegiatan nomor 2 memuat beberapa simbol; arahkan "
        "ke id salah satu butir langkahnya (id yang ada: cek-staf, cek-kasubag)",
        "lompat-ke-baris-langkah-tanpa-id.yaml:9 kegiatan[2].id: baris dengan 'langkah' menulis 'id' di butir "
        "langkahnya, bukan di barisnya",
    ],
    "percabangan-satu-tujuan": [
        "percabangan-satu-tujuan.yaml:8 kegiatan[1].lanjut: percabangan perlu paling sedikit dua tujuan; tulis satu "
        "tujuan tanpa [ ], atau tambahkan tujuan lain",
    ],
    "percabangan-tujuan-ganda": [
        "percabangan-tujuan-ganda.yaml:11 kegiatan[2].keputusan.ya[2]: tujuan 'arsip' ditulis dua kali dalam "
        "percabangan ini",
    ],
    "selesai-dalam-percabangan": [
        "selesai-dalam-percabangan.yaml:10 kegiatan[2].lanjut[2]: 'selesai' tidak dapat menjadi salah satu tujuan "
        "percabangan; akhiri alur di simbol tujuannya",
    ],
    "id-ganda-di-langkah": [
        "id-ganda-di-langkah.yaml:14 kegiatan[2].langkah[2].id: id 'periksa' sudah dipakai oleh kegiatan nomor 1; "
        "setiap id harus unik",
    ],
    "label-keputusan-separuh": [
        "label-keputusan-separuh.yaml:14 kegiatan[2].keputusan.label: tulis kedua label, atau kosongkan keduanya "
        "([\"\", \"\"]) untuk keputusan yang dicetak tanpa label",
    ],
    "kunci-simbol-di-baris-langkah": [
        "kunci-simbol-di-baris-langkah.yaml:9 kegiatan[2].pelaksana: baris dengan 'langkah' menulis 'pelaksana' di "
        "butir langkahnya, bukan di barisnya",
        "kunci-simbol-di-baris-langkah.yaml:10 kegiatan[2].lanjut: baris dengan 'langkah' menulis 'lanjut' di butir "
        "langkahnya, bukan di barisnya",
    ],
    "kunci-cetak-salah": [
        "kunci-cetak-salah.yaml:3 kertas: 'B5' bukan pilihan yang sah (pilihan: F4, A4, Letter, Legal)",
        "kunci-cetak-salah.yaml:5 judul.kolom_lain: kunci 'kolom_lain' tidak dikenal; kunci yang dikenal: nomor, "
        "tanggal_pembuatan, tanggal_revisi, tanggal_efektif, disahkan_oleh, nama, dasar_hukum, kualifikasi_pelaksana, "
        "keterkaitan, peralatan_perlengkapan, peringatan, pencatatan_pendataan, no, kegiatan, pelaksana, mutu_baku, "
        "kelengkapan, waktu, output, keterangan",
        "kunci-cetak-salah.yaml:6 judul.waktu: harus berupa teks, bukan daftar",
        "kunci-cetak-salah.yaml:7 kolom_keterangan: tulis true atau false, bukan teks",
        "kunci-cetak-salah.yaml:8 kop: harus berupa daftar (setiap butir diawali '- '), bukan pemetaan (kunci: nilai)",
        "kunci-cetak-salah.yaml:13 kegiatan[2].nomor: harus berupa teks, bukan daftar",
    ],
    "baris-pertama-tanpa-mulai": [
        "baris-pertama-tanpa-mulai.yaml:6 kegiatan[1]: kegiatan pertama tidak punya simbol Mulai: setiap simbolnya "
        "dituju simbol lain di baris yang sama",
    ],
    "keputusan-mulai-di-langkah": [
        "keputusan-mulai-di-langkah.yaml:10 kegiatan[1].langkah[2].keputusan: simbol (langkah ke-2 kegiatan nomor 1) "
        "adalah simbol Mulai (tidak ada simbol lain di baris pertama yang menuju ke sana) dan tidak boleh berupa "
        "keputusan; tambahkan simbol Mulai yang menuju keputusan ini",
    ],
    "lompat-ke-diri-sendiri": [
        "lompat-ke-diri-sendiri.yaml:11 kegiatan[2].lanjut: kegiatan ini menuju dirinya sendiri ('susun'); "
        "arahkan ke kegiatan lain",
    ],
}

WARNINGS = {
    "pelaksana-tidak-dipakai": [
        "pelaksana-tidak-dipakai.yaml:5 pelaksana.arsiparis: pelaksana Arsiparis tidak pernah dipakai "
        "di kegiatan mana pun; pakai di sebuah kegiatan, atau hapus baris ini (peringatan)",
    ],
    "satu-pelaksana": [
        "satu-pelaksana.yaml:2 pelaksana: SOP ini hanya memiliki 1 pelaksana; SOP AP disusun karena melibatkan "
        "paling sedikit dua pelaksana (peringatan)",
    ],
    "uraian-diawali-pelaksana": [
        "uraian-diawali-pelaksana.yaml:6 kegiatan[1].uraian: uraian diawali nama pelaksana 'Kepala Sub Bagian Umum'; "
        "tulis kalimat yang diawali kata kerja (pelaksana sudah tercantum di kolomnya) (peringatan)",
        "uraian-diawali-pelaksana.yaml:8 kegiatan[2].uraian: uraian diawali nama pelaksana 'Staf'; "
        "tulis kalimat yang diawali kata kerja (pelaksana sudah tercantum di kolomnya) (peringatan)",
    ],
    "keterkaitan-slug-tidak-ada": [
        "keterkaitan-slug-tidak-ada.yaml:3 keterkaitan[2]: 'surat-keluar' tampak seperti nama berkas SOP, "
        "tetapi tidak ada SOP 'surat-keluar' di unit ini (peringatan)",
    ],
    "keputusan-tanpa-label": [
        "keputusan-tanpa-label.yaml:14 kegiatan[2].keputusan.label: keputusan ini dicetak tanpa label cabang; pembaca "
        "tidak dapat melihat cabang mana 'ya' dan mana 'tidak' (peringatan)",
    ],
    # Rates and ranges are named; hari kerja and hari kalender add up; a free text without a number is meant.
    "waktu-yang-tidak-dijumlahkan": [
        "waktu-yang-tidak-dijumlahkan.yaml:8 kegiatan[1].waktu: waktu '2 menit/berkas' dihitung per berkas, jadi tidak "
        "ikut dijumlahkan; total waktu menyebutnya terpisah (peringatan)",
        "waktu-yang-tidak-dijumlahkan.yaml:11 kegiatan[2].waktu: waktu '5 menit per dokumen' dihitung per dokumen, "
        "jadi tidak ikut dijumlahkan; total waktu menyebutnya terpisah (peringatan)",
        "waktu-yang-tidak-dijumlahkan.yaml:14 kegiatan[3].waktu: waktu '1 - 5 hari kerja' tidak dapat dijumlahkan "
        "(tulis satu angka dan satuannya, misalnya '2 hari kerja'); total waktu menyebutnya terpisah (peringatan)",
    ],
    "waktu-tanpa-satuan": [
        "waktu-tanpa-satuan.yaml:8 kegiatan[1].waktu: waktu '15' tanpa satuan; tambahkan satuannya, "
        "misalnya '15 menit' (peringatan)",
        "waktu-tanpa-satuan.yaml:11 kegiatan[2].waktu: satuan 'hr' tidak dikenal (pilihan: detik, menit, jam, "
        "hari, hari kerja, hari kalender, minggu, bulan); waktu ini dicetak apa adanya dan tidak ikut dijumlahkan (peringatan)",
    ],
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_invalid_fixture_reports_exact_messages(scenario):
    result = reader.read([FIXTURES / "invalid" / f"{scenario}.yaml"])
    assert problem_lines(result) == EXPECTED[scenario]
    assert result.sops == []
    assert [f.stem for f in result.failed] == [scenario]


@pytest.mark.parametrize("scenario", sorted(WARNINGS))
def test_warning_fixture_reports_exact_messages_and_still_loads(scenario):
    result = reader.read([FIXTURES / "warnings" / f"{scenario}.yaml"])
    assert problem_lines(result) == WARNINGS[scenario]
    assert [s.slug for s in result.sops] == [scenario]


def test_every_invalid_fixture_has_an_expectation():
    files = {p.stem for p in (FIXTURES / "invalid").glob("*.yaml")} - {"unit"}
    assert files == set(EXPECTED)


def test_a_broken_file_does_not_stop_the_others():
    result = reader.read([FIXTURES / "invalid"])
    assert len(result.failed) == len(EXPECTED)
    assert result.sops == []
    warn = reader.read([FIXTURES / "warnings"])
    assert len(warn.sops) == len(WARNINGS) and not warn.errors
