"""The definitions tree on disk: which files are definitions, and under which named folder.

Only regular files are read. A symlinked file counts when it points inside the
folder the user named; symlinked and hidden folders are not entered; a folder
that cannot be listed is reported, never skipped in silence. Each folder is
listed once, however many SOPs it holds.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.definition import characters
from sopdoc.errors import ERROR, WARNING, Problem, shown
from sopdoc.fsutil import LOOP, inside, resolved

UNIT_FILE = "unit.yaml"


def is_definition(name: str) -> bool:
    """Return whether a file called *name* is read as a definition."""
    return name.endswith((".yaml", ".yml")) and not name.startswith(".")


@dataclass
class Tree:
    """The definition files found, each with the folder the user named that holds it."""

    sops: dict[Path, Path] = field(default_factory=dict)
    units: dict[Path, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    refused: list[Path] = field(default_factory=list)
    listings: dict[Path, dict[str, Path]] = field(default_factory=dict)

    def siblings(self, folder: Path, root: Path) -> dict[str, Path]:
        """Return the SOP files of *folder* by slug, listing it once (for a folder only named through a file)."""
        if folder not in self.listings:
            self.listings[folder] = {}
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                return self.listings[folder]
            for entry in entries:
                if is_definition(entry.name) and entry.name != UNIT_FILE and _readable(entry, root) is None:
                    self.listings[folder].setdefault(Path(entry.name).stem, Path(entry.path))
        return self.listings[folder]

    def add(self, path: Path) -> None:
        """Add the definitions *path* names: a folder (walked) or one file."""
        if path.is_dir():
            self._walk(path, path)
            return
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except OSError as exc:
            self._refuse(path, outside(path, path.parent) or f"berkas tidak dapat dibaca: {exc.strerror}")
            return
        if not regular:
            self._refuse(path, _NOT_REGULAR)
            return
        # A file named on its own may be a link, or lie below a linked folder: it must still lead into its tree.
        why = outside(path, tree_root(path.parent)) or _name_refused(path, path.parent)
        if why:
            self._refuse(path, why)
            return
        self._found(path, path.parent)

    def _walk(self, folder: Path, root: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self.problems.append(Problem(folder, None, "", f"folder tidak dapat dibaca ({exc.strerror}), jadi isinya "
                                                           "tidak diperiksa; periksa izin folder itu"))
            return
        listing = self.listings.setdefault(folder, {})
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink() and _is_dir(path):
                self.problems.append(Problem(path, None, "", "folder ini tautan (symlink) dan tidak dimasuki; "
                                                             "letakkan folder unit langsung di folder definisi",
                                             WARNING))
            elif entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    self._walk(path, root)
            elif is_definition(entry.name):
                why = _readable(entry, root)
                if why:
                    self._refuse(path, why)
                else:
                    self._found(path, root)
                    if entry.name != UNIT_FILE:
                        listing.setdefault(path.stem, path)

    def _found(self, path: Path, root: Path) -> None:
        files = self.units if path.name == UNIT_FILE else self.sops
        files.setdefault(path, root)

    def _refuse(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, None, "", message, ERROR))
        if path.name != UNIT_FILE:
            self.refused.append(path)


_NOT_REGULAR = ("bukan berkas biasa (mungkin pipa, perangkat atau soket), jadi tidak dibaca; "
                "definisi SOP harus berupa berkas teks")


def _readable(entry: os.DirEntry, root: Path) -> str | None:
    """Return why the file *entry* found under *root* is not read, or None."""
    path = Path(entry.path)
    if why := _name_refused(path, root):
        return why
    if entry.is_symlink():
        why = outside(path, root)
        if why:
            return why
    try:
        mode = entry.stat().st_mode
    except OSError as exc:
        return f"berkas tidak dapat dibaca: {exc.strerror}"
    return None if stat.S_ISREG(mode) else _NOT_REGULAR


def _name_refused(path: Path, root: Path) -> str | None:
    """Return why the name of the file *path*, or of a folder between *root* and it, is refused, or None.

    A file name is printed (a document's name, the book, the ZIP), so it may hold
    no character that a text may not hold (a direction control that reverses it).
    """
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = (path.name,)
    for depth, part in enumerate(parts, start=1):
        if why := characters.refused(part, "ganti namanya tanpa karakter itu"):
            named = "nama berkas ini" if depth == len(parts) else f"nama folder '{shown(part)}'"
            return f"{named} {why}"
    return None


def outside(path: Path, root: Path) -> str | None:
    """Return why *path*, whose links lead elsewhere, is not read as part of the tree *root*, or None."""
    target = resolved(path)
    if target is None:
        return f"{LOOP}, jadi tidak dibaca; hapus tautan itu atau arahkan ke berkas SOP yang sebenarnya"
    if not inside(target, root):
        return (f"tautan (symlink) ke berkas di luar folder definisi ({target}), jadi tidak dibaca; "
                "salin berkasnya ke dalam folder itu")
    return None


def chain(folder: Path, planned: Container[Path] = ()) -> list[Path]:
    """Return *folder* and the folders above it whose unit files make its unit, nearest first.

    The chain climbs while the folder above holds a unit file and stops at the
    first that holds none: a unit file above such a gap is not part of the unit.
    The reader, the studio's unit page, import and :func:`tree_root` all take a
    unit's chain from here. *planned* names unit files about to be written,
    counted as there.

    It climbs the folders on disk, not the words of the path: above ``.`` (a user
    inside the unit folder typing ``sopdoc validate .``) is ``..``, not ``.`` again.
    Each folder keeps the form of *folder* (relative stays relative).
    """
    folders = [folder]
    while (above := _above(folders[-1])) is not None and (above / UNIT_FILE in planned
                                                          or (above / UNIT_FILE).is_file()):
        folders.append(above)
    return folders


def _above(folder: Path) -> Path | None:
    """Return the folder that holds *folder*, written like it (``.`` -> ``..``), or None at the top of the disk."""
    above = Path(os.path.normpath(folder / os.pardir))
    return None if os.path.abspath(above) == os.path.abspath(folder) else above


def tree_root(folder: Path) -> Path:
    """Return the definitions folder that *folder* (a unit folder) lies in, as its unit key counts from.

    That is the folder above the top of *folder*'s unit chain: the tree a file
    of *folder* belongs to when it is named on its own (by a shell glob, say)
    instead of found by a folder walk.
    """
    top = chain(folder)[-1]
    return _above(top) or top


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def find(paths: list[Path]) -> Tree:
    """Return the definition files under *paths* (folders or files)."""
    tree = Tree()
    for path in paths:
        tree.add(path)
    return tree
