"""Read definition trees into the model, collecting every problem before failing.

A tree holds unit folders; each has a ``unit.yaml`` and one YAML file per SOP.
Nested ``unit.yaml`` files are merged top-down, the deeper one winning.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import gc
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sopdoc.definition import attachments, fields, tree, yamlsafe
from sopdoc.definition.fields import Key
from sopdoc.definition.model import (
    BELAH_KETUPAT,
    BULAN,
    KAPSUL,
    KOTAK,
    SATUAN_WAKTU,
    Exit,
    Kegiatan,
    Keputusan,
    Penandatangan,
    Revisi,
    Sop,
    Tanggal,
    Unit,
    Verifikasi,
    Waktu,
)
from sopdoc.definition.version import fits_qr
from sopdoc.errors import ERROR, WARNING, Problem, display_path, format_key_path
from sopdoc.fsutil import LOOP, inside, resolved
from sopdoc.office.textfit import one_newline

UNIT_FILE = tree.UNIT_FILE
NEXT = "berikutnya"
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_MONTH_YEAR = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\s+(\d{4})$")
_WAKTU = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([A-Za-z]+)\.?$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
# Characters an XML document (DOCX, XLSX) cannot hold: C0 controls but tab and
# line breaks, lone surrogates (YAML's "\ud800"), and the two non-characters.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CASE_ONLY = ("Windows dan macOS menganggap keduanya nama yang sama, sehingga dokumennya saling menimpa di folder "
              "hasil dan di ZIP")
MAX_ACTORS = 8
# Roughly what the pelaksana header holds: 301 characters of ordinary words fit
# under eight pelaksana on A4 landscape, the tightest page (measured with the layout).
MAX_ACTOR_NAME = 300
# The most characters one cell of a row can hold on the largest page (F4, one
# pelaksana), measured with the layout and a string of its narrowest glyph,
# plus a margin. Longer text never fits; shorter text may still not fit, which
# the layout reports when rendering.
_CELL_LIMITS = {"uraian": 8000, "kelengkapan": 4500, "output": 4500, "keterangan": 3000, "waktu": 2500}
_BULAN_INDEX = {name.lower(): number for number, name in enumerate(BULAN, start=1)}
_URL = re.compile(r"^https?://\S+$")
# A decision and a terminator are drawn as one symbol, so they belong to one pelaksana.
_SINGLE_OWNER = {
    BELAH_KETUPAT: "baris keputusan digambar sebagai satu belah ketupat dengan dua cabang, jadi hanya satu "
                   "pelaksana (yang memutuskan); tulis satu pelaksana, dan pindahkan kegiatan bersama ke baris "
                   "sebelumnya",
    KAPSUL: "kegiatan Mulai atau Selesai digambar sebagai satu kapsul, jadi hanya satu pelaksana; tulis satu "
            "pelaksana, dan jadikan kegiatan bersama baris tersendiri sesudah Mulai atau sebelum Selesai",
}


@dataclass
class Result:
    """Every SOP that was read without error, and every problem found."""

    sops: list[Sop] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    siblings: dict[Path, dict[str, Path]] = field(default_factory=dict)  # unit folder -> its SOP files by slug

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def read(paths: list[Path], texts: dict[Path, str | yamlsafe.Document] | None = None) -> Result:
    """Read every definition under *paths* into a :class:`Result`.

    *texts* gives the content of some files instead of what is on disk, as text
    (revise checks a revision before it writes it) or as data already read (the
    studio checks unsaved edits).
    """
    with _collector_paused():
        return _read(paths, texts or {})


def check_data(file: Path, data: Any) -> Result:
    """Check *data* as if it were the content of *file*, an SOP or a unit file (unsaved edits).

    Only the unit files above it are read from disk; a unit file's result holds no SOP.
    """
    return read([file], {file: yamlsafe.Document(file, data, {})})


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cycle collector while reading.

    Reading builds millions of small objects that all stay alive; the
    collector then scans the whole growing heap again and again, which made
    3,000 SOPs cost 16 times 300 instead of 10 times (the data holds no cycles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(paths: list[Path], texts: dict[Path, str | yamlsafe.Document]) -> Result:
    result = Result()
    found = tree.find(paths)
    result.problems += found.problems
    result.failed += found.refused
    units = _UnitCache(result, texts)
    for unit_file, root in found.units.items():
        units.check(unit_file, root)
    seen: dict[tuple[Path, str], Path] = {}
    for file, root in found.sops.items():
        # Windows and macOS see Surat.yaml and surat.yaml as one file: their documents would overwrite each other.
        first = seen.setdefault((file.parent, file.stem.casefold()), file)
        if first != file:
            same = "" if first.stem == file.stem else f" (hanya berbeda huruf besar/kecil, {_CASE_ONLY})"
            result.problems.append(Problem(file, None, "", f"nama SOP '{file.stem}' sudah dipakai oleh {first.name} "
                                                           f"di folder yang sama{same}; ganti nama salah satu berkas"))
            result.failed.append(file)
            continue
        problems_before = len(result.problems)
        unit = units.for_sop(file, root)
        siblings = found.siblings(file.parent, root)
        sop = _SopReader(file, unit, result, siblings, texts.get(file)).read() if unit is not None else None
        if sop is None or any(p.severity == ERROR for p in result.problems[problems_before:]):
            result.failed.append(file)
        else:
            result.sops.append(sop)
            result.siblings[unit.folder] = siblings
    return result


def _type_name(value: Any) -> str:
    if value is None:
        return "kosong"
    if isinstance(value, bool):
        return "ya/tidak (true/false)"
    if isinstance(value, (int, float)):
        return "angka"
    if isinstance(value, datetime.date):
        return "tanggal"
    return {str: "teks", list: "daftar", dict: "pemetaan (kunci: nilai)"}.get(type(value), type(value).__name__)


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; mungkin maksud Anda '{close[0]}'?" if close else ""


class _FileReader:
    """Typed access to one YAML document, recording a problem for each bad value."""

    def __init__(self, file: Path, result: Result, text: str | yamlsafe.Document | None = None):
        self.file = file
        self.result = result
        self.text_given = text
        self.doc: yamlsafe.Document | None = None
        self.ok = True

    def load(self) -> Any:
        try:
            if self.text_given is None:
                self.doc = yamlsafe.load(self.file)
            elif isinstance(self.text_given, yamlsafe.Document):
                self.doc = self.text_given
            else:
                self.doc = yamlsafe.parse(self.text_given, self.file)
        except yamlsafe.YamlLoadError as exc:
            self.result.problems.append(Problem(self.file, exc.line, "", exc.message))
            self.ok = False
            return None
        return self.doc.data

    def error(self, path: tuple, message: str) -> None:
        self.ok = False
        self._add(path, message, ERROR)

    def warn(self, path: tuple, message: str) -> None:
        self._add(path, message, WARNING)

    def _add(self, path: tuple, message: str, severity: str) -> None:
        line = self.doc.line(path) if self.doc else None
        self.result.problems.append(Problem(self.file, line, format_key_path(path), message, severity))

    def mapping(self, path: tuple, value: Any, keys: tuple[Key, ...]) -> dict | None:
        """Return *value* if it is a mapping of known keys; report unknown and missing keys."""
        if not isinstance(value, dict):
            self.error(path, f"harus berupa pemetaan (kunci: nilai), bukan {_type_name(value)}")
            return None
        known = [k.name for k in keys]
        for name in value:
            if name not in known:
                hint = _suggest(str(name), known) or f"; kunci yang dikenal: {', '.join(known)}"
                self.error(path + (name,), f"kunci '{name}' tidak dikenal{hint}")
        for key in keys:
            if key.required and value.get(key.name) in (None, "", [], {}):
                self.error(path + (key.name,), f"wajib diisi: {key.doc}")
        return value

    def text(self, path: tuple, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.error(path, f"harus berupa teks, bukan {_type_name(value)}")
            return None
        if bad := _UNPRINTABLE.search(value):
            self.error(path, f"memuat karakter kendali U+{ord(bad.group()):04X} yang tidak dapat dicetak di dokumen; "
                             "hapus karakter itu (biasanya terbawa saat menyalin dari aplikasi lain)")
            return None
        return one_newline(value).strip() or None

    def text_list(self, path: tuple, value: Any) -> tuple[str, ...]:
        """Return a list of texts; a single text counts as a list of one."""
        if value is None:
            return ()
        if isinstance(value, dict):
            self.error(path, "harus berupa daftar (setiap butir diawali '- '), bukan pemetaan (kunci: nilai)")
            return ()
        if not isinstance(value, list):
            single = self.text(path, value)
            return (single,) if single else ()
        items = (self.text(path + (i,), item) for i, item in enumerate(value))
        return tuple(item for item in items if item)

    def choice(self, path: tuple, value: Any, choices: tuple[str, ...]) -> str | None:
        text = self.text(path, value)
        if text is None:
            return None
        for choice in choices:
            if text.lower() == choice.lower():
                return choice
        self.error(path, f"'{text}' bukan pilihan yang sah (pilihan: {', '.join(choices)}){_suggest(text, choices)}")
        return None

    def date(self, path: tuple, value: Any) -> Tanggal | None:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            self.error(path, "tulis tanggalnya saja, tanpa jam: 2023-12-22")
            return None
        if isinstance(value, datetime.date):
            return Tanggal(value.year, value.month, value.day)
        text = self.text(path, value)
        if text is None or text == "-":
            return None
        if match := _ISO.match(text):
            return self._iso_date(path, text, *match.groups())
        if match := _MONTH_YEAR.match(text):
            day, month_name, year = match.groups()
            month = _BULAN_INDEX.get(month_name.lower())
            if month is not None:
                return self._iso_date(path, text, year, str(month), day)
        self.error(path, f"'{text}' bukan tanggal; tulis 2023-12-22, atau bulan dan tahun seperti Maret 2021")
        return None

    def _iso_date(self, path: tuple, text: str, year: str, month: str, day: str | None) -> Tanggal | None:
        try:
            datetime.date(int(year), int(month), int(day or 1))
        except ValueError:
            self.error(path, f"'{text}' bukan tanggal yang ada di kalender; periksa hari dan bulannya")
            return None
        return Tanggal(int(year), int(month), int(day) if day else None)

    def year(self, path: tuple, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1945 <= value <= 2100:
            self.error(path, f"'{value}' bukan tahun; tulis empat angka, misalnya 2024")
            return None
        return value

    def decree(self, path: tuple, value: Any) -> Keputusan | None:
        if value is None or self.mapping(path, value, fields.DECREE_KEYS) is None:
            return None
        nomor = self.text(path + ("nomor",), value.get("nomor"))
        tanggal = self.date(path + ("tanggal",), value.get("tanggal"))
        if nomor is None or tanggal is None:
            return None
        return Keputusan(
            nomor=nomor, tanggal=tanggal,
            tentang=self.text(path + ("tentang",), value.get("tentang")),
            menimbang=self.text_list(path + ("menimbang",), value.get("menimbang")),
            mengingat=self.text_list(path + ("mengingat",), value.get("mengingat")),
            ditetapkan_di=self.text(path + ("ditetapkan_di",), value.get("ditetapkan_di")),
            disahkan_oleh=self.signer(path + ("disahkan_oleh",), value.get("disahkan_oleh")),
        )

    def signer(self, path: tuple, value: Any) -> Penandatangan | None:
        if value is None or self.mapping(path, value, fields.SIGNER_KEYS) is None:
            return None
        jabatan = self.text(path + ("jabatan",), value.get("jabatan"))
        if jabatan is None:
            return None
        parts = {k: self.text(path + (k,), value.get(k)) for k in ("nama", "pangkat", "nip")}
        return Penandatangan(jabatan, **parts)

    def verification(self, path: tuple, value: Any) -> Verifikasi | None:
        """Return how the identity sheet shows its verification code: true, or a mapping with url."""
        if value is None or value is False:
            return None
        if value is True:
            return Verifikasi()
        if not isinstance(value, dict):
            self.error(path, f"tulis true, atau url: https://.../{{kode}} di bawahnya; bukan {_type_name(value)}")
            return None
        if self.mapping(path, value, fields.VERIFICATION_KEYS) is None:
            return None
        url = self.text(path + ("url",), value.get("url"))
        if url is not None and not (_URL.match(url) and "{kode}" in url):
            self.error(path + ("url",), f"'{url}' bukan alamat yang sah: tulis alamat lengkap yang memuat {{kode}}, "
                                        "misalnya https://sop.contoh.go.id/cek/{kode}")
            return None
        if not fits_qr(Verifikasi(url)):
            self.error(path + ("url",), f"alamat ini terlalu panjang untuk kode QR ({len(url)} karakter); pakai "
                                        "alamat yang jauh lebih pendek, misalnya https://sop.contoh.go.id/cek/{kode}")
            return None
        return Verifikasi(url)


class _UnitCache:
    """Read each ``unit.yaml`` once and merge the chain above each unit folder."""

    def __init__(self, result: Result, texts: dict[Path, str | yamlsafe.Document]):
        self.result = result
        self.texts = texts
        self.files: dict[tuple[Path, Path], tuple[dict, bool]] = {}
        self.units: dict[Path, Unit | None] = {}
        self.keys: dict[str, tuple[str, Path]] = {}    # unit key, case folded -> (key, folder)
        self.opened: dict[Path, str | None] = {}

    def for_sop(self, sop_file: Path, root: Path) -> Unit | None:
        folder = sop_file.parent
        if not (folder / UNIT_FILE).is_file():
            self.result.problems.append(Problem(
                sop_file, None, "",
                f"tidak ada {UNIT_FILE} di folder {folder}; setiap folder unit memerlukan {UNIT_FILE} "
                "(buat dengan: sopdoc new NAMA-UNIT/NAMA-SOP)",
            ))
            return None
        return self.chain(folder, root)

    def check(self, unit_file: Path, root: Path) -> None:
        """Read *unit_file* (and those above it) for problems, whether or not SOPs follow."""
        chain = _unit_chain(unit_file.parent)
        for unit_folder in chain:
            self._read(unit_folder / UNIT_FILE, _containment(chain, root))

    def chain(self, folder: Path, root: Path) -> Unit | None:
        """Return the merged unit of *folder*, or None when a unit file has errors."""
        if folder in self.units:
            return self.units[folder]
        chain = _unit_chain(folder)
        merged: dict[str, Any] = {}
        ok = True
        for unit_folder in reversed(chain):
            values, file_ok = self._read(unit_folder / UNIT_FILE, _containment(chain, root))
            merged.update(values)
            ok = ok and file_ok
        merged["files"] = tuple(f / UNIT_FILE for f in reversed(chain))
        key = folder.relative_to(chain[-1].parent).as_posix()
        unit = self._build(folder, key, merged) if ok and self._own_key(folder, key) else None
        self.units[folder] = unit
        return unit

    def _own_key(self, folder: Path, key: str) -> bool:
        """Refuse a second unit folder whose outputs would go where another's go (two trees, one unit path)."""
        first_key, first = self.keys.setdefault(key.casefold(), (key, folder))
        if first.resolve() == folder.resolve():
            return True
        if first_key != key:
            self.result.problems.append(Problem(
                folder / UNIT_FILE, None, "",
                f"unit '{key}' dan unit '{first_key}' ({display_path(first)}) hanya berbeda huruf besar/kecil; "
                f"{_CASE_ONLY}: ganti nama salah satu folder"))
            return False
        self.result.problems.append(Problem(
            folder / UNIT_FILE, None, "",
            f"unit ini dan {display_path(first)} sama-sama bernama '{key}', sehingga dokumennya akan saling menimpa "
            "di folder hasil; ekspor kedua folder itu ke --out yang berbeda, atau ganti nama salah satu folder"))
        return False

    def _read(self, file: Path, root: Path) -> tuple[dict, bool]:
        if (file, root) in self.files:
            return self.files[(file, root)]
        # A unit file linked outside the tree is refused by the walk; it must not be read on an SOP's behalf either.
        if file not in self.texts and (why := tree.outside(file, root)):
            refused = Problem(file, None, "", why)
            if refused not in self.result.problems:
                self.result.problems.append(refused)
            self.files[(file, root)] = ({}, False)
            return self.files[(file, root)]
        reader = _FileReader(file, self.result, self.texts.get(file))
        data = reader.load()
        values: dict[str, Any] = {}
        if reader.ok and data is not None and reader.mapping((), data, fields.UNIT_KEYS) is not None:
            for key in ("pemerintah", "unit", "sub_unit", "alamat"):
                if key in data:
                    values[key] = reader.text((key,), data[key])
            for key in ("kertas", "orientasi"):
                if key in data:
                    spec = next(k for k in fields.UNIT_KEYS if k.name == key)
                    values[key] = reader.choice((key,), data[key], spec.choices)
            if "disahkan_oleh" in data:
                values["disahkan_oleh"] = reader.signer(("disahkan_oleh",), data["disahkan_oleh"])
            for key, must_exist in (("logo", False), ("template", True)):
                if key in data:
                    values[key] = self._attachment(reader, key, data[key], file.parent, root, must_exist)
            for key in ("urutan", "penjelasan"):
                if key in data:
                    values[key] = reader.text_list((key,), data[key])
            if "tahun" in data:
                values["tahun"] = reader.year(("tahun",), data["tahun"])
            if "keputusan" in data:
                values["keputusan"] = reader.decree(("keputusan",), data["keputusan"])
            if "verifikasi" in data:
                values["verifikasi"] = reader.verification(("verifikasi",), data["verifikasi"])
        self.files[(file, root)] = (values, reader.ok)
        return self.files[(file, root)]

    def _attachment(self, reader: _FileReader, key: str, value: Any, base: Path, root: Path,
                    must_exist: bool) -> Path | None:
        """Return the logo or template file *value* names, opened once to see that it can be used."""
        target = _contained_path(reader, (key,), value, base, root, must_exist)
        if target is None:
            return None
        if target not in self.opened:
            check = attachments.logo_problem if key == "logo" else attachments.template_problem
            self.opened[target] = check(target)
        if self.opened[target]:
            reader.error((key,), f"berkas '{reader.text((key,), value)}': {self.opened[target]}")
            return None
        return target

    def _build(self, folder: Path, key: str, merged: dict) -> Unit | None:
        missing = [k for k in ("pemerintah", "unit") if not merged.get(k)]
        for name in missing:
            self.result.problems.append(Problem(
                folder / UNIT_FILE, None, name,
                f"wajib diisi di {UNIT_FILE} ini atau di {UNIT_FILE} folder di atasnya",
            ))
        if missing:
            return None
        values = {k: v for k, v in merged.items() if v is not None}
        return Unit(folder=folder, key=key, **values)


def _unit_chain(folder: Path) -> list[Path]:
    """Return *folder* and the folders above it that hold a unit file, nearest first."""
    chain = [folder]
    while (chain[-1].parent / UNIT_FILE).is_file() and chain[-1].parent != chain[-1]:
        chain.append(chain[-1].parent)
    return chain


def _containment(chain: list[Path], named: Path) -> Path:
    """Return the folder a unit's logo and template must lie in.

    That is the folder the user named, or the topmost folder with a unit file
    when the user named a folder below it; never a folder above both.
    """
    top = chain[-1]
    return named if top.resolve().is_relative_to(named.resolve()) else top


def _contained_path(reader: _FileReader, path: tuple, value: Any, base: Path, root: Path, must_exist: bool) -> Path | None:
    """Return the file *value* names relative to *base*, refusing one outside *root*."""
    text = reader.text(path, value)
    if text is None:
        return None
    target = resolved(base / text)
    if target is None:
        reader.error(path, f"berkas '{text}' adalah {LOOP}, jadi tidak dapat dibaca; tulis jalur berkas yang "
                           "sebenarnya")
        return None
    if not inside(target, root):
        reader.error(path, f"berkas '{text}' berada di luar folder definisi {root}; "
                           "salin berkasnya ke dalam folder itu dan tulis jalurnya relatif terhadap unit.yaml")
        return None
    if not target.is_file():
        message = f"berkas '{text}' tidak ditemukan (dicari di {target})"
        if must_exist:
            reader.error(path, message)
            return None
        reader.warn(path, message + "; dokumen dibuat tanpa berkas ini")
        return None
    return target


class _SopReader(_FileReader):
    """Read one SOP file against its unit."""

    def __init__(self, file: Path, unit: Unit, result: Result, siblings: dict[str, Path],
                 text: str | yamlsafe.Document | None = None):
        super().__init__(file, result, text)
        self.unit = unit
        self.siblings = siblings
        self.subjects: list[str] = []

    def read(self) -> Sop | None:
        data = self.load()
        if not self.ok:
            return None
        if self.mapping((), data, fields.SOP_KEYS) is None:
            return None
        revisi = self._revisions(data.get("revisi"))
        actors = self._actors(data.get("pelaksana"))
        rows = self._rows(data.get("kegiatan"), actors)
        status = self.choice(("status",), data.get("status"), ("berlaku", "diganti", "dicabut")) or "berlaku"
        values = {
            "nama": self.text(("nama",), data.get("nama")),
            "nomor": self.text(("nomor",), data.get("nomor")),
            "status": status,
            "diganti_oleh": self._replacement(status, data.get("diganti_oleh")),
            "tanggal_pembuatan": self.date(("tanggal_pembuatan",), data.get("tanggal_pembuatan")),
            "tanggal_efektif": self.date(("tanggal_efektif",), data.get("tanggal_efektif")),
            "disahkan_oleh": self.signer(("disahkan_oleh",), data.get("disahkan_oleh")),
        }
        for key in ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan",
                    "peralatan_perlengkapan", "peringatan", "pencatatan_pendataan"):
            values[key] = self.text_list((key,), data.get(key))
        self._check_revision_dates(values["tanggal_pembuatan"], revisi)
        self._check_links(values["keterkaitan"])
        if not self.ok or rows is None or not values["nama"]:
            return None
        return Sop(source=self.file, unit=self.unit, pelaksana=tuple(actors.items()),
                   kegiatan=rows, revisi=revisi, **values)

    def _replacement(self, status: str, value: Any) -> str | None:
        path = ("diganti_oleh",)
        slug = self.text(path, value)
        if slug is None:
            if status == "diganti":
                self.warn(("status",), "SOP yang diganti sebaiknya menyebut penggantinya di 'diganti_oleh'")
            return None
        if status != "diganti":
            self.error(path, "'diganti_oleh' hanya dipakai bersama 'status: diganti'")
        elif slug not in self.siblings:
            self.warn(path, f"tidak ada SOP '{slug}' di unit ini{_suggest(slug, self.siblings)}")
        return slug

    def _revisions(self, value: Any) -> tuple[Revisi, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(("revisi",), f"harus berupa daftar, bukan {_type_name(value)}")
            return ()
        revisions = []
        for i, item in enumerate(value):
            path = ("revisi", i)
            if self.mapping(path, item, fields.REVISION_KEYS) is None:
                continue
            tanggal = self.date(path + ("tanggal",), item.get("tanggal"))
            if tanggal:
                revisions.append(Revisi(tanggal, self.text(path + ("catatan",), item.get("catatan"))))
        return tuple(revisions)

    def _check_revision_dates(self, created: Tanggal | None, revisions: tuple[Revisi, ...]) -> None:
        previous, what = created, "tanggal pembuatan"
        for i, revision in enumerate(revisions):
            if previous and revision.tanggal.key < previous.key:
                self.error(("revisi", i, "tanggal"),
                           f"tanggal revisi {revision.tanggal} lebih awal dari {what} ({previous}); "
                           "revisi ditulis berurutan, yang terbaru paling bawah")
            previous, what = revision.tanggal, "revisi sebelumnya"

    def _check_links(self, links: tuple[str, ...]) -> None:
        for i, link in enumerate(links):
            if _SLUG.match(link) and link not in self.siblings:
                self.warn(("keterkaitan", i),
                          f"'{link}' tampak seperti nama berkas SOP, tetapi tidak ada SOP '{link}' di unit ini"
                          f"{_suggest(link, self.siblings)}")

    def _actors(self, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(("pelaksana",), "harus berupa pemetaan kunci pendek ke nama jabatan, "
                                       "misalnya  kasubag: Kepala Sub Bagian Umum")
            return {}
        actors = {}
        for key, name in value.items():
            path = ("pelaksana", key)
            if not _ID.match(str(key)):
                self.error(path, f"kunci pelaksana '{key}' hanya boleh memuat huruf, angka, '-' dan '_'")
            text = self.text(path, name)
            if text is None:
                self.error(path, "nama jabatan pelaksana wajib diisi")
            else:
                if len(text) > MAX_ACTOR_NAME:
                    self.error(path, f"nama jabatan ini {len(text)} karakter, terlalu panjang untuk kepala kolom "
                                     f"pelaksana (paling banyak {MAX_ACTOR_NAME}); singkat namanya")
                actors[str(key)] = text
        if len(actors) > MAX_ACTORS:
            self.error(("pelaksana",), f"{len(actors)} pelaksana tidak muat di satu halaman; paling banyak {MAX_ACTORS} "
                                       "(gabungkan jabatan yang melakukan hal serupa)")
            return actors
        if len(actors) < 2 and actors:
            self.warn(("pelaksana",), f"SOP ini hanya memiliki {len(actors)} pelaksana; "
                                      "SOP AP disusun karena melibatkan paling sedikit dua pelaksana")
        self.subjects = _subject_patterns(actors)
        return actors

    def _rows(self, value: Any, actors: dict[str, str]) -> tuple[Kegiatan, ...] | None:
        path = ("kegiatan",)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(path, f"harus berupa daftar kegiatan (setiap butir diawali '- '), bukan {_type_name(value)}")
            return None
        if len(value) < 2:
            self.error(path, "paling sedikit dua kegiatan: yang pertama (Mulai) dan yang terakhir (Selesai)")
            return None
        rows = [row if isinstance(row, dict) else None for row in value]
        ids = self._row_ids(rows)
        built = [self._row(i, row, len(rows), ids, actors) for i, row in enumerate(value)]
        used = {key for row in rows if row for key in _as_list(row.get("pelaksana")) if isinstance(key, str)}
        for key in actors:
            if key not in used:
                self.warn(("pelaksana", key), f"pelaksana '{key}' tidak pernah dipakai di kegiatan mana pun")
        if not self.ok or None in built:
            return None
        self._check_flow(built)
        return tuple(built) if self.ok else None

    def _row_ids(self, rows: list[dict | None]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for i, row in enumerate(rows):
            if row is None or row.get("id") is None:
                continue
            path = ("kegiatan", i, "id")
            row_id = str(row["id"])
            if not _ID.match(row_id) or row_id == NEXT:
                self.error(path, f"id '{row_id}' tidak sah: pakai huruf, angka, '-' atau '_' (dan bukan '{NEXT}')")
            elif row_id in ids:
                self.error(path, f"id '{row_id}' sudah dipakai oleh kegiatan nomor {ids[row_id] + 1}; setiap id harus unik")
            else:
                ids[row_id] = i
        return ids

    def _row(self, i: int, row: Any, count: int, ids: dict[str, int], actors: dict[str, str]) -> Kegiatan | None:
        path = ("kegiatan", i)
        if self.mapping(path, row, fields.ROW_KEYS) is None:
            return None
        uraian = self._cell(path + ("uraian",), row.get("uraian"))
        pelaksana = self._row_actors(path + ("pelaksana",), row.get("pelaksana"), actors)
        last = i == count - 1
        exits = self._exits(i, row, last, ids)
        simbol = self._symbol(i, row, last)
        if uraian:
            self._check_subject(path + ("uraian",), uraian)
        if len(pelaksana) > 1 and simbol in _SINGLE_OWNER:
            self.error(path + ("pelaksana",), _SINGLE_OWNER[simbol])
            return None
        if uraian is None or not pelaksana or exits is None or simbol is None:
            return None
        return Kegiatan(
            nomor=i + 1, uraian=uraian, pelaksana=pelaksana, simbol=simbol, exits=exits,
            id=str(row["id"]) if row.get("id") is not None else None,
            kelengkapan=self._cell(path + ("kelengkapan",), row.get("kelengkapan")),
            waktu=self._waktu(path + ("waktu",), row.get("waktu")),
            output=self._cell(path + ("output",), row.get("output")),
            keterangan=self._cell(path + ("keterangan",), row.get("keterangan")),
        )

    def _cell(self, path: tuple, value: Any) -> str | None:
        """Return the text of one cell of a row, refusing one that no page could hold."""
        text = self.text(path, value)
        limit = _CELL_LIMITS[path[-1]]
        if text and len(text) > limit:
            self.error(path, f"{len(text)} karakter tidak akan muat di satu halaman (satu kegiatan tidak dipecah "
                             f"antarhalaman; batas kasarnya {limit} karakter); pendekkan isinya atau pecah menjadi "
                             "beberapa kegiatan")
            return None
        return text

    def _row_actors(self, path: tuple, value: Any, actors: dict[str, str]) -> tuple[str, ...]:
        keys = [value] if not isinstance(value, list) else value
        result = []
        for n, key in enumerate(keys):
            key_path = path + (n,) if isinstance(value, list) else path
            key = self.text(key_path, key)
            if key is None:
                continue
            if key not in actors:
                choices = ", ".join(actors) or "belum ada: isi dulu daftar pelaksana"
                self.error(key_path, f"'{key}' bukan pelaksana yang dikenal (pilihan: {choices}){_suggest(key, actors)}")
            elif key in result:
                self.error(key_path, f"pelaksana '{key}' ditulis dua kali di baris ini")
            else:
                result.append(key)
        return tuple(result)

    def _exits(self, i: int, row: dict, last: bool, ids: dict[str, int]) -> tuple[Exit, ...] | None:
        path = ("kegiatan", i)
        decision, jump = row.get("keputusan"), row.get("lanjut")
        if decision is not None and jump is not None:
            self.error(path + ("lanjut",), "baris keputusan tidak memakai 'lanjut'; tulis tujuan di keputusan.ya dan keputusan.tidak")
            return None
        if last:
            if decision is not None:
                self.error(path + ("keputusan",), "kegiatan terakhir adalah Selesai dan tidak boleh berupa keputusan; "
                                                  "tambahkan satu kegiatan penutup sesudahnya")
            elif jump is not None:
                self.error(path + ("lanjut",), "kegiatan terakhir adalah Selesai; hapus 'lanjut' dari baris ini")
            return () if decision is None and jump is None else None
        if decision is None:
            target = i + 1 if jump is None else self._target(path + ("lanjut",), jump, i, ids)
            return None if target is None else (Exit(target),)
        if i == 0:
            self.error(path + ("keputusan",), "kegiatan pertama adalah Mulai dan tidak boleh berupa keputusan; "
                                              "tambahkan satu kegiatan sebelumnya")
            return None
        return self._decision(path + ("keputusan",), decision, i, ids)

    def _decision(self, path: tuple, value: Any, i: int, ids: dict[str, int]) -> tuple[Exit, ...] | None:
        if self.mapping(path, value, fields.DECISION_KEYS) is None:
            return None
        yes = self._target(path + ("ya",), value.get("ya"), i, ids)
        no = self._target(path + ("tidak",), value.get("tidak"), i, ids)
        labels = value.get("label", ["Ya", "Tidak"])
        if not isinstance(labels, list) or len(labels) != 2 or not all(self.text(path, x) for x in labels):
            self.error(path + ("label",), "harus berupa daftar dua teks, untuk ya lalu tidak: [Lengkap, Tidak lengkap]")
            return None
        if yes is None or no is None:
            return None
        if yes == no:
            self.error(path, f"kedua cabang keputusan menuju kegiatan yang sama (nomor {yes + 1}); "
                             "satu cabang harus ke tempat lain, atau jadikan baris ini kotak biasa")
            return None
        return (Exit(yes, str(labels[0]).strip()), Exit(no, str(labels[1]).strip()))

    def _target(self, path: tuple, value: Any, i: int, ids: dict[str, int]) -> int | None:
        text = self.text(path, value)
        if text is None:
            self.error(path, f"tujuan wajib diisi: id sebuah kegiatan, atau '{NEXT}'")
            return None
        if text == NEXT:
            return i + 1
        if text not in ids:
            known = ", ".join(ids) if ids else "belum ada; beri 'id:' pada kegiatan tujuan"
            self.error(path, f"tidak ada kegiatan dengan id '{text}' (id yang ada: {known}){_suggest(text, ids)}")
            return None
        if ids[text] == i:
            self.error(path, f"kegiatan ini menuju dirinya sendiri ('{text}'); arahkan ke kegiatan lain")
            return None
        return ids[text]

    def _symbol(self, i: int, row: dict, last: bool) -> str | None:
        path = ("kegiatan", i, "simbol")
        default = KAPSUL if i == 0 or last else (BELAH_KETUPAT if row.get("keputusan") is not None else KOTAK)
        value = row.get("simbol")
        if value is None:
            return default
        text = self.text(path, value)
        if text is None:
            return default
        name = text.lower().replace(" ", "_")
        if name in fields.SIMBOL_OTOMATIS:
            self.error(path, f"'{text}' digambar otomatis oleh sopdoc dan tidak dipakai sebagai simbol kegiatan "
                             f"(pilihan: {', '.join(fields.SIMBOL)})")
            return None
        if name not in fields.SIMBOL:
            self.error(path, f"'{text}' bukan salah satu dari lima simbol resmi Permenpan RB 35/2012 "
                             f"(untuk kegiatan: {', '.join(fields.SIMBOL)}){_suggest(name, fields.SIMBOL)}")
            return None
        is_decision = row.get("keputusan") is not None
        if (name == BELAH_KETUPAT) != is_decision:
            self.error(path, "belah_ketupat dipakai tepat untuk baris yang memiliki 'keputusan'")
            return None
        return name

    def _check_subject(self, path: tuple, uraian: str) -> None:
        lowered = uraian.lower()
        for candidate in self.subjects:
            if candidate.match(lowered):
                self.warn(path, f"uraian diawali nama pelaksana '{uraian[:len(candidate.pattern_text)]}'; tulis "
                                "kalimat yang diawali kata kerja (pelaksana sudah tercantum di kolomnya)")
                return

    def _waktu(self, path: tuple, value: Any) -> Waktu | None:
        text = self._cell(path, value)
        if text is None:
            return None
        if match := _WAKTU.match(text):
            unit = match.group(2).lower()
            if unit in SATUAN_WAKTU:
                return Waktu(text, Decimal(match.group(1).replace(",", ".")), unit)
            self.warn(path, f"satuan '{match.group(2)}' tidak dikenal (pilihan: {', '.join(SATUAN_WAKTU)}); "
                            "waktu ini dicetak apa adanya dan tidak ikut dijumlahkan")
        elif _NUMBER.match(text):
            self.warn(path, f"waktu '{text}' tanpa satuan; tambahkan satuannya, misalnya '{text} menit'")
        return Waktu(text)

    def _check_flow(self, rows: list[Kegiatan]) -> None:
        """Report rows never reached from the first, and rows that never reach the last."""
        forward = {row.index: [e.target for e in row.exits] for row in rows}
        backward: dict[int, list[int]] = {row.index: [] for row in rows}
        for source, targets in forward.items():
            for target in targets:
                backward[target].append(source)
        reached = _reach(0, forward)
        finishing = _reach(len(rows) - 1, backward)
        for row in rows:
            path = ("kegiatan", row.index)
            if row.index not in reached:
                self.error(path, f"kegiatan nomor {row.nomor} tidak pernah dicapai dari kegiatan pertama; "
                                 "arahkan 'lanjut' atau cabang keputusan ke baris ini, atau hapus barisnya")
            elif row.index not in finishing:
                self.error(path, f"dari kegiatan nomor {row.nomor} alur tidak pernah sampai ke kegiatan terakhir "
                                 "(berputar terus); beri jalan keluar dengan 'lanjut' atau cabang keputusan")


class _Subject:
    """A pelaksana's name (or part of it) as the start of an uraian: matches a whole word."""

    def __init__(self, text: str):
        self.pattern_text = text
        self.match = re.compile(re.escape(text) + r"\b").match


def _subject_patterns(actors: dict[str, str]) -> list[_Subject]:
    """Return, once per SOP, the names an uraian should not start with, longest first per pelaksana."""
    patterns = []
    for key, name in actors.items():
        names = {key.lower(), name.lower()} | {part.strip().lower() for part in re.split(r"[/(]", name)}
        patterns += [_Subject(n) for n in sorted(names, key=len, reverse=True) if len(n) >= 3]
    return patterns


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _reach(start: int, graph: dict[int, list[int]]) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for nxt in graph[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
