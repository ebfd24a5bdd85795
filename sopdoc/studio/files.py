"""The definition files a request names, kept inside the definitions folder.

A page names an SOP by its path below the folder without ``.yaml``
(``kab-x/diskominfo/surat-masuk``) and a unit by its folder (``kab-x/diskominfo``).
Every name is checked part by part and again after symbolic links are resolved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import os
import re
from pathlib import Path

from sopdoc import fsutil
from sopdoc.authoring import scaffold, yamlwrite
from sopdoc.definition import characters, names, placeholders, reader, tree, yamlsafe
from sopdoc.definition.model import Tanggal
from sopdoc.definition.tree import chain
from sopdoc.errors import display_path, shown
from sopdoc.fsutil import LOOP, inside, resolved, write_atomic

SUFFIX = ".yaml"
SHOWN_LINES = 400       # of a file the studio cannot edit, shown around the line at fault


class Refused(ValueError):
    """A name that does not lead to a definition inside the folder; the message is for the user."""


class Invalid(ValueError):
    """What a person wrote for a new SOP cannot be used; the message names the field and is for the user."""


def _inside(root: Path, key: str) -> Path:
    """Return root/key, refusing any part that could leave *root* or name a hidden file."""
    parts = key.split("/")
    if not key or len(key) > 500 or any(not p or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        raise Refused(f"'{key[:80]}' bukan nama yang sah")
    target = root.joinpath(*parts)
    if resolved(target) is None:
        raise Refused(f"'{key[:80]}' adalah {LOOP}; hapus tautan itu atau arahkan ke berkas yang sebenarnya")
    if not inside(target, root):
        raise Refused(f"'{key[:80]}' berada di luar folder definisi")
    return target


def sop_file(root: Path, key: str) -> Path:
    """Return the SOP file *key* names; it must exist and not be a unit file."""
    path = _inside(root, key + SUFFIX) if not key.endswith(SUFFIX) else _inside(root, key)
    # A link to a unit file is no SOP either: the editor would write SOP keys into it.
    if reader.UNIT_FILE in (path.name, path.resolve().name) or not path.is_file():
        raise Refused(f"SOP '{key[:80]}' tidak ada di {display_path(root)}")
    return path


def unit_folder(root: Path, key: str) -> Path:
    """Return the unit folder *key* names; it must hold a unit file."""
    folder = _inside(root, key)
    if not (folder / reader.UNIT_FILE).is_file():
        raise Refused(f"unit '{key[:80]}' tidak ada (tidak ada {reader.UNIT_FILE} di sana)")
    if not inside(folder / reader.UNIT_FILE, root):
        raise Refused(f"{reader.UNIT_FILE} unit '{key[:80]}' adalah tautan ke luar folder definisi")
    return folder


def key_of(root: Path, path: Path) -> str:
    """Return the name a page uses for *path* (an SOP file or a unit folder)."""
    relative = path.relative_to(root).as_posix()
    return relative[: -len(SUFFIX)] if relative.endswith(SUFFIX) else relative


def version(path: Path) -> str:
    """Return a fingerprint of *path*'s bytes, to notice a change made elsewhere.

    No more than a definition's size limit is read: a larger file cannot be
    edited anyway, and its size and time then tell a change.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(yamlsafe.MAX_BYTES + 1)
            info = os.fstat(handle.fileno())
    except OSError:
        return ""
    tail = f"{info.st_size}:{info.st_mtime_ns}" if len(head) > yamlsafe.MAX_BYTES else ""
    return hashlib.sha256(head + tail.encode()).hexdigest()[:20]


def shown_lines(path: Path, line: int | None) -> tuple[int, list[str]] | None:
    """Return the first line number and the lines of *path* a page shows around *line*, or None to show none.

    A file that is not a regular UTF-8 text within a definition's size limit is
    not shown (the message says why); of a long one, SHOWN_LINES lines are shown.
    """
    try:
        text = fsutil.read_regular(path, yamlsafe.MAX_BYTES, "").decode("utf-8-sig")
    except (fsutil.ReadRefused, UnicodeDecodeError):
        return None
    if "\x00" in text:
        return None
    lines = text.splitlines()
    first = max(0, min((line or 1) - 1 - SHOWN_LINES // 2, len(lines) - SHOWN_LINES))
    return first + 1, lines[first:first + SHOWN_LINES]


def new_sop(root: Path, unit: str, nama: str, slug: str, today: datetime.date, unit_nama: str = "") -> Path:
    """Create an SOP named *nama* from the scaffold in unit folder *unit* (made, with a unit file, if new).

    A new unit's file is titled *unit_nama* when given (the name the person typed),
    else after its folder. A problem raises :class:`Invalid`, naming the field, and
    leaves nothing behind.
    """
    nama = " ".join(nama.split())
    path = _new_path(root, unit, nama, slug)
    made = _create(root, path, nama, today, " ".join(unit_nama.split()))
    # The reader checks files, not data for a file not yet written: so the new file is read, and what was made
    # is removed again if the reader refuses the name (for a control character in it, say).
    refused = [p for p in reader.read([path]).errors if p.key == "nama"]
    if refused:
        _remove(made)
        raise Invalid(f"nama: {refused[0].message}")
    return path


def _new_path(root: Path, unit: str, nama: str, slug: str) -> Path:
    """Return the file a new SOP gets, or raise :class:`Invalid` naming the field that cannot be used."""
    if not nama:
        raise Invalid("nama: tulis nama SOP")
    slug = slug.strip() or names.slugify(nama)
    if not names.SLUG.match(slug):
        raise Invalid(f"berkas: nama berkas '{shown(slug[:80])}' tidak sah: pakai huruf kecil, angka dan tanda '-'")
    if problem := names.name_problem(slug):
        raise Invalid(f"berkas: {problem}")
    try:
        folder = _inside(root, unit.strip("/"))
    except Refused as exc:
        raise Invalid(f"unit: {exc}") from None
    path = folder / f"{slug}{SUFFIX}"
    if os.path.lexists(path):
        raise Invalid(f"berkas: {display_path(path)} sudah ada; pilih nama berkas lain")
    new_unit = not (folder / reader.UNIT_FILE).is_file()
    parts = unit.strip("/").split("/")
    if new_unit and not all(names.SLUG.match(part) for part in parts):
        raise Invalid(f"unit: nama folder unit '{shown(unit[:80])}' tidak sah: pakai huruf kecil, angka dan tanda '-'")
    if new_unit and (problem := next(filter(None, (names.name_problem(part, "folder") for part in parts)), None)):
        raise Invalid(f"unit: {problem}")
    return path


def _create(root: Path, path: Path, nama: str, today: datetime.date, unit_nama: str = "") -> list[Path]:
    """Write the new SOP at *path*, and its unit file when the unit is new; return what was made, deepest first."""
    folder = path.parent
    made = [p for p in (folder, *folder.parents) if p.is_relative_to(root) and not p.exists()]
    if not (folder / reader.UNIT_FILE).is_file():
        _new_unit(folder, unit_nama)
        made.insert(0, folder / reader.UNIT_FILE)
    text = scaffold.sop_text("Contoh", display_path(path), today)
    write_atomic(path, yamlwrite.updated_text(text, {**yamlsafe.parse(text, path).data, "nama": nama}))
    return [path, *made]


def _remove(made: list[Path]) -> None:
    for item in made:
        with contextlib.suppress(OSError):
            if item.is_dir():
                item.rmdir()
            else:
                item.unlink()


def _new_unit(folder: Path, title: str = "") -> None:
    """Write the unit file of a new unit folder (yamlwrite.new_unit_text), titled *title* or after the folder."""
    title = title or placeholders.unit_guess(folder.name)
    write_atomic(folder / reader.UNIT_FILE, yamlwrite.new_unit_text(title, nested=len(chain(folder)) > 1))


def unit_key(parent: str, nama: str) -> str:
    """Return the folder key of a new unit called *nama* below the folder *parent* ('' for the definitions folder).

    The folder's name is made from the unit's name by the one naming rule (names.slugify).
    """
    nama = " ".join(nama.split())
    if not nama:
        raise Invalid("unit_nama: tulis nama unit, misalnya Dinas Kesehatan")
    slug = names.slugify(nama)
    if not slug:
        raise Invalid(f"unit_nama: nama unit '{nama[:80]}' tidak memuat huruf atau angka untuk nama foldernya")
    return f"{parent.strip('/')}/{slug}".strip("/")


def parents(root: Path) -> list[str]:
    """Return the folders a new unit can be made in: the government folders (those whose unit file has no unit above)."""
    return sorted(key_of(root, unit.parent) for unit in tree.find([root]).units if len(chain(unit.parent)) == 1)


# --- managing SOP files: copy, rename, move to the trash and back ------------------------------

TRASH = ".sampah"       # inside the definitions folder; hidden folders are never read as definitions
_STAMP = re.compile(r"^\d{8}-\d{6}(-\d+)?$")


@dataclasses.dataclass(frozen=True)
class Trashed:
    """An SOP in the trash: its name there, where it came from, when it was deleted, and its title."""

    key: str
    origin: str
    when: datetime.datetime
    nama: str

    @property
    def shown_when(self) -> str:
        """Return when it was deleted as the page shows it: 15 Januari 2024, 10.30."""
        return f"{Tanggal(self.when.year, self.when.month, self.when.day)}, {self.when:%H.%M}"


def _free_slug(path: Path, slug: str, field: str) -> Path:
    """Return the SOP file *slug* names beside *path*, or raise :class:`Invalid` naming *field*."""
    slug = slug.strip()
    if not names.SLUG.match(slug):
        raise Invalid(f"{field}: nama berkas '{shown(slug[:80])}' tidak sah: pakai huruf kecil, angka dan tanda '-'")
    if problem := names.name_problem(slug):
        raise Invalid(f"{field}: {problem}")
    target = path.parent / f"{slug}{SUFFIX}"
    if os.path.lexists(target):
        raise Invalid(f"{field}: {display_path(target)} sudah ada; pilih nama berkas lain")
    return target


def copy_sop(path: Path, nama: str, slug: str) -> Path:
    """Write a copy of the SOP *path* beside it, called *nama*, without its revision history; return the copy.

    Comments and layout are kept (yamlwrite.updated_text); the copy is a new SOP, so it has no revisions yet.
    """
    nama = " ".join(nama.split())
    if not nama:
        raise Invalid("nama: tulis nama SOP salinan")
    if why := characters.refused(nama):
        raise Invalid(f"nama: {why}")
    target = _free_slug(path, slug or names.slugify(nama), "berkas")
    try:
        loaded = yamlsafe.load(path)
    except yamlsafe.YamlLoadError as exc:
        raise Invalid(f"{display_path(path)} belum dapat dibaca ({exc.message}); perbaiki dulu sebelum disalin") from None
    data = loaded.data if isinstance(loaded.data, dict) else {}
    text = path.read_text(encoding="utf-8-sig")
    write_atomic(target, yamlwrite.updated_text(text, {**data, "nama": nama, "revisi": []}))
    return target


def rename_sop(path: Path, slug: str) -> Path:
    """Give the SOP file *path* the file name *slug* in its folder; return its new path."""
    target = _free_slug(path, slug, "berkas")
    try:
        os.rename(path, target)
    except OSError as exc:
        raise Invalid(f"berkas: {display_path(path)} tidak dapat diganti namanya ({exc.strerror})") from None
    return target


def trash_sop(root: Path, path: Path, now: datetime.datetime) -> Path:
    """Move the SOP file *path* into the trash folder of *root*, keeping its place below it; return where it went."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    folder = root / TRASH / stamp
    n = 1
    while folder.exists():
        n += 1
        folder = root / TRASH / f"{stamp}-{n}"
    target = folder / path.relative_to(root)
    fsutil.make_folder(target.parent)
    try:
        os.replace(path, target)
    except OSError as exc:
        raise Invalid(f"{display_path(path)} tidak dapat dipindahkan ke {TRASH} ({exc.strerror})") from None
    return target


def trashed(root: Path) -> list[Trashed]:
    """Return the SOPs in the trash of *root*, the most recently deleted first."""
    found = []
    trash = root / TRASH
    if not trash.is_dir() or trash.is_symlink():
        return []
    for stamp in sorted((p for p in trash.iterdir() if p.is_dir() and _STAMP.match(p.name)), reverse=True):
        when = datetime.datetime.strptime(stamp.name[:15], "%Y%m%d-%H%M%S")
        for path in sorted(stamp.rglob(f"*{SUFFIX}")):
            if path.is_file() and not path.is_symlink():
                nama, _ = title_of(path)
                origin = path.relative_to(stamp).as_posix()[: -len(SUFFIX)]
                found.append(Trashed(path.relative_to(trash).as_posix()[: -len(SUFFIX)], origin, when,
                                     nama or path.stem))
    return found


def title_of(path: Path) -> tuple[str, str]:
    """Return the name and number an SOP file shows, if it can be read at all."""
    try:
        data = yamlsafe.load(path).data
    except yamlsafe.YamlLoadError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("nama") or ""), str(data.get("nomor") or "")


def restore_sop(root: Path, key: str) -> Path:
    """Move the SOP *key* names in the trash back to where it was deleted from; return its path."""
    stamp, _, origin = key.partition("/")
    if not _STAMP.match(stamp):
        raise Refused(f"'{key[:80]}' tidak ada di {TRASH}")
    source = _inside(root / TRASH / stamp, origin + SUFFIX)
    if not source.is_file() or source.is_symlink() or not inside(source, root / TRASH):
        raise Refused(f"'{key[:80]}' tidak ada di {TRASH}")
    target = _inside(root, origin + SUFFIX)
    if os.path.lexists(target):
        raise Invalid(f"berkas: {display_path(target)} sudah ada; ganti dulu nama berkas SOP itu, lalu pulihkan lagi")
    fsutil.make_folder(target.parent)
    try:
        os.replace(source, target)
    except OSError as exc:
        raise Invalid(f"{display_path(source)} tidak dapat dipulihkan ({exc.strerror})") from None
    _remove([p for p in (source.parent, *source.parents) if p.is_relative_to(root / TRASH / stamp)])
    return target
