"""The names of the definition format, and the words it reserves, each rule written once.

- A **slug** names an SOP file (without ``.yaml``) or one folder of a unit's path:
  lower-case letters and digits, words joined by ``-`` or ``_``, at most
  :data:`MAX_SLUG` bytes, never a name Windows keeps for a device. The reader, the
  Excel import, the studio and ``sopdoc new`` accept the same slugs.
- An **id** names a row or one symbol of a row (``id:``, the target of ``lanjut``
  and of a decision's branches) or a pelaksana (its key): a letter or digit, then
  letters, digits, ``-`` and ``_``. A row's id is never :data:`NEXT`, which means
  "the next row" (its first symbol), nor :data:`END`, which means "the flow ends".
- Names sopdoc makes itself (a file name from a title, a key from a jabatan, an id
  for a row something jumps to) are made here, and made free by :func:`free_name`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from pathlib import Path

from sopdoc.fsutil import BACKUPS, STAGING_SUFFIX, backup_path

NEXT = "berikutnya"
END = "selesai"
DEFAULT_LABELS = ("Ya", "Tidak")     # a decision's branch labels, for ya then tidak, when it names none
KAPSUL, KOTAK, BELAH_KETUPAT = "kapsul", "kotak", "belah_ketupat"

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
NAME_MAX = 255      # bytes in one file name (Linux, macOS and Windows file systems alike)
# The longest name sopdoc writes for an SOP is its oldest backup's staging file,
# .SLUG.yaml.bak.9.XXXXXXXX.sopdoc-tmp: so a slug (file or folder) is at most 223 bytes, wherever it is typed.
MAX_SLUG = NAME_MAX - len(f".{backup_path(Path('.yaml'), BACKUPS - 1).name}.{'x' * 8}{STAGING_SUFFIX}")
# A name sopdoc makes from a title stops at a word within this many characters: a file name is no title.
SLUG_LENGTH = 60
# Windows (where many users work) cannot hold a file or folder with these names, whatever follows a dot.
_DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
# Why two names that differ only in case cannot both be used (the SOP files of a folder, the unit folders).
CASE_ONLY = ("Windows dan macOS menganggap keduanya nama yang sama, sehingga dokumennya saling menimpa di folder "
             "hasil dan di ZIP")
_WORD = re.compile(r"[a-z0-9]+")
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")
ACTOR_WORDS = 3     # a pelaksana key made from a jabatan takes its first words: a key is a short handle


def same_name(name: str) -> str:
    """Return the form in which Windows and macOS see *name*: case folded, and é typed as e + accent the same as é."""
    return unicodedata.normalize("NFC", name).casefold()


def how_alike(first: str, second: str) -> str:
    """Say how two different names that are :func:`same_name` differ, in the user's words."""
    if first.casefold() == second.casefold():
        return "hanya berbeda huruf besar/kecil"
    return "tampak sama tetapi hurufnya ditulis dengan kode berbeda (misalnya é sebagai e dan tanda aksen)"


def device_name(name: str) -> bool:
    """Say whether Windows keeps *name* for a device (CON, AUX, LPT1, ...), whatever follows a dot."""
    return name.partition(".")[0].lower() in _DEVICE_NAMES


def name_problem(name: str, what: str = "berkas") -> str | None:
    """Return what makes the slug *name* unfit as the name of a file or folder (*what*) on a user's disk, or None."""
    if device_name(name):
        return (f"'{name}' adalah nama perangkat di Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9) dan tidak dapat "
                f"menjadi nama {what}; pakai nama lain")
    size = len(name.encode("utf-8"))
    if size > MAX_SLUG:
        return f"nama {what} terlalu panjang (paling banyak {MAX_SLUG} huruf; ini {size})"
    return None


def id_problem(row_id: str) -> str | None:
    """Return why *row_id* cannot be a row's id, or None."""
    if not ID.match(row_id) or row_id in (NEXT, END):
        return f"id '{row_id}' tidak sah: pakai huruf, angka, '-' atau '_' (dan bukan '{NEXT}' atau '{END}')"
    return None


def slugify(text: str, words: int | None = None) -> str:
    """Return a name made of *text*'s words (its first *words*), joined by '-': 'Surat Masuk' -> 'surat-masuk'."""
    return "-".join(_WORD.findall(text.lower())[:words])[:SLUG_LENGTH].strip("-")


def _dashed(wanted: str, n: int) -> str:
    return f"{wanted}-{n}"


def free_name(wanted: str, taken: Container[str], numbered: Callable[[str, int], str] = _dashed) -> str:
    """Return *wanted*, or else the first of its numbered forms (2, 3, ...) that *taken* does not hold."""
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = numbered(wanted, n), n + 1
    return candidate


def free_id(wanted: str, taken: Iterable[str | None]) -> str:
    """Return a row id like *wanted* that no row in *taken* has; never NEXT or END."""
    return free_name(wanted, {NEXT, END, *taken})


def row_id(index: int, taken: Iterable[str | None], item: int = 0) -> str:
    """Return the id a row at *index* (its symbol *item*) gets when something jumps to it and it has none:
    'baris-N', and 'baris-N-2' for the second symbol of a row that holds several."""
    return free_id(f"baris-{index + 1}" + (f"-{item + 1}" if item else ""), taken)


def automatic_number(printed: Iterable[str]) -> str:
    """Return the No a row prints when it names none: one more than the last whole number *printed* above it
    (the leading number of a text like "2a" or "1." counts; an unnumbered row's "" does not)."""
    last = 0
    for text in printed:
        if match := _LEADING_NUMBER.match(text):
            last = int(match.group(1))
    return str(last + 1)


def actor_key(jabatan: str, taken: Container[str]) -> str:
    """Return a free pelaksana key made of *jabatan*'s first words: 'Kepala Sub Bagian Umum' -> 'kepala-sub-bagian'."""
    return free_name(slugify(jabatan, ACTOR_WORDS) or "pelaksana", taken)


def default_symbol(is_decision: bool, is_start: bool, is_end: bool) -> str:
    """Return the symbol a row's symbol gets when it names none: a diamond for a decision, a capsule for a start
    (in the first row, reached from no symbol of that row) and for an end (in the last row flowing nowhere, or
    anywhere with ``lanjut: selesai``), a box for the rest."""
    if is_decision:
        return BELAH_KETUPAT
    return KAPSUL if is_start or is_end else KOTAK
