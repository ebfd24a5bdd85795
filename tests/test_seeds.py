"""The five seed SOPs are transcribed faithfully and validate with no warning."""

from conftest import DEFINITIONS

from sopdoc.definition import reader


def _sops():
    result = reader.read([DEFINITIONS])
    assert result.problems == []
    return {sop.slug: sop for sop in result.sops}


def test_all_five_seeds_validate_without_problems():
    sops = _sops()
    assert {slug: len(sop.kegiatan) for slug, sop in sops.items()} == {
        "monitoring-evaluasi-kinerja": 7,
        "pengumpulan-data-kinerja": 9,
        "monitoring-evaluasi-internal": 13,
        "monev-kinerja-periodik": 12,
        "pemantauan-kinerja": 13,
    }


def test_seed_values_kept_exactly():
    sops = _sops()
    way_kanan = sops["monitoring-evaluasi-kinerja"]
    assert way_kanan.nomor == "830/   /IV.16-WK/2021"
    assert str(way_kanan.tanggal_pembuatan) == "Maret 2021" and way_kanan.tanggal_revisi is None
    assert way_kanan.unit.pemerintah == "Pemerintah Kabupaten Way Kanan"
    assert way_kanan.keterkaitan == ("pengumpulan-data-kinerja",)
    assert sops["pengumpulan-data-kinerja"].keterkaitan == ("monitoring-evaluasi-kinerja",)
    kalbar = sops["monev-kinerja-periodik"]
    assert kalbar.penandatangan.nip == "19660921 198603 1 004"
    assert str(kalbar.tanggal_revisi) == "Juni 2021"
    assert kalbar.kegiatan[5].waktu.teks == "Sesuai jadwal yang telah ditentukan"
    balangan = sops["monitoring-evaluasi-internal"]
    assert balangan.penandatangan.nama == "Muhammad Nor, S.Sos., M.M."
    assert balangan.penandatangan.nip == "19710823 199303 1 005"
    pessel = sops["pemantauan-kinerja"]
    assert pessel.penandatangan.jabatan == "Asisten Administrasi Umum"
    assert pessel.penandatangan.nip is None
    assert pessel.kegiatan[7].pelaksana == ("sekda", "bagian")
    assert pessel.kegiatan[12].uraian.endswith("aplikasi e-project dan aplikasi e-monev")
