"""The validated, frozen model of units and SOPs; no later stage reads YAML."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sopdoc.definition.fields import DEFAULTS
from sopdoc.definition.names import BELAH_KETUPAT as BELAH_KETUPAT  # the symbols, for the stages that draw them
from sopdoc.definition.names import KAPSUL as KAPSUL
from sopdoc.definition.names import KOTAK as KOTAK

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)

# Units of waktu, each with its length in seconds where it carries into the next
# one. Days, weeks and months are summed apart: a working day is not 24 hours.
SATUAN_WAKTU = ("detik", "menit", "jam", "hari", "minggu", "bulan")
_SECONDS = {"detik": 1, "menit": 60, "jam": 3600}


@dataclass(frozen=True)
class Tanggal:
    """A date as SOPs carry it: a full date, or a month and year alone."""

    tahun: int
    bulan: int
    hari: int | None = None

    def __str__(self) -> str:
        text = f"{BULAN[self.bulan - 1]} {self.tahun}"
        return f"{self.hari} {text}" if self.hari else text

    @property
    def key(self) -> tuple[int, int, int]:
        """Return a sort key; a month alone sorts before its days."""
        return (self.tahun, self.bulan, self.hari or 0)


@dataclass(frozen=True)
class Waktu:
    """The time one activity takes: a number and a unit, or free text."""

    teks: str
    jumlah: Decimal | None = None
    satuan: str | None = None


def total_waktu(times: list[Waktu | None]) -> tuple[str, tuple[str, ...]]:
    """Return the total of *times* in words and the free-text times left out of it."""
    seconds = Decimal(0)
    long_units = {unit: Decimal(0) for unit in ("hari", "minggu", "bulan")}
    free = []
    for waktu in times:
        if waktu is None:
            continue
        if waktu.satuan is None:
            # A dash means "no time"; a free text ("Sesuai jadwal") is listed once, however often it recurs.
            if waktu.teks.strip() not in ("-", "\u2013", "") and waktu.teks not in free:
                free.append(waktu.teks)
        elif waktu.satuan in _SECONDS:
            seconds += waktu.jumlah * _SECONDS[waktu.satuan]
        else:
            long_units[waktu.satuan] += waktu.jumlah
    parts = [f"{_num(long_units[u])} {u}" for u in ("bulan", "minggu", "hari") if long_units[u]]
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts += [f"{_num(v)} {u}" for v, u in ((hours, "jam"), (minutes, "menit"), (secs, "detik")) if v]
    return (" ".join(parts) or "-"), tuple(free)


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


@dataclass(frozen=True)
class Penandatangan:
    """Who adopts (signs) the SOP."""

    jabatan: str
    nama: str | None = None
    pangkat: str | None = None
    nip: str | None = None


@dataclass(frozen=True)
class Keputusan:
    """The decree that adopts a unit's SOPs (printed in its book)."""

    nomor: str
    tanggal: Tanggal
    tentang: str | None = None
    menimbang: tuple[str, ...] = ()
    mengingat: tuple[str, ...] = ()
    ditetapkan_di: str | None = None
    disahkan_oleh: Penandatangan | None = None


@dataclass(frozen=True)
class Verifikasi:
    """How the identity sheet offers its verification code: the QR holds the code, or a link to it."""

    url: str | None = None      # with "{kode}" where the code goes

    def qr_text(self, kode: str) -> str:
        """Return what the QR code encodes for the SOP version *kode*."""
        return self.url.replace("{kode}", kode) if self.url else kode


@dataclass(frozen=True)
class Unit:
    """What every SOP of one unit (one book) shares, nested unit files merged."""

    folder: Path
    key: str                    # the folder's path below the definitions root, e.g. kab-x/diskominfo
    pemerintah: str
    unit: str
    sub_unit: str | None = None
    logo: Path | None = None
    alamat: str | None = None
    kertas: str = DEFAULTS["kertas"]
    orientasi: str = DEFAULTS["orientasi"]
    disahkan_oleh: Penandatangan | None = None
    template: Path | None = None
    tahun: int | None = None
    urutan: tuple[str, ...] = ()
    penjelasan: tuple[str, ...] = ()
    keputusan: Keputusan | None = None
    verifikasi: Verifikasi | None = None
    files: tuple[Path, ...] = ()   # the unit.yaml files merged into this unit, top first


@dataclass(frozen=True)
class Exit:
    """One way out of a row: the index of the row it leads to, and its label."""

    target: int
    label: str | None = None


@dataclass(frozen=True)
class Kegiatan:
    """One activity: one row of the flowchart table."""

    nomor: int
    uraian: str
    pelaksana: tuple[str, ...]
    simbol: str
    exits: tuple[Exit, ...]
    id: str | None = None
    kelengkapan: str | None = None
    waktu: Waktu | None = None
    output: str | None = None
    keterangan: str | None = None

    @property
    def index(self) -> int:
        return self.nomor - 1


@dataclass(frozen=True)
class Revisi:
    tanggal: Tanggal
    catatan: str | None = None


@dataclass(frozen=True)
class Sop:
    """One SOP, validated: everything a document needs."""

    source: Path
    unit: Unit
    nama: str
    pelaksana: tuple[tuple[str, str], ...]
    kegiatan: tuple[Kegiatan, ...]
    nomor: str | None = None
    status: str = DEFAULTS["status"]
    diganti_oleh: str | None = None
    tanggal_pembuatan: Tanggal | None = None
    tanggal_efektif: Tanggal | None = None
    revisi: tuple[Revisi, ...] = ()
    disahkan_oleh: Penandatangan | None = None
    dasar_hukum: tuple[str, ...] = ()
    kualifikasi_pelaksana: tuple[str, ...] = ()
    keterkaitan: tuple[str, ...] = ()
    peralatan_perlengkapan: tuple[str, ...] = ()
    peringatan: tuple[str, ...] = ()
    pencatatan_pendataan: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.source.stem

    @property
    def title(self) -> str:
        """Return the name as titles print it after their own "SOP": without a leading "SOP" of its own."""
        words = self.nama.split(maxsplit=1)
        return words[1] if len(words) == 2 and words[0].rstrip(":").upper() == "SOP" else self.nama

    @property
    def tanggal_revisi(self) -> Tanggal | None:
        return self.revisi[-1].tanggal if self.revisi else None

    @property
    def penandatangan(self) -> Penandatangan | None:
        return self.disahkan_oleh or self.unit.disahkan_oleh

    def actor_name(self, key: str) -> str:
        return dict(self.pelaksana)[key]

    def total_waktu(self) -> tuple[str, tuple[str, ...]]:
        return total_waktu([k.waktu for k in self.kegiatan])
