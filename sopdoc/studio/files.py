"""The definition files a request names, kept inside the definitions folder.

A page names an SOP by its path below the folder without ``.yaml``
(``kab-x/diskominfo/surat-masuk``) and a unit by its folder (``kab-x/diskominfo``).
Every name is checked part by part and again after symbolic links are resolved.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
from pathlib import Path

from sopdoc import fsutil
from sopdoc.authoring import scaffold, yamlwrite
from sopdoc.definition import names, reader, yamlsafe
from sopdoc.definition.tree import chain
from sopdoc.errors import display_path
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


def new_sop(root: Path, unit: str, nama: str, slug: str, today: datetime.date) -> Path:
    """Create an SOP named *nama* from the scaffold in unit folder *unit* (made, with a unit file, if new).

    A problem raises :class:`Invalid`, naming the field, and leaves nothing behind.
    """
    nama = " ".join(nama.split())
    path = _new_path(root, unit, nama, slug)
    made = _create(root, path, nama, today)
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
        raise Invalid(f"berkas: nama berkas '{slug[:80]}' tidak sah: pakai huruf kecil, angka dan tanda '-'")
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
        raise Invalid(f"unit: nama folder unit '{unit[:80]}' tidak sah: pakai huruf kecil, angka dan tanda '-'")
    if new_unit and (problem := next(filter(None, (names.name_problem(part, "folder") for part in parts)), None)):
        raise Invalid(f"unit: {problem}")
    return path


def _create(root: Path, path: Path, nama: str, today: datetime.date) -> list[Path]:
    """Write the new SOP at *path*, and its unit file when the unit is new; return what was made, deepest first."""
    folder = path.parent
    made = [p for p in (folder, *folder.parents) if p.is_relative_to(root) and not p.exists()]
    if not (folder / reader.UNIT_FILE).is_file():
        _new_unit(folder)
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


def _new_unit(folder: Path) -> None:
    """Write the unit file of a new unit folder (yamlwrite.new_unit_text)."""
    title = folder.name.replace("-", " ").title()
    write_atomic(folder / reader.UNIT_FILE, yamlwrite.new_unit_text(title, nested=len(chain(folder)) > 1))
