"""Typed values of one definition file: texts, lists, choices, dates, years, signers, waktu.

Each value is checked as it is read; a bad value records a problem with its file,
line and key path, and the file reads on so that every problem is found at once.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sopdoc.definition import characters, fields, yamlsafe
from sopdoc.definition.fields import Key
from sopdoc.definition.model import (
    BULAN,
    SATUAN_WAKTU,
    Keputusan,
    Penandatangan,
    Sop,
    Tanggal,
    Verifikasi,
    Waktu,
)
from sopdoc.definition.version import fits_qr
from sopdoc.errors import ERROR, WARNING, Problem, format_key_path
from sopdoc.office.textfit import one_newline

# Every way a date is written, in YAML, the studio, Excel and `revise --tanggal`: read by read_date alone.
_DATE_FORMS = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?$"),          # 2024-01-15, 2024-01
    re.compile(r"^(?:(?P<day>\d{1,2})\s+)?(?P<name>[A-Za-z]+)\s+(?P<year>\d{4})$"),     # 15 Januari 2024, Maret 2021
    re.compile(r"^(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})$"),       # 15/01/2024, 15-01-2024
)
DATE_HINT = ("tulis misalnya 15 Januari 2024, 15/01/2024, 15-01-2024 atau 2024-01-15; bila harinya tidak ada, "
             "bulan dan tahun: Maret 2021")
# The same forms for the JSON Schema (ECMAScript has no flag for case: month names as printed and in lower case).
_MONTHS = "|".join([*BULAN, *(name.lower() for name in BULAN)])
DATE_PATTERN = (r"^(-|\d{4}-\d{1,2}(-\d{1,2})?|(\d{1,2}\s+)?(" + _MONTHS + r")\s+\d{4}"
                r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$")
# A number, a unit of one or two words ("hari kerja"), and for a rate "/" or "per" and what it is per.
_WAKTU = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([A-Za-z]+(?:\s+[A-Za-z]+)?)\.?(?:\s*(?:/|\bper\b)\s*(\S.*))?$", re.I)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_BULAN_INDEX = {name.lower(): number for number, name in enumerate(BULAN, start=1)}
_URL = re.compile(r"^https?://\S+$")


@dataclass
class Result:
    """Every SOP that was read without error, and every problem found."""

    sops: list[Sop] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    failed_drafts: set[Path] = field(default_factory=set)   # the failed files that say `status: draf`
    siblings: dict[Path, dict[str, Path]] = field(default_factory=dict)  # unit folder -> its SOP files by slug

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]



def type_name(value: Any) -> str:
    if value is None:
        return "kosong"
    if isinstance(value, bool):
        return "ya/tidak (true/false)"
    if isinstance(value, (int, float)):
        return "angka"
    if isinstance(value, datetime.date):
        return "tanggal"
    return {str: "teks", list: "daftar", dict: "pemetaan (kunci: nilai)"}.get(type(value), type(value).__name__)


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; mungkin maksud Anda '{close[0]}'?" if close else ""



class FileReader:
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
        problem = Problem(self.file, line, format_key_path(path), message, severity)
        # One message per mistake: an empty branch is missing (the mapping says so) and has no target (its reader).
        if severity == ERROR and problem.key and any(p.severity == ERROR and (p.file, p.key) == (problem.file, problem.key)
                                     for p in self.result.problems):
            return
        self.result.problems.append(problem)

    def mapping(self, path: tuple, value: Any, keys: tuple[Key, ...]) -> dict | None:
        """Return *value* if it is a mapping of known keys; report unknown and missing keys."""
        if not isinstance(value, dict):
            self.error(path, f"harus berupa pemetaan (kunci: nilai), bukan {type_name(value)}")
            return None
        known = [k.name for k in keys]
        for name in value:
            if name not in known and (why := characters.refused(str(name))):
                self.error(path + (name,), f"nama kunci ini {why}")
            elif name not in known:
                hint = suggest(str(name), known) or f"; kunci yang dikenal: {', '.join(known)}"
                self.error(path + (name,), f"kunci '{name}' tidak dikenal{hint}")
        for key in keys:
            if key.required and value.get(key.name) in (None, "", [], {}):
                self.error(path + (key.name,), f"wajib diisi: {key.doc}")
        return value

    def value(self, key: Key, value: Any, path: tuple) -> Any:
        """Return *value* of the key *key* (at *path* + its name) read by its kind; a choice left out is its default."""
        where = path + (key.name,)
        if key.kind == fields.PILIHAN:
            return self.choice(where, value, key.choices) or key.default
        return getattr(self, _READERS[key.kind])(where, value)

    def text(self, path: tuple, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.error(path, f"harus berupa teks, bukan {type_name(value)}")
            return None
        if why := characters.refused(value):
            self.error(path, why)
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
        self.error(path, f"'{text}' bukan pilihan yang sah (pilihan: {', '.join(choices)}){suggest(text, choices)}")
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
        try:
            return read_date(text)
        except ValueError as exc:
            self.error(path, str(exc))
            return None

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
        parts = {key.name: self.value(key, value.get(key.name), path) for key in fields.DECREE_KEYS}
        if parts["nomor"] is None or parts["tanggal"] is None:
            return None
        return Keputusan(**parts)

    def signer(self, path: tuple, value: Any) -> Penandatangan | None:
        if value is None or self.mapping(path, value, fields.SIGNER_KEYS) is None:
            return None
        parts = {key.name: self.value(key, value.get(key.name), path) for key in fields.SIGNER_KEYS}
        return None if parts["jabatan"] is None else Penandatangan(**parts)

    def verification(self, path: tuple, value: Any) -> Verifikasi | None:
        """Return how the identity sheet shows its verification code: true, or a mapping with url."""
        if value is None or value is False:
            return None
        if value is True:
            return Verifikasi()
        if not isinstance(value, dict):
            self.error(path, f"tulis true, atau url: https://.../{{kode}} di bawahnya; bukan {type_name(value)}")
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

    def waktu(self, path: tuple, text: str) -> Waktu:
        """Return the waktu *text* says: a number and a unit to add up (or a rate), or free text printed as it is.

        A time that starts with a number but cannot be added is named in a warning;
        a free text without one ("Sesuai jadwal") is the writer's choice, which the
        total names as left out.
        """
        if match := _WAKTU.match(text):
            number, written, per = match.groups()
            unit = " ".join(written.lower().split())
            if unit not in SATUAN_WAKTU:
                self.warn(path, f"satuan '{written}' tidak dikenal (pilihan: {', '.join(SATUAN_WAKTU)}); "
                                "waktu ini dicetak apa adanya dan tidak ikut dijumlahkan")
                return Waktu(text)
            if per:
                self.warn(path, f"waktu '{text}' dihitung per {per.strip()}, jadi tidak ikut dijumlahkan; total waktu "
                                "menyebutnya terpisah")
            return Waktu(text, Decimal(number.replace(",", ".")), unit, per.strip() if per else None)
        if _NUMBER.match(text):
            self.warn(path, f"waktu '{text}' tanpa satuan; tambahkan satuannya, misalnya '{text} menit'")
        elif text[:1].isdigit():
            self.warn(path, f"waktu '{text}' tidak dapat dijumlahkan (tulis satu angka dan satuannya, misalnya "
                            "'2 hari kerja'); total waktu menyebutnya terpisah")
        return Waktu(text)

    def yes_no(self, path: tuple, value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.error(path, f"tulis true atau false, bukan {type_name(value)}")
        return None

    def headings(self, path: tuple, value: Any) -> tuple[tuple[str, str], ...]:
        """Return the headings *value* renames, as (key, text); a bare ``no:`` that YAML read as false is ``no``."""
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.error(path, f"harus berupa pemetaan judul ke teksnya (misalnya  kelengkapan: Persyaratan), bukan "
                             f"{type_name(value)}")
            return ()
        renamed = {("no" if key is False else key): text for key, text in value.items()}
        if self.mapping(path, renamed, fields.JUDUL_KEYS) is None:
            return ()
        found = ((str(key), self.text(path + (key,), text)) for key, text in renamed.items())
        return tuple((key, text) for key, text in found if text is not None)


def read_date(text: str) -> Tanggal:
    """Return the date *text* writes: 2024-01-15, 15 Januari 2024, 15/01/2024, 15-01-2024, or Maret 2021.

    The one reading of a typed date, for YAML, the studio, Excel and ``revise --tanggal``:
    a day comes before its month, as Indonesians write it. Raise ValueError saying
    what is wrong, in the user's words.
    """
    text = text.strip()
    for form in _DATE_FORMS:
        if match := form.match(text):
            parts = match.groupdict()
            month = _BULAN_INDEX.get(parts["name"].lower()) if "name" in parts else int(parts["month"])
            if month is None:
                break
            day = int(parts["day"]) if parts["day"] else None
            try:
                datetime.date(int(parts["year"]), month, day or 1)
            except ValueError:
                raise ValueError(f"'{text}' bukan tanggal yang ada di kalender; periksa hari dan bulannya") from None
            return Tanggal(int(parts["year"]), month, day)
    raise ValueError(f"'{text}' bukan tanggal; {DATE_HINT}")


# The reader of each kind of value that reads alone (the others depend on their file).
_READERS = {fields.TEKS: "text", fields.DAFTAR_TEKS: "text_list", fields.TANGGAL: "date", fields.TAHUN: "year",
            fields.PENANDATANGAN: "signer", fields.DEKRET: "decree", fields.VERIFIKASI: "verification",
            fields.YA_TIDAK: "yes_no", fields.JUDUL: "headings"}
