"""Durations, dates and flow in the model, as the document prints them."""

from decimal import Decimal

from sopdoc.definition import reader
from sopdoc.definition.model import Exit, Tanggal, Target, Waktu, total_waktu


def test_total_carries_seconds_minutes_hours_but_keeps_days_apart():
    times = [Waktu("45 Menit", Decimal(45), "menit"), Waktu("30 menit", Decimal(30), "menit"),
             Waktu("2 Jam", Decimal(2), "jam"), Waktu("23 jam", Decimal(23), "jam"),
             Waktu("1 Hari", Decimal(1), "hari"), Waktu("1 hari", Decimal(1), "hari"),
             Waktu("Sesuai jadwal"), None]
    # 75 min = 1 h 15 min; 25 h stays hours: a working day is not 24 hours.
    assert total_waktu(times) == ("2 hari 26 jam 15 menit", ("Sesuai jadwal",))


def test_total_lists_a_free_text_once_ignores_a_dash_and_folds_60_minutes_into_an_hour():
    times = [Waktu("Sesuai jadwal"), Waktu("-"), Waktu("40 menit", Decimal(40), "menit"), Waktu("Sesuai jadwal"),
             Waktu("20 Menit", Decimal(20), "menit"), Waktu("Menyesuaikan")]
    assert total_waktu(times) == ("1 jam", ("Sesuai jadwal", "Menyesuaikan"))
    assert total_waktu([Waktu("-"), Waktu("1 hari", Decimal(1), "hari")]) == ("1 hari", ())


def test_fractional_waktu_and_empty_total():
    assert total_waktu([Waktu("0,5 jam", Decimal("0.5"), "jam")]) == ("30 menit", ())
    assert total_waktu([]) == ("-", ())


def test_dates_print_in_indonesian():
    assert str(Tanggal(2023, 12, 22)) == "22 Desember 2023"
    assert str(Tanggal(2021, 3)) == "Maret 2021"


def test_waktu_units_any_case_and_decisions_resolved(unit_dir):
    (unit_dir / "sop.yaml").write_text("""nama: Contoh
pelaksana: {a: Kepala, b: Staf}
kegiatan:
  - {uraian: Memulai, pelaksana: a, waktu: 15 MENIT}
  - {id: susun, uraian: Menyusun, pelaksana: b, waktu: "1,5 Jam"}
  - uraian: Memeriksa
    pelaksana: a
    waktu: Sesuai jadwal
    keputusan: {ya: berikutnya, tidak: susun, label: [Lengkap, Tidak lengkap]}
  - {uraian: Menyimpan, pelaksana: [b, a]}
  - {uraian: Menutup, pelaksana: a}
""", encoding="utf-8")
    result = reader.read([unit_dir])
    assert result.problems == []
    (sop,) = result.sops
    rows = sop.kegiatan
    assert rows[0].waktu.satuan == "menit" and rows[0].waktu.jumlah == 15
    assert rows[1].waktu.jumlah == Decimal("1.5")
    assert rows[2].langkah[0].exits == (Exit((Target(3),), "Lengkap"), Exit((Target(1),), "Tidak lengkap"))
    assert [r.langkah[0].simbol for r in rows] == ["kapsul", "kotak", "belah_ketupat", "kotak", "kapsul"]
    assert rows[3].langkah[0].pelaksana == ("b", "a")
    assert sop.total_waktu() == ("1 jam 45 menit", ("Sesuai jadwal",))
