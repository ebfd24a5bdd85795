"""The validated, frozen model of units and SOPs; no later stage reads YAML.

Glossary: a *kegiatan* is one row of the flowchart table; a *langkah* is one symbol
of a row (most rows hold one; a row may hold several, one per lane); its *exits*
say where the flow goes from it, each to one *target* symbol, to several (a fork),
or to none (the flow ends there). A *start* is a symbol of the first row that no
symbol of that row flows into; an *end* is a symbol the flow leaves by no exit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sopdoc.definition.fields import DEFAULTS, HEADINGS
from sopdoc.definition.names import BELAH_KETUPAT as BELAH_KETUPAT  # the symbols, for the stages that draw them
from sopdoc.definition.names import KAPSUL as KAPSUL
from sopdoc.definition.names import KOTAK as KOTAK

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)

# Units of waktu, each with its length in seconds where it carries into the next
# one. Days, weeks and months are summed apart: a working day is not 24 hours.
SATUAN_WAKTU = ("detik", "menit", "jam", "hari", "hari kerja", "hari kalender", "minggu", "bulan")
_SECONDS = {"detik": 1, "menit": 60, "jam": 3600}
_LONG_UNITS = ("bulan", "minggu", "hari kalender", "hari", "hari kerja")     # the order a total prints them in
# Only to choose the longest of alternative branches: roughly how long each unit is, in seconds.
_ROUGHLY = {**_SECONDS, "hari": 86400, "hari kerja": 86400, "hari kalender": 86400, "minggu": 7 * 86400,
            "bulan": 30 * 86400}


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
    """The time one activity takes: a number and a unit (per item of *per*, a rate), or free text."""

    teks: str
    jumlah: Decimal | None = None
    satuan: str | None = None
    per: str | None = None      # "berkas" of "2 menit/berkas": a rate, which no total can add

    @property
    def counted(self) -> bool:
        """Say whether a total adds this time."""
        return self.satuan is not None and self.per is None

    @property
    def roughly(self) -> Decimal:
        """Return about how many seconds this time is (0 when not counted), to compare branches."""
        return self.jumlah * _ROUGHLY[self.satuan] if self.counted else Decimal(0)


def total_waktu(times: list[Waktu | None]) -> tuple[str, tuple[str, ...]]:
    """Return the total of *times* in words and the times left out of it (free texts, rates)."""
    seconds = Decimal(0)
    long_units = {unit: Decimal(0) for unit in _LONG_UNITS}
    free = []
    for waktu in times:
        if waktu is None:
            continue
        if not waktu.counted:
            # A dash means "no time"; a free text ("Sesuai jadwal") is listed once, however often it recurs.
            if waktu.teks.strip() not in ("-", "\u2013", "") and waktu.teks not in free:
                free.append(waktu.teks)
        elif waktu.satuan in _SECONDS:
            seconds += waktu.jumlah * _SECONDS[waktu.satuan]
        else:
            long_units[waktu.satuan] += waktu.jumlah
    parts = [f"{_num(long_units[u])} {u}" for u in _LONG_UNITS if long_units[u]]
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
    pemerintah: str | None      # None only when the unit gives its kop whole
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
    kop: tuple[str, ...] = ()                   # the kop's lines given whole; () = pemerintah, unit, sub_unit
    judul: tuple[tuple[str, str], ...] = ()     # headings renamed: (key, text)
    kolom_keterangan: bool | None = None        # False: no Keterangan column
    files: tuple[Path, ...] = ()   # the unit.yaml files merged into this unit, top first


@dataclass(frozen=True)
class Target:
    """Where a flow arrives: a row (its index, from 0) and which of the row's symbols (from 0)."""

    row: int
    item: int = 0


@dataclass(frozen=True)
class Exit:
    """One way out of a symbol: where it leads, and a decision's label ("" when the decision prints none).

    One target is an arrow; several are a fork (one line that splits); none is an
    end that the drawing adds (a decision's branch to ``selesai``, or a box that
    ends the flow).
    """

    targets: tuple[Target, ...]
    label: str | None = None


@dataclass(frozen=True)
class Langkah:
    """One symbol of a row: whose lanes it stands in (a joint symbol has several), its shape, where it leads."""

    pelaksana: tuple[str, ...]
    simbol: str
    exits: tuple[Exit, ...]     # none: the flow ends at this symbol
    id: str | None = None
    mulai: bool = False         # a start: in the first row, and no symbol of that row flows into it

    @property
    def is_decision(self) -> bool:
        return self.simbol == BELAH_KETUPAT

    @property
    def is_end(self) -> bool:
        return not self.exits


@dataclass(frozen=True)
class Kegiatan:
    """One activity: one row of the flowchart table, holding one symbol or several."""

    nomor: int                  # the row's position, from 1
    uraian: str
    langkah: tuple[Langkah, ...]
    nomor_cetak: str            # what the No column prints: usually str(nomor); "2a", "1.", "" when the row says so
    kelengkapan: str | None = None
    waktu: Waktu | None = None
    output: str | None = None
    keterangan: str | None = None

    @property
    def index(self) -> int:
        return self.nomor - 1

    @property
    def pelaksana(self) -> tuple[str, ...]:
        """Return the pelaksana of every symbol of the row, each once, in the symbols' order."""
        return tuple(dict.fromkeys(key for langkah in self.langkah for key in langkah.pelaksana))


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
    # The SOP's own print settings; None (or empty) takes the unit's.
    kertas: str | None = None
    orientasi: str | None = None
    kop: tuple[str, ...] = ()
    judul: tuple[tuple[str, str], ...] = ()
    kolom_keterangan: bool | None = None

    @property
    def paper(self) -> tuple[str, str]:
        """Return the paper and orientation the SOP prints on: its own, else its unit's."""
        return self.kertas or self.unit.kertas, self.orientasi or self.unit.orientasi

    @property
    def headings(self) -> dict[str, str]:
        """Return every printed heading by its key: the SOP's judul, else the unit's, else the default."""
        return {**HEADINGS, **dict(self.unit.judul), **dict(self.judul)}

    @property
    def kop_lines(self) -> tuple[str, ...]:
        """Return the kop given whole (the SOP's, else the unit's), or () when it is made of pemerintah and unit."""
        return self.kop or self.unit.kop

    @property
    def has_keterangan(self) -> bool:
        """Say whether the flowchart table prints a Keterangan column."""
        own = self.kolom_keterangan if self.kolom_keterangan is not None else self.unit.kolom_keterangan
        return own is not False

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

    def symbol(self, target: Target) -> Langkah:
        return self.kegiatan[target.row].langkah[target.item]

    def total_waktu(self) -> tuple[str, tuple[str, ...]]:
        """Return the total time and what it leaves out, along the way the total counts (see :func:`counted_rows`)."""
        return total_waktu([self.kegiatan[i].waktu for i in counted_rows(self.kegiatan)])


def counted_rows(rows: tuple[Kegiatan, ...]) -> list[int]:
    """Return the rows whose times a total adds: those of the longest way from the first row to an end.

    Alternative branches (of a decision or a fork) are never both added: the way
    taken is the one whose times are longest, compared roughly (a day as 24 hours,
    a month as 30 days), each row counted at most once. A loop (a flow that a walk
    from the first row meets going back into a row it is still inside) is not
    followed: the way that repeats nothing is counted.
    """
    forward = _row_flows(rows)
    kept: dict[int, list[int]] = {i: [] for i in range(len(rows))}
    order: list[int] = []               # every row after the rows it flows to
    seen, on_way = {0}, {0}
    stack = [(0, iter(forward[0]))]
    while stack:
        row, nexts = stack[-1]
        nxt = next(nexts, None)
        if nxt is None:
            stack.pop()
            on_way.discard(row)
            order.append(row)
        elif nxt not in on_way:         # a flow into a row the walk is still inside is a loop: left out
            kept[row].append(nxt)
            if nxt not in seen:
                seen.add(nxt)
                on_way.add(nxt)
                stack.append((nxt, iter(forward[nxt])))
    ends = {row.index for row in rows if any(langkah.is_end or any(not e.targets for e in langkah.exits)
                                             for langkah in row.langkah)}
    best: dict[int, tuple[Decimal, list[int]] | None] = {}
    for row in order:
        weight = rows[row].waktu.roughly if rows[row].waktu else Decimal(0)
        ways = [best[nxt] for nxt in kept[row] if best.get(nxt)] + ([(Decimal(0), [])] if row in ends else [])
        longest = max(ways, key=lambda way: way[0], default=None)
        best[row] = None if longest is None else (weight + longest[0], [row, *longest[1]])
    return best[0][1] if best.get(0) else list(range(len(rows)))


def _row_flows(rows: tuple[Kegiatan, ...]) -> dict[int, list[int]]:
    """Return, per row, the other rows its symbols flow to, in the order the flows are written."""
    flows: dict[int, list[int]] = {}
    for row in rows:
        targets = (t.row for langkah in row.langkah for e in langkah.exits for t in e.targets)
        flows[row.index] = list(dict.fromkeys(t for t in targets if t != row.index))
    return flows
